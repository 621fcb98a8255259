"""The checker's output contract: what lowering (irgen) needs beyond the annotated AST.

After `check_program`, every `ast.Expr` has `.ty` (an `orus.sema.types.Type`), every Symbol
has `.ty`, and every `MatchExpr` has `used_as_value`. Types may still contain type
variables (`TVar`): always read them through `types.resolve(ty)` (non-generic code) or
`instance.resolve(ty)` (code inside a generic function). A variable that nothing
determined stays a `TVar` (spelled `_`): nothing of that type can exist at run time
(spec 3.4, 3.5), so lowering may give it any representation.

Functions
  `TypedProgram.functions[fn_node]` (fn_node an `ast.FnDecl` or `ast.Lambda`) is a `FnInfo`:
  its signature `FnT` (parameter types, return type; `self` included for methods) and, for a
  generic function, `quantified`: the type variables it is generalised over.

Generic functions (spec 3.5)
  A named function with an un-annotated (or bare generic-enum) parameter is generic; so is
  a lambda bound by an immutable variable (`id = fn(x): x`). `FnInfo.instances` lists one
  `Instance` per distinct combination of parameter types the program's calls and value uses
  produce (empty when never used: emit no code for it). Lowering emits one specialised
  copy of the function per instance. `FnInfo.is_generic` is False when inference fixed
  every parameter type (`fn inc(a): return a + 1` is `fn(i32) -> i32`): emit one copy.
  Calls inside a recursive group target the members' instances with the same types.
  Inside that copy:
    * the type of a node is `instance.resolve(node.ty)` (substitutes the quantified
      variables, including those of nested non-generic lambdas and functions);
    * a call (or value use, keyed by the `ast.Name`/`ast.Field` node) of a generic function
      targets `typed.target(node, instance)`, the callee's `Instance`. Pass `instance=None`
      outside generic functions.
  A call of a generic function written in a generic function with arguments that depend
  on its type variables has a different target per enclosing instance, hence the key.

Calls through a generalised variable (`t = twice; t(2)`) are keyed like direct calls:
by the callee node (the `ast.Name` `t`, or the `ast.Field` of `v.m(...)` / `S.f(...)`).
`TypedProgram.generalised` maps such a variable's Symbol to the FnInfo it stands for (the
named function, or the lambda of `id = fn(x): x`): the variable has no single value;
every use of it targets an instance (for a lambda, a closure of that instance made where
the binding runs).

Conventions for particular nodes
  * `E` in `E.V`, `S` in `S.f`, `m` in `m.x` (names of enums, structs, modules) are not
    values: their `ty` is `VOID`. The callee Field of `E.V(...)` has the enum type.
  * The callee Name of a builtin call has `FnT(argument types, result)`.
  * `Expr.ty` is `types.BAD` where an error was reported (never lowered).
  * Struct and enum Symbols have `ty` = their type (`EnumT` with unbound arguments).
  * A `MatchExpr` with `used_as_value` raises `No match arm matched` when no arm matches;
    otherwise it is a statement.
  * `print`'s first argument is a format string when its (resolved) type is `string`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from orus.sema import types as T


@dataclass(eq=False)
class Instance:
    """One specialisation of a generic function."""

    fn: Any                                   # ast.FnDecl or ast.Lambda
    subst: dict                               # quantified TVar -> concrete(ish) Type
    key: tuple                                # type_key of the parameter types
    params: list = field(default_factory=list)   # resolved parameter types
    ret: Any = None                           # return type (resolve it: may hold variables)
    calls: dict = field(default_factory=dict)    # call/use node -> callee Instance (in this copy)
    errors: list = field(default_factory=list)   # messages of failed deferred checks (for reuse)

    def resolve(self, ty: T.Type) -> T.Type:
        return T.resolve(T.substitute(ty, self.subst))


@dataclass(eq=False)
class FnInfo:
    node: Any                                 # ast.FnDecl or ast.Lambda
    sig: T.FnT
    quantified: list = field(default_factory=list)
    deferred: list = field(default_factory=list)  # checks made per instance (check_generic)
    instances: list = field(default_factory=list)
    by_key: dict = field(default_factory=dict)

    @property
    def is_generic(self) -> bool:
        return bool(self.quantified)


@dataclass(eq=False)
class TypedProgram:
    program: Any
    functions: dict = field(default_factory=dict)     # fn node -> FnInfo
    call_targets: dict = field(default_factory=dict)  # node -> Instance (same in every copy)
    generalised: dict = field(default_factory=dict)   # Symbol -> FnInfo (`t = twice`)

    def target(self, node, instance: Optional[Instance] = None) -> Optional[Instance]:
        """The instance of a generic function that `node` (a call's callee / value use) uses."""
        if instance is not None:
            hit = instance.calls.get(node)
            if hit is not None:
                return hit
        return self.call_targets.get(node)

    def info(self, fn_node) -> FnInfo:
        return self.functions[fn_node]
