"""int() and float() against the tables of spec 5.6."""

import math

import pytest
from hypothesis import given, strategies as st

from orus.semantics.errors import Trap
from orus.semantics.numparse import int_from_number, parse_float, parse_int, to_float, to_int

DECIMALS = ('int() argument must be an integer string (decimals are not allowed). '
            'Use float() to parse decimal values, got "{}"')


def conversion_error(fn, *args):
    with pytest.raises(Trap) as info:
        fn(*args)
    assert info.value.kind == "conversion error"
    return info.value.message


@pytest.mark.parametrize("ty,value,expected", [
    ("i32", -7, -7), ("i64", -2147483648, -2147483648), ("u32", 2147483647, 2147483647),
    ("u64", 5, 5), ("f64", -3.0, -3), ("f64", 2147483647.0, 2147483647), ("f64", -0.0, 0),
])
def test_int_of_number(ty, value, expected):
    assert to_int(ty, value) == expected


@pytest.mark.parametrize("ty,value,message", [
    ("i64", 5000000000, "int() overflow: 5000000000 is out of range for i32"),
    ("u32", 2147483648, "int() overflow: 2147483648 is out of range for i32"),
    ("u64", 18446744073709551615, "int() overflow: 18446744073709551615 is out of range for i32"),
    ("i64", -2147483649, "int() overflow: -2147483649 is out of range for i32"),
    ("f64", 3e9, "int() overflow: 3e+09 is out of range for i32"),
    ("f64", 1e10, "int() overflow: 1e+10 is out of range for i32"),
    ("f64", 3.9, "int() argument must be a whole number, got f64 3.9"),
    ("f64", math.nan, "int() overflow: value is not finite"),
    ("f64", math.inf, "int() overflow: value is not finite"),
    ("f64", -math.inf, "int() overflow: value is not finite"),
])
def test_int_of_number_errors(ty, value, message):
    assert conversion_error(int_from_number, ty, value) == message


@pytest.mark.parametrize("text,expected", [
    (b"  7 ", 7), (b"+5", 5), (b"-0", 0), (b"42", 42), (b"\t\n\r\x0b\x0c-12\n", -12),
    (b"2147483647", 2147483647), (b"-2147483648", -2147483648), (b"007", 7),
    (b"0" * 5000 + b"12", 12),
])
def test_parse_int(text, expected):
    assert parse_int(text) == expected


@pytest.mark.parametrize("text,message", [
    (b"99999999999", 'int() overflow: "99999999999" is out of range for i32'),
    (b"2147483648", 'int() overflow: "2147483648" is out of range for i32'),
    (b"-" + b"9" * 5000, 'int() overflow: "-' + "9" * 5000 + '" is out of range for i32'),
    (b"3.5", DECIMALS.format("3.5")),
    (b"bad-number", DECIMALS.format("bad-number")),
    (b"1e3", DECIMALS.format("1e3")),
    (b"1E3", DECIMALS.format("1E3")),
    (b"", 'int() argument must be an integer string, got ""'),
    (b"   ", 'int() argument must be an integer string, got "   "'),
    (b"12abc", 'int() argument must be an integer string, got "12abc"'),
    (b"0x10", 'int() argument must be an integer string, got "0x10"'),
    (b"1_000", 'int() argument must be an integer string, got "1_000"'),
    (b" 1 2 ", 'int() argument must be an integer string, got " 1 2 "'),
    (b"+", 'int() argument must be an integer string, got "+"'),
    ("\u0661".encode(), 'int() argument must be an integer string, got "\u0661"'),
])
def test_parse_int_errors(text, message):
    assert conversion_error(parse_int, text) == message


@pytest.mark.parametrize("ty", ["bool", "array", "Point", "function"])
def test_int_of_other_types(ty):
    assert conversion_error(to_int, ty, None) == f"int() argument must be a string or number, got {ty}"


@pytest.mark.parametrize("ty,value,expected", [
    ("i32", -3, -3.0), ("i64", 9007199254740993, 9007199254740992.0),
    ("u64", 18446744073709551615, 18446744073709551616.0), ("f64", 2.5, 2.5),
])
def test_float_of_number(ty, value, expected):
    result = to_float(ty, value)
    assert result == expected and type(result) is float


@pytest.mark.parametrize("text,expected", [
    (b"5.", 5.0), (b".5", 0.5), (b"1e3", 1000.0), (b"+1.5E-3", 0.0015), (b"  -2.25\n", -2.25),
    (b"42", 42.0), (b"0", 0.0), (b"0.0e-400", 0.0), (b"5e-324", 5e-324),
])
def test_parse_float(text, expected):
    assert parse_float(text) == expected


@pytest.mark.parametrize("text", [b"inf", b"nan", b"infinity", b"INF", b"NaN", b"Infinity",
                                  b"-inf", b"1e400", b"-1e400", b"1e-400"])
def test_parse_float_out_of_range(text):
    quoted = text.decode()
    assert conversion_error(parse_float, text) == f'float() overflow: "{quoted}" is out of range for f64'


@pytest.mark.parametrize("text", [b"", b"0x10", b"1_0.5", b"1.5abc", b" ", b".", b"e3", b"1e", b"--1",
                                  b"infinite"])
def test_parse_float_invalid(text):
    quoted = text.decode()
    assert conversion_error(parse_float, text) == f'float() argument must be a number, got "{quoted}"'


def test_float_of_other_types():
    assert conversion_error(to_float, "bool", True) == "float() argument must be a string or number, got bool"


@given(st.integers(-2**31, 2**31 - 1))
def test_parse_int_round_trips(v):
    assert parse_int(str(v).encode()) == v
    assert to_int("string", b" %d\t" % v) == v


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: x == 0 or abs(x) >= 2.3e-308))
def test_parse_float_round_trips(x):
    assert parse_float(repr(x).encode()) == x
