"""Common-subexpression elimination: reuse an identical pure result computed earlier.

Needs: valid SSA. Keeps: dominance. Two instructions are identical when they have
the same op, attributes and operands (for COMMUTATIVE ops, operands in either
order); constants are identical when type and value agree (-0.0 and 0.0, or
1 and 1.0, are different constants). A later identical instruction is deleted
and its value replaced by the earlier one's when the earlier one is available
there: it ran, and did not fail, on every path (`analysis.cfg.avail_tree`; a
handler is entered before the rest of its block ran). Only PURE ops take
part, MAY_FAIL ones included (with the same operands an op that did not fail
does not fail again), but no MAY_GC ones: those allocate, and closures compare
by identity.

    v1 = add.i32 v0, v0 !2:1           v1 = add.i32 v0, v0 !2:1
    v2 = const.i32 7           =>      v2 = const.i32 7
    v3 = add.i32 v0, v0 !3:1           v5 = mul.i32 v1, v2 !4:1
    v4 = const.i32 7
    v5 = mul.i32 v3, v4 !4:1
"""

from __future__ import annotations

import math

from orus.analysis.cfg import BODY, avail_tree
from orus.ir import opdefs as O
from orus.ir.func import Function, Instr
from orus.passes.rewrite import replace_uses


def _literal_key(ty, value):
    """Constants equal as Python values may differ as Orus values: keep the type, the
    float's sign and NaN-ness, and bool apart from int."""
    if isinstance(value, float):
        return (str(ty), "f", math.copysign(1.0, value), repr(value))
    return (str(ty), type(value).__name__, value)


def key_of(i: Instr):
    """A hashable identity of what `i` computes, or None when it must not be shared."""
    op = i.op
    if not op.flags & O.PURE or op.flags & O.MAY_GC or op.is_terminator or i.result is None:
        return None
    if op.name == "const":
        return ("const", _literal_key(i.attrs["type"], i.attrs["value"]))
    args = tuple(a.id for a in i.args)
    if op.flags & O.COMMUTATIVE:
        args = tuple(sorted(args))
    attrs = tuple((name, str(i.attrs.get(name))) for name, _ in op.attrs)
    return (op.name, attrs, args)


def eliminate_common_subexpressions(fn: Function, ctx) -> bool:
    tree = avail_tree(fn)
    table: dict = {}
    mapping: dict = {}
    stack = [(tree.order[0], None)]
    while stack:
        node, undo = stack.pop()
        if undo is not None:                 # leaving node: forget what it made available
            for k in undo:
                del table[k]
            continue
        block, half = node
        added = _scan(block, table, mapping) if half == BODY else []
        stack.append((node, added))
        stack.extend((c, None) for c in tree.children(node))
    if not mapping:
        return False
    for b in fn.blocks:
        b.instrs = [i for i in b.instrs if i.result not in mapping]
    replace_uses(fn, mapping)
    return True


def _scan(block, table: dict, mapping: dict) -> list:
    """Record block's pure results in `table`; map duplicates to their first occurrence."""
    added = []
    for i in block.instrs:
        if any(a in mapping for a in i.args):
            i.args = [mapping.get(a, a) for a in i.args]
        k = key_of(i)
        if k is None:
            continue
        if k in table:
            mapping[i.result] = table[k]
        else:
            table[k] = i.result
            added.append(k)
    return added
