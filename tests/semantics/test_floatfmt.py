"""f64 text forms: the table of spec 4.3, C %g (5.6, 5.8) and C %.Nf (4.4)."""

import math

import pytest
from hypothesis import given, strategies as st

from orus.semantics.floatfmt import format_f64, format_fixed, format_g

# 2**1024 - 2**971, written out (the value of 1.7976931348623157e308).
DBL_MAX_DIGITS = (
    "17976931348623157081452742373170435679807056752584499659891747680315726078002853876058955"
    "86327668781715404589535143824642343213268894641827684675467035375169860499105765512820762"
    "45490090389328944075868508455133942304583236903222948165808559332123348274797826204144723"
    "168738177180919299881250404026184124858368"
)


@pytest.mark.parametrize("value,text", [
    (1.0, "1"),
    (2.5, "2.5"),
    (0.1, "0.10000000000000001"),
    (0.1 + 0.2, "0.30000000000000004"),
    (1.0 / 3.0, "0.33333333333333331"),
    (3.14159265358979, "3.14159265358979001"),
    (123456789.123, "123456789.12299999594688416"),
    (100.0, "100"),
    (1e15, "1000000000000000"),
    (1e16, "10000000000000000"),
    (1e20, "100000000000000000000"),
    (1e21, "1000000000000000000000"),
    (1.7976931348623157e308, DBL_MAX_DIGITS),
    (0.0001, "0.0001"),
    (1e-5, "1.0000000000000001e-05"),
    (1e-7, "9.9999999999999995e-08"),
    (5e-324, "4.9406564584124654e-324"),
    (-0.0, "0"),
    (0.0, "0"),
    (2.0 * 3.0, "6"),
    (math.nan, "nan"),
    (-math.nan, "nan"),
    (math.inf, "inf"),
    (-math.inf, "-inf"),
    (0.5, "0.5"),
    (-2.5, "-2.5"),
    (0.00249617299994043, "0.00249617299994043"),   # the timestamp example of 5.9
])
def test_format_f64_table(value, text):
    assert format_f64(value) == text


def test_dbl_max_expansion_is_exact():
    assert len(DBL_MAX_DIGITS) == 309
    assert int(DBL_MAX_DIGITS) == 2**1024 - 2**971


@pytest.mark.parametrize("value,text", [
    (3e9, "3e+09"), (1e10, "1e+10"), (3.9, "3.9"), (0.1, "0.1"), (1.0 / 3.0, "0.333333"),
    (123456789.0, "1.23457e+08"), (2.0, "2"), (-0.0, "-0"), (1e-5, "1e-05"),
    (math.nan, "nan"), (math.inf, "inf"), (-math.inf, "-inf"),
])
def test_format_g(value, text):
    assert format_g(value) == text


@pytest.mark.parametrize("value,digits,text", [
    (3.14159, 2, "3.14"), (0.5, 0, "0"), (1.5, 0, "2"), (2.5, 0, "2"), (1.0, 3, "1.000"),
    (1.5, 2, "1.50"), (-0.0, 1, "-0.0"), (math.inf, 2, "inf"), (math.nan, 2, "nan"),
])
def test_format_fixed(value, digits, text):
    assert format_fixed(value, digits) == text


finite = st.floats(allow_nan=False, allow_infinity=False)


@given(finite.filter(lambda x: abs(x) >= 0.1 or abs(x) < 1e-4))
def test_format_f64_round_trips(x):
    """At least 17 significant digits are printed here (%.17g, or %.17f with |x| >= 0.1)."""
    assert float(format_f64(x)) == x


def test_format_f64_between_1e4_and_01_keeps_17_decimals_only():
    # %.17f leaves only 14 significant digits for 1.2345...e-4, so this one does not round-trip.
    assert format_f64(0.00012345678901234567) == "0.00012345678901235"


@given(finite)
def test_format_f64_shape(x):
    text = format_f64(x)
    mantissa = text.partition("e")[0]
    assert not mantissa.endswith(".")
    assert "." not in mantissa or not mantissa.endswith("0")
    assert ("e" in text) == (0 < abs(x) < 1e-4)
