"""Decide integer comparisons from the branch conditions that dominate them.

Needs: valid SSA. Keeps: dominance (a decided comparison becomes a `const.bool`).
A block entered only by one edge of `br c, ...`, where c compares two integers,
starts a region (the blocks it dominates) in which c is known true (first
target) or false (second target). Inside, each operand of an integer
comparison gets an interval: its constant value or its type's range, narrowed
by the known conditions that relate it to a constant or to a value of known
type (`x < y` gives x <= max(y) - 1, whatever x's and y's types: Orus compares
integers exactly). A comparison that is a known condition (or its negation),
or that the intervals decide, becomes a constant.
Algorithm:
  1. Find each block's single entering edge from a `br` (not the handler of any block).
  2. Walk the dominator tree, pushing a block's condition while in its subtree.
  3. Fold the integer comparisons of each block with the conditions in scope.
The typical catch is the overflow guard of a counted loop: inside the body of
`for i in 0..n`, `i < n` holds, so `i > 2147483646` is false.

    b1(v1: i32):                                 b1(v1: i32):
      v2 = lt v1, v0                               v2 = lt v1, v0
      br v2, b2, b3                                br v2, b2, b3
    b2:                                =>        b2:
      v3 = const.i32 2147483646                    v3 = const.i32 2147483646
      v4 = gt v1, v3                               v4 = const.bool false
"""

from __future__ import annotations

from typing import Optional

from orus.analysis.cfg import handler_blocks, incoming
from orus.ir import types as T
from orus.ir.dominance import dominator_tree
from orus.ir.func import Block, Function, Instr, Value
from orus.passes.constfold import constant_of
from orus.passes.rewrite import make_const
from orus.semantics import ints

# relation -> (its negation, the same relation seen from the other operand)
_REL = {"lt": ("ge", "gt"), "le": ("gt", "ge"), "gt": ("le", "lt"), "ge": ("lt", "le"),
        "eq": ("ne", "eq"), "ne": ("eq", "ne")}
Fact = tuple[str, Value, Value]          # relation, a, b: `a REL b` holds


def fold_dominated_conditions(fn: Function, ctx) -> bool:
    entering = _entering_facts(fn)
    if not entering:
        return False
    tree = dominator_tree(fn)
    changed = False
    stack: list = [(fn.entry, False)]
    facts: list[Fact] = []
    while stack:
        b, leaving = stack.pop()
        if leaving:
            facts.pop()
            continue
        fact = entering.get(b)
        if fact is not None:
            facts.append(fact)
            stack.append((b, True))
        changed |= _fold_block(b, facts)
        stack.extend((c, False) for c in tree.children(b))
    return changed


def _compare_of(v: Value) -> Optional[Instr]:
    """The instruction defining v when it compares two integers, else None."""
    d = v.defn
    if isinstance(d, Instr) and d.name in _REL and all(T.is_int(a.type) for a in d.args):
        return d
    return None


def _entering_facts(fn: Function) -> dict[Block, Fact]:
    handlers = handler_blocks(fn)
    facts: dict[Block, Fact] = {}
    for b, edges in incoming(fn).items():
        if len(edges) != 1 or b in handlers or b is fn.entry:
            continue
        term, t = edges[0]
        cmp = _compare_of(term.args[0]) if term.name == "br" else None
        if cmp is None or term.block is b:
            continue
        rel = cmp.name if t is term.targets[0] else _REL[cmp.name][0]
        facts[b] = (rel, cmp.args[0], cmp.args[1])
    return facts


def _base(v: Value) -> tuple[int, int]:
    known, value = constant_of(v)
    return (value, value) if known else ints.bounds(v.type.name)


def _interval(v: Value, facts: list[Fact]) -> tuple[int, int]:
    lo, hi = _base(v)
    for rel, a, b in facts:
        if b is v:
            rel, a, b = _REL[rel][1], b, a
        if a is not v:
            continue
        olo, ohi = _base(b)
        if rel in ("lt", "le", "eq"):
            hi = min(hi, ohi - (rel == "lt"))
        if rel in ("gt", "ge", "eq"):
            lo = max(lo, olo + (rel == "gt"))
    return lo, hi


def _decide(rel: str, a: tuple[int, int], b: tuple[int, int]) -> Optional[bool]:
    """`x REL y` for every x in a and y in b: True, False, or None when it depends."""
    if rel in ("ge", "gt", "ne"):
        negated = _decide(_REL[rel][0], a, b)
        return None if negated is None else not negated
    if rel == "lt":
        return True if a[1] < b[0] else False if a[0] >= b[1] else None
    if rel == "le":
        return True if a[1] <= b[0] else False if a[0] > b[1] else None
    if a[0] == a[1] == b[0] == b[1]:
        return True
    return False if a[1] < b[0] or b[1] < a[0] else None


def _known(rel: str, a: Value, b: Value, facts: list[Fact]) -> Optional[bool]:
    """`a REL b` when a condition in scope is that comparison or its negation (any operands)."""
    for frel, fa, fb in facts:
        if (fb, fa) == (a, b):
            frel, fa, fb = _REL[frel][1], fb, fa
        if (fa, fb) == (a, b) and frel in (rel, _REL[rel][0]):
            return frel == rel
    return None


def _fold_block(b: Block, facts: list[Fact]) -> bool:
    if not facts:
        return False
    changed = False
    for i in b.instrs:
        if i.result is None or _compare_of(i.result) is None:
            continue
        result = _known(i.name, i.args[0], i.args[1], facts)
        if result is None:
            result = _decide(i.name, _interval(i.args[0], facts), _interval(i.args[1], facts))
        if result is not None:
            make_const(i, result)
            changed = True
    return changed
