"""IR text: printer and reader (ir/printer.py, ir/reader.py).

The central property is the round trip: printing a parsed module gives back the
text it came from, for programs that use every op in the table, and for random
well-formed functions built with the Builder (hypothesis).
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orus.ir import types as T
from orus.ir.builder import Builder, new_function
from orus.ir.func import EnumDef, Global, Module, StructDef
from orus.ir.opdefs import OPS
from orus.ir.printer import format_function, format_instr, format_module, quote
from orus.ir.reader import IRSyntaxError, parse_function, parse_module
from orus.ir.verify import check_module

ALL_OPS = """\
struct %Point { x: i32, y: f64 }
enum %Maybe<i32> "Maybe" { Some(i32), Nothing() }
global @counter: i32 checked
global @name: str

fn @arith(v0: i32, v1: i64, v2: u32, v3: f64) -> i32 file "a.orus" {
b0(v0: i32, v1: i64, v2: u32, v3: f64):
  v4 = const.i32 -7
  v5 = add.i32 v0, v4 !1:1
  v6 = sub.i64 v1, v1 !1:2
  v7 = mul.u32 v2, v2
  v8 = div.f64 v3, v3 !1:3
  v9 = rem.i32 v5, v0 !1:4
  v10 = neg.i32 v2 !1:5
  v11 = neg.f64 v3
  v12 = band.i32 v0, v5
  v13 = bor.i64 v1, v6
  v14 = bxor.u32 v2, v7
  v15 = bnot.i32 v12
  v16 = shl.i32 v0, v2 !1:6
  v17 = shr.i64 v1, v0 !1:7
  v18 = lt v0, v3
  v19 = not v18
  v20 = eq v1, v2
  v21 = ne v19, v18
  v22 = le v0, v1
  v23 = gt v3, v2
  v24 = ge v0, v0
  v25 = cast.u64 v0 !1:8
  v26 = cast.f64 v1
  v27 = const.f64 -0.0
  v28 = const.f64 nan
  v29 = const.f64 1e+100
  v30 = const.bool true
  v31 = const.u64 18446744073709551615
  ret v9
}

fn @control(v0: bool, v1: error) -> void {
b0(v0: bool, v1: error):
  br v0, b1, b2(v1)
b1 handler b3:
  v2 = const.i32 1
  v3 = const.i64 2
  v4 = const.u32 3
  v5 = const.f64 4.0
  v6 = call @arith v2, v3, v4, v5 !2:1
  jmp b4
b2(v7: error):
  raise v7 !2:2
b3(v8: error):
  trap "ValueError" "bad \\"thing\\"\\n" !2:3
b4:
  unreachable
}

fn @calls(v0: cell<i32>, v1: i32) -> i32 captures 1 name "calls" file "c.orus" {
b0(v0: cell<i32>, v1: i32):
  v2 = closure @calls v0
  v3 = call.ind v2, v1 !3:1
  v4 = call.rt.str orus_str_from_i32 v3 !3:2
  call.rt.void orus_debug v4 !3:3
  v5 = cell.new v1
  v6 = cell.get v5
  cell.set v0, v6
  v7 = gget @counter checked !3:4
  v8 = gget @name
  gset @counter v7
  v9 = spawn @calls v0, v1
  v10 = spawn.ind v2, v1
  yield
  print 1 v8, v7
  print 0
  ret v6
}

fn @data(v0: %Point, v1: %Maybe<i32>, v2: [i32], v3: str) -> void {
b0(v0: %Point, v1: %Maybe<i32>, v2: [i32], v3: str):
  v4 = const.i32 1
  v5 = const.f64 2.5
  v6 = new.%Point v4, v5
  v7 = fget 1 v6
  fset 0 v0, v4
  v8 = enum.new.%Maybe<i32> 0 v4
  v9 = enum.new.%Maybe<i32> 1
  v10 = enum.tag v1
  v11 = enum.get 0 0 v8
  v12 = array.new.[i32] v4, v10, v11
  v13 = array.fill.[[i32]] v12, v4 !4:1
  v14 = array.len v13
  v15 = array.get v2, v4 !4:2
  array.set v2, v4, v15 !4:3
  array.push v2, v4
  v16 = array.pop v2 !4:4
  v17 = array.slice 1 v2, v4, v4, v4 !4:5
  v18 = array.repeat v2, v4 !4:6
  v19 = str.concat v3, v3
  v20 = str.len v19
  v21 = str.get v3, v4 !4:7
  v22 = str.slice 0 v3, v4, v20, v4 !4:8
  v23 = const.str "\\xff\\t\\\\"
  ret
}
"""


def roundtrip(text: str) -> Module:
    m = parse_module(text)
    assert format_module(m) == text
    return m


def test_program_using_every_op_round_trips_and_verifies():
    m = roundtrip(ALL_OPS)
    assert check_module(m) == []


def test_every_op_in_the_table_is_covered():
    used = {i.op.name for fn in parse_module(ALL_OPS).functions.values() for i in fn.instructions()}
    assert used == {op.name for op in OPS}


def test_builder_function_prints_in_the_documented_form():
    m = Module()
    fn = new_function(m, "fib", [T.I32], T.I32, file="fib.orus")
    b = Builder(m, fn)
    two = b.const(T.I32, 2)
    small, big = b.new_block(), b.new_block()
    b.br(b.emit("lt", [fn.params[0], two]), small, big)
    b.position_at(small)
    b.ret(fn.params[0])
    b.position_at(big)
    one = b.const(T.I32, 1)
    b.loc = (3, 14)
    n1 = b.emit("sub", [fn.params[0], one], type=T.I32)
    b.ret(b.emit("call", [n1], loc=(3, 12), callee="fib"))
    assert format_function(fn) == """\
