"""Property: on random valid functions the pipeline keeps the IR valid and the behaviour.

A random `@f(i32, f64) -> i32` is built from straight-line steps (constants,
arithmetic that may trap, bit ops, comparisons, casts, prints), diamonds, try
regions and counted loops that carry values (some only passed around, so
block-params and dce have work). `@main` calls it with random constants and
prints the result; `@f` prints the values it computed too. The optimised module must verify after every pass and,
run in tier 0, print the same bytes and end the same way (same error kind,
message and location) as the original.
"""

from __future__ import annotations

import copy
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from orus.backend.interp.run import run_module
from orus.ir import types as T
from orus.ir.builder import Builder, new_function
from orus.ir.func import Module
from orus.ir.printer import format_module
from orus.ir.reader import parse_module
from orus.ir.verify import check_module
from orus.passes.manager import PassContext, optimize_module

TYPES = [T.I32, T.I64, T.U32, T.U64, T.F64, T.BOOL]
BITS = {"i32": 31, "i64": 63, "u32": 32, "u64": 64}


def constant(draw, ty):
    if ty == T.BOOL:
        return draw(st.booleans())
    if ty == T.F64:
        return draw(st.sampled_from([0.0, -0.0, 1.0, -1.5, 2.5, 1e300, float("inf"), float("nan")]) |
                    st.floats(-1e6, 1e6))
    bits = BITS[ty.name]
    lo = 0 if ty.name[0] == "u" else -(1 << bits)
    return draw(st.sampled_from([lo, (1 << bits) - 1, 0, 1, -1 if lo else 2, 3]) | st.integers(lo, (1 << bits) - 1))


def step(draw, b: Builder, pool: list) -> None:
    """Append one random well-typed instruction; results join `pool`."""
    kind = draw(st.sampled_from(["const", "const", "arith", "bit", "cmp", "cast", "neg", "print"]))
    b.loc = (draw(st.integers(1, 50)), draw(st.integers(1, 9)))
    if kind == "arith":
        x = pick(draw, b, pool, draw(st.sampled_from(TYPES[:5])))
        y = pick(draw, b, pool, x.type)
        pool.append(b.emit(draw(st.sampled_from(["add", "sub", "mul", "div", "rem"])), [x, y], type=x.type))
    elif kind == "bit":
        x = pick(draw, b, pool, draw(st.sampled_from(TYPES[:4])))
        name = draw(st.sampled_from(["band", "bor", "bxor", "shl", "shr"]))
        y = pick(draw, b, pool, draw(st.sampled_from(TYPES[:4])) if name in ("shl", "shr") else x.type)
        pool.append(b.emit(name, [x, y], type=x.type))
    elif kind == "cmp":
        x = pick(draw, b, pool, draw(st.sampled_from(TYPES[:5])))
        y = pick(draw, b, pool, draw(st.sampled_from(TYPES[:5])))
        pool.append(b.emit(draw(st.sampled_from(["eq", "ne", "lt", "le", "gt", "ge"])), [x, y]))
    elif kind == "cast":
        source = pick(draw, b, pool, draw(st.sampled_from(TYPES)))
        pool.append(b.emit("cast", [source], type=draw(st.sampled_from(TYPES + [T.STR]))))
    elif kind == "neg":
        x = pick(draw, b, pool, draw(st.sampled_from(TYPES[:5])))
        pool.append(b.emit("neg", [x], type=T.signed_of(x.type) if T.is_int(x.type) else T.F64))
    elif kind == "print":
        b.emit("print", [draw(st.sampled_from(pool))], format=0)
    else:
        ty = draw(st.sampled_from(TYPES))
        pool.append(b.const(ty, constant(draw, ty)))


def pick(draw, b: Builder, pool: list, ty):
    same = [v for v in pool if v.type == ty]
    if same and draw(st.booleans()):
        return draw(st.sampled_from(same))
    return b.const(ty, constant(draw, ty))


