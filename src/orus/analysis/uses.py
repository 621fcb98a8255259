"""Def-use facts: which instructions use each value.

A use is an operand (`instr.args`) or an edge argument (`target.args`) of an
instruction; both count, so a value passed only to a block parameter is used.
"""

from __future__ import annotations

from collections import Counter

from orus.ir.func import Function, Instr, Value


def operands(instr: Instr) -> list[Value]:
    """Every value `instr` reads: its operands, then its edges' arguments."""
    out = list(instr.args)
    for t in instr.targets:
        out.extend(t.args)
    return out


def use_counts(fn: Function) -> Counter:
    """How many times each value is read in `fn` (values never read are absent)."""
    counts: Counter = Counter()
    for instr in fn.instructions():
        counts.update(operands(instr))
    return counts


def users(fn: Function) -> dict[Value, list[Instr]]:
    """The instructions that read each value, in block order, each listed once per value."""
    out: dict[Value, list[Instr]] = {}
    for instr in fn.instructions():
        for v in dict.fromkeys(operands(instr)):
            out.setdefault(v, []).append(instr)
    return out
