"""Small IR edits shared by several passes (they change a function in place).

  replace_uses   redirect every read of some values to others (chains resolved)
  make_const     turn an instruction into a `const` with the same result value
"""

from __future__ import annotations

from orus.ir.func import Function, Instr, Value
from orus.ir.opdefs import OP_BY_NAME

_CONST = OP_BY_NAME["const"]


def resolve(mapping: dict[Value, Value], v: Value) -> Value:
    """The final replacement of v (following v -> w -> ...), or v itself."""
    seen = 0
    while v in mapping:
        v = mapping[v]
        seen += 1
        assert seen <= len(mapping), "cyclic value replacement"
    return v


def replace_uses(fn: Function, mapping: dict[Value, Value]) -> None:
    """Make every operand and edge argument that reads a key of `mapping` read its replacement."""
    if not mapping:
        return
    for instr in fn.instructions():
        if any(a in mapping for a in instr.args):
            instr.args = [resolve(mapping, a) for a in instr.args]
        for t in instr.targets:
            if any(a in mapping for a in t.args):
                t.args = [resolve(mapping, a) for a in t.args]


def make_const(instr: Instr, value) -> None:
    """Rewrite `instr` in place as `const.T value`, T its result's type; the result value stays."""
    instr.op = _CONST
    instr.args = []
    instr.targets = []
    instr.attrs = {"type": instr.result.type, "value": value}
    instr.loc = None
