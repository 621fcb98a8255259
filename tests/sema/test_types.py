"""Unit tests of orus.sema.types: unification, levels, spelling (spec 3.3)."""

from orus.sema import types as T
from orus.sema.scopes import EnumInfo, Symbol, SymKind


def _enum(name="Maybe", params=("T",)):
    sym = Symbol(name, SymKind.ENUM, None)
    sym.info = EnumInfo(None, list(params))
    return sym


def _struct(name="Point"):
    return Symbol(name, SymKind.STRUCT, None)


def test_show_spells_types_as_annotations():
    maybe = _enum()
    assert T.show(T.ArrayT(T.I32)) == "[i32]"
    assert T.show(T.ArrayT(T.ArrayT(T.STRING))) == "[[string]]"
    assert T.show(T.EnumT(maybe, [T.I32])) == "Maybe<i32>"
    assert T.show(T.FnT([T.I32], T.BOOL)) == "fn(i32) -> bool"
    assert T.show(T.FnT([], T.VOID)) == "fn()"
    assert T.show(T.TaskT(T.I32)) == "Task<i32>"
    assert T.show(T.ChanT(T.STRING)) == "Channel<string>"
    assert T.show(T.StructT(_struct())) == "Point"
    assert T.show(T.RANGE) == "range_iterator"
    assert T.show(T.ERROR_VALUE) == "error"


def test_unknown_parts_are_underscores():
    maybe = _enum()
    assert T.show(T.TVar()) == "_"
    assert T.show(T.ArrayT(T.TVar())) == "[_]"
    assert T.show(T.EnumT(maybe, [T.TVar()])) == "Maybe<_>"


def test_unify_binds_variables_deeply():
    a, b = T.TVar(), T.TVar()
    assert T.unify(T.ArrayT(a), T.ArrayT(T.I64))
    assert T.prune(a) is T.I64
    assert T.unify(T.FnT([b], b), T.FnT([T.STRING], T.STRING))
    assert T.show(T.FnT([b], b)) == "fn(string) -> string"


def test_failed_unify_leaves_no_bindings():
    a = T.TVar()
    assert not T.unify(T.FnT([a, T.I32], T.VOID), T.FnT([T.BOOL, T.STRING], T.VOID))
    assert T.prune(a) is a


def test_distinct_prims_and_structs_do_not_unify():
    assert not T.unify(T.I32, T.I64)
    assert not T.unify(T.StructT(_struct("A")), T.StructT(_struct("B")))
    p = _struct()
    assert T.unify(T.StructT(p), T.StructT(p))
    maybe = _enum()
    assert not T.unify(T.EnumT(maybe, [T.I32]), T.EnumT(maybe, [T.STRING]))


def test_occurs_check_rejects_infinite_types():
    a = T.TVar()
    assert not T.unify(a, T.ArrayT(a))


def test_bad_unifies_with_anything():
    assert T.unify(T.BAD, T.I32)
    assert T.unify(T.ArrayT(T.STRING), T.BAD)
    assert T.has_bad(T.ArrayT(T.BAD))


def test_binding_lowers_levels():
    outer, inner = T.TVar(0), T.TVar(2)
    assert T.unify(outer, T.ArrayT(inner))
    assert inner.level == 0


def test_substitute_and_free_vars():
    a, b = T.TVar(1), T.TVar(1)
    fn = T.FnT([a, T.ArrayT(b)], a)
    assert T.free_vars(fn) == [a, b]
    got = T.substitute(fn, {a: T.I32, b: T.STRING})
    assert T.show(got) == "fn(i32, [string]) -> i32"
    assert T.is_concrete(got) and not T.is_concrete(fn)


def test_type_keys_are_structural():
    assert T.type_key(T.ArrayT(T.I32)) == T.type_key(T.ArrayT(T.I32))
    assert T.type_key(T.ArrayT(T.I32)) != T.type_key(T.ArrayT(T.I64))
    assert T.same(T.FnT([T.I32], T.VOID), T.FnT([T.I32], T.VOID))


def test_fits_uses_each_type_range():
    assert T.fits(2**31 - 1, T.I32) and not T.fits(2**31, T.I32)
    assert not T.fits(-1, T.U32) and T.fits(2**32 - 1, T.U32)
    assert T.fits(2**64 - 1, T.U64) and not T.fits(2**64, T.U64)
    assert T.fits(10**30, T.F64)
