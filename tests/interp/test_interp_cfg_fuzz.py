"""Differential fuzzing of the two layouts of structure.py on random control-flow graphs.

A random graph of "nodes" (each: print its number, decrement a global fuel
counter, return when it runs out, else branch on the fuel to one of two random
nodes) plus handler blocks (a node's division may fail when fuel % 4 == 0) is
run with the structured layout and with the dispatch layout; the outputs must
agree. Random graphs include irreducible ones, loops with several exits and
jumps past merge points, so this exercises every rule of the structurer and
its fallbacks.
"""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from orus.backend.interp.compile import Env, FnCtx
from orus.backend.interp.run import run_module
from orus.backend.interp.structure import Structurer
from orus.ir import types as T
from orus.ir.builder import Builder, new_function
from orus.ir.dominance import DomTree
from orus.ir.func import Function, Global, Module, Target
from orus.ir.verify import check_module


def build(n_nodes: int, edges: list[tuple[int, int]], handlers: list[int], fuel: int) -> Module:
    m = Module()
    m.globals["fuel"] = Global("fuel", T.I32)
    fn = new_function(m, "main", [], T.VOID)
    b = Builder(m, fn)
    entry = fn.entry
    ret = b.new_block()
    handler_blocks = [b.new_block(T.ERROR) for _ in range(max(handlers, default=0) + 1)]
    heads = [b.new_block() for _ in range(n_nodes)]
    b.position_at(entry)
    b.emit("gset", [b.const(T.I32, fuel)], **{"global": "fuel"})
    b.jmp(heads[0])
    b.position_at(ret)
    b.ret()
    for k, h in enumerate(handler_blocks):
        b.position_at(h)
        b.emit("print", [b.const(T.I32, 1000 + k)], format=0)
        b.jmp(heads[(k * 7) % n_nodes])
    for i, head in enumerate(heads):
        choose = b.new_block(handler=handler_blocks[handlers[i]] if handlers[i] >= 0 else None)
        b.position_at(head)
        b.emit("print", [b.const(T.I32, i)], format=0)
        left = b.emit("sub", [b.emit("gget", **{"global": "fuel"}), b.const(T.I32, 1)], loc=(1, 1), type=T.I32)
        b.emit("gset", [left], **{"global": "fuel"})
        b.br(b.emit("le", [left, b.const(T.I32, 0)]), ret, choose)
        b.position_at(choose)
        b.emit("div", [b.const(T.I32, 7), b.emit("rem", [left, b.const(T.I32, 4)], loc=(2, 2), type=T.I32)],
               loc=(3, 3), type=T.I32)
        odd = b.emit("eq", [b.emit("rem", [left, b.const(T.I32, 2)], loc=(4, 4), type=T.I32), b.const(T.I32, 1)])
        b.emit("br", [odd], [Target(heads[edges[i][0]]), Target(heads[edges[i][1]])])
    return m


@st.composite
def graphs(draw):
    n = draw(st.integers(1, 7))
    edges = [(draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))) for _ in range(n)]
    handlers = [draw(st.integers(-1, 2)) for _ in range(n)]
    return n, edges, handlers, draw(st.integers(1, 40))


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_structured_and_dispatch_layouts_agree(graph):
    module = build(*graph)
    assert check_module(module) == []
    outputs = []
    for force in (False, True):
        out = io.BytesIO()
        result = run_module(module, io.BytesIO(), out, force_dispatch=force)
        outputs.append((out.getvalue(), result.status, result.failure and result.failure.message))
    assert outputs[0] == outputs[1]


def reducible(fn: Function) -> bool:
    """Without its back edges (edges to a dominator) the graph is acyclic."""
    dom = DomTree(fn.entry, lambda b: b.successors())
    forward = {b: [s for s in b.successors() if not dom.dominates(s, b)] for b in dom.order}
    rank = {b: k for k, b in enumerate(dom.order)}       # reverse postorder
    return all(rank[b] < rank[s] for b in forward for s in forward[b])


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_reducible_graphs_never_need_the_dispatch_loop(graph):
    module = build(*graph)
    fn = module.functions["main"]
    if reducible(fn):
        Structurer(FnCtx(Env(module, io.BytesIO(), lambda data: None), fn), fn).layout()
