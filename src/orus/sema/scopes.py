"""Symbols and scopes: what a name denotes, and where it is visible.

The resolver (`resolve.py`) creates every `Symbol` and links `Name.sym` (and the
`sym` fields of declaring nodes) to them; the checker (`check.py`) fills in
`Symbol.ty`. Later stages (irgen) read `kind`, `is_global`, `captured` and
`owner` to decide where a variable lives (register, global slot, or shared cell).

Invariants:
  * One Symbol per declaration *site*; a loop body's declarations run anew each
    iteration (spec 2.2) but share their Symbol — storage per iteration is a
    lowering concern (`captured` tells irgen it needs a fresh cell).
  * `ERROR_SYM` stands for a name whose resolution already failed and was
    reported; later stages accept it silently so one error never cascades.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Optional

from orus.diag import Span


class SymKind(Enum):
    VAR = "variable"          # binding, `mut` binding, loop variable, catch name, match binding
    PARAM = "parameter"
    CONST = "constant"        # NAME := e
    FUNC = "function"         # fn declaration (top-level, nested, or a struct's static/method)
    STRUCT = "struct"
    ENUM = "enum"
    MODULE = "module"         # a namespace bound by `use m` / `use m as M`
    ERROR = "error"


@dataclass(eq=False)
class Symbol:
    name: str
    kind: SymKind
    span: Optional[Span]                  # declaration site (its line appears in "already defined on line N")
    decl: Any = None                      # the declaring AST node (Let, Param, FnDecl, StructDecl, ...)
    mutable: bool = False
    is_global: bool = False               # declared at the top level of a module
    module: Any = None                    # the SourceModule that declares it
    owner: Any = None                     # the FnDecl / Lambda whose body declares it (None: top level)
    captured: bool = False                # read or written by a nested function or lambda
    is_pub: bool = False
    ty: Any = None                        # set by the checker
    info: Any = None                      # kind-specific: StructInfo / EnumInfo / SourceModule for MODULE

    @property
    def line(self) -> int:
        return self.span.line if self.span else 0


ERROR_SYM = Symbol("<error>", SymKind.ERROR, None)


@dataclass(eq=False)
class Scope:
    """A lexical scope. `function` is the FnDecl/Lambda whose body it belongs to (None at top level)."""

    parent: Optional["Scope"]
    function: Any = None
    names: dict[str, Symbol] = field(default_factory=dict)
    is_module: bool = False

    def lookup_local(self, name: str) -> Optional[Symbol]:
        return self.names.get(name)

    def lookup(self, name: str) -> Optional[Symbol]:
        s: Optional[Scope] = self
        while s is not None:
            sym = s.names.get(name)
            if sym is not None:
                return sym
            s = s.parent
        return None


@dataclass(eq=False)
class StructInfo:
    """Symbol.info of a STRUCT: its declaration and all methods of its impl blocks."""

    decl: Any                                          # ast.StructDecl
    fields: dict[str, Any] = field(default_factory=dict)    # name -> ast.FieldDecl, declaration order
    methods: dict[str, Any] = field(default_factory=dict)   # name -> ast.FnDecl (static or instance)

    def is_instance_method(self, name: str) -> bool:
        fn = self.methods.get(name)
        return bool(fn and fn.params and fn.params[0].name == "self")


@dataclass(eq=False)
class EnumInfo:
    """Symbol.info of an ENUM. `decl` is None for the built-in `Result<T>`."""

    decl: Any
    type_params: list[str] = field(default_factory=list)
    variants: dict[str, Any] = field(default_factory=dict)  # name -> ast.Variant, declaration order


@dataclass(frozen=True)
class TypeParamRef:
    """NamedType.sym for a generic enum's type parameter inside its declaration."""

    enum: Any                                          # the ENUM Symbol
    index: int
    name: str
