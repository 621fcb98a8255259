"""Dominator trees and predecessor maps (ir/dominance.py) on hand-drawn CFGs."""

from hypothesis import given, settings
from hypothesis import strategies as st

from orus.ir.dominance import DomTree, dominator_tree, predecessors, reverse_postorder
from orus.ir.reader import parse_module


def graph_tree(edges: dict) -> DomTree:
    return DomTree(0, lambda n: edges.get(n, []))


def fn_of(text: str):
    return parse_module(text).functions["f"]


DIAMOND_LOOP = """fn @f(v0: bool) -> void {
b0(v0: bool):
  br v0, b1, b2
b1:
  jmp b3
b2:
  jmp b3
b3:
  br v0, b4, b5
b4:
  jmp b3
b5:
  ret
b6:
  jmp b5
}
"""


def test_diamond_and_loop_idoms():
    fn = fn_of(DIAMOND_LOOP)
    b = fn.blocks
    dom = dominator_tree(fn)
    assert [dom.idom(x) for x in b] == [None, b[0], b[0], b[0], b[3], b[3], None]
    assert dom.dominates(b[0], b[5]) and dom.dominates(b[3], b[4]) and dom.dominates(b[3], b[3])
    assert not dom.dominates(b[1], b[3]) and not dom.dominates(b[4], b[5])
    assert dom.strictly_dominates(b[0], b[3]) and not dom.strictly_dominates(b[3], b[3])
    assert set(dom.children(b[0])) == {b[1], b[2], b[3]}
    assert set(dom.children(b[3])) == {b[4], b[5]}


def test_unreachable_blocks_are_outside_the_tree():
    fn = fn_of(DIAMOND_LOOP)
    b = fn.blocks
    dom = dominator_tree(fn)
    assert not dom.reachable(b[6]) and dom.reachable(b[5])
    assert not dom.dominates(b[6], b[5]) and not dom.dominates(b[0], b[6])


def test_predecessors_include_handlers_and_keep_block_order():
    fn = fn_of("""fn @f(v0: bool) -> void {
b0(v0: bool):
  br v0, b1, b1
b1 handler b2:
  jmp b3
b2(v1: error):
  jmp b3
b3:
  ret
}
""")
    b = fn.blocks
    assert predecessors(fn) == {b[0]: [], b[1]: [b[0]], b[2]: [b[1]], b[3]: [b[1], b[2]]}
    assert dominator_tree(fn).idom(b[3]) is b[1]


def test_irreducible_graph():
    # 0 -> 1, 0 -> 2, 1 <-> 2: neither loop entry dominates the other.
    dom = graph_tree({0: [1, 2], 1: [2], 2: [1]})
    assert dom.idom(1) == 0 and dom.idom(2) == 0


def test_reverse_postorder_starts_at_entry_and_skips_unreachable():
    order = reverse_postorder(0, lambda n: {0: [1, 2], 1: [3], 2: [3]}.get(n, []))
    assert order[0] == 0 and order[-1] == 3 and sorted(order) == [0, 1, 2, 3]


def test_long_chain_needs_no_recursion():
    dom = graph_tree({i: [i + 1] for i in range(20000)})
    assert dom.idom(20000) == 19999 and dom.dominates(0, 20000)


def naive_dominators(edges: dict, n: int) -> dict[int, set[int]]:
    """Dominators by definition: d dominates x iff x is unreachable once d is removed."""
    def reach(skip):
        seen, stack = set(), [0] if skip != 0 else []
        while stack:
            x = stack.pop()
            if x not in seen:
                seen.add(x)
                stack.extend(s for s in edges.get(x, []) if s != skip)
        return seen
    reachable = reach(None)
    return {x: {d for d in reachable if x not in reach(d)} for x in reachable}


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 9).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))))
def test_matches_definition_on_random_graphs(graph):
    n, pairs = graph
    edges: dict = {}
    for a, b in pairs:
        edges.setdefault(a, []).append(b)
    dom = graph_tree(edges)
    for x, doms in naive_dominators(edges, n).items():
        assert {d for d in range(n) if dom.dominates(d, x)} == doms
