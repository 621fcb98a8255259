"""Name resolution inside expressions, match patterns and type annotations.

A mixin of `resolve.Resolver` (which provides scopes, `report`, `use_symbol`,
`block`, `function`). Expression visitors are `x_<Node>`; visitors of nodes
that contain no names fall through to `x_leaf`.

Qualified names (`ns.item`, `Struct.f`, `Enum.V`, `ns.Enum.V`) are resolved by
`namespace_of`, which decides whether the object of a Field is a namespace
(module, struct, enum) or a value; only values are looked up as variables, so
`print(Point)` is "Undefined variable" while `Point.make()` is not (spec 2.17).
"""

from __future__ import annotations

from typing import Any, Optional

from orus import diag
from orus.sema.builtins import ARITY
from orus.sema.resolve_errors import no_export, no_variant, undefined, unknown_type
from orus.sema.scopes import ERROR_SYM, Scope, Symbol, SymKind
from orus.syntax import ast

BUILTIN_FUNCTIONS = frozenset(ARITY)
PRIMITIVE_TYPES = frozenset({"i32", "i64", "u32", "u64", "f64", "bool", "string", "str", "void"})
# Built-in generic types that a user struct or enum of the same name hides (spec 11.1, D27).
HIDEABLE_TYPES = frozenset({"Task", "Channel"})
TYPE_KINDS = (SymKind.STRUCT, SymKind.ENUM)
# Kinds that are not values at all (spec 2.17).
NOT_VALUES = (SymKind.STRUCT, SymKind.ENUM, SymKind.MODULE)
# namespace_of's answer for an object that was resolved as a value.
VALUE = object()


def module_name(sym: Symbol) -> str:
    """The module as written in the `use` that bound the namespace `sym`."""
    use = sym.decl
    return ".".join(use.path) if type(use) is ast.Use else sym.info.name


def _failed(e) -> bool:
    """Whether resolving the Name or Field `e` already reported an error."""
    if type(e) is ast.Name:
        return e.sym is ERROR_SYM
    return e.kind == ("error",) or _failed(e.obj)


