"""Integer arithmetic, bit operations and mixed numeric comparison (spec 3.3, 4.1, 4.10, 5.5).

Values are Python ints that already lie in their type's range; every function
returns a value in range or raises `Trap`. The exact mathematical result is
computed first and then either checked (i32/i64: `Integer overflow`) or reduced
modulo 2**width (u32/u64), so no operation depends on Python's unbounded ints
leaking out.

Invariants relied on by callers:
  * Signed `+ - * / %` and unary `-` trap exactly when the exact result leaves
    the type's range; `MIN % -1` traps too although its value 0 would fit (4.1).
  * `/` truncates toward zero and `%` takes the dividend's sign (C semantics).
  * A zero divisor is `Division by zero`, kind "runtime error" (4.1, 5.7).
  * Unary `-` of an unsigned value yields the signed type of the same width.
"""

from __future__ import annotations

import operator
from typing import Callable

from orus.semantics.errors import ARGUMENT_ERROR, RUNTIME_ERROR, VALUE_ERROR, Trap

# name -> (width in bits, signed?)
INT_TYPES: dict[str, tuple[int, bool]] = {
    "i32": (32, True),
    "i64": (64, True),
    "u32": (32, False),
    "u64": (64, False),
}

# The signed type of the same width, for unary minus on unsigned values (3.3).
SIGNED_OF = {"i32": "i32", "i64": "i64", "u32": "i32", "u64": "i64"}

OVERFLOW = "Integer overflow"
DIV_ZERO = "Division by zero"
BAD_SHIFT = "Shift amount out of range"
BAD_RANGE = "Invalid arguments provided to range()"


def is_int_type(ty: str) -> bool:
    """True for the four integer type names."""
    return ty in INT_TYPES


def bounds(ty: str) -> tuple[int, int]:
    """The smallest and largest value of integer type `ty`."""
    width, signed = INT_TYPES[ty]
    if signed:
        return -(1 << (width - 1)), (1 << (width - 1)) - 1
    return 0, (1 << width) - 1


def fits(ty: str, v: int) -> bool:
    """True when the mathematical integer `v` is a value of type `ty`."""
    lo, hi = bounds(ty)
    return lo <= v <= hi


def wrap(ty: str, v: int) -> int:
    """`v` reduced modulo 2**width into `ty`'s range (two's complement for signed types)."""
    width, signed = INT_TYPES[ty]
    v &= (1 << width) - 1
    if signed and v >> (width - 1):
        v -= 1 << width
    return v


def _finish(ty: str, exact: int) -> int:
    """The result of an arithmetic op: trap on signed overflow, wrap for unsigned."""
    if INT_TYPES[ty][1]:
        if not fits(ty, exact):
            raise Trap(VALUE_ERROR, OVERFLOW)
        return exact
    return wrap(ty, exact)


def add(ty: str, a: int, b: int) -> int:
    """a + b in type ty."""
    return _finish(ty, a + b)


def sub(ty: str, a: int, b: int) -> int:
    """a - b in type ty."""
    return _finish(ty, a - b)


def mul(ty: str, a: int, b: int) -> int:
    """a * b in type ty."""
    return _finish(ty, a * b)


def _trunc_div(a: int, b: int) -> int:
    """The quotient rounded toward zero (Python's // rounds toward -infinity)."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def div(ty: str, a: int, b: int) -> int:
    """a / b in type ty: truncating; zero divisor and MIN / -1 trap."""
    if b == 0:
        raise Trap(RUNTIME_ERROR, DIV_ZERO)
    return _finish(ty, _trunc_div(a, b))


def mod(ty: str, a: int, b: int) -> int:
    """a % b in type ty: the sign of the dividend; zero divisor and MIN % -1 trap."""
    if b == 0:
        raise Trap(RUNTIME_ERROR, DIV_ZERO)
    if b == -1 and a == bounds(ty)[0] and INT_TYPES[ty][1]:
        raise Trap(VALUE_ERROR, OVERFLOW)
    return a - b * _trunc_div(a, b)


def neg(ty: str, a: int) -> tuple[str, int]:
    """Unary minus: (result type, value). Signed MIN traps; unsigned gives the signed type mod 2**width."""
    if INT_TYPES[ty][1]:
        return ty, _finish(ty, -a)
    rty = SIGNED_OF[ty]
    return rty, wrap(rty, -a)


def bit_and(ty: str, a: int, b: int) -> int:
    """a & b (Python's infinite two's complement agrees with the fixed width in range)."""
    return a & b


def bit_or(ty: str, a: int, b: int) -> int:
    """a | b."""
    return a | b


def bit_xor(ty: str, a: int, b: int) -> int:
    """a ^ b."""
    return a ^ b


def bit_not(ty: str, a: int) -> int:
    """~a in a's type: ~5 is -6, ~0u32 is 4294967295."""
    return wrap(ty, ~a)


def _check_shift(ty: str, n: int) -> None:
    if not 0 <= n < INT_TYPES[ty][0]:
        raise Trap(VALUE_ERROR, BAD_SHIFT)


def shl(ty: str, a: int, n: int) -> int:
    """a << n: bits shifted out are discarded, never an overflow; n must be in [0, width)."""
    _check_shift(ty, n)
    return wrap(ty, a << n)


def shr(ty: str, a: int, n: int) -> int:
    """a >> n: arithmetic for signed types, logical for unsigned (their values are never negative)."""
    _check_shift(ty, n)
    return a >> n


COMPARISONS: dict[str, Callable[[object, object], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def compare(op: str, ta: str, a: int | float, tb: str, b: int | float) -> bool:
    """`a op b` for numbers of any two numeric types (3.3).

    Two integers compare exactly. When one side is f64 the integer side is first
    rounded to the nearest double (Python's int -> float conversion rounds half
    to even, as C does), then IEEE rules apply: with a NaN only `!=` is true.
    """
    if ta == "f64" and tb != "f64":
        b = float(b)
    elif tb == "f64" and ta != "f64":
        a = float(a)
    return COMPARISONS[op](a, b)


def range_args(args: list[tuple[str, object]]) -> tuple[int, int, int]:
    """The (start, stop, step) of `range(...)` called with 1 to 3 (type, value) arguments (5.5).

    Every argument must be an integer of any type whose value fits in i64 (the
    produced values are i64), and the step must not be zero; otherwise the
    argument error `Invalid arguments provided to range()`.
    """
    values = []
    for ty, v in args:
        if not is_int_type(ty) or not fits("i64", v):
            raise Trap(ARGUMENT_ERROR, BAD_RANGE)
        values.append(v)
    if len(values) == 1:
        values = [0, values[0]]
    if len(values) == 2:
        values.append(1)
    if len(values) != 3 or values[2] == 0:
        raise Trap(ARGUMENT_ERROR, BAD_RANGE)
    return values[0], values[1], values[2]


ZERO_STEP = "Range step cannot be zero"


def check_loop_step(step: int) -> None:
    """A `for v in a..b..step` loop with a zero step fails before its first iteration (2.6)."""
    if step == 0:
        raise Trap(VALUE_ERROR, ZERO_STEP)


def loop_continues(v: int, end: int, step: int, inclusive: bool) -> bool:
    """Whether a range loop runs with the value v: `<`/`<=` end for positive steps, `>`/`>=` for negative."""
    if step > 0:
        return v <= end if inclusive else v < end
    return v >= end if inclusive else v > end


def loop_next(ty: str, v: int, step: int) -> int | None:
    """The loop value after v, or None when v + step leaves ty's range: the loop then ends (2.6)."""
    nxt = v + step
    return nxt if fits(ty, nxt) else None
