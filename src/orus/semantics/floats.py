"""f64 arithmetic (spec 4.2).

`+ - *` and `/` are IEEE double operations, which Python floats perform
without raising on overflow (they give inf/nan). Differences from plain Python:
  * A zero divisor (+0.0 or -0.0) for `/` and `%` is the run-time error
    `Division by zero`, kind "runtime error"; it never yields inf or nan.
  * `%` is C `fmod` (result takes the dividend's sign). `math.fmod` is C fmod
    except that it raises for an infinite dividend, where C returns NaN.
"""

from __future__ import annotations

import math

from orus.semantics.errors import RUNTIME_ERROR, Trap
from orus.semantics.ints import DIV_ZERO


def fadd(a: float, b: float) -> float:
    """a + b (IEEE)."""
    return a + b


def fsub(a: float, b: float) -> float:
    """a - b (IEEE)."""
    return a - b


def fmul(a: float, b: float) -> float:
    """a * b (IEEE)."""
    return a * b


def fdiv(a: float, b: float) -> float:
    """a / b; a zero divisor traps, any other division follows IEEE (1e308 / 0.5 is inf)."""
    if b == 0.0:
        raise Trap(RUNTIME_ERROR, DIV_ZERO)
    return a / b


def fmod(a: float, b: float) -> float:
    """a % b as C fmod: -7.5 % 2.0 is -1.5; a zero divisor traps."""
    if b == 0.0:
        raise Trap(RUNTIME_ERROR, DIV_ZERO)
    if math.isinf(a):
        return math.nan
    return math.fmod(a, b)


def neg(a: float) -> float:
    """-a (flips the sign of zeros and NaNs too)."""
    return -a
