"""Signatures of the builtins (spec 5, 11.1), as the checker uses them.

`signature(name, fresh)` gives the parameter specs and result type of one call, with
`fresh()` making a new type variable for each `T` (fresh at each call). A parameter spec
is a Type, or one of the kinds:
  ANY     any value (not void): `typeof(v)`, `int(v)`, `range` arguments (checked at run time)
  INTEGER any integer type: `channel(capacity)`, `sleep(ms)`
  SIZED   an array or a string: `len`
"""

from __future__ import annotations

from typing import Callable

from orus.sema import types as T

ANY, INTEGER, SIZED = "any", "integer", "sized"

# name -> (fewest arguments, most arguments)
ARITY = {
    "len": (1, 1), "push": (2, 2), "pop": (1, 1), "sorted": (1, 1), "range": (1, 3),
    "input": (0, 1), "int": (1, 1), "float": (1, 1), "typeof": (1, 1), "istype": (2, 2),
    "assert_eq": (3, 3), "timestamp": (0, 0), "join": (1, 1), "channel": (0, 1),
    "send": (2, 2), "recv": (1, 1), "close": (1, 1), "sleep": (1, 1),
}


def _sig_len(v):
    return [SIZED], T.I32


def _sig_push(v):
    return [T.ArrayT(v), v], T.ArrayT(v)


def _sig_pop(v):
    return [T.ArrayT(v)], v


def _sig_sorted(v):
    return [T.ArrayT(v)], T.ArrayT(v)


_SIGS: dict[str, Callable] = {
    "len": _sig_len,
    "push": _sig_push,
    "pop": _sig_pop,
    "sorted": _sig_sorted,
    "range": lambda v: ([ANY, ANY, ANY], T.RANGE),
    "input": lambda v: ([ANY], T.STRING),
    "int": lambda v: ([ANY], T.I32),
    "float": lambda v: ([ANY], T.F64),
    "typeof": lambda v: ([ANY], T.STRING),
    "istype": lambda v: ([ANY, T.STRING], T.BOOL),
    "assert_eq": lambda v: ([T.STRING, v, v], T.BOOL),
    "timestamp": lambda v: ([], T.F64),
    "join": lambda v: ([T.TaskT(v)], v),
    "channel": lambda v: ([INTEGER], T.ChanT(v)),
    "send": lambda v: ([T.ChanT(v), v], T.VOID),
    "recv": lambda v: ([T.ChanT(v)], v),
    "close": lambda v: ([T.ChanT(v)], T.VOID),
    "sleep": lambda v: ([INTEGER], T.VOID),
}


def is_builtin(name: str) -> bool:
    return name in ARITY


def signature(name: str, fresh: Callable[[], T.Type]) -> tuple[list, T.Type]:
    """(parameter specs, result type) of builtin `name`, with a fresh `T`."""
    return _SIGS[name](fresh())


def arity_text(name: str) -> str:
    """`1 argument`, `2 arguments`, `1 to 3 arguments` (spec 5)."""
    lo, hi = ARITY[name]
    if lo != hi:
        return f"{lo} to {hi} arguments"
    return f"{lo} argument" if lo == 1 else f"{lo} arguments"
