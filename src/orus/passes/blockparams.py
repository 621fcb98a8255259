"""Remove block parameters that always receive the same value (trivial-phi removal).

A parameter p of block B is trivial when every edge into B passes either one
value v or p itself; then p can be replaced by v everywhere, and the parameter
and the matching argument of every edge are deleted. Parameters that only pass
each other around (p = (v, q), q = (v, p)) are trivial as a group, so the pass
solves the question optimistically, to a fixpoint (as SCCP does for constants):
  1. Every candidate parameter starts UNKNOWN (it may be any single value).
  2. A parameter's state is the meet of what its edges pass: the value itself
     for a non-candidate, the state of a candidate parameter q (UNKNOWN adds
     nothing, MANY means q itself, which is then a value of its own; p passed
     to itself adds nothing); two different values meet to MANY.
     Recompute every state until none changes (states only move down).
  3. A parameter whose final state is a value v is replaced by v. Sound: on any
     path to B, the first edge into a block of the group passes a value that
     dominates it, and that can only be v, so v dominates B.
The entry block's parameters are the function's, and a handler block's
parameter receives the error, so both are kept. Needs: valid SSA. Keeps: dominance.

    b0(v0: i32, v1: i32):                       b0(v0: i32, v1: i32):
      jmp b1(v0, v1)                               jmp b1(v0)
    b1(v2: i32, v3: i32):              =>        b1(v2: i32):
      ...                                          ...         (v3 read as v1)
      jmp b1(v7, v3)                               jmp b1(v7)
"""

from __future__ import annotations

from orus.analysis.cfg import handler_blocks, incoming
from orus.ir.func import Function, Value
from orus.passes.rewrite import replace_uses

MANY = object()          # receives two different values (UNKNOWN is absence from `state`)


def remove_trivial_params(fn: Function, ctx) -> bool:
    handlers = handler_blocks(fn)
    edges = incoming(fn)
    blocks = [b for b in fn.blocks[1:] if b.params and b not in handlers and edges[b]]
    slots = {p: (b, k) for b in blocks for k, p in enumerate(b.params)}
    state: dict[Value, object] = {}
    changed = True
    while changed:
        changed = False
        for p, (b, k) in slots.items():
            if state.get(p) is MANY:
                continue
            new = _meet(p, [t.args[k] for _, t in edges[b]], slots, state)
            if new is not None and new is not state.get(p):
                state[p] = new
                changed = True
    mapping = {p: v for p, v in state.items() if v is not MANY}
    if not mapping:
        return False
    for b in blocks:
        keep = [k for k, p in enumerate(b.params) if p not in mapping]
        if len(keep) < len(b.params):
            b.params = [b.params[k] for k in keep]
            for _, t in edges[b]:
                t.args = [t.args[k] for k in keep]
    replace_uses(fn, mapping)
    return True


def _meet(p: Value, args: list[Value], slots: dict, state: dict):
    """The meet over the values passed to p: None (UNKNOWN), one Value, or MANY."""
    found = None
    for a in args:
        v = state.get(a) if a in slots else a
        if v is MANY:                    # a parameter of its own: it is the value passed
            v = a
        if v is None or v is p:
            continue
        if found is not None and v is not found:
            return MANY
        found = v
    return found
