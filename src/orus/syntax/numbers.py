"""Numeric literal scanning and validation (spec 1.6).

Algorithm for a literal starting at a digit:
  1. `0x`/`0b`/`0o` prefix: take the longest run of digits of that base and `_`,
     then the letters/digits glued after it. A glued decimal digit means a digit
     outside the base (`0b102`: invalid literal); glued letters are the suffix.
  2. Decimal: integer digits, an optional `.digits` fraction (a digit must follow
     the dot, so `1..5` is a range), an optional exponent `e[+-]digits`, then the
     glued letters/digits as the suffix.
  3. Check `_` placement, leading zeros, the suffix and the range of suffixed
     values; the range of an unsuffixed integer depends on its context and is the
     checker's job, but a float that overflows is an error here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Optional

T_TOO_BIG = "Number got too big to handle"
SUFFIXES = ("i32", "i64", "u32", "u64", "f64")
_RANGES = {"i32": (-2**31, 2**31 - 1), "i64": (-2**63, 2**63 - 1),
           "u32": (0, 2**32 - 1), "u64": (0, 2**64 - 1)}
_BASES = {ord("x"): 16, ord("X"): 16, ord("b"): 2, ord("B"): 2, ord("o"): 8, ord("O"): 8}
_BASE_DIGITS = {16: re.compile(rb"[0-9a-fA-F_]*"), 2: re.compile(rb"[01_]*"),
                8: re.compile(rb"[0-7_]*")}
# No literal this long fits any type; stopping here also keeps later stages from
# formatting integers longer than Python's int/str conversion limit.
_MAX_DIGITS = 1000
_MAX_BITS = 3300
_GLUED = re.compile(rb"[A-Za-z0-9_]*")
_DEC = re.compile(rb"[0-9_]*")
_FRACTION = re.compile(rb"\.[0-9][0-9_]*")
_EXPONENT = re.compile(rb"[eE][+-]?[0-9][0-9_]*")


class NumberError(Exception):
    def __init__(self, message: str, title: Optional[str] = None):
        super().__init__(message)
        self.message = message
        self.title = title          # None: the generic syntax title


@dataclass
class NumberLit:
    kind: str                       # "INT" or "FLOAT"
    text: str
    value: object                   # int or float
    suffix: Optional[str]
    end: int


def _digits_ok(digits: bytes) -> bool:
    """Non-empty, and every `_` stands between two digits."""
    return bool(digits) and not digits.startswith(b"_") and not digits.endswith(b"_") \
        and b"__" not in digits


def scan(src: bytes, start: int) -> NumberLit:
    if src[start] == ord("0") and start + 1 < len(src) and src[start + 1] in _BASES:
        return _scan_prefixed(src, start, _BASES[src[start + 1]])
    return _scan_decimal(src, start)


def _scan_prefixed(src: bytes, start: int, base: int) -> NumberLit:
    dend = _BASE_DIGITS[base].match(src, start + 2).end()
    end = _GLUED.match(src, dend).end()
    text = src[start:end].decode("ascii")
    digits, glued = src[start + 2:dend], src[dend:end].decode("ascii")
    if not _digits_ok(digits) or (glued and (glued[0].isdigit() or glued[0] == "_")):
        raise NumberError(f"Invalid numeric literal '{text}'")
    value = int(digits.replace(b"_", b""), base)
    return _finish_int(text, value, glued or None, end)


def _scan_decimal(src: bytes, start: int) -> NumberLit:
    pos = _DEC.match(src, start).end()
    int_digits = src[start:pos]
    is_float = False
    m = _FRACTION.match(src, pos)
    if m:
        pos, is_float = m.end(), True
    m = _EXPONENT.match(src, pos)
    if m:
        pos, is_float = m.end(), True
    end = _GLUED.match(src, pos).end()
    text = src[start:end].decode("ascii")
    body, glued = src[start:pos], src[pos:end].decode("ascii")
    _check_decimal_parts(body, text)
    if glued.startswith("_"):
        raise NumberError(f"Invalid numeric literal '{text}'")
    if len(int_digits.replace(b"_", b"")) > 1 and int_digits.startswith(b"0"):
        raise NumberError("Leading zeros are not allowed in decimal literals; write 0o"
                          f"{int(int_digits.replace(b'_', b''))} for an octal number")
    clean = body.replace(b"_", b"").decode("ascii")
    if not is_float and len(clean) > _MAX_DIGITS:
        raise _too_big(text)
    if not is_float:
        return _finish_int(text, int(clean), glued or None, end)
    return _finish_float(text, float(clean), glued or None, end)


def _check_decimal_parts(body: bytes, text: str) -> None:
    """Each digit group (integer, fraction, exponent) must place `_` between digits."""
    for part in re.split(rb"[.eE]", body):
        if not _digits_ok(part.lstrip(b"+-")):
            raise NumberError(f"Invalid numeric literal '{text}'")


def _check_suffix(suffix: Optional[str]) -> None:
    if suffix is not None and suffix not in SUFFIXES:
        raise NumberError(f"invalid numeric literal suffix '{suffix}'")


def _too_big(text: str) -> NumberError:
    shown = text if len(text) <= 40 else text[:40] + "..."
    return NumberError(f"Integer literal {shown} does not fit in i64", T_TOO_BIG)


def _finish_int(text: str, value: int, suffix: Optional[str], end: int) -> NumberLit:
    _check_suffix(suffix)
    if value.bit_length() > _MAX_BITS:
        raise _too_big(text)
    if suffix in _RANGES:
        lo, hi = _RANGES[suffix]
        if not lo <= value <= hi:
            raise NumberError(f"Integer literal {value} does not fit in {suffix}", T_TOO_BIG)
    return NumberLit("INT", text, value, suffix, end)


def _finish_float(text: str, value: float, suffix: Optional[str], end: int) -> NumberLit:
    _check_suffix(suffix)
    if math.isinf(value):
        raise NumberError(f"Float literal {text} is out of range for f64", T_TOO_BIG)
    if suffix in _RANGES:
        if value != int(value):
            raise NumberError(f"invalid numeric literal suffix '{suffix}'")
        lo, hi = _RANGES[suffix]
        if not lo <= int(value) <= hi:
            raise NumberError(f"Integer literal {int(value)} does not fit in {suffix}", T_TOO_BIG)
    return NumberLit("FLOAT", text, value, suffix, end)
