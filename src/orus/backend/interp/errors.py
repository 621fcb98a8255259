"""Orus run-time errors in tier 0: the exception that carries one, and its title table.

`OrusError` is both the Python exception that unwinds the generated code and
the Orus *error value* a `catch` receives (so `raise` re-raises the same
object and `assert_eq` can compare error values by identity).

Generated code never records "where am I": primitive helpers raise
`semantics.Trap` (or CPython raises IndexError, RecursionError, ... from an
inlined op), and the first handler that sees the exception calls `to_orus`:
  1. walk the traceback to the innermost frame of generated code; its line
     number maps (through the line table of that function, see `register_code`)
     to the IR instruction that was running;
  2. a Trap keeps its kind and message; a CPython exception is translated by the
     op family's entry in `_PY_ERRORS` (an exception no entry expects is an
     interpreter bug and is re-raised as it is);
  3. the instruction gives the location and the op, which picks the title.

`describe` is spec 6.3's table: title, help and note per message (and per op:
`Division by zero` from `rem` has its own title).
"""

from __future__ import annotations

from typing import Optional

from orus.semantics.errors import INDEX_ERROR, RUNTIME_ERROR, VALUE_ERROR, Trap

STACK_OVERFLOW = "Stack overflow"
ARRAY_OOB = "Array index out of bounds"
ARRAY_NEG = "Array index must be a non-negative integer"
STRING_OOB = "String index out of bounds"
STRING_NEG = "String index must be a non-negative integer"
EMPTY_POP = "Cannot pop from an empty array"
BAD_REPEAT = "Array repetition requires a non-negative integer count and reasonable size"


class OrusError(Exception):
    """A run-time error of the Orus program: kind, message, location and the op that raised it."""

    def __init__(self, kind: str, message: str, file: str = "", line: int = 0, col: int = 0,
                 op: str = ""):
        super().__init__(message)
        self.kind, self.message = kind, message
        self.file, self.line, self.col, self.op = file, line, col, op


class InternalError(Exception):
    """The interpreter itself failed (a bug or an unsupported feature): never catchable by Orus code."""


# code filename -> (Orus file, {python line: Instr})
_CODE: dict[str, tuple[str, dict]] = {}


def register_code(filename: str, orus_file: str, lines: dict) -> None:
    _CODE[filename] = (orus_file, lines)


def forget_code(filenames) -> None:
    """Drop line tables of code that will not run again (a finished run)."""
    for name in filenames:
        _CODE.pop(name, None)


def _locate(tb, calls_only: bool = False) -> tuple[str, Optional[object]]:
    """(Orus file, Instr) of the innermost generated frame in a traceback.

    With `calls_only`, the innermost frame that is executing a call: CPython
    raises RecursionError on entry to the callee, but Orus reports `Stack
    overflow` at the call that would exceed the limit (spec 6.3).
    """
    found = ("", None)
    while tb is not None:
        entry = _CODE.get(tb.tb_frame.f_code.co_filename)
        if entry is not None:
            instr = entry[1].get(tb.tb_lineno)
            if not calls_only or instr is not None and instr.op.name in _CALLS:
                found = (entry[0], instr)
        tb = tb.tb_next
    return found


_CALLS = ("call", "call.ind", "call.rt")


def _index_error(op: str) -> tuple[str, str]:
    return (INDEX_ERROR, STRING_OOB) if op.startswith("str.") else (INDEX_ERROR, ARRAY_OOB)


# exception class -> op name -> (kind, message); "*" matches any op
_PY_ERRORS: dict[type, dict[str, tuple[str, str]]] = {
    RecursionError: {"*": (RUNTIME_ERROR, STACK_OVERFLOW)},
    IndexError: {"array.get": (INDEX_ERROR, ARRAY_OOB), "array.set": (INDEX_ERROR, ARRAY_OOB),
                 "str.get": (INDEX_ERROR, STRING_OOB), "array.pop": (VALUE_ERROR, EMPTY_POP)},
    ZeroDivisionError: {"div": (RUNTIME_ERROR, "Division by zero"), "rem": (RUNTIME_ERROR, "Division by zero")},
    MemoryError: {"array.repeat": (RUNTIME_ERROR, BAD_REPEAT), "array.fill": (RUNTIME_ERROR, BAD_REPEAT)},
    OverflowError: {"array.repeat": (RUNTIME_ERROR, BAD_REPEAT), "array.fill": (RUNTIME_ERROR, BAD_REPEAT)},
}


