"""Simplify the control-flow graph: fold constant branches, drop dead blocks, shorten jumps.

Needs: a function whose blocks all end in a terminator. Keeps: SSA, dominance of
every use, the entry block first; handler blocks (entered with an error) are
never bypassed or merged. Repeats four steps until none changes anything:
  1. `br` on a constant condition, or with two identical targets, becomes `jmp`.
  2. Blocks unreachable from the entry (handler edges count) are deleted.
  3. A block holding only `jmp T(args)` is bypassed: each edge into it goes
     straight to T, its parameters replaced by the edge's arguments. Skipped when
     its parameters are read anywhere but that jump (blocks it dominates may).
  4. A block whose single incoming edge is its predecessor's `jmp` is merged
     into that predecessor (same handler needed); its parameters become the
     jump's arguments.

    b0:                            b0:
      v1 = const.bool true           v1 = const.bool true     (dce deletes it)
      br v1, b1, b2          =>      v2 = const.i32 1
    b1:                              ret v2
      jmp b3
    b2:
      jmp b3
    b3:
      v2 = const.i32 1
      ret v2
"""

from __future__ import annotations

from orus.analysis.cfg import handler_blocks, incoming, reachable
from orus.analysis.uses import use_counts
from orus.ir.func import Block, Function, Instr, Target
from orus.ir.opdefs import OP_BY_NAME
from orus.passes.rewrite import replace_uses

_JMP = OP_BY_NAME["jmp"]


def simplify_cfg(fn: Function, ctx) -> bool:
    changed = False
    while True:
        step = _fold_branches(fn)
        step |= _remove_unreachable(fn)
        step |= _bypass_jumps(fn)
        step |= _merge_blocks(fn)
        if not step:
            return changed
        changed = True


def _jump(block: Block, target: Target) -> Instr:
    return Instr(_JMP, [], None, {}, [target], None, block)


def _fold_branches(fn: Function) -> bool:
    changed = False
    for b in fn.blocks:
        term = b.terminator
        if term is None or term.name != "br":
            continue
        t0, t1 = term.targets
        cond = term.args[0].defn
        if isinstance(cond, Instr) and cond.name == "const":
            taken = t0 if cond.attrs["value"] else t1
        elif t0.block is t1.block and t0.args == t1.args:
            taken = t0
        else:
            continue
        b.instrs[-1] = _jump(b, taken)
        changed = True
    return changed


def _remove_unreachable(fn: Function) -> bool:
    live = set(reachable(fn))
    if len(live) == len(fn.blocks):
        return False
    fn.blocks = [b for b in fn.blocks if b in live]
    return True


def _bypassable(b: Block, fn: Function, handlers: set, counts) -> bool:
    """b holds only a jump elsewhere, and its parameters are read by that jump alone."""
    if b is fn.entry or b in handlers or len(b.instrs) != 1 or b.instrs[0].name != "jmp":
        return False
    target = b.instrs[0].targets[0]
    if target.block is b:
        return False
    own = target.args.count
    return all(counts[p] == own(p) for p in b.params)


def _bypass_jumps(fn: Function) -> bool:
    handlers, counts, edges = handler_blocks(fn), use_counts(fn), incoming(fn)
    removed: set[Block] = set()
    changed = False
    for b in fn.blocks:
        if not edges[b] or not _bypassable(b, fn, handlers, counts):
            continue
        out = b.instrs[0].targets[0]
        kept = []
        for term, t in edges[b]:
            args = [dict(zip(b.params, t.args)).get(a, a) for a in out.args]
            if _clashes(term, t, out.block, args):
                kept.append((term, t))
                continue
            counts.subtract(t.args)
            t.block, t.args = out.block, args
            counts.update(args)
            edges[out.block].append((term, t))
            changed = True
        edges[b] = kept
        if not kept:
            counts.subtract(out.args)
            edges[out.block] = [e for e in edges[out.block] if e[1] is not out]
            removed.add(b)
    fn.blocks = [b for b in fn.blocks if b not in removed]
    return changed


def _clashes(term: Instr, t: Target, block: Block, args: list) -> bool:
    """Another edge of `term` already goes to `block` with other arguments: a `br` with one
    block as both targets must pass the same values (an LLVM phi has one entry per
    predecessor, and tier 0 lays out each predecessor block once)."""
    return any(o is not t and o.block is block and o.args != args for o in term.targets)


def _merge_blocks(fn: Function) -> bool:
    handlers, edges = handler_blocks(fn), incoming(fn)
    merged: set[Block] = set()
    mapping: dict = {}
    for p in fn.blocks:
        while p not in merged:
            term = p.terminator
            if term is None or term.name != "jmp":
                break
            t = term.targets[0]
            b = t.block
            if b is p or b is fn.entry or b in handlers or len(edges[b]) != 1 or b.handler is not p.handler:
                break
            mapping.update(zip(b.params, t.args))
            for instr in b.instrs:
                instr.block = p
            p.instrs[-1:] = b.instrs
            merged.add(b)
    if not merged:
        return False
    fn.blocks = [b for b in fn.blocks if b not in merged]
    replace_uses(fn, mapping)
    return True