class ExprResolver:
    # ------------------------------------------------------------ expressions
    def expr(self, e) -> None:
        getattr(self, "x_" + type(e).__name__, self.x_leaf)(e)

    def x_leaf(self, e) -> None:
        """Literals and `_` in a `matches` pattern: nothing to resolve."""

    def x_Name(self, e: ast.Name, callee: bool = False) -> None:
        sym = self.scope.lookup(e.name)
        if sym is None and callee and e.name in BUILTIN_FUNCTIONS:
            e.sym = None
            return
        if sym is None or sym.kind in NOT_VALUES:
            self.report(undefined(e.name, e.span))
            e.sym = ERROR_SYM
            return
        e.sym = sym
        self.use_symbol(sym)

    def x_Call(self, e: ast.Call) -> None:
        if type(e.callee) is ast.Name:
            self.x_Name(e.callee, callee=True)
        else:
            self.expr(e.callee)
        for a in e.args:
            self.expr(a)

    def x_Unary(self, e: ast.Unary) -> None:
        self.expr(e.operand)

    def x_Binary(self, e: ast.Binary) -> None:
        self.expr(e.left)
        self.expr(e.right)

    def x_Cast(self, e: ast.Cast) -> None:
        self.expr(e.expr)
        self.type_expr(e.target)

    def x_Matches(self, e: ast.Matches) -> None:
        self.expr(e.expr)
        self.expr(e.pattern)

    def x_Conditional(self, e: ast.Conditional) -> None:
        self.expr(e.cond)
        self.expr(e.then)
        self.expr(e.other)

    def x_Index(self, e: ast.Index) -> None:
        self.expr(e.obj)
        self.expr(e.index)

    def x_Slice(self, e: ast.Slice) -> None:
        for part in (e.obj, e.start, e.end, e.step):
            if part is not None:
                self.expr(part)

    def x_ArrayLit(self, e: ast.ArrayLit) -> None:
        for el in e.elements:
            self.expr(el)

    def x_ArrayFill(self, e: ast.ArrayFill) -> None:
        self.expr(e.value)
        self.expr(e.count)

    def x_BlockExpr(self, e: ast.BlockExpr) -> None:
        self.block(e.block)

    def x_Spawn(self, e: ast.Spawn) -> None:
        self.expr(e.call)

    def x_StructLit(self, e: ast.StructLit) -> None:
        e.sym = self.type_path(e.type_path, e.type_span, want=SymKind.STRUCT)
        for f in e.fields:
            self.expr(f.value)

    # ------------------------------------------------------------ qualified names
    def x_Field(self, e: ast.Field) -> None:
        target = self.namespace_of(e.obj)
        if target is VALUE:
            e.kind = ("value",)
        elif target is ERROR_SYM:
            e.kind = ("error",)
        else:
            e.kind = self.member_kind(target, e.name, e.name_span)
            if e.kind[0] == "member" and e.kind[1].kind in TYPE_KINDS:
                self.report(undefined(e.name, e.name_span))
                e.kind = ("error",)

    def namespace_of(self, obj) -> Any:
        """The module/struct/enum Symbol `obj` names, ERROR_SYM, or VALUE (resolved as a value)."""
        if type(obj) is ast.Name:
            sym = self.scope.lookup(obj.name)
            if sym is None and obj.name == "Result":
                sym = self.result_enum
            if sym is not None and sym.kind in (SymKind.MODULE,) + TYPE_KINDS:
                obj.sym = sym
                return sym
        elif type(obj) is ast.Field and type(obj.obj) is ast.Name:
            ns = self.scope.lookup(obj.obj.name)
            if ns is not None and ns.kind is SymKind.MODULE:
                obj.obj.sym = ns
                obj.kind = self.member_kind(ns, obj.name, obj.name_span)
                if obj.kind[0] == "error":
                    return ERROR_SYM
                member = obj.kind[1]
                return member if member.kind in TYPE_KINDS else VALUE
        self.expr(obj)
        return VALUE

    def member_kind(self, target: Symbol, name: str, span) -> tuple:
        """Field.kind of `target.name` for a namespace target (spec 2.11, 2.12, 7.2)."""
        if target.kind is SymKind.MODULE:
            member = target.info.exports.get(name)
            if member is None:
                self.report(no_export(module_name(target), name, span))
                return ("error",)
            return ("member", member)
        if target.kind is SymKind.STRUCT:
            return ("static", target, name)
        if name not in target.info.variants:
            self.report(no_variant(target.name, name, span))
            return ("error",)
        return ("variant", target, name)

    # ------------------------------------------------------------ match
    def x_MatchExpr(self, e: ast.MatchExpr) -> None:
        self.expr(e.scrutinee)
        for arm in e.arms:
            scope = self.new_scope()
            if type(arm.pattern) is ast.VariantPat:
                self.variant_pattern(arm.pattern, scope)
            self.block(arm.body, scope)

    def new_scope(self) -> Scope:
        return Scope(self.scope, self.current_fn())

    def variant_pattern(self, p: ast.VariantPat, scope) -> None:
        """`E.V(b1, ...)` / `ns.E.V`: the variant, and its bindings declared in the arm's scope."""
        p.variant = self.pattern_variant(p)
        saved, self.scope = self.scope, scope
        for b in p.bindings or ():
            if b.name != "_":
                b.sym = self.declare(b.name, SymKind.VAR, b.span, b)
        self.scope = saved

    def pattern_variant(self, p: ast.VariantPat) -> Optional[tuple]:
        """(ENUM Symbol, variant name) of a pattern path, or None after reporting why not.

        A bare name is no pattern (spec 2.13): it is diagnosed like an enum name without
        its variant, so an undefined one is "Undefined variable"."""
        path = p.path
        if len(path) <= 2:
            obj = ast.Name(p.span, path[0])
        elif len(path) == 3:
            obj = ast.Field(p.span, ast.Name(p.span, path[0]), path[1], p.span)
        else:
            self.report(diag.mismatch(".".join(path[:-1]), "enum", p.span))
            return None
        enum = self.namespace_of(obj)
        if len(path) == 1 and not (enum is VALUE and _failed(obj)):
            self.report(diag.mismatch(path[0], "enum variant", p.span))
            return None
        if enum is ERROR_SYM or (enum is VALUE and _failed(obj)):
            return None
        if enum is VALUE or enum.kind is not SymKind.ENUM:
            self.report(diag.mismatch(".".join(path[:-1]), "enum", p.span))
            return None
        kind = self.member_kind(enum, path[-1], p.span)
        return (enum, path[-1]) if kind[0] == "variant" else None

    # ------------------------------------------------------------ types
    def type_expr(self, t) -> None:
        getattr(self, "t_" + type(t).__name__)(t)

    def t_NamedType(self, t: ast.NamedType) -> None:
        for a in t.args:
            self.type_expr(a)
        t.sym = self.named_type(t)

    def t_ArrayType(self, t: ast.ArrayType) -> None:
        """`[T, N]`: N is not enforced, but a name there must be visible (spec 3.1)."""
        self.type_expr(t.elem)
        if t.size is not None:
            self.expr(t.size)

    def t_FnType(self, t: ast.FnType) -> None:
        for p in t.params:
            self.type_expr(p)
        if t.ret is not None:
            self.type_expr(t.ret)

    def named_type(self, t: ast.NamedType) -> Any:
        """NamedType.sym (spec 3.1): None for a built-in type, a Symbol, a TypeParamRef or ERROR_SYM."""
        if len(t.path) == 1:
            name = t.path[0]
            if name in PRIMITIVE_TYPES:
                return None
            if name in self.type_params:
                return self.type_params[name]
        return self.type_path(t.path, t.span)

    def type_path(self, path: list, span, want: Optional[SymKind] = None) -> Any:
        """The STRUCT/ENUM Symbol a (possibly namespace-qualified) type name denotes, or ERROR_SYM."""
        if len(path) == 1:
            sym = self.module_scope.lookup(path[0])
            if sym is None or sym.kind not in TYPE_KINDS:
                if path[0] in HIDEABLE_TYPES and want is None:
                    return None
                sym = self.result_enum if path[0] == "Result" else None
        elif len(path) == 2:
            sym = self.qualified_type(path, span)
            if sym is ERROR_SYM:
                return ERROR_SYM
        else:
            sym = None
        if sym is None or sym.kind not in TYPE_KINDS:
            self.report(unknown_type(".".join(path), span))
            return ERROR_SYM
        if want is not None and sym.kind is not want:
            self.report(diag.mismatch(sym.name, want.value, span))
            return ERROR_SYM
        return sym

    def qualified_type(self, path: list, span) -> Optional[Symbol]:
        ns = self.scope.lookup(path[0])
        if ns is None or ns.kind is not SymKind.MODULE:
            return None
        member = ns.info.exports.get(path[1])
        if member is None:
            self.report(no_export(module_name(ns), path[1], span))
            return ERROR_SYM
        return member
