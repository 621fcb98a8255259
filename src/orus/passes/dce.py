"""Delete computations whose results are never needed, and the block parameters they feed.

Needs: valid SSA. Keeps: dominance, every side effect. An instruction is
*removable* when its op is PURE and this instruction cannot fail (`may_fail`
refines MAY_FAIL per instruction: `add.u32` wraps, `add.i32` may trap); PURE
allocations (MAY_GC without other effects) count, since no one can observe an
allocation nobody reads. Everything else (calls, stores, prints, ops that may
trap, terminators) is a root. Algorithm (mark and sweep over values):
  1. Mark live the operands of every root.
  2. Propagate: a live result of a removable instruction makes its operands
     live; a live parameter of a block makes the matching argument of every
     edge into it live.
  3. Sweep: delete removable instructions whose result is not live, and the
     dead parameters (with their edge arguments) of blocks other than the entry
     and handlers. So a loop variable that is only passed around disappears.

    b1(v4: i32, v5: i64):                 b1(v4: i32):
      v6 = add.u64 v5, v5                   ...
      ...                          =>       jmp b1(v7)
      jmp b1(v7, v6)            (v5 and v6 are read only by each other)
"""

from __future__ import annotations

from orus.analysis.cfg import handler_blocks, incoming
from orus.ir import opdefs as O
from orus.ir.func import Function, Instr, Value


def removable(i: Instr) -> bool:
    """Deleting i changes nothing observable when its result is unused."""
    return i.result is not None and bool(i.op.flags & O.PURE) and not i.op.may_fail(i)


def eliminate_dead_code(fn: Function, ctx) -> bool:
    edges = incoming(fn)
    fixed = handler_blocks(fn) | {fn.entry}
    live = _mark(fn, edges, fixed)
    changed = False
    for b in fn.blocks:
        kept = [i for i in b.instrs if not removable(i) or i.result in live]
        changed |= len(kept) != len(b.instrs)
        b.instrs = kept
        if b not in fixed and any(p not in live for p in b.params):
            keep = [k for k, p in enumerate(b.params) if p in live]
            b.params = [b.params[k] for k in keep]
            for _, t in edges[b]:
                t.args = [t.args[k] for k in keep]
            changed = True
    return changed


def _mark(fn: Function, edges, fixed: set) -> set[Value]:
    live: set[Value] = set()
    work: list[Value] = []
    for b in fn.blocks:
        if b in fixed:                      # kept parameters keep what the edges pass them
            live.update(b.params)
            work.extend(a for _, t in edges[b] for a in t.args)
        for i in b.instrs:
            if not removable(i):
                work.extend(i.args)
    param_slot = {p: (b, k) for b in fn.blocks if b not in fixed for k, p in enumerate(b.params)}
    while work:
        v = work.pop()
        if v in live:
            continue
        live.add(v)
        if isinstance(v.defn, Instr) and removable(v.defn):
            work.extend(v.defn.args)
        elif v in param_slot:
            b, k = param_slot[v]
            work.extend(t.args[k] for _, t in edges[b])
    return live
