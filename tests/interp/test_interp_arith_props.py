"""Property tests: tier 0's inlined integer arithmetic agrees with orus.semantics.ints.

Each op is compiled once as `fn @f(a: T, b: T) -> T` (operands unknown at emit
time, so the generic fast paths and checks are used) and once with `b` a
constant (so the bound-based shortcuts are used); both must give the value, or
the Trap, that semantics.ints gives for the same operands.
"""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from orus.backend.interp import errors as E
from orus.backend.interp.compile import Env, compile_function
from orus.ir.reader import parse_module
from orus.semantics import ints
from orus.semantics.errors import Trap

TYPES = ["i32", "i64", "u32", "u64"]
OPS = {"add": ints.add, "sub": ints.sub, "mul": ints.mul, "div": ints.div, "rem": ints.mod,
       "shl": ints.shl, "shr": ints.shr, "band": ints.bit_and, "bor": ints.bit_or, "bxor": ints.bit_xor}


def _values(ty: str):
    lo, hi = ints.bounds(ty)
    edges = [lo, lo + 1, -1, 0, 1, 2, 3, 7, 31, 32, 63, 64, hi - 1, hi]
    return st.one_of(st.sampled_from([v for v in edges if lo <= v <= hi]), st.integers(lo, hi))


def _compile(op: str, ty: str, const_b=None):
    b_def = f"  v9 = const.{ty} {const_b}\n" if const_b is not None else ""
    b = "v9" if const_b is not None else "v1"
    text = (f"fn @f(v0: {ty}, v1: {ty}) -> {ty} {{\nb0:\n{b_def}"
            f"  v2 = {op}.{ty} v0, {b} !1:1\n  ret v2\n}}\n")
    module = parse_module(text)
    env = Env(module, io.BytesIO(), lambda data: None)
    compile_function(env, module.functions["f"])
    return env.ns[env.fn_names["f"]]


_CACHE: dict = {}


def _outcome(call):
    try:
        return call()
    except Trap as t:
        return (t.kind, t.message)
    except Exception as exc:   # noqa: BLE001 - CPython errors from inlined ops
        err = E.to_orus(exc)
        return (err.kind, err.message)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(sorted(OPS)), st.sampled_from(TYPES), st.data())
def test_inlined_ops_match_semantics(op, ty, data):
    a, b = data.draw(_values(ty)), data.draw(_values(ty))
    expected = _outcome(lambda: OPS[op](ty, a, b))
    generic = _CACHE.setdefault((op, ty), _compile(op, ty))
    assert _outcome(lambda: generic(a, b)) == expected
    assert _outcome(lambda: _compile(op, ty, b)(a, 0)) == expected


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(TYPES), st.data())
def test_neg_matches_semantics(ty, data):
    a = data.draw(_values(ty))
    rty = ints.SIGNED_OF[ty]
    expected = _outcome(lambda: ints.neg(ty, a)[1])
    text = f"fn @f(v0: {ty}) -> {rty} {{\nb0:\n  v1 = neg.{rty} v0 !1:1\n  ret v1\n}}\n"
    module = parse_module(text)
    env = Env(module, io.BytesIO(), lambda data: None)
    compile_function(env, module.functions["f"])
    assert _outcome(lambda: env.ns[env.fn_names["f"]](a)) == expected


NUMERIC = TYPES + ["f64"]
_IR_NAME = {"string": "str"}


def _numbers(ty: str):
    if ty == "f64":
        return st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                         st.sampled_from([-0.0, 0.5, -1.5, 2.0**31, 2.0**32 - 0.5, 4294967295.9, 2.0**63, 2.0**64]))
    return _values(ty)


def _same(x, y) -> bool:
    if isinstance(x, float) and isinstance(y, float) and x != x:
        return y != y
    return x == y and type(x) is type(y)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(NUMERIC + ["bool"]), st.sampled_from(NUMERIC + ["bool", "string"]), st.data())
def test_casts_match_semantics(src, dst, data):
    from orus.semantics import casts
    value = data.draw(st.booleans() if src == "bool" else _numbers(src))
    dst_ir = _IR_NAME.get(dst, dst)
    text = f"fn @f(v0: {src}) -> {dst_ir} {{\nb0:\n  v1 = cast.{dst_ir} v0 !1:1\n  ret v1\n}}\n"
    module = parse_module(text)
    env = Env(module, io.BytesIO(), lambda data: None)
    compile_function(env, module.functions["f"])
    expected = _outcome(lambda: casts.cast(value, src, dst))
    assert _same(_outcome(lambda: env.ns[env.fn_names["f"]](value)), expected)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["eq", "ne", "lt", "le", "gt", "ge"]), st.sampled_from(NUMERIC), st.sampled_from(NUMERIC),
       st.data())
def test_mixed_comparisons_match_semantics(op, ta, tb, data):
    a, b = data.draw(_numbers(ta)), data.draw(_numbers(tb))
    sym = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}[op]
    text = f"fn @f(v0: {ta}, v1: {tb}) -> bool {{\nb0:\n  v2 = {op} v0, v1\n  ret v2\n}}\n"
    module = parse_module(text)
    env = Env(module, io.BytesIO(), lambda data: None)
    compile_function(env, module.functions["f"])
    assert env.ns[env.fn_names["f"]](a, b) == ints.compare(sym, ta, a, tb, b)
