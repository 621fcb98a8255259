"""The runtime ABI table: every builtin an IR program reaches through `call.rt`.

`call.rt.TYPE NAME args...` names one entry of `RUNTIME`; every back end
implements each entry (tier 0 in `backend/interp/builtins.py`, the native tiers
in the C runtime) and nothing else. Types are written as IR type spellings
with `T` for "any type, the same at each use" and `int` for "any integer type";
`rtabi` may not import `ir` (STYLE.md section 2), so they stay strings.

Invariants:
  * `may_fail` entries carry a source location in the IR (the `(` of the call,
    spec 6.3); the others never raise an Orus error.
  * `may_gc` entries may allocate.
  * `min_args..max_args` is the operand count; `params` describes them in order.

The oroutine builtins (`join`, `channel`, `send`, `recv`, `close`, `sleep`) are
deliberately absent until oroutines exist in the runtime and in tier 0 (the
oroutines issue): IR that names them fails verification instead of raising
"not supported yet" at run time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RtFn:
    name: str
    params: tuple[str, ...]       # operand types; a trailing "..." entry: optional operands
    result: str                   # the result type rule ("void": no result)
    may_gc: bool
    may_fail: bool
    min_args: int
    max_args: int
    doc: str


def _rt(name, params, result, gc, fail, lo, hi, doc):
    return RtFn(name, tuple(params), result, gc, fail, lo, hi, doc)


RUNTIME_LIST: list[RtFn] = [
    _rt("sorted", ["[T]"], "[T]", True, True, 1, 1,
        "new ascending copy (5.4); non-comparable elements fail"),
    _rt("range", ["T", "T", "T"], "range", True, True, 1, 3,
        "range(stop) / range(start, stop) / range(start, stop, step) (5.5); non-integers or a zero step fail"),
    _rt("range_has", ["range"], "bool", False, False, 1, 1,
        "true when the iterator has a next value"),
    _rt("range_next", ["range"], "i64", False, False, 1, 1,
        "the next value of an iterator for which range_has is true; advances it"),
    _rt("input", ["T"], "str", True, True, 0, 1,
        "write the prompt, read one line without its terminator (5.6); end of file fails"),
    _rt("int", ["T"], "i32", False, True, 1, 1, "the int() builtin (5.6)"),
    _rt("float", ["T"], "f64", False, True, 1, 1, "the float() builtin (5.6)"),
    _rt("typeof", ["T"], "str", True, False, 1, 1, "run-time type label (5.7)"),
    _rt("istype", ["T", "str"], "bool", False, False, 2, 2, "typeof(a0) == a1 (5.7)"),
    _rt("assert_eq", ["str", "T", "T"], "bool", True, True, 3, 3,
        "deep equality of a1 (actual) and a2 (expected), else the assert_eq error (5.8)"),
    _rt("timestamp", [], "f64", False, False, 0, 0, "monotonic seconds (5.9)"),
    _rt("destructure_check", ["[T]", "i32"], "void", False, True, 2, 2,
        "fails with `Destructuring expected a1 elements, got len(a0)` unless they agree (2.19)"),
]

RUNTIME: dict[str, RtFn] = {f.name: f for f in RUNTIME_LIST}
assert len(RUNTIME) == len(RUNTIME_LIST), "duplicate runtime builtin"