fn @fib(v0: i32) -> i32 file "fib.orus" {
b0(v0: i32):
  v1 = const.i32 2
  v2 = lt v0, v1
  br v2, b1, b2
b1:
  ret v0
b2:
  v3 = const.i32 1
  v4 = sub.i32 v0, v3 !3:14
  v5 = call @fib v4 !3:12
  ret v5
}
"""
    assert format_function(parse_module(format_module(m)).functions["fib"]) == format_function(fn)


def test_declarations_round_trip():
    m = Module()
    m.structs["Point"] = StructDef("Point", [("x", T.I32), ("next", T.Struct("Point"))])
    m.structs["Empty"] = StructDef("Empty", [])
    m.enums["Pair<i32, fn(str) -> bool>"] = EnumDef("Pair<i32, fn(str) -> bool>", "Pair",
                                                     [("Both", [T.I32, T.Fn((T.STR,), T.BOOL)]), ("None", [])])
    m.globals["util.count"] = Global("util.count", T.Opaque("chan", T.Array(T.U64)), checked=True)
    m.globals["odd name"] = Global("odd name", T.RANGE)
    m.entry = "start"
    text = format_module(m)
    assert text == """\
struct %Point { x: i32, next: %Point }
struct %Empty {}
enum %Pair<i32, fn(str) -> bool> "Pair" { Both(i32, fn(str) -> bool), None() }
global @util.count: chan<[u64]> checked
global @"odd name": range
entry @start
"""
    m2 = roundtrip(text)
    assert m2.entry == "start" and m2.globals["util.count"].checked
    assert m2.enums["Pair<i32, fn(str) -> bool>"].variants[0][1][1] == T.Fn((T.STR,), T.BOOL)


def test_function_header_attributes_round_trip():
    text = """\
fn @"lambda 1"(v0: cell<i32>, v1: task<str>) -> fn() -> void captures 1 name "f\\\\x" file "dir/x.orus" {
b0(v0: cell<i32>, v1: task<str>):
  unreachable
}
"""
    fn = roundtrip(text).functions["lambda 1"]
    assert (fn.n_captures, fn.display_name, fn.file) == (1, "f\\x", "dir/x.orus")


@pytest.mark.parametrize("data, spelled", [
    (b"plain", '"plain"'),
    (b'q"b\\n\n\t\r', r'"q\"b\\n\n\t\r"'),
    (bytes([0, 127, 200, 255]), r'"\x00\x7f\xc8\xff"'),
    ("é", r'"\xc3\xa9"'),
])
def test_string_quoting(data, spelled):
    assert quote(data) == spelled


@pytest.mark.parametrize("value", [0.1, -0.0, 1e-7, 5e-324, 1.7976931348623157e308, math.inf, -math.inf, 1e100, 2.0])
def test_f64_constants_round_trip_exactly(value):
    text = f"fn @f() -> f64 {{\nb0:\n  v0 = const.f64 {value!r}\n  ret v0\n}}\n"
    got = roundtrip(text).functions["f"].entry.instrs[0].attrs["value"]
    assert got == value and math.copysign(1, got) == math.copysign(1, value)


def test_nan_constant():
    text = "fn @f() -> f64 {\nb0:\n  v0 = const.f64 nan\n  ret v0\n}\n"
    assert math.isnan(roundtrip(text).functions["f"].entry.instrs[0].attrs["value"])


def test_str_constants_are_bytes():
    text = 'fn @f() -> str {\nb0:\n  v0 = const.str "a\\x00\\xff"\n  ret v0\n}\n'
    assert roundtrip(text).functions["f"].entry.instrs[0].attrs["value"] == b"a\x00\xff"


def test_reader_accepts_the_short_forms():
    """`fn f`, a bare entry `b0:`, `b1()` targets and `;` comments; the printer normalises them."""
    m = parse_module("""\
