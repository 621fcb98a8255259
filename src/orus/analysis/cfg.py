"""Control-flow facts: edges into each block, handler blocks, reachability, availability.

Edges are counted per `Target`, so `br c, b1(x), b1(y)` gives b1 two incoming
edges. Handler edges (a block whose MAY_FAIL instruction fails goes to its
`handler`) carry no arguments and are listed separately by `handler_blocks`.

`avail_tree` answers "is the result of an instruction in block A available in
block B": like the verifier (ir/verify.py, step 3) it splits each block into a
*start* node and a *body* node (start -> body, start -> handler, body ->
targets), because a handler is entered from the middle of a block, before the
block's later instructions ran. A value computed in A's body is available in B
exactly when body(A) dominates start(B).
"""

from __future__ import annotations

from orus.ir.dominance import DomTree, reverse_postorder
from orus.ir.func import Block, Function, Instr, Target


def incoming(fn: Function) -> dict[Block, list[tuple[Instr, Target]]]:
    """For each block, the (terminator, target) pairs that jump to it, in block order."""
    edges: dict[Block, list[tuple[Instr, Target]]] = {b: [] for b in fn.blocks}
    for b in fn.blocks:
        term = b.terminator
        for t in term.targets if term else ():
            edges.setdefault(t.block, []).append((term, t))
    return edges


def handler_blocks(fn: Function) -> set[Block]:
    """Blocks that are some block's handler (their parameter is filled by the error)."""
    return {b.handler for b in fn.blocks if b.handler is not None}


def reachable(fn: Function) -> list[Block]:
    """Blocks reachable from the entry (handler edges included), in reverse postorder."""
    return reverse_postorder(fn.entry, lambda b: b.successors())


START, BODY = 0, 1


def avail_tree(fn: Function) -> DomTree:
    """The dominator tree of `fn`'s half-blocks: nodes are (block, START) and (block, BODY).

    Its root is (fn.entry, START). An instruction of block A is available (has run, and
    not failed) wherever (A, BODY) dominates the node: later in A, and in the blocks
    whose START it dominates.
    """
    members = set(fn.blocks)

    def succs(node):
        b, half = node
        if half == START:
            return [(b, BODY)] + ([(b.handler, START)] if b.handler in members else [])
        term = b.terminator
        return [(t.block, START) for t in term.targets if t.block in members] if term else []

    return DomTree((fn.entry, START), succs)
