"""Tier-0 handlers of the runtime builtins (`call.rt`, one per `rtabi.RUNTIME` entry).

A handler is a factory `(env, arg_types, result_type) -> callable`: it runs at
emit time, when the operand types are known, and returns the Python function
the generated code calls with the operand values. Type-dependent work (which
`typeof` text, which formatter, whether `range` arguments are integers) is
therefore decided once, not at every call.
"""

from __future__ import annotations

import sys
import time
from typing import Callable

from orus.ir import types as T
from orus.semantics import numparse
from orus.semantics.errors import ARGUMENT_ERROR, RUNTIME_ERROR, VALUE_ERROR, Trap, text_of
from orus.semantics.ints import BAD_RANGE, range_args

from orus.backend.interp.printing import type_name, typeof_name
from orus.backend.interp.values import RangeIter

_COMPARABLE = {"i32", "i64", "u32", "u64", "f64", "bool", "str"}
NOT_COMPARABLE = "sorted() requires an array of comparable elements"
EOF_MESSAGE = "input() reached end of file"


def _nan_last(x: float):
    return (x != x, x)


def _sorted(env, types, result) -> Callable:
    elem = types[0].elem
    if str(elem) not in _COMPARABLE:
        def fail(a):
            if a:
                raise Trap(RUNTIME_ERROR, NOT_COMPARABLE)
            return []
        return fail
    if elem == T.F64:
        return lambda a: sorted(a, key=_nan_last)
    return sorted


def _range(env, types, result) -> Callable:
    names = [type_name(t) for t in types]

    def make(*values):
        start, stop, step = range_args(list(zip(names, values)))
        return RangeIter(start, stop, step)
    if not all(T.is_int(t) for t in types):
        def bad(*values):
            raise Trap(ARGUMENT_ERROR, BAD_RANGE)
        return bad
    return make


def _range_has(env, types, result) -> Callable:
    return RangeIter.has_next


def _range_next(env, types, result) -> Callable:
    return RangeIter.next


def _read_line(stdin) -> bytes:
    """One line without its terminator (`\\n`, `\\r\\n` or a lone `\\r`); EOF with nothing read fails."""
    out = bytearray()
    while True:
        c = stdin.read(1)
        if not c:
            if not out:
                raise Trap(RUNTIME_ERROR, EOF_MESSAGE)
            return bytes(out)
        if c == b"\n":
            return bytes(out)
        if c == b"\r":
            if stdin.peek(1)[:1] == b"\n":
                stdin.read(1)
            return bytes(out)
        out += c


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _input(env, types, result) -> Callable:
    show = env.text.show(types[0]) if types else None

    def read(*prompt):
        if prompt:
            env.write(show(prompt[0], set()))
        elif _isatty(env.stdin) and _isatty(sys.stderr):
            sys.stderr.write("input> ")
            sys.stderr.flush()
        return _read_line(env.stdin)
    return read


def _typename_of(env, ty: T.Type) -> str:
    return "string" if ty == T.STR else typeof_name(ty, env.module)


def _int_of_string(v: bytes) -> int:
    """int(s): up to 9 ASCII digits always fit i32 and CPython parses them the same; the rest by the grammar."""
    return int(v) if len(v) < 10 and v.isdigit() else numparse.parse_int(v)


def _int(env, types, result) -> Callable:
    name = _typename_of(env, types[0])
    if name == "string":
        return _int_of_string
    return lambda v: numparse.to_int(name, v)


def _float(env, types, result) -> Callable:
    name = _typename_of(env, types[0])
    return lambda v: numparse.to_float(name, v)


def _typeof_error(e) -> bytes:
    return f"{e.kind} {e.message}".encode("utf-8", "surrogateescape")


def _typeof(env, types, result) -> Callable:
    if types[0] == T.ERROR:
        return _typeof_error
    text = typeof_name(types[0], env.module).encode()
    return lambda v: text


def _istype(env, types, result) -> Callable:
    of = _typeof(env, types[:1], result)
    return lambda v, name: of(v) == name


def _assert_eq(env, types, result) -> Callable:
    ty = types[1]
    equal, rep = env.equality.deep(ty), env.text.repr(ty)

    def check(label, actual, expected):
        if equal(actual, expected, set()):
            return True
        message = (f"assert_eq failed ({text_of(label)})\n"
                   f"  expected: {text_of(rep(expected, set()))}\n"
                   f"  actual:   {text_of(rep(actual, set()))}")
        raise Trap(RUNTIME_ERROR, message)
    return check


def _timestamp(env, types, result) -> Callable:
    return time.monotonic


def _destructure_check(env, types, result) -> Callable:
    def check(a, n):
        if len(a) != n:
            raise Trap(VALUE_ERROR, f"Destructuring expected {n} elements, got {len(a)}")
    return check


HANDLERS: dict[str, Callable] = {
    "sorted": _sorted, "range": _range, "range_has": _range_has, "range_next": _range_next,
    "input": _input, "int": _int, "float": _float, "typeof": _typeof, "istype": _istype,
    "assert_eq": _assert_eq, "timestamp": _timestamp, "destructure_check": _destructure_check,
}
