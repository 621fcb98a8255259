"""Text forms of f64 values: `print` (spec 4.3), C `%g` (5.6, 5.8) and C `%.Nf` (4.4).

Python's `%` formatting of floats is correctly rounded, exactly like glibc's
printf, so `'%.17f' % x` is C's `%.17f`. The only divergence handled here is
NaN: C may print `-nan` for a NaN with its sign bit set; Orus always writes
`nan` (4.3), and the C runtime must do the same.

f64 printing algorithm (4.3):
  1. NaN -> `nan`, +inf -> `inf`, -inf -> `-inf`, any zero -> `0`.
  2. 0 < |x| < 1e-4: C `%.17g` (exponent form `e-05` style); otherwise `%.17f`.
  3. Strip trailing zeros of the mantissa, then a trailing `.`.
  4. Re-append the exponent part, if any.
"""

from __future__ import annotations

import math


def _special(x: float) -> str | None:
    """The text of a NaN or an infinity, or None for a finite value."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return None


def format_f64(x: float) -> str:
    """The text `print` and `f64 as string` write for x: 0.1 -> 0.10000000000000001, 1.0 -> 1."""
    special = _special(x)
    if special is not None:
        return special
    if x == 0.0:
        return "0"
    text = "%.17g" % x if abs(x) < 1e-4 else "%.17f" % x
    mantissa, e, exponent = text.partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + e + exponent


def format_g(x: float) -> str:
    """C `%g` (6 significant digits): 3e9 -> 3e+09, 0.1 -> 0.1, 1/3 -> 0.333333; NaN -> nan."""
    special = _special(x)
    if special is not None:
        return special
    return "%g" % x


def format_fixed(x: float, digits: int) -> str:
    """C `%.Nf` with N = digits: rounds the exact binary value half to even (2.5 -> 2 for N = 0)."""
    special = _special(x)
    if special is not None:
        return special
    return "%.*f" % (digits, x)
