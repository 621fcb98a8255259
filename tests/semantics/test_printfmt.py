"""print's text and format strings: every example of spec 4.3/4.4, and assert_eq scalars (5.8)."""

import pytest
from hypothesis import given, strategies as st

from orus.semantics.printfmt import (
    DEFAULT, FIXED, Spec, format_int_spec, parse_format, print_text, quote_string, repr_scalar,
)


def fallback(ty, value):
    """Stands in for the caller's printer of non-scalar values."""
    return b"<" + ty.encode() + b">"


def s(text):
    return ("string", text.encode())


def i32(v):
    return ("i32", v)


def f64(v):
    return ("f64", v)


@pytest.mark.parametrize("args,out", [
    ([s("a@c"), i32(1)], "a1c"),
    ([s("a@b"), i32(5)], "a101"),
    ([s("@"), i32(1), i32(2), i32(3)], "1 2 3"),
    ([s("v=@ w=@"), i32(1)], "v=1 w=@"),
    ([s("@@"), i32(1), i32(2)], "12"),
    ([s("@@")], "@@"),
    ([s("hex @x, bin @b"), i32(255), i32(5)], "hex ff, bin 101"),
    ([s("@o"), i32(8), i32(9)], "10 9"),
    ([s("total:"), i32(3)], "total: 3"),
    ([i32(1), s("x"), ("bool", True)], "1 x true"),
    ([s("C:\\tmp\\new")], "C:\\tmp\\new"),
    ([s("C:\\new")], "C:\\new"),
    ([s("@x"), i32(-17)], "ffffffffffffffef"),
    ([s("@b"), i32(-1)], "1" * 64),
    ([s("@x"), ("u32", 4294967295)], "ffffffff"),
    ([s("@x"), f64(3.5)], "3.5"),
    ([s("@.2f"), f64(3.14159)], "3.14"),
    ([s("@.0f @.0f @.0f"), f64(0.5), f64(1.5), f64(2.5)], "0 2 2"),
    ([s("@.3"), f64(1.0)], "1.000"),
    ([s("@.2f"), i32(7)], "7"),
    ([s("a@."), i32(5)], "a5"),
    ([s("@.x"), f64(2.5)], "2.5x"),
    ([s("@.f"), f64(2.5)], "2.5"),
    ([s("@.2x"), f64(1.5)], "1.50x"),
    ([s("@.2f shown")], "@.2f shown"),
    ([s("mail@x.com")], "mail@x.com"),
    ([s("")], ""),
    ([], ""),
    ([s("@b"), i32(0o17 & 0b1010)], "1010"),
    ([s("@"), ("u64", 18446744073709551615)], "18446744073709551615"),
    ([s("@ @"), ("i64", -9223372036854775808), f64(0.1)], "-9223372036854775808 0.10000000000000001"),
    ([f64(2.0), f64(0.5)], "2 0.5"),
    ([s("@X"), ("i64", 255)], "FF"),
    ([s("@"), ("Point", None)], "<Point>"),
    ([s("@x"), ("[i32]", None)], "<[i32]>"),
    ([s("@.2"), ("string", b"hi")], "hi"),
    ([s("x"), ("error", None)], "x <error>"),
    ([("bool", False), s("@")], "false @"),
])
def test_print_text(args, out):
    assert print_text(args, fallback) == out.encode()


def test_parse_format_pieces():
    assert parse_format(b"a@.12fx@X@") == (
        b"a", Spec(FIXED, 12, b"@.12f"), b"x", Spec("X", None, b"@X"), Spec(DEFAULT, None, b"@"))
    assert parse_format(b"@.") == (Spec(FIXED, None, b"@."),)
    assert parse_format(b"@.f") == (Spec(FIXED, None, b"@.f"),)
    assert parse_format(b"@.2x") == (Spec(FIXED, 2, b"@.2"), b"x")
    assert parse_format(b"plain") == (b"plain",)


@pytest.mark.parametrize("ty,value,letter,out", [
    ("i32", -17, "x", "ffffffffffffffef"), ("i64", -1, "o", "1777777777777777777777"),
    ("u32", 4294967295, "X", "FFFFFFFF"), ("u64", 18446744073709551615, "x", "ffffffffffffffff"),
    ("i32", 8, "o", "10"), ("i32", 0, "b", "0"),
])
def test_format_int_spec(ty, value, letter, out):
    assert format_int_spec(ty, value, letter) == out.encode()


@pytest.mark.parametrize("ty,value,out", [
    ("f64", 0.1, b"0.1"), ("f64", 1.0 / 3.0, b"0.333333"), ("i32", 3, b"3"), ("bool", True, b"true"),
    ("string", b"boom", b'"boom"'), ("string", b'a\\b\n\t"c"', b'"a\\\\b\\n\\t\\"c\\""'),
    ("u64", 18446744073709551615, b"18446744073709551615"), ("Point", None, None),
])
def test_repr_scalar(ty, value, out):
    assert repr_scalar(ty, value) == out


@given(st.binary())
def test_format_without_at_prints_itself(data):
    data = data.replace(b"@", b"")
    assert print_text([("string", data)], fallback) == data


@given(st.binary())
def test_format_with_no_arguments_prints_itself(data):
    assert print_text([("string", data)], fallback) == data


@given(st.lists(st.integers(-2**31, 2**31 - 1), max_size=5))
def test_unused_arguments_are_appended(values):
    args = [s("")] + [i32(v) for v in values]
    assert print_text(args, fallback) == b"".join(b" %d" % v for v in values)


@given(st.binary().filter(lambda b: b"\\" not in b))
def test_quote_string_is_plain_without_specials(data):
    plain = all(c not in b'\n\t"' for c in data)
    assert (quote_string(data) == b'"' + data + b'"') == plain
