"""The `print` statement's text (spec 4.3 scalars, 4.4 format strings) and `assert_eq` scalar forms (5.8).

Arguments are (type name, value) pairs; strings are bytes. Scalars (integers,
f64, bool, string) are formatted here; every other value goes through the
caller's `default_format` callback, which knows arrays, structs, enums, ...

Format strings (used when the first argument is a string):
  1. `parse_format` splits the bytes into literal bytes and `Spec`s. After `@`
     comes one of `x X o b`, or `.` followed by all the digits there are and one
     optional `f`, or nothing (the default format).
  2. `render` walks the pieces: a spec consumes the next argument, or, when none
     is left, prints its own text literally (`@@` with no argument is `@@`).
     Arguments left over are appended, each after one space.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable

from orus.semantics.floatfmt import format_f64, format_fixed, format_g
from orus.semantics.ints import is_int_type

Arg = tuple[str, object]
DefaultFormat = Callable[[str, object], bytes]

# The kinds of `Spec`: the default format, a radix letter, or a precision.
DEFAULT = "@"
FIXED = "."
_RADIX = {"x": "x", "X": "X", "o": "o", "b": "b"}


@dataclass(frozen=True, slots=True)
class Spec:
    """One placeholder: kind is `@`, a radix letter or `.`; precision only for `.` (None with no digits)."""

    kind: str
    precision: int | None
    text: bytes


_SPEC_RE = re.compile(rb"@(?:([xXob])|\.([0-9]*)f?)?")


@functools.lru_cache(maxsize=256)
def parse_format(fmt: bytes) -> tuple[bytes | Spec, ...]:
    """The pieces of a format string: literal bytes and `Spec`s, in order."""
    pieces: list[bytes | Spec] = []
    pos = 0
    for m in _SPEC_RE.finditer(fmt):
        if m.start() > pos:
            pieces.append(fmt[pos:m.start()])
        radix, digits = m.group(1), m.group(2)
        if radix is not None:
            spec = Spec(radix.decode("ascii"), None, m.group(0))
        elif digits is not None:
            spec = Spec(FIXED, int(digits) if digits else None, m.group(0))
        else:
            spec = Spec(DEFAULT, None, m.group(0))
        pieces.append(spec)
        pos = m.end()
    if pos < len(fmt):
        pieces.append(fmt[pos:])
    return tuple(pieces)


def format_scalar(ty: str, value: object) -> bytes | None:
    """The default (4.3) text of an integer, f64, bool or string value; None for other types."""
    if is_int_type(ty):
        return str(value).encode("ascii")
    if ty == "f64":
        return format_f64(value).encode("ascii")
    if ty == "bool":
        return b"true" if value else b"false"
    if ty == "string":
        return value
    return None


def format_default(arg: Arg, default_format: DefaultFormat) -> bytes:
    """The default text of any value: scalars here, everything else by the callback."""
    ty, value = arg
    text = format_scalar(ty, value)
    return text if text is not None else default_format(ty, value)


def format_int_spec(ty: str, value: int, letter: str) -> bytes:
    """@x/@X/@o/@b digits: u32 as its 32-bit value, signed values reinterpreted as 64-bit unsigned."""
    if ty in ("i32", "i64"):
        value &= (1 << 64) - 1
    return format(value, _RADIX[letter]).encode("ascii")


def format_spec(spec: Spec, arg: Arg, default_format: DefaultFormat) -> bytes:
    """The text of one placeholder applied to its argument."""
    ty, value = arg
    if spec.kind in _RADIX and is_int_type(ty):
        return format_int_spec(ty, value, spec.kind)
    if spec.kind == FIXED and spec.precision is not None and ty == "f64":
        return format_fixed(value, spec.precision).encode("ascii")
    return format_default(arg, default_format)


def render(pieces: tuple[bytes | Spec, ...], args: list[Arg], default_format: DefaultFormat) -> bytes:
    """A parsed format string applied to the arguments after it (4.4)."""
    out: list[bytes] = []
    rest = iter(args)
    for piece in pieces:
        if isinstance(piece, bytes):
            out.append(piece)
            continue
        arg = next(rest, None)
        out.append(piece.text if arg is None else format_spec(piece, arg, default_format))
    for arg in rest:
        out.append(b" " + format_default(arg, default_format))
    return b"".join(out)


def print_text(args: list[Arg], default_format: DefaultFormat) -> bytes:
    """Everything `print(args...)` writes except the final newline."""
    if args and args[0][0] == "string":
        return render(parse_format(args[0][1]), args[1:], default_format)
    return b" ".join(format_default(arg, default_format) for arg in args)


_ESCAPES = {ord("\\"): b"\\\\", ord("\n"): b"\\n", ord("\t"): b"\\t", ord('"'): b'\\"'}


def quote_string(s: bytes) -> bytes:
    """A string as assert_eq shows it: in double quotes, with \\\\ \\n \\t \\" escaped."""
    return b'"' + b"".join(_ESCAPES.get(c, bytes((c,))) for c in s) + b'"'


def repr_scalar(ty: str, value: object) -> bytes | None:
    """The assert_eq (5.8) form of a scalar: f64 with C %g, strings quoted; None for other types."""
    if ty == "f64":
        return format_g(value).encode("ascii")
    if ty == "string":
        return quote_string(value)
    return format_scalar(ty, value)
