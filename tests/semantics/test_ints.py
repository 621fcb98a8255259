"""Integer semantics against spec 3.3, 4.1, 4.10 and 5.5."""

import math

import pytest
from hypothesis import given, strategies as st

from orus.semantics import ints
from orus.semantics.errors import Trap

I32_MIN, I32_MAX = -2**31, 2**31 - 1
I64_MIN, I64_MAX = -2**63, 2**63 - 1
U32_MAX, U64_MAX = 2**32 - 1, 2**64 - 1

OVERFLOW = Trap("value error", "Integer overflow")
DIV_ZERO = Trap("runtime error", "Division by zero")
BAD_SHIFT = Trap("value error", "Shift amount out of range")
BAD_RANGE = Trap("argument error", "Invalid arguments provided to range()")


def trap_of(fn, *args):
    with pytest.raises(Trap) as info:
        fn(*args)
    return info.value


def test_bounds():
    assert ints.bounds("i32") == (I32_MIN, I32_MAX)
    assert ints.bounds("i64") == (I64_MIN, I64_MAX)
    assert ints.bounds("u32") == (0, U32_MAX)
    assert ints.bounds("u64") == (0, U64_MAX)


@pytest.mark.parametrize("ty,a,b,expected", [
    ("u32", 0, 1, U32_MAX),                 # 0u32 - 1u32
    ("u64", 0, 1, U64_MAX),                 # 0u64 - 1u64
    ("i32", -2147483647, 1, -2147483648),   # -2147483647 - 1
])
def test_sub(ty, a, b, expected):
    assert ints.sub(ty, a, b) == expected


def test_unsigned_add_wraps():
    assert ints.add("u32", U32_MAX, 1) == 0


@pytest.mark.parametrize("fn,ty,a,b", [
    (ints.add, "i32", I32_MAX, 1),          # x: i32 = 2147483647 + 1
    (ints.add, "i64", I64_MAX, 1),
    (ints.sub, "i32", I32_MIN, 1),
    (ints.mul, "i32", 65536, 65536),
    (ints.mul, "i64", I64_MIN, -1),
    (ints.div, "i32", I32_MIN, -1),
    (ints.div, "i64", I64_MIN, -1),
    (ints.mod, "i32", I32_MIN, -1),
    (ints.mod, "i64", I64_MIN, -1),
])
def test_signed_overflow_traps(fn, ty, a, b):
    assert trap_of(fn, ty, a, b) == OVERFLOW


@pytest.mark.parametrize("a,b,q,r", [
    (7, 2, 3, 1), (-7, 2, -3, -1), (-7, -2, 3, -1),
    (7, 3, 2, 1), (-7, 3, -2, -1), (7, -3, -2, 1),
])
def test_div_mod_truncate(a, b, q, r):
    assert ints.div("i32", a, b) == q
    assert ints.mod("i32", a, b) == r


@pytest.mark.parametrize("ty", ["i32", "i64", "u32", "u64"])
@pytest.mark.parametrize("fn", [ints.div, ints.mod])
def test_division_by_zero(ty, fn):
    assert trap_of(fn, ty, 10, 0) == DIV_ZERO


def test_unsigned_division_truncates():
    assert ints.div("u64", U64_MAX, 2) == 2**63 - 1
    assert ints.mod("u32", 7, 3) == 1


@pytest.mark.parametrize("ty,a,expected", [
    ("u32", 5, ("i32", -5)),
    ("u64", 5, ("i64", -5)),
    ("u32", 3000000000, ("i32", 1294967296)),
    ("u32", 2147483648, ("i32", -2147483648)),
    ("u32", 0, ("i32", 0)),
    ("i32", 5, ("i32", -5)),
    ("i64", I64_MAX, ("i64", -I64_MAX)),
])
def test_neg(ty, a, expected):
    assert ints.neg(ty, a) == expected


@pytest.mark.parametrize("ty,lo", [("i32", I32_MIN), ("i64", I64_MIN)])
def test_neg_min_traps(ty, lo):
    assert trap_of(ints.neg, ty, lo) == OVERFLOW


def test_bit_ops_spec_examples():
    flags = 0b0101
    assert ints.bit_or("i32", flags, 0b0010) == 7
    assert ints.bit_and("i32", flags, 4) == 4
    assert ints.bit_xor("i32", flags, 1) == 4
    assert ints.bit_not("i32", flags) == -6
    assert ints.bit_not("i32", 5) == -6
    assert ints.bit_not("u32", 0) == U32_MAX
    assert ints.bit_not("u64", 0) == U64_MAX
    assert ints.bit_and("i32", 0o17, 0b1010) == 0b1010
    assert ints.bit_or("i32", ints.bit_and("i32", 6, 3), 8) == 10


@pytest.mark.parametrize("fn,ty,a,n,expected", [
    (ints.shl, "i32", 1, 10, 1024),
    (ints.shl, "i32", 1, 31, -2147483648),
    (ints.shl, "u32", 3, 31, 2147483648),
    (ints.shl, "u64", 1, 40, 2**40),
    (ints.shl, "i32", 3, 3, 24),            # (1 + 2) << 3
    (ints.shr, "i32", -16, 2, -4),
    (ints.shr, "u32", U32_MAX, 28, 15),
    (ints.shr, "u32", 0xFF, 4, 15),
    (ints.shr, "i64", -1, 63, -1),
    (ints.shr, "u64", U64_MAX, 63, 1),
])
def test_shifts(fn, ty, a, n, expected):
    assert fn(ty, a, n) == expected


