"""Every cell of the cast matrix of spec 3.6, with the spec's example values."""

import math

import pytest

from orus.semantics.casts import CAST_SOURCES, CAST_TARGETS, cast, cast_allowed
from orus.semantics.errors import Trap

I32_MIN, I32_MAX = -2**31, 2**31 - 1
I64_MIN, I64_MAX = -2**63, 2**63 - 1
U32_MAX, U64_MAX = 2**32 - 1, 2**64 - 1


@pytest.mark.parametrize("value,src,dst,expected", [
    # i32 row
    (-7, "i32", "i32", -7),
    (I32_MIN, "i32", "i64", I32_MIN),
    (-1, "i32", "u32", 4294967295),
    (5, "i32", "u32", 5),
    (7, "i32", "u64", 7),
    (0, "i32", "u64", 0),
    (-3, "i32", "f64", -3.0),
    (I32_MAX, "i32", "f64", 2147483647.0),
    (0, "i32", "bool", False),
    (-2, "i32", "bool", True),
    (-42, "i32", "string", b"-42"),
    # i64 row
    (5000000000, "i64", "i32", 705032704),
    (2147483648, "i64", "i32", -2147483648),
    (-2147483649, "i64", "i32", 2147483647),
    (I64_MAX, "i64", "i64", I64_MAX),
    (4294967295, "i64", "u32", 4294967295),
    (0, "i64", "u32", 0),
    (I64_MAX, "i64", "u64", I64_MAX),
    (9007199254740993, "i64", "f64", 9007199254740992.0),
    (0, "i64", "bool", False),
    (I64_MIN, "i64", "bool", True),
    (I64_MIN, "i64", "string", b"-9223372036854775808"),
    # u32 row
    (4294967295, "u32", "i32", -1),
    (3000000000, "u32", "i32", -1294967296),
    (4294967295, "u32", "i64", 4294967295),
    (7, "u32", "u32", 7),
    (4294967295, "u32", "u64", 4294967295),
    (4294967295, "u32", "f64", 4294967295.0),
    (0, "u32", "bool", False),
    (1, "u32", "bool", True),
    (4294967295, "u32", "string", b"4294967295"),
    # u64 row
    (2147483647, "u64", "i32", 2147483647),
    (I64_MAX, "u64", "i64", I64_MAX),
    (2**63, "u64", "i64", I64_MIN),
    (U64_MAX, "u64", "i64", -1),
    (4294967295, "u64", "u32", 4294967295),
    (U64_MAX, "u64", "u64", U64_MAX),
    (9223372036854775807, "u64", "f64", 9223372036854775808.0),
    (0, "u64", "bool", False),
    (U64_MAX, "u64", "bool", True),
    (U64_MAX, "u64", "string", b"18446744073709551615"),
    # f64 row
    (3.9, "f64", "i32", 3),
    (-3.9, "f64", "i32", -3),
    (2147483647.5, "f64", "i32", 2147483647),
    (1e20, "f64", "i32", I32_MIN),
    (-1e20, "f64", "i32", I32_MIN),
    (2147483648.0, "f64", "i32", I32_MIN),
    (math.nan, "f64", "i32", I32_MIN),
    (math.inf, "f64", "i32", I32_MIN),
    (-math.inf, "f64", "i32", I32_MIN),
    (-2.5, "f64", "i64", -2),
    (1e20, "f64", "i64", I64_MIN),
    (math.nan, "f64", "i64", I64_MIN),
    (math.inf, "f64", "i64", I64_MIN),
    (-9223372036854775808.0, "f64", "i64", I64_MIN),
    (4294967295.0, "f64", "u32", 4294967295),
    (3.7, "f64", "u32", 3),
    (-0.0, "f64", "u32", 0),
    (math.nan, "f64", "u32", 0),
    (1e19, "f64", "u64", 10000000000000000000),
    (18446744073709549568.0, "f64", "u64", 18446744073709549568),
    (math.nan, "f64", "u64", 0),
    (2.5, "f64", "f64", 2.5),
    (0.0, "f64", "bool", False),
    (-0.0, "f64", "bool", False),
    (0.5, "f64", "bool", True),
    (math.nan, "f64", "bool", True),
    (0.1, "f64", "string", b"0.10000000000000001"),
    (2.5, "f64", "string", b"2.5"),
    (1.0, "f64", "string", b"1"),
    (1e-7, "f64", "string", b"9.9999999999999995e-08"),
    (-0.0, "f64", "string", b"0"),
    (math.nan, "f64", "string", b"nan"),
    (math.inf, "f64", "string", b"inf"),
    # bool row
    (True, "bool", "i32", 1),
    (False, "bool", "i64", 0),
    (True, "bool", "u32", 1),
    (True, "bool", "u64", 1),
    (True, "bool", "f64", 1.0),
    (False, "bool", "f64", 0.0),
    (True, "bool", "bool", True),
    (True, "bool", "string", b"true"),
    (False, "bool", "string", b"false"),
    # string row: only string -> string
    (b"abc", "string", "string", b"abc"),
])
def test_cast_value(value, src, dst, expected):
    result = cast(value, src, dst)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize("value,src,dst,message", [
    (-1, "i32", "u64", "Cannot convert negative i32 to u64"),
    (I32_MIN, "i32", "u64", "Cannot convert negative i32 to u64"),
    (-1, "i64", "u32", "i64 value out of u32 range"),
    (4294967296, "i64", "u32", "i64 value out of u32 range"),
    (-1, "i64", "u64", "Cannot convert negative i64 to u64"),
    (2147483648, "u64", "i32", "u64 value too large for i32"),
    (4294967296, "u64", "u32", "u64 value too large for u32"),
    (-0.5, "f64", "u32", "f64 value out of u32 range"),
    (4294967295.9, "f64", "u32", "f64 value out of u32 range"),
    (math.inf, "f64", "u32", "f64 value out of u32 range"),
    (-math.inf, "f64", "u32", "f64 value out of u32 range"),
    (-0.5, "f64", "u64", "f64 value out of u64 range"),
    (18446744073709551616.0, "f64", "u64", "f64 value out of u64 range"),
    (math.inf, "f64", "u64", "f64 value out of u64 range"),
])
def test_cast_failure(value, src, dst, message):
    with pytest.raises(Trap) as info:
        cast(value, src, dst)
    assert (info.value.kind, info.value.message) == ("value error", message)


def test_f64_signed_sign_of_bool_result():
    assert cast(-1.0, "f64", "bool") is True


@pytest.mark.parametrize("src", CAST_SOURCES)
@pytest.mark.parametrize("dst", CAST_TARGETS)
def test_scalar_sources_cast_to_every_scalar(src, dst):
    assert cast_allowed(src, dst)


@pytest.mark.parametrize("dst", ["i32", "i64", "u32", "u64", "f64", "bool"])
def test_string_casts_only_to_string(dst):
    assert not cast_allowed("string", dst)
    assert cast_allowed("string", "string")


@pytest.mark.parametrize("src,dst", [("[i32]", "string"), ("Point", "i32"), ("i32", "[i32]"),
                                     ("fn()", "string"), ("error", "string")])
def test_non_scalars_never_cast(src, dst):
    assert not cast_allowed(src, dst)
