"""How tier 0 represents Orus values in Python (the IR type says which form a value has).

    i32 i64 u32 u64   int, always inside the type's range
    f64               float
    bool              bool
    str               bytes (Orus strings are byte strings)
    [T]               list (identity is the array's identity)
    %Struct           list of the field values, in declaration order
    %Enum             tuple (variant index, payload...)
    fn(...) -> T      a Python callable taking the Orus arguments: the compiled
                      function itself, or a functools.partial binding the captures;
                      `orus_name` on the function gives `<fn NAME>` (None: a lambda)
    cell<T>           a one-element list
    range             RangeIter
    error             errors.OrusError

Nothing is boxed beyond what CPython does; printing, typeof and equality are
chosen from the static type at emit time, so values carry no type tags.
"""

from __future__ import annotations

import functools
from typing import Optional

from orus.semantics.ints import loop_continues


class RangeIter:
    """A `range(...)` iterator: `cur` is the next value it would produce (5.5)."""

    __slots__ = ("cur", "end", "step")

    def __init__(self, start: int, end: int, step: int):
        self.cur, self.end, self.step = start, end, step

    def has_next(self) -> bool:
        return loop_continues(self.cur, self.end, self.step, False)

    def next(self) -> int:
        v = self.cur
        self.cur = v + self.step
        return v


def function_name(f) -> Optional[str]:
    """The display name of a function value (None for a lambda)."""
    if isinstance(f, functools.partial):
        f = f.func
    return getattr(f, "orus_name", None)
