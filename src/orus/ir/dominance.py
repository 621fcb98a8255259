"""Dominator trees and predecessor maps over control-flow graphs.

This lives in `ir/` rather than `analysis/` because the verifier needs it and
`ir` may not import `analysis` (STYLE.md section 2); `analysis/` re-exports or
builds on it.

Algorithm (Cooper, Harvey and Kennedy, "A Simple, Fast Dominance Algorithm"):
  1. Number the nodes reachable from the entry in reverse postorder (iterative
     DFS, so deep graphs do not hit Python's recursion limit).
  2. Iterate `idom(n) = intersect of idom over n's processed predecessors` in
     that order until nothing changes; `intersect` walks both fingers up the
     tree by RPO number.
  3. Number the dominator tree in DFS pre/post order so `dominates(a, b)` is
     two integer comparisons.

`DomTree` is generic over any hashable node with a successor function; the
verifier uses it on a graph of half-blocks (see verify.py). `dominator_tree`
builds it on a function's blocks, where a block's successors include its
handler (func.Block.successors). Unreachable nodes are not in the tree:
`reachable(n)` is False and they neither dominate nor are dominated.
"""

from __future__ import annotations

from typing import Callable, Hashable, Iterable, Optional

from orus.ir.func import Block, Function


def predecessors(fn: Function) -> dict[Block, list[Block]]:
    """Each block's predecessors (handler edges included), in block order, no duplicates."""
    preds: dict[Block, list[Block]] = {b: [] for b in fn.blocks}
    for b in fn.blocks:
        for s in b.successors():
            if s in preds and (not preds[s] or preds[s][-1] is not b):
                preds[s].append(b)
    return preds


def reverse_postorder(entry: Hashable, succs: Callable[[Hashable], Iterable[Hashable]]) -> list:
    """Nodes reachable from `entry`, in reverse postorder of a depth-first search."""
    seen = {entry}
    post: list = []
    stack = [(entry, iter(succs(entry)))]
    while stack:
        node, it = stack[-1]
        for s in it:
            if s not in seen:
                seen.add(s)
                stack.append((s, iter(succs(s))))
                break
        else:
            stack.pop()
            post.append(node)
    post.reverse()
    return post


class DomTree:
    """Immediate dominators of the nodes reachable from `entry`."""

    def __init__(self, entry: Hashable, succs: Callable[[Hashable], Iterable[Hashable]]):
        self.order = reverse_postorder(entry, succs)
        self._num = {n: i for i, n in enumerate(self.order)}
        self._idom = self._compute_idoms(succs)
        self._children: dict = {n: [] for n in self.order}
        for i, n in enumerate(self.order[1:], 1):
            self._children[self.order[self._idom[i]]].append(n)
        self._pre: dict = {}
        self._post: dict = {}
        self._number_tree()

    def _compute_idoms(self, succs) -> list[int]:
        num = self._num
        preds: list[list[int]] = [[] for _ in self.order]
        for i, n in enumerate(self.order):
            for s in succs(n):
                if s in num:
                    preds[num[s]].append(i)
        idom = [-1] * len(self.order)
        idom[0] = 0
        changed = True
        while changed:
            changed = False
            for i in range(1, len(self.order)):
                new = -1
                for p in preds[i]:
                    if idom[p] < 0:
                        continue
                    new = p if new < 0 else _intersect(idom, p, new)
                if new != idom[i]:
                    idom[i] = new
                    changed = True
        return idom

    def _number_tree(self) -> None:
        counter = 0
        stack = [(self.order[0], False)]
        while stack:
            node, done = stack.pop()
            if done:
                self._post[node] = counter
            else:
                self._pre[node] = counter
                stack.append((node, True))
                stack.extend((c, False) for c in reversed(self._children[node]))
            counter += 1

    def reachable(self, node: Hashable) -> bool:
        return node in self._num

    def idom(self, node: Hashable) -> Optional[Hashable]:
        """The immediate dominator; None for the entry and unreachable nodes."""
        i = self._num.get(node, 0)
        return self.order[self._idom[i]] if i else None

    def children(self, node: Hashable) -> list:
        return self._children.get(node, [])

    def dominates(self, a: Hashable, b: Hashable) -> bool:
        """a dominates b (reflexive); False if either is unreachable."""
        if a not in self._pre or b not in self._pre:
            return False
        return self._pre[a] <= self._pre[b] and self._post[b] <= self._post[a]

    def strictly_dominates(self, a: Hashable, b: Hashable) -> bool:
        return a != b and self.dominates(a, b)


def _intersect(idom: list[int], a: int, b: int) -> int:
    while a != b:
        while a > b:
            a = idom[a]
        while b > a:
            b = idom[b]
    return a


def dominator_tree(fn: Function) -> DomTree:
    """The dominator tree of `fn`'s blocks; handler edges count as edges."""
    members = set(fn.blocks)
    return DomTree(fn.entry, lambda b: [s for s in b.successors() if s in members])