fn f(v3: i32) -> i32 {   ; comment
b0:
  jmp b7(v3)
b7(v9: i32):
  ret v9
}
""")
    fn = m.functions["f"]
    assert (fn.next_value, fn.next_block) == (10, 8)
    assert fn.entry.params is fn.params
    assert format_module(m) == "fn @f(v3: i32) -> i32 {\nb0(v3: i32):\n  jmp b7(v3)\nb7(v9: i32):\n  ret v9\n}\n"


def test_values_may_be_used_above_their_definition():
    text = """\
fn @f() -> i32 {
b0:
  jmp b2
b1:
  v2 = add.i32 v1, v1 !1:1
  ret v2
b2:
  v1 = const.i32 4
  jmp b1
}
"""
    m = roundtrip(text)
    assert m.functions["f"].blocks[1].instrs[0].result.type == T.I32
    assert check_module(m) == []


def test_parse_function_uses_and_extends_the_module():
    m = parse_module("struct %P { x: i64 }\nglobal @g: %P\n")
    fn = parse_function("fn @h() -> i64 {\nb0:\n  v0 = gget @g\n  v1 = fget 0 v0\n  ret v1\n}\n", m)
    assert m.functions["h"] is fn and fn.entry.instrs[1].result.type == T.I64
    assert check_module(m) == []


def test_instr_defn_and_block_links():
    fn = parse_module(ALL_OPS).functions["control"]
    for b in fn.blocks:
        for p in b.params:
            assert p.defn is b
        for i in b.instrs:
            assert i.block is b and (i.result is None or i.result.defn is i)


@pytest.mark.parametrize("text, message", [
    ("fn @f() -> void {\nb0:\n  frob v1\n}\n", "line 3: unknown op 'frob'"),
    ("fn @f() -> void {\nb0:\n  v0 = not v1\n  ret\n}\n", "line 3: v1 is not defined"),
    ("fn @f() -> void {\nb0:\n  jmp b4\n}\n", "line 4: b4 is used but has no header"),
    ("fn @f() -> void {\n  ret\n}\n", "line 2: expected a block header 'bN:'"),
    ("fn @f() -> void {\nb0:\n  ret\n", "line 1: function has no closing '}'"),
    ("fn @f(v0: i32) -> void {\nb0:\n  v0 = const.i32 1\n  ret\n}\n", "line 3: v0 is defined more than once"),
    ("fn @f() -> %Nope {\nb0:\n  ret\n}\n", "line 1: unknown struct or enum %Nope"),
    ("fn @f() -> void {\nb0:\n  v0 = const.str \"\\q\"\n  ret\n}\n", 'line 3: bad escape in string "\\q"'),
    ("fn @f() -> void {\nb0:\n  v0 = const.bool 1\n  ret\n}\n", "line 3: expected a bool constant, got '1'"),
    ("fn @f() -> void {\nb0:\n  v0 = add v1, v1\n  ret\n}\n", "line 3: expected '.TYPE' suffix, got 'v1'"),
    ("fn @f() -> void {\nb0:\n  v0 = call @f !1:1\n  ret\n}\n", "line 3: call produces no value here, but defines v0"),
    ("fn @f() -> i32 {\nb0:\n  call @f !1:1\n  ret\n}\n", "line 3: call produces a i32 value: write 'vN = ...'"),
    ("fn @f() -> void {\nb0:\n  jmp b0 v1\n}\n", "line 3: unexpected 'v1'"),
    ("fn @f() -> void {\nb0:\n  jmp b0, v1\n}\n", "line 3: value operands must come before targets"),
    ("fn @f() -> void {\nb0:\n  ret # x\n}\n", "line 3: unexpected character '#'"),
    ("hello\n", "line 1: expected a declaration or 'fn', got 'hello'"),
    ("fn @f() -> void {\nb0:\n  trap \"\\xff\" \"m\" !1:1\n}\n", "line 3: string b'\\xff' is not valid UTF-8"),
    ("fn @f(v0: i32) -> void {\nb0(v1: i32):\n  ret\n}\n", "line 2: the entry block's parameters differ from the function's"),
    ("fn @f() -> void {\nb0:\n  v0 = fget 0 v1\n  v1 = fget 0 v0\n  ret\n}\n",
     "line 3: cannot type fget: its operands' types depend on it"),
])
def test_reader_errors_name_the_line(text, message):
    with pytest.raises(IRSyntaxError) as info:
        parse_module(text)
    assert str(info.value) == message


# ---------------------------------------------------------------- random functions
_TYPES = [T.I32, T.I64, T.U32, T.U64, T.F64, T.BOOL]
_INT_BOUNDS = {"i32": 31, "i64": 63, "u32": 32, "u64": 64}


def _const_value(draw, ty):
    if ty == T.BOOL:
        return draw(st.booleans())
    if ty == T.F64:
        return draw(st.floats(allow_nan=True, allow_infinity=True))
    bits = _INT_BOUNDS[ty.name]
    lo = 0 if ty.name[0] == "u" else -(1 << bits)
    return draw(st.integers(lo, (1 << bits) - 1))


def _step(draw, b: Builder, pool: list) -> None:
    """Append one random well-typed instruction, adding its result to `pool`."""
    kind = draw(st.sampled_from(["const", "arith", "bit", "cmp", "not", "cast", "neg"]))
    of = lambda pred: [v for v in pool if pred(v.type)]
    b.loc = (draw(st.integers(1, 99)), draw(st.integers(1, 99)))
    if kind == "arith" and of(T.is_numeric):
        x = draw(st.sampled_from(of(T.is_numeric)))
        y = draw(st.sampled_from([v for v in pool if v.type == x.type]))
        pool.append(b.emit(draw(st.sampled_from(["add", "sub", "mul", "div", "rem"])), [x, y], type=x.type))
    elif kind == "bit" and of(T.is_int):
        x, y = draw(st.sampled_from(of(T.is_int))), draw(st.sampled_from(of(T.is_int)))
        name = draw(st.sampled_from(["band", "bor", "bxor", "shl", "shr"]))
        y = y if name in ("shl", "shr") or y.type == x.type else x
        pool.append(b.emit(name, [x, y], type=x.type))
    elif kind == "cmp" and of(T.is_numeric):
        x, y = draw(st.sampled_from(of(T.is_numeric))), draw(st.sampled_from(of(T.is_numeric)))
        pool.append(b.emit(draw(st.sampled_from(["eq", "ne", "lt", "le", "gt", "ge"])), [x, y]))
    elif kind == "not" and of(lambda t: t == T.BOOL):
        pool.append(b.emit("not", [draw(st.sampled_from(of(lambda t: t == T.BOOL)))]))
    elif kind == "cast":
        source = draw(st.sampled_from(of(lambda t: t != T.STR)))     # str casts only to str
        pool.append(b.emit("cast", [source], type=draw(st.sampled_from(_TYPES + [T.STR]))))
    elif kind == "neg" and of(T.is_numeric):
        x = draw(st.sampled_from(of(T.is_numeric)))
        pool.append(b.emit("neg", [x], type=T.signed_of(x.type) if T.is_int(x.type) else T.F64))
    else:
        ty = draw(st.sampled_from(_TYPES))
        pool.append(b.const(ty, _const_value(draw, ty)))


def _region(draw, b: Builder, pool: list, depth: int) -> None:
    """Straight-line code, then maybe a diamond or a try region that joins with a block parameter."""
    for _ in range(draw(st.integers(0, 4))):
        _step(draw, b, pool)
    shape = draw(st.sampled_from(["none", "diamond", "try"] if depth < 3 else ["none"]))
    if shape == "none":
        return
    ty = draw(st.sampled_from(_TYPES))
    join = b.new_block(ty)
    if shape == "diamond":
        cond = b.emit("not", [b.const(T.BOOL, draw(st.booleans()))])
        arms = [b.new_block(), b.new_block()]
        b.br(cond, *arms)
    else:
        handler = b.new_block(T.ERROR)
        arms = [b.new_block(handler=handler), handler]
        b.jmp(arms[0])
    for arm in arms:
        b.position_at(arm)
        arm_pool = list(pool)
        _region(draw, b, arm_pool, depth + 1)
        b.jmp(join, b.const(ty, _const_value(draw, ty)) if draw(st.booleans()) else
              draw(st.sampled_from([v for v in arm_pool if v.type == ty] or [b.const(ty, _const_value(draw, ty))])))
    b.position_at(join)
    pool.append(join.params[0])
    _region(draw, b, pool, depth + 1)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_random_functions_verify_and_round_trip(data):
    m = Module()
    fn = new_function(m, "f", [T.I32, T.F64], T.I32)
    b = Builder(m, fn)
    pool = list(fn.params)
    _region(data.draw, b, pool, 0)
    b.ret(data.draw(st.sampled_from([v for v in pool if v.type == T.I32])))
    assert check_module(m) == []
    text = format_module(m)
    again = parse_module(text)
    assert format_module(again) == text
    assert check_module(again) == []
    assert [format_instr(i) for i in again.functions["f"].instructions()] == \
        [format_instr(i) for i in fn.instructions()]