@pytest.mark.parametrize("ty,n", [("i32", 32), ("i32", 40), ("u32", 32), ("i64", 64), ("u64", 64),
                                  ("i32", -1), ("i64", -1)])
@pytest.mark.parametrize("fn", [ints.shl, ints.shr])
def test_shift_out_of_range(fn, ty, n):
    assert trap_of(fn, ty, 1, n) == BAD_SHIFT


def test_shift_count_in_range_at_width_minus_one():
    assert ints.shl("i64", 1, 63) == I64_MIN


@pytest.mark.parametrize("op,ta,a,tb,b,expected", [
    ("==", "i32", -1, "u32", U32_MAX, False),
    ("!=", "i32", -1, "u32", U32_MAX, True),
    ("<", "i64", -1, "u64", 0, True),
    (">", "u64", 0, "i64", -1, True),
    ("<", "i32", 1, "f64", 2.0, True),
    ("==", "i64", 9007199254740993, "f64", 9007199254740992.0, True),
    ("==", "u64", U64_MAX, "f64", 18446744073709551616.0, True),
    ("<=", "i32", 3, "i64", 3, True),
    (">=", "u32", 2, "i32", 3, False),
])
def test_mixed_compare(op, ta, a, tb, b, expected):
    assert ints.compare(op, ta, a, tb, b) is expected


@pytest.mark.parametrize("op,expected", [("==", False), ("!=", True), ("<", False), ("<=", False),
                                         (">", False), (">=", False)])
def test_nan_compare(op, expected):
    nan = math.nan
    assert ints.compare(op, "f64", nan, "f64", nan) is expected
    assert ints.compare(op, "i32", 1, "f64", nan) is expected
    assert ints.compare(op, "f64", nan, "u64", 1) is expected


@pytest.mark.parametrize("args,expected", [
    ([("i32", 3)], (0, 3, 1)),
    ([("i32", 2), ("i64", 10), ("u64", 3)], (2, 10, 3)),
    ([("i32", 9), ("i32", -5), ("i32", -4)], (9, -5, -4)),
    ([("u64", I64_MAX)], (0, I64_MAX, 1)),
])
def test_range_args(args, expected):
    assert ints.range_args(args) == expected


@pytest.mark.parametrize("args", [
    [("i32", 0), ("i32", 5), ("i32", 0)],
    [("i32", 0), ("i32", 5), ("f64", 2.5)],
    [("u64", I64_MAX + 1)],
    [("string", b"3")],
    [("bool", True)],
])
def test_range_args_invalid(args):
    assert trap_of(ints.range_args, args) == BAD_RANGE


int_types = st.sampled_from(sorted(ints.INT_TYPES))


@given(int_types, st.integers(-2**70, 2**70))
def test_wrap_agrees_with_modular_arithmetic(ty, v):
    width, signed = ints.INT_TYPES[ty]
    w = ints.wrap(ty, v)
    assert ints.fits(ty, w)
    assert (w - v) % 2**width == 0
    assert (w == v) == ints.fits(ty, v)


@given(st.integers(I32_MIN, I32_MAX), st.integers(I32_MIN, I32_MAX))
def test_i32_add_traps_iff_exact_result_leaves_range(a, b):
    exact = a + b
    if I32_MIN <= exact <= I32_MAX:
        assert ints.add("i32", a, b) == exact
    else:
        assert trap_of(ints.add, "i32", a, b) == OVERFLOW


@given(st.integers(0, U64_MAX), st.integers(0, U64_MAX))
def test_u64_mul_wraps(a, b):
    assert ints.mul("u64", a, b) == (a * b) % 2**64


@given(st.integers(I64_MIN, I64_MAX), st.integers(I64_MIN, I64_MAX).filter(bool))
def test_div_mod_identity(a, b):
    if a == I64_MIN and b == -1:
        return
    q, r = ints.div("i64", a, b), ints.mod("i64", a, b)
    assert q * b + r == a
    assert abs(r) < abs(b)
    assert r == 0 or (r < 0) == (a < 0)


@given(st.integers(I32_MIN, I32_MAX), st.integers(0, 31))
def test_i32_shl_is_low_bits(a, n):
    assert ints.shl("i32", a, n) == ints.wrap("i32", a * 2**n)


def loop_values(ty, start, end, step, inclusive):
    """The values a `for` loop over start..end..step produces, by the helpers of spec 2.6."""
    ints.check_loop_step(step)
    out, v = [], start
    while v is not None and ints.loop_continues(v, end, step, inclusive) and len(out) < 100:
        out.append(v)
        v = ints.loop_next(ty, v, step)
    return out


@pytest.mark.parametrize("ty,start,end,step,inclusive,values", [
    ("i32", 0, 3, 1, False, [0, 1, 2]),
    ("i32", 0, 3, 1, True, [0, 1, 2, 3]),
    ("i32", 0, 10, 3, False, [0, 3, 6, 9]),
    ("i32", 10, 0, -3, False, [10, 7, 4, 1]),
    ("i32", 3, 0, -1, True, [3, 2, 1, 0]),
    ("i32", 5, 0, 1, False, []),
    ("i32", 2147483645, 2147483647, 1, True, [2147483645, 2147483646, 2147483647]),
    ("u32", 4294967290, 4294967295, 5, True, [4294967290, 4294967295]),
])
def test_range_loops(ty, start, end, step, inclusive, values):
    assert loop_values(ty, start, end, step, inclusive) == values


def test_zero_loop_step():
    assert trap_of(ints.check_loop_step, 0) == Trap("value error", "Range step cannot be zero")
