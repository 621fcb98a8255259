"""Checker types: representation, unification with type variables, spelling in messages.

Types are small immutable objects except `TVar`, a union-find cell: `ref` points at the
type it was unified with (follow it with `prune`). `level` is the nesting depth of the
function whose checking created the variable (Hindley-Milner levels): a function's
variables are generalised when their level is deeper than the function's surroundings;
unifying a variable with a type lowers the levels of the variables inside that type.

`BAD` is the type of an expression whose error was already reported: it unifies with
everything and is accepted everywhere, so one error never cascades (spec 6.2).

`show` spells a type as spec 3.3 does: `[i32]`, `Maybe<i32>`, `fn(i32) -> bool`,
`fn()`, `Task<i32>`, and `_` for an unknown part.
"""

from __future__ import annotations

import itertools
from typing import Callable, Iterable


class Type:
    __slots__ = ()


class Prim(Type):
    """A type without parts: the numbers, bool, string, void, range_iterator, error."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


I32, I64, U32, U64, F64 = Prim("i32"), Prim("i64"), Prim("u32"), Prim("u64"), Prim("f64")
BOOL, STRING, VOID = Prim("bool"), Prim("string"), Prim("void")
RANGE, ERROR_VALUE = Prim("range_iterator"), Prim("error")
BAD = Prim("_")        # poison: an expression whose error was already reported

INTEGERS = (I32, I64, U32, U64)
NUMERICS = INTEGERS + (F64,)
PRIM_BY_NAME = {p.name: p for p in NUMERICS + (BOOL, STRING, VOID)}
PRIM_BY_NAME["str"] = STRING
SIGNED_OF = {I32: I32, I64: I64, U32: I32, U64: I64, F64: F64}
INT_RANGE = {I32: (-2**31, 2**31 - 1), I64: (-2**63, 2**63 - 1),
             U32: (0, 2**32 - 1), U64: (0, 2**64 - 1)}


class ArrayT(Type):
    __slots__ = ("elem",)

    def __init__(self, elem: Type):
        self.elem = elem


class StructT(Type):
    """A struct type; `sym` is the STRUCT Symbol (identity = the declaration)."""

    __slots__ = ("sym",)

    def __init__(self, sym):
        self.sym = sym


class EnumT(Type):
    """An enum type with its type arguments (`()` for a non-generic enum)."""

    __slots__ = ("sym", "args")

    def __init__(self, sym, args: tuple = ()):
        self.sym = sym
        self.args = tuple(args)


class FnT(Type):
    __slots__ = ("params", "ret")

    def __init__(self, params, ret: Type):
        self.params = tuple(params)
        self.ret = ret


class TaskT(Type):
    __slots__ = ("elem",)

    def __init__(self, elem: Type):
        self.elem = elem


class ChanT(Type):
    __slots__ = ("elem",)

    def __init__(self, elem: Type):
        self.elem = elem


_ids = itertools.count(1)


class TVar(Type):
    """A type variable; `ref` is None while unbound."""

    __slots__ = ("id", "ref", "level")

    def __init__(self, level: int = 0):
        self.id = next(_ids)
        self.ref: Type | None = None
        self.level = level

    def __repr__(self) -> str:
        return f"?{self.id}" if self.ref is None else f"?{self.id}={self.ref!r}"


def prune(t: Type) -> Type:
    """Follow bound variables to the representative type (with path compression)."""
    if type(t) is not TVar or t.ref is None:
        return t
    r = t.ref
    while type(r) is TVar and r.ref is not None:
        r = r.ref
    t.ref = r
    return r


def parts(t: Type) -> tuple:
    """The component types of a compound type, in a fixed order."""
    k = type(t)
    if k is ArrayT or k is TaskT or k is ChanT:
        return (t.elem,)
    if k is EnumT:
        return t.args
    if k is FnT:
        return t.params + (t.ret,)
    return ()


def rebuild(t: Type, new_parts: list) -> Type:
    """A type like t with its parts replaced (same order as `parts`)."""
    k = type(t)
    if k is ArrayT or k is TaskT or k is ChanT:
        return k(new_parts[0])
    if k is EnumT:
        return EnumT(t.sym, new_parts)
    if k is FnT:
        return FnT(new_parts[:-1], new_parts[-1])
    return t


def canon(sym):
    """The declaring Symbol of a struct or enum: an import may bind another Symbol to it,
    and type identity is the declaration."""
    decl = sym.decl
    own = getattr(decl, "sym", None) if decl is not None else None
    return own if own is not None else sym


# ------------------------------------------------------------------ unification
def unify(a: Type, b: Type) -> bool:
    """Make a and b equal; on failure undo every binding made and return False."""
    trail: list = []
    if _unify(a, b, trail):
        return True
    for v, old_level in reversed(trail):
        v.ref = None
        v.level = old_level
    return False


def _unify(a: Type, b: Type, trail: list) -> bool:
    a, b = prune(a), prune(b)
    if a is b or a is BAD or b is BAD:
        return True
    if type(a) is TVar:
        return _bind(a, b, trail)
    if type(b) is TVar:
        return _bind(b, a, trail)
    ka = type(a)
    if ka is not type(b):
        return False
    if ka is Prim:
        return False             # distinct singletons
    if ka is StructT:
        return a.sym is b.sym
    if ka is EnumT and a.sym is not b.sym:
        return False
    pa, pb = parts(a), parts(b)
    if len(pa) != len(pb):
        return False
    return all(_unify(x, y, trail) for x, y in zip(pa, pb))


def _bind(v: TVar, t: Type, trail: list) -> bool:
    if occurs(v, t):
        return False
    _lower_levels(t, v.level, trail)
    trail.append((v, v.level))
    v.ref = t
    return True


def occurs(v: TVar, t: Type) -> bool:
    t = prune(t)
    if t is v:
        return True
    return any(occurs(v, p) for p in parts(t))


def _lower_levels(t: Type, level: int, trail: list) -> None:
    t = prune(t)
    if type(t) is TVar:
        if t.level > level:
            trail.append((t, t.level))
            t.level = level
        return
    for p in parts(t):
        _lower_levels(p, level, trail)


# ------------------------------------------------------------------ queries
def resolve(t: Type) -> Type:
    """t with every bound variable replaced by its binding, deeply."""
    t = prune(t)
    ps = parts(t)
    if not ps:
        return t
    return rebuild(t, [resolve(p) for p in ps])


def substitute(t: Type, mapping: dict) -> Type:
    """t with the variables in mapping (TVar -> Type) replaced, deeply."""
    t = prune(t)
    if type(t) is TVar:
        return mapping.get(t, t)
    ps = parts(t)
    if not ps:
        return t
    return rebuild(t, [substitute(p, mapping) for p in ps])


def free_vars(t: Type, out: list | None = None) -> list:
    """Unbound variables of t, in first-occurrence order."""
    if out is None:
        out = []
    t = prune(t)
    if type(t) is TVar:
        if t not in out:
            out.append(t)
    else:
        for p in parts(t):
            free_vars(p, out)
    return out


def is_concrete(t: Type) -> bool:
    t = prune(t)
    if type(t) is TVar:
        return False
    return all(is_concrete(p) for p in parts(t))


def has_bad(t: Type) -> bool:
    t = prune(t)
    return t is BAD or any(has_bad(p) for p in parts(t))


def is_var(t: Type) -> bool:
    return type(prune(t)) is TVar


def is_numeric(t: Type) -> bool:
    return prune(t) in NUMERICS


def is_integer(t: Type) -> bool:
    return prune(t) in INTEGERS


def type_key(t: Type) -> tuple | str:
    """A hashable structural key; unbound variables are keyed by identity."""
    t = prune(t)
    k = type(t)
    if k is Prim:
        return t.name
    if k is TVar:
        return ("var", t.id)
    if k is StructT:
        return ("struct", id(t.sym))
    head = (k.__name__, id(t.sym)) if k is EnumT else (k.__name__,)
    return head + tuple(type_key(p) for p in parts(t))


def same(a: Type, b: Type) -> bool:
    return type_key(a) == type_key(b)


# ------------------------------------------------------------------ spelling
def show(t: Type) -> str:
    """The spelling of spec 3.3 (`_` for anything not known yet)."""
    t = prune(t)
    return _SHOW[type(t)](t)


def _show_fn(t: FnT) -> str:
    head = "fn(" + ", ".join(show(p) for p in t.params) + ")"
    ret = prune(t.ret)
    return head if ret is VOID else f"{head} -> {show(ret)}"


def _show_enum(t: EnumT) -> str:
    if not t.args:
        return t.sym.name
    return t.sym.name + "<" + ", ".join(show(a) for a in t.args) + ">"


_SHOW: dict[type, Callable] = {
    Prim: lambda t: t.name,
    TVar: lambda t: "_",
    ArrayT: lambda t: f"[{show(t.elem)}]",
    StructT: lambda t: t.sym.name,
    EnumT: _show_enum,
    FnT: _show_fn,
    TaskT: lambda t: f"Task<{show(t.elem)}>",
    ChanT: lambda t: f"Channel<{show(t.elem)}>",
}


def fits(value: int, t: Type) -> bool:
    """Whether an integer literal's value is representable in numeric type t."""
    t = prune(t)
    if t is F64:
        return True
    lo, hi = INT_RANGE[t]
    return lo <= value <= hi


def all_free_vars(types: Iterable[Type]) -> list:
    out: list = []
    for t in types:
        free_vars(t, out)
    return out