def region(draw, b: Builder, pool: list, depth: int) -> None:
    """Straight-line code, then maybe a diamond, a try region or a loop, then more code."""
    for _ in range(draw(st.integers(0, 4))):
        step(draw, b, pool)
    shape = draw(st.sampled_from(["none", "diamond", "try", "loop"] if depth < 3 else ["none"]))
    if shape == "loop":
        return loop(draw, b, pool, depth)
    if shape == "none":
        return
    ty = draw(st.sampled_from(TYPES))
    join = b.new_block(ty)
    if shape == "diamond":
        cond = pick(draw, b, pool, T.BOOL)
        arms = [b.new_block(), b.new_block()]
        b.br(cond, *arms)
    else:
        handler = b.new_block(T.ERROR)
        arms = [b.new_block(handler=handler), handler]
        b.jmp(arms[0])
    for arm in arms:
        b.position_at(arm)
        arm_pool = list(pool)
        region(draw, b, arm_pool, depth + 1)
        b.jmp(join, pick(draw, b, arm_pool, ty))
    b.position_at(join)
    pool.append(join.params[0])
    region(draw, b, pool, depth + 1)


def loop(draw, b: Builder, pool: list, depth: int) -> None:
    """for i in 0..n: a carried value c (maybe unchanged) and a loop-invariant value."""
    ty, inv_ty = draw(st.sampled_from(TYPES)), draw(st.sampled_from(TYPES))
    header = b.new_block(T.I32, ty, inv_ty)
    b.jmp(header, b.const(T.I32, 0), pick(draw, b, pool, ty), pick(draw, b, pool, inv_ty))
    b.position_at(header)
    i, c, inv = header.params
    body, done = b.new_block(), b.new_block()
    b.br(b.emit("lt", [i, b.const(T.I32, draw(st.integers(0, 3)))]), body, done)
    b.position_at(body)
    body_pool = pool + [i, c, inv]
    region(draw, b, body_pool, depth + 1)
    b.loc = (60, 1)
    nxt = b.emit("add", [i, b.const(T.I32, 1)], type=T.I32)
    b.jmp(header, nxt, draw(st.sampled_from([c] + [v for v in body_pool if v.type == ty])), inv)
    b.position_at(done)
    pool.extend([i, c, inv])
    region(draw, b, pool, depth + 1)


def random_module(draw) -> Module:
    m = Module()
    fn = new_function(m, "f", [T.I32, T.F64], T.I32, file="r.orus")
    b = Builder(m, fn)
    pool = list(fn.params)
    region(draw, b, pool, 0)
    for v in pool:                      # make every value the code computed observable
        b.emit("print", [v], format=0)
    b.ret(draw(st.sampled_from([v for v in pool if v.type == T.I32])))
    main = new_function(m, "main", [], T.VOID, file="r.orus")
    mb = Builder(m, main)
    args = [mb.const(T.I32, constant(draw, T.I32)), mb.const(T.F64, constant(draw, T.F64))]
    result = mb.emit("call", args, loc=(99, 1), callee="f")
    mb.emit("print", [result], format=0)
    mb.ret()
    return m


def run(module: Module):
    out = io.BytesIO()
    res = run_module(module, io.BytesIO(b""), out)
    failure = res.failure and (res.failure.kind, res.failure.message, res.failure.line, res.failure.col)
    return out.getvalue(), res.status, failure


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_pipeline_keeps_ir_valid_and_behaviour_unchanged(data):
    module = random_module(data.draw)
    assert check_module(module) == []
    original = parse_module(format_module(module))
    optimize_module(module, PassContext(verify=True))
    assert check_module(module) == []
    assert run(module) == run(original)


def size(module: Module) -> int:
    return sum(len(b.instrs) for fn in module.functions.values() for b in fn.blocks)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_pipeline_output_stays_valid_when_optimised_again(data):
    """The pipeline's output is valid input: a second run keeps it valid and never grows it."""
    module = random_module(data.draw)
    optimize_module(module, PassContext(verify=True))
    again = copy.deepcopy(module)
    optimize_module(again, PassContext(verify=True))
    assert check_module(again) == []
    assert size(again) <= size(module)
    assert run(again) == run(module)
