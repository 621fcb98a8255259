"""What Orus's primitive operations mean at run time, shared by every tier.

A pure leaf (standard library only, spec sections 3.3, 3.6, 4.1-4.4, 4.10,
5.5, 5.6, 5.8): constant folding, the tier-0 interpreter and the tests of the
C runtime all follow these functions, so each rule is written down once.

  errors     Trap (kind + exact message) raised when an operation must fail
  ints       i32/i64/u32/u64 arithmetic, bit ops, shifts, mixed comparisons, range()
  floats     f64 arithmetic (division by zero traps, % is C fmod)
  casts      the `as` matrix: which casts type-check and what they produce
  floatfmt   f64 text: print's 17-digit algorithm, C %g, C %.Nf
  numparse   int() and float()
  printfmt   print's default format and `@` format strings; assert_eq scalars

Values are plain Python objects: int for integer types, float for f64, bool,
and bytes for strings; a type is named by its spelling (`"u32"`).
"""

from orus.semantics.errors import Trap

__all__ = ["Trap"]