def to_orus(exc: BaseException) -> OrusError:
    """The Orus error value for an exception caught by generated code or by the runner."""
    if isinstance(exc, OrusError):
        return exc
    file, instr = _locate(exc.__traceback__, isinstance(exc, RecursionError))
    op = instr.op.name if instr is not None else ""
    if isinstance(exc, Trap):
        kind, message = exc.kind, exc.message
    else:
        table = _PY_ERRORS.get(type(exc), {})
        pair = table.get(op) or table.get("*")
        if pair is None:
            raise exc
        kind, message = pair
    line, col = instr.loc if instr is not None and instr.loc else (0, 0)
    err = OrusError(kind, message, file, line, col, op)
    err.__traceback__ = None
    return err


# ---------------------------------------------------------------- spec 6.3 titles
T_INDEX = "Index is outside the valid range"
T_OTHER = "This operation isn't allowed here"
H_INDEX = "Check that your index is between 0 and the array length - 1."
H_PARSE = ("Ensure the text only contains digits (and an optional sign or decimal point) before calling "
           "int() or float().")
N_PARSE = "Only base-10 numbers are supported for int() and float() conversions."

_BY_MESSAGE: dict[str, tuple[str, Optional[str], Optional[str]]] = {
    "Integer overflow": ("Number got too big to handle",
                         "Try using a larger number type like i64 or check for overflow before the operation.",
                         None),
    STACK_OVERFLOW: ("Too many nested function calls",
                     "Make sure every recursive function has a base case that stops the recursion.", None),
    "No match arm matched": ("No match arm fits this value", "Add a '_ ->' arm to handle every other value.", None),
    "input() reached end of file": ("File ended unexpectedly", None, None),
    "Deadlock: all oroutines are blocked": (
        "Every oroutine is waiting",
        "Make sure every recv() has a matching send() or close(), and that every joined task can finish.", None),
}
_DIV_TITLES = {
    "rem": ("Can't find remainder when dividing by zero",
            "Add a check to ensure the divisor isn't zero before using the modulo operator.", None),
    "div": ("Oh no! You tried to divide by zero",
            "Add a check before dividing to make sure the number isn't zero.",
            "Division by zero is mathematically undefined."),
}
_INDEX_MESSAGES = (ARRAY_OOB, ARRAY_NEG, STRING_OOB, STRING_NEG)


def _is_index_message(message: str) -> bool:
    if message in _INDEX_MESSAGES:
        return True
    return message.endswith(("slice start out of bounds", "slice end out of bounds", "slice end before start",
                             "slice start must be a non-negative integer"))


def describe(kind: str, message: str, op: str) -> tuple[str, Optional[str], Optional[str]]:
    """(title, help, note) of an uncaught run-time error (spec 6.3)."""
    if message == "Division by zero":
        return _DIV_TITLES["rem" if op == "rem" else "div"]
    if message in _BY_MESSAGE:
        return _BY_MESSAGE[message]
    if _is_index_message(message):
        return T_INDEX, H_INDEX, None
    if kind == "conversion error":
        return "Couldn't parse this number", H_PARSE, N_PARSE
    if op == "cast" and kind == VALUE_ERROR:
        return "Can't convert between these types", None, None
    if message.startswith("Variable '") and message.endswith("is used before its declaration has run"):
        return "This variable hasn't been given a value yet", None, None
    return T_OTHER, None, None


__all__ = ["OrusError", "InternalError", "Trap", "to_orus", "describe", "register_code"]
