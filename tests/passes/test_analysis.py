"""The read-only analyses passes rely on (orus.analysis): edges, handlers, uses, availability."""

from __future__ import annotations

from orus.analysis.cfg import BODY, START, avail_tree, handler_blocks, incoming, reachable
from orus.analysis.uses import use_counts, users
from orus.ir.reader import parse_module
from orus.ir.verify import check_module

TEXT = """\
fn @g() -> void {
b0:
  ret
}

fn @f(v0: bool, v1: i32) -> i32 {
b0(v0: bool, v1: i32):
  br v0, b1(v1), b1(v1)
b1(v2: i32) handler b3:
  call @g !1:1
  v3 = add.i32 v2, v2 !1:2
  jmp b2
b2:
  ret v3
b3(v4: error):
  ret v2
b4:
  ret v1
}
"""


def _f():
    module = parse_module(TEXT)
    assert check_module(module) == []
    fn = module.functions["f"]
    return fn, {b.id: b for b in fn.blocks}


def test_incoming_counts_every_target_and_ignores_handler_edges():
    fn, b = _f()
    edges = incoming(fn)
    assert [t.block for _, t in edges[b[1]]] == [b[1], b[1]]      # the br's two edges
    assert edges[b[3]] == [] and edges[b[0]] == []
    assert handler_blocks(fn) == {b[3]}


def test_reachable_follows_handler_edges_and_skips_dead_blocks():
    fn, b = _f()
    assert set(reachable(fn)) == {b[0], b[1], b[2], b[3]}


def test_uses_count_operands_and_edge_arguments():
    fn, b = _f()
    v = {p.id: p for blk in fn.blocks for p in blk.params}
    counts = use_counts(fn)
    assert counts[v[1]] == 3                          # twice on the br's edges, once in b4
    assert counts[v[2]] == 3                          # add's two operands and b3's ret
    assert [i.name for i in users(fn)[v[2]]] == ["add", "ret"]


def test_a_handler_is_entered_before_its_blocks_body_ran():
    fn, b = _f()
    tree = avail_tree(fn)
    assert tree.dominates((b[1], BODY), (b[2], START))       # b2 runs after b1's body
    assert not tree.dominates((b[1], BODY), (b[3], START))   # b3 may start mid-b1
    assert tree.dominates((b[1], START), (b[3], START))      # but b1's parameters exist there
    assert not tree.reachable((b[4], START))
