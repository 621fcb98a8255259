"""`expr as Type`: the full cast matrix of spec 3.6.

`cast_allowed` is the compile-time half (which pairs the checker accepts);
`cast` is the run-time half (the value produced, or a `Trap` of kind
"value error" with the exact message). Values: Python int for integer types,
float for f64, bool for bool, bytes for string (Orus strings are byte strings).

Integer -> integer cells either keep the value, wrap it modulo 2**32/2**64, or
check a range and fail; `_INT_CELLS` lists the cells that are not a plain
wrap. f64 -> integer cells differ per target (i32/i64 saturate to MIN on any
out-of-range or non-finite value, u32/u64 check the range *before* truncating
and map NaN to 0), so each has its own function.
"""

from __future__ import annotations

import math
from typing import Callable

from orus.semantics.errors import VALUE_ERROR, Trap
from orus.semantics.floatfmt import format_f64
from orus.semantics.ints import INT_TYPES, bounds, fits, wrap

CAST_SOURCES = ("i32", "i64", "u32", "u64", "f64", "bool")
CAST_TARGETS = ("i32", "i64", "u32", "u64", "f64", "bool", "string")


def cast_allowed(from_ty: str, to_ty: str) -> bool:
    """True when `from_ty as to_ty` type-checks: numbers and bools to any scalar, string only to string."""
    if from_ty == "string":
        return to_ty == "string"
    return from_ty in CAST_SOURCES and to_ty in CAST_TARGETS


def _range_checked(message: str, lo: int, hi: int) -> Callable[[int], int]:
    """A cell that keeps the value when lo <= v <= hi and fails with `message` otherwise."""
    def check(v: int) -> int:
        if not lo <= v <= hi:
            raise Trap(VALUE_ERROR, message)
        return v
    return check


_U32_MAX = (1 << 32) - 1
_U64_MAX = (1 << 64) - 1

# (from, to) -> function, for integer cells that are not "wrap into the target".
_INT_CELLS: dict[tuple[str, str], Callable[[int], int]] = {
    ("i32", "u64"): _range_checked("Cannot convert negative i32 to u64", 0, _U64_MAX),
    ("i64", "u32"): _range_checked("i64 value out of u32 range", 0, _U32_MAX),
    ("i64", "u64"): _range_checked("Cannot convert negative i64 to u64", 0, _U64_MAX),
    ("u64", "i32"): _range_checked("u64 value too large for i32", 0, (1 << 31) - 1),
    ("u64", "u32"): _range_checked("u64 value too large for u32", 0, _U32_MAX),
}


def _int_to_int(v: int, from_ty: str, to_ty: str) -> int:
    """Integer cells: range-checked ones from the table, all others wrap (widening is a no-op wrap)."""
    cell = _INT_CELLS.get((from_ty, to_ty))
    return cell(v) if cell is not None else wrap(to_ty, v)


def _f64_to_signed(x: float, to_ty: str) -> int:
    """Truncate toward zero; NaN, inf and out-of-range values give the type's minimum."""
    lo, _ = bounds(to_ty)
    if not math.isfinite(x):
        return lo
    v = math.trunc(x)
    return v if fits(to_ty, v) else lo


def _f64_to_unsigned(x: float, to_ty: str) -> int:
    """NaN gives 0; x < 0 or x beyond the maximum (before truncation) fails; else truncate."""
    if math.isnan(x):
        return 0
    width = INT_TYPES[to_ty][0]
    # u32 rejects x > 4294967295 (so 4294967295.9 fails); u64 rejects x >= 2**64.
    too_big = x > _U32_MAX if width == 32 else x >= float(1 << 64)
    if x < 0 or too_big:
        raise Trap(VALUE_ERROR, f"f64 value out of {to_ty} range")
    return math.trunc(x)


def _to_string(value: object, from_ty: str) -> bytes:
    """Decimal for integers, the print text for f64, true/false for bool."""
    if from_ty == "f64":
        return format_f64(value).encode("ascii")
    if from_ty == "bool":
        return b"true" if value else b"false"
    return str(value).encode("ascii")


def _to_int(value: object, from_ty: str, to_ty: str) -> int:
    if from_ty == "bool":
        return 1 if value else 0
    if from_ty == "f64":
        if INT_TYPES[to_ty][1]:
            return _f64_to_signed(value, to_ty)
        return _f64_to_unsigned(value, to_ty)
    return _int_to_int(value, from_ty, to_ty)


def cast(value: object, from_ty: str, to_ty: str) -> object:
    """The value of `value as to_ty` for a `from_ty` value (the checker has accepted the pair)."""
    if from_ty == to_ty:
        return value
    if to_ty == "string":
        return _to_string(value, from_ty)
    if to_ty == "bool":
        return value != 0  # for f64, NaN != 0.0 is true, as the matrix says
    if to_ty == "f64":
        return float(value)  # nearest double (round half to even), bools to 1.0 / 0.0
    return _to_int(value, from_ty, to_ty)
