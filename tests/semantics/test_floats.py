"""f64 arithmetic against spec 4.2."""

import math

import pytest
from hypothesis import given, strategies as st

from orus.semantics import floats
from orus.semantics.errors import Trap

BIG = 1e308


@pytest.mark.parametrize("fn,a,b,expected", [
    (floats.fmod, -7.5, 2.0, -1.5),
    (floats.fmod, 7.0, 2.5, 2.0),
    (floats.fmod, 5.0, math.inf, 5.0),
    (floats.fdiv, 1.0, 4.0, 0.25),
    (floats.fdiv, BIG, 0.5, math.inf),
    (floats.fmul, BIG, 10.0, math.inf),
    (floats.fmul, -BIG, 10.0, -math.inf),
    (floats.fadd, 0.1, 0.2, 0.30000000000000004),
    (floats.fsub, 1.0, 3.0, -2.0),
])
def test_float_ops(fn, a, b, expected):
    assert fn(a, b) == expected


def test_inf_minus_inf_is_nan():
    assert math.isnan(floats.fsub(floats.fmul(BIG, 10.0), floats.fmul(BIG, 10.0)))


@pytest.mark.parametrize("a", [math.inf, -math.inf, math.nan])
def test_fmod_of_non_finite_dividend_is_nan(a):
    assert math.isnan(floats.fmod(a, 2.0))


@pytest.mark.parametrize("fn", [floats.fdiv, floats.fmod])
@pytest.mark.parametrize("a", [1.0, 0.0, math.inf, math.nan])
@pytest.mark.parametrize("zero", [0.0, -0.0])
def test_division_by_zero_traps(fn, a, zero):
    with pytest.raises(Trap) as info:
        fn(a, zero)
    assert (info.value.kind, info.value.message) == ("runtime error", "Division by zero")


def test_neg_flips_zero_sign():
    assert math.copysign(1.0, floats.neg(0.0)) == -1.0


@given(st.floats(allow_nan=False, allow_infinity=False),
       st.floats(allow_nan=False, allow_infinity=False).filter(lambda b: b != 0))
def test_fmod_sign_and_magnitude(a, b):
    r = floats.fmod(a, b)
    assert abs(r) < abs(b)
    assert r == 0 or (r < 0) == (a < 0)
