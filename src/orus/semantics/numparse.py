"""The `int()` and `float()` builtins (spec 5.6).

Strings (bytes) are parsed with an explicit grammar rather than Python's
`int()`/`float()`, which accept `_`, `inf`, `nan` and non-ASCII digits.

  int:   ws* [+-]? [0-9]+ ws*
  float: ws* [+-]? ([0-9]+ ('.' [0-9]*)? | '.' [0-9]+) ([eE] [+-]? [0-9]+)? ws*
  ws:    space, \\t, \\n, \\r, \\v, \\f

Failures are `Trap`s of kind "conversion error". Messages quote the original
argument string (whitespace included) and print floats with C `%g`. A float
string whose value overflows to infinity, or underflows to zero although a
digit of its mantissa is not zero, is "out of range"; subnormal results are
accepted. `inf`, `nan` and `infinity` (any case, optional sign) are out of
range too.
"""

from __future__ import annotations

import math
import re

from orus.semantics.errors import CONVERSION_ERROR, Trap, text_of
from orus.semantics.floatfmt import format_g
from orus.semantics.ints import fits, is_int_type

_WHITESPACE = b" \t\n\r\x0b\x0c"
_INT_RE = re.compile(rb"[+-]?[0-9]+")
_FLOAT_RE = re.compile(rb"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_NONFINITE_RE = re.compile(rb"[+-]?(inf|infinity|nan)", re.IGNORECASE)


def _fail(message: str) -> Trap:
    return Trap(CONVERSION_ERROR, message)


def parse_int(s: bytes) -> int:
    """int(s) for a string: an optional sign and decimal digits, surrounding whitespace ignored."""
    text = s.strip(_WHITESPACE)
    quoted = text_of(s)
    if not _INT_RE.fullmatch(text):
        if any(c in s for c in b".eE"):
            raise _fail("int() argument must be an integer string (decimals are not allowed). "
                        f'Use float() to parse decimal values, got "{quoted}"')
        raise _fail(f'int() argument must be an integer string, got "{quoted}"')
    # Python refuses to convert very long digit strings, and any string with
    # more than 10 significant digits is out of i32 range anyway.
    digits = text.lstrip(b"+-").lstrip(b"0")
    too_long = len(digits) > 10
    value = 0 if too_long or not digits else int(digits)
    if text.startswith(b"-"):
        value = -value
    if too_long or not fits("i32", value):
        raise _fail(f'int() overflow: "{quoted}" is out of range for i32')
    return value


def parse_float(s: bytes) -> float:
    """float(s) for a string: a decimal number, surrounding whitespace ignored."""
    text = s.strip(_WHITESPACE)
    quoted = text_of(s)
    out_of_range = _fail(f'float() overflow: "{quoted}" is out of range for f64')
    if _NONFINITE_RE.fullmatch(text):
        raise out_of_range
    match = _FLOAT_RE.fullmatch(text)
    if not match:
        raise _fail(f'float() argument must be a number, got "{quoted}"')
    value = float(text)
    if math.isinf(value) or (value == 0.0 and match.group(1).strip(b"0.")):
        raise out_of_range
    return value


def int_from_number(ty: str, v: int | float) -> int:
    """int(v) for a number of type ty: in-range integers and whole in-range floats."""
    if ty != "f64":
        if not fits("i32", v):
            raise _fail(f"int() overflow: {v} is out of range for i32")
        return v
    if not math.isfinite(v):
        raise _fail("int() overflow: value is not finite")
    if v != math.floor(v):
        raise _fail(f"int() argument must be a whole number, got f64 {format_g(v)}")
    if not fits("i32", int(v)):
        raise _fail(f"int() overflow: {format_g(v)} is out of range for i32")
    return int(v)


def to_int(ty: str, v: object) -> int:
    """The `int(v)` builtin for a value of run-time type name `ty` (its `typeof` text)."""
    if ty == "string":
        return parse_int(v)
    if ty == "f64" or is_int_type(ty):
        return int_from_number(ty, v)
    raise _fail(f"int() argument must be a string or number, got {ty}")


def to_float(ty: str, v: object) -> float:
    """The `float(v)` builtin for a value of run-time type name `ty` (its `typeof` text)."""
    if ty == "string":
        return parse_float(v)
    if ty == "f64" or is_int_type(ty):
        return float(v)
    raise _fail(f"float() argument must be a string or number, got {ty}")
