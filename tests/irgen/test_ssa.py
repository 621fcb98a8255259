"""SSA construction (orus.irgen.ssa) on hand-built control flow: values flow through
block parameters exactly where paths with different definitions meet."""

from __future__ import annotations

import pytest

from orus.ir import types as I
from orus.ir.builder import Builder, new_function
from orus.ir.func import Module
from orus.ir.verify import check_module
from orus.irgen.ssa import SSABuilder, UndefinedVariable


def setup():
    m = Module()
    fn = new_function(m, "f", [I.BOOL], I.I32)
    b = Builder(m, fn)
    ssa = SSABuilder(b)
    ssa.sealed.add(fn.entry)
    return m, fn, b, ssa


def test_straight_line_read_sees_last_write():
    m, fn, b, ssa = setup()
    one, two = b.const(I.I32, 1), b.const(I.I32, 2)
    ssa.write("x", one)
    ssa.write("x", two)
    assert ssa.read("x") is two


def test_diamond_merges_through_a_parameter():
    m, fn, b, ssa = setup()
    ssa.write("x", b.const(I.I32, 0))
    yes, no, done = b.new_block(), b.new_block(), b.new_block()
    ssa.br(fn.params[0], yes, no)
    for blk in (yes, no):
        ssa.seal(blk)
    b.position_at(yes)
    one = b.const(I.I32, 1)
    ssa.write("x", one)
    ssa.jmp(done)
    b.position_at(no)
    ssa.jmp(done)
    ssa.seal(done)
    b.position_at(done)
    x = ssa.read("x")
    b.ret(x)
    assert done.params == [x]
    assert [t.args for t in yes.terminator.targets] == [[one]]
    assert no.terminator.targets[0].args[0].defn.attrs["value"] == 0
    assert check_module(m) == []


def test_unsealed_loop_header_completes_its_parameters_when_sealed():
    m, fn, b, ssa = setup()
    zero = b.const(I.I32, 0)
    ssa.write("i", zero)
    header, body, out = b.new_block(), b.new_block(), b.new_block()
    ssa.jmp(header)
    b.position_at(header)
    i = ssa.read("i")                     # header not sealed yet: a pending parameter
    assert header.params == [i]
    ssa.br(fn.params[0], body, out)
    ssa.seal(body)
    b.position_at(body)
    nxt = b.emit("add", [i, b.const(I.I32, 1)], loc=(1, 1), type=I.I32)
    ssa.write("i", nxt)
    ssa.jmp(header)
    ssa.seal(header)
    ssa.seal(out)
    b.position_at(out)
    b.ret(ssa.read("i"))
    assert fn.entry.terminator.targets[0].args == [zero]
    assert body.terminator.targets[0].args == [nxt]
    assert check_module(m) == []


def test_handler_reads_through_its_virtual_predecessor_without_parameters():
    m, fn, b, ssa = setup()
    v = b.const(I.I32, 7)
    ssa.write("x", v)
    pre = b.block
    catch = b.new_block(I.ERROR)
    ssa.add_virtual_pred(catch, pre)
    ssa.seal(catch)
    start = b.new_block(handler=catch)
    ssa.jmp(start)
    ssa.seal(start)
    b.position_at(start)
    b.ret(ssa.read("x"))
    b.position_at(catch)
    assert ssa.read("x") is v
    b.ret(v)
    assert len(catch.params) == 1
    assert check_module(m) == []


def test_read_without_definition_is_an_internal_error():
    m, fn, b, ssa = setup()
    with pytest.raises(UndefinedVariable):
        ssa.read("nope")
