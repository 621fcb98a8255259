"""Handlers of the data ops: structs, enums, arrays, strings, cells, print, call.rt.

Each handler turns one IR instruction into LLVM IR through the FnEmitter `e`
(emit.py). Tier 0 (backend/interp/emit.py, builtins.py) is the oracle for every
result and error; the C runtime (orus_rt.h) does the complex work.

Inline ops work on the layouts of datamodel.py: struct fields, enum tag and
payloads, cells, array length and elements (memory form, bool as i8, at
`data + i * size`). Array indexing checks like tier 0: a negative (signed) index
is a type error, then an index >= len an index error; the second test compares
unsigned, so a u64 index above the i64 range is simply out of bounds.

Runtime calls: generic functions take a value as (descriptor, uint64 bits), see
`e.to_bits`. Every call of a function that may fail is followed by `e.check(i)`;
which ones may fail is read from rtabi.py (call.rt) or orus_rt.h (the others).

Integer operands the runtime receives as int64 (slice bounds and steps, repeat and
fill counts, string indexes) may have any integer type. Tier 0 compares them as
exact integers against lengths below 2**31, so `_clamped` saturates them to
[-2**32, 2**32]: that keeps every comparison's outcome, turns a u64 above the
i64 range into a large positive count instead of a negative one, and lets the
runtime add 1 to an inclusive end without overflow.

Alias classes: every load and store emitted here carries a TBAA tag naming the
memory it touches ("array.header", "array.elem", "str.header", "enum.tag", one per
struct field, enum payload and cell content type). Each class is touched by
compiled code only through these handlers and always with the same tag, and two
classes never share bytes, so LLVM may keep an array's length and data pointer or
a field in a register across stores to other classes (loops over arrays). Calls,
including every runtime call that could move or grow memory, still alias all.

Concatenation chains `((s + x) + y) + z` whose intermediate results have no other
use are one allocation and one copy of each byte (`_str_concat`), as in tier 0; a chain
whose head is a string nothing else refers to appends in place (concat_plan.py).

Write barrier (the collector is generational, runtime gc.h invariant 4): a store of a
reference into an object that may be old (`_fset`, `_array_set`, `_cell_set`) is
followed by `orus_gc_write_barrier` on the object (for an element, the array). The
initialising stores of a fresh object (`_new`, `_enum_new`, `_cell_new`) need none:
nothing is allocated between the allocation and them, so the object is still young.
"""

from __future__ import annotations

from typing import Callable

from llvmlite import ir

from orus import rtabi
from orus.ir import types as T
from orus.ir.func import Instr, Value

from orus.backend.llvm import datamodel as D
from orus.backend.llvm.concat_plan import ConcatPlan
from orus.backend.llvm.emit import INDEX, TYPE, FnEmitter

ARRAY_OOB = "Array index out of bounds"                      # interp/errors.py
ARRAY_NEG = "Array index must be a non-negative integer"
_CLAMP = 1 << 32
_TAG = 1                                                    # struct index of an enum's i32 tag
STR_DATA = 16                                               # byte offset of OrusStr.data


def _c32(n: int) -> ir.Constant:
    return ir.Constant(D.I32, n)


def _c64(n: int) -> ir.Constant:
    return ir.Constant(D.I64, n)


def _tagged(e: FnEmitter, access: ir.Instruction, memory: str) -> ir.Instruction:
    """`access` marked with the TBAA tag of memory partition `memory` (tbaa.py)."""
    return e.m.tbaa.mark(access, memory)


# ---------------------------------------------------------------- structs
def _new(e: FnEmitter, i: Instr) -> None:
    name = i.attrs["type"].name
    lay = e.m.dm.struct(name)
    obj = e.call_rt("orus_gc_alloc", [e.m.desc.ty(i.attrs["type"]), _c64(lay.size)])
    for k, a in enumerate(i.args):
        e.store_field(obj, lay, k, e.val(a))
    e.bind(i, obj)


def _fget(e: FnEmitter, i: Instr) -> None:
    name, k = i.args[0].type.name, i.attrs["index"]
    e.bind(i, e.load_field(e.val(i.args[0]), e.m.dm.struct(name), k))


def _fset(e: FnEmitter, i: Instr) -> None:
    name, k = i.args[0].type.name, i.attrs["index"]
    obj = e.val(i.args[0])
    e.store_field(obj, e.m.dm.struct(name), k, e.val(i.args[1]))
    if T.is_reference(i.args[1].type):  # the write barrier (orus_rt.h): obj may be old
        e.call_rt("orus_gc_write_barrier", [obj])


# ---------------------------------------------------------------- enums
def _tag_ptr(e: FnEmitter, obj: ir.Value) -> ir.Value:
    return e.b.gep(obj, [_c32(0), _c32(_TAG)], source_etype=ir.LiteralStructType([D.PTR, D.I32]))


def _enum_new(e: FnEmitter, i: Instr) -> None:
    t, k = i.attrs["type"], i.attrs["variant"]
    if not e.m.module.enums[t.name].variants[k][1]:
        e.bind(i, e.m.desc.enum_static(t.name, k))         # payload-less: one shared static object
        return
    lay = e.m.dm.variant(t.name, k)
    obj = e.call_rt("orus_gc_alloc", [e.m.desc.ty(t), _c64(lay.size)])
    _tagged(e, e.b.store(_c32(k), _tag_ptr(e, obj)), "enum.tag")
    for n, a in enumerate(i.args):
        e.store_field(obj, lay, n, e.val(a))
    e.bind(i, obj)


def _enum_tag(e: FnEmitter, i: Instr) -> None:
    e.bind(i, _tagged(e, e.b.load(_tag_ptr(e, e.val(i.args[0])), typ=D.I32), "enum.tag"))


def _enum_get(e: FnEmitter, i: Instr) -> None:
    name, k, n = i.args[0].type.name, i.attrs["variant"], i.attrs["index"]
    e.bind(i, e.load_field(e.val(i.args[0]), e.m.dm.variant(name, k), n))


# ---------------------------------------------------------------- arrays
def _array_field(e: FnEmitter, arr: ir.Value, k: int) -> ir.Value:
    return e.b.gep(arr, [_c32(0), _c32(k)], source_etype=D.ARRAY_T)


def _array_len32(e: FnEmitter, arr: ir.Value) -> ir.Value:
    """The length, known to LLVM as in [0, 2**31) (an int32_t, never negative): with the
    bounds check an index + 1 cannot overflow, so loops `i += 1` need no overflow test."""
    n = _tagged(e, e.b.load(_array_field(e, arr, D.ARRAY_LEN), typ=D.I32), "array.header")
    n.set_metadata("range", e.m.value_range(D.I32, 0, 1 << 31))
    return n


def _array_data(e: FnEmitter, arr: ir.Value) -> ir.Value:
    return _tagged(e, e.b.load(_array_field(e, arr, D.ARRAY_DATA), typ=D.PTR), "array.header")


def _elem_ptr(e: FnEmitter, arr: ir.Value, idx: ir.Value, elem: T.Type) -> ir.Value:
    return e.b.gep(_array_data(e, arr), [idx], source_etype=D.memory_type(elem))


def _load_elem(e: FnEmitter, ptr: ir.Value, elem: T.Type) -> ir.Value:
    return D.from_memory(e.b, _tagged(e, e.b.load(ptr, typ=D.memory_type(elem)), "array.elem"), elem)


def _store_elem(e: FnEmitter, ptr: ir.Value, elem: T.Type, v: ir.Value) -> None:
    _tagged(e, e.b.store(D.to_memory(e.b, v, elem), ptr), "array.elem")


def _checked_index(e: FnEmitter, i: Instr, arr: ir.Value, index: Value) -> ir.Value:
    """The i64 index operand after tier 0's two checks (negative: type error; >= len: index error).

    One unsigned compare guards the hot path (a negative index is a huge unsigned one);
    only the cold path tells the two errors apart."""
    idx = e.index_i64(index)
    n = e.b.zext(_array_len32(e, arr), D.I64)
    bad = e.b.icmp_unsigned(">=", idx, n)
    if not T.is_signed(index.type):
        e.fail_if(bad, i, INDEX, ARRAY_OOB)
        return idx
    cold, cont = e.llfn.append_basic_block("index.bad"), e.llfn.append_basic_block("index.ok")
    e.b.cbranch(bad, cold, cont).set_weights([1, 1000])
    e.b.position_at_end(cold)
    e.fail_if(e.b.icmp_signed("<", idx, _c64(0)), i, TYPE, ARRAY_NEG)
    e.call_rt("orus_trap", [e.site(i), _c32(INDEX), e.m.desc.cstring(ARRAY_OOB)])
    e.propagate(i)
    e.b.position_at_end(cont)
    return idx


def _array_new(e: FnEmitter, i: Instr) -> None:
    t = i.attrs["type"]
    arr = e.call_rt("orus_array_new", [e.m.desc.ty(t), _c32(len(i.args))])
    if i.args:
        data = _array_data(e, arr)
        for k, a in enumerate(i.args):
            ptr = e.b.gep(data, [_c64(k)], source_etype=D.memory_type(t.elem))
            _store_elem(e, ptr, t.elem, e.val(a))
    e.bind(i, arr)


def _array_fill(e: FnEmitter, i: Instr) -> None:
    t = i.attrs["type"]
    value, count = i.args
    bits = e.to_bits(e.val(value), value.type)
    e.bind(i, e.call_rt("orus_array_fill", [e.m.desc.ty(t), bits, _clamped(e, count)]))
    e.check(i)


def _array_len(e: FnEmitter, i: Instr) -> None:
    e.bind(i, _array_len32(e, e.val(i.args[0])))


def _array_get(e: FnEmitter, i: Instr) -> None:
    arr = e.val(i.args[0])
    elem = i.args[0].type.elem
    idx = _checked_index(e, i, arr, i.args[1])
    e.bind(i, _load_elem(e, _elem_ptr(e, arr, idx, elem), elem))


def _array_set(e: FnEmitter, i: Instr) -> None:
    arr = e.val(i.args[0])
    elem = i.args[0].type.elem
    idx = _checked_index(e, i, arr, i.args[1])
    _store_elem(e, _elem_ptr(e, arr, idx, elem), elem, e.val(i.args[2]))
    if T.is_reference(elem):        # the write barrier; an element's object is its array (array.c)
        e.call_rt("orus_gc_write_barrier", [arr])


def _array_push(e: FnEmitter, i: Instr) -> None:
    """push(a, v): with room, the element is stored and the length bumped here (and the
    write barrier called for a reference); a full array calls orus_array_push, which grows
    it. (binary_trees spent 13% in the call.)"""
    arr, v = e.val(i.args[0]), e.val(i.args[1])
    elem = i.args[0].type.elem
    n = _array_len32(e, arr)
    cap = _tagged(e, e.b.load(_array_field(e, arr, D.ARRAY_CAP), typ=D.I32), "array.header")
    full, room, done = (e.llfn.append_basic_block() for _ in range(3))
    e.b.cbranch(e.b.icmp_unsigned("==", n, cap), full, room).set_weights([1, 20])
    e.b.position_at_end(full)
    e.call_rt("orus_array_push", [arr, e.to_bits(v, i.args[1].type)])
    e.b.branch(done)
    e.b.position_at_end(room)
    _store_elem(e, _elem_ptr(e, arr, e.b.zext(n, D.I64), elem), elem, v)
    _tagged(e, e.b.store(e.b.add(n, _c32(1)), _array_field(e, arr, D.ARRAY_LEN)), "array.header")
    if T.is_reference(elem):        # the write barrier, as in array.c
        e.call_rt("orus_gc_write_barrier", [arr])
    e.b.branch(done)
    e.b.position_at_end(done)


def _array_pop(e: FnEmitter, i: Instr) -> None:
    bits = e.call_rt("orus_array_pop", [e.val(i.args[0])])
    e.check(i)
    e.bind(i, e.from_bits(bits, i.args[0].type.elem))


def _clamped(e: FnEmitter, v: Value) -> ir.Value:
    """An integer operand as i64, saturated to [-2**32, 2**32] (see the module docstring)."""
    x = e.index_i64(v)
    hi = _c64(_CLAMP)
    if not T.is_signed(v.type):
        return e.b.select(e.b.icmp_unsigned(">", x, hi), hi, x)
    lo = _c64(-_CLAMP)
    x = e.b.select(e.b.icmp_signed(">", x, hi), hi, x)
    return e.b.select(e.b.icmp_signed("<", x, lo), lo, x)


def _slice(e: FnEmitter, i: Instr) -> None:
    name = "orus_str_slice" if i.name == "str.slice" else "orus_array_slice"
    bounds = [_clamped(e, a) for a in i.args[1:]]
    flag = _c32(1 if i.attrs["inclusive"] else 0)
    e.bind(i, e.call_rt(name, [e.val(i.args[0])] + bounds + [flag]))
    e.check(i)


def _array_repeat(e: FnEmitter, i: Instr) -> None:
    e.bind(i, e.call_rt("orus_array_repeat", [e.val(i.args[0]), _clamped(e, i.args[1])]))
    e.check(i)


# ---------------------------------------------------------------- strings
def _str_concat(e: FnEmitter, i: Instr) -> None:
    """`a + b`, as concat_plan.py plans it: a link of a chain emits nothing; the last concat
    of a chain makes one string of all the pieces (one allocation, one copy of each byte),
    or, when the chain's head owns its string, writes the other pieces after its bytes."""
    plan = e.state.get("concat")
    if plan is None:
        plan = e.state["concat"] = ConcatPlan(e.fn)
    if id(i) in plan.deferred:
        return
    pieces = plan.pieces[id(i)]
    if plan.appends_in_place(i):
        e.bind(i, _append_many(e, e.val(pieces[0]), [e.val(p) for p in pieces[1:]]))
    elif len(pieces) == 2:
        e.bind(i, e.call_rt("orus_str_concat", [e.val(p) for p in pieces]))
    else:
        e.bind(i, _concat_many(e, [e.val(p) for p in pieces]))


def _str_len_ptr(e: FnEmitter, s: ir.Value) -> ir.Value:
    return e.b.gep(s, [_c32(0), _c32(D.STR_LEN)], source_etype=D.STR_T)


def str_len64(e: FnEmitter, s: ir.Value) -> ir.Value:
    return _tagged(e, e.b.load(_str_len_ptr(e, s), typ=D.I64), "str.header")


def str_data(e: FnEmitter, s: ir.Value) -> ir.Value:
    return e.b.gep(s, [_c64(STR_DATA)], source_etype=D.I8)


def _concat_many(e: FnEmitter, strs: list[ir.Value]) -> ir.Value:
    """One new string holding the bytes of `strs` in order, then its NUL (the allocation is
    not cleared: orus_gc_alloc_data, every byte is written here)."""
    lens = [str_len64(e, s) for s in strs]
    total = lens[0]
    for n in lens[1:]:
        total = e.b.add(total, n)
    size = e.b.add(total, _c64(STR_DATA + 1))
    out = e.call_rt("orus_gc_alloc_data", [e.m.desc.ty(T.STR), size])
    _tagged(e, e.b.store(total, _str_len_ptr(e, out)), "str.header")
    memcpy = e.m.intrinsic("llvm.memcpy.p0.p0.i64", D.VOID, [D.PTR, D.PTR, D.I64, D.I1])
    at = _c64(STR_DATA)
    for s, n in zip(strs, lens):
        e.b.call(memcpy, [e.b.gep(out, [at], source_etype=D.I8), str_data(e, s), n, ir.Constant(D.I1, 0)])
        at = e.b.add(at, n)
    e.b.store(ir.Constant(D.I8, 0), e.b.gep(out, [at], source_etype=D.I8))
    return out


def _append_many(e: FnEmitter, head: ir.Value, strs: list[ir.Value]) -> ir.Value:
    """`head` (a string nothing else refers to) with the bytes of `strs` after its own:
    orus_str_reserve returns it, or a copy, with room for them. The pieces' lengths are
    read first, so a piece that is the head itself is copied as it was."""
    lens = [str_len64(e, s) for s in strs]
    extra = lens[0]
    for n in lens[1:]:
        extra = e.b.add(extra, n)
    out = e.call_rt("orus_str_reserve", [head, extra])
    old = str_len64(e, out)
    memcpy = e.m.intrinsic("llvm.memcpy.p0.p0.i64", D.VOID, [D.PTR, D.PTR, D.I64, D.I1])
    at = e.b.add(old, _c64(STR_DATA))
    for s, n in zip(strs, lens):
        e.b.call(memcpy, [e.b.gep(out, [at], source_etype=D.I8), str_data(e, s), n, ir.Constant(D.I1, 0)])
        at = e.b.add(at, n)
    e.b.store(ir.Constant(D.I8, 0), e.b.gep(out, [at], source_etype=D.I8))
    _tagged(e, e.b.store(e.b.add(old, extra), _str_len_ptr(e, out)), "str.header")
    return out


def _str_len(e: FnEmitter, i: Instr) -> None:
    e.bind(i, e.b.trunc(str_len64(e, e.val(i.args[0])), D.I32))


def _str_get(e: FnEmitter, i: Instr) -> None:
    e.bind(i, e.call_rt("orus_str_get", [e.val(i.args[0]), _clamped(e, i.args[1])]))
    e.check(i)


# ---------------------------------------------------------------- cells
def _cell_new(e: FnEmitter, i: Instr) -> None:
    content = i.args[0].type
    lay = e.m.dm.cell(content)
    obj = e.call_rt("orus_gc_alloc", [e.m.desc.cell_layout(content), _c64(lay.size)])
    e.store_field(obj, lay, 0, e.val(i.args[0]))
    e.bind(i, obj)


def _cell_get(e: FnEmitter, i: Instr) -> None:
    content = i.args[0].type.arg
    e.bind(i, e.load_field(e.val(i.args[0]), e.m.dm.cell(content), 0))


def _cell_set(e: FnEmitter, i: Instr) -> None:
    content = i.args[0].type.arg
    cell = e.val(i.args[0])
    e.store_field(cell, e.m.dm.cell(content), 0, e.val(i.args[1]))
    if T.is_reference(content):     # the write barrier (orus_rt.h): the cell may be old
        e.call_rt("orus_gc_write_barrier", [cell])


# ---------------------------------------------------------------- print and the builtins
def _typed_values(e: FnEmitter, args: list[Value]) -> tuple[ir.Value, ir.Value]:
    """Stack arrays (tys, vals) of the descriptors and bits of `args`."""
    tys = e.alloca_array(D.PTR, len(args))
    vals = e.alloca_array(D.I64, len(args))
    for k, a in enumerate(args):
        # no source_etype: llvmlite types such a GEP as the alloca's own (typed) pointer
        e.b.store(e.m.desc.ty(a.type), e.b.gep(tys, [_c32(0), _c32(k)]))
        e.b.store(e.to_bits(e.val(a), a.type), e.b.gep(vals, [_c32(0), _c32(k)]))
    return tys, vals


def _print(e: FnEmitter, i: Instr) -> None:
    tys, vals = _typed_values(e, i.args)
    e.call_rt("orus_print", [_c32(len(i.args)), tys, vals, _c32(1 if i.attrs["format"] else 0)])


def _ty_bits(e: FnEmitter, a: Value) -> list[ir.Value]:
    return [e.m.desc.ty(a.type), e.to_bits(e.val(a), a.type)]


def _rt_range(e: FnEmitter, i: Instr) -> ir.Value:
    tys, vals = _typed_values(e, i.args)
    return e.call_rt("orus_range", [_c32(len(i.args)), tys, vals])


def _rt_input(e: FnEmitter, i: Instr) -> ir.Value:
    args = _ty_bits(e, i.args[0]) if i.args else [ir.Constant(D.PTR, None), _c64(0)]
    return e.call_rt("orus_input", args)


def _rt_istype(e: FnEmitter, i: Instr) -> ir.Value:
    return e.call_rt("orus_istype", _ty_bits(e, i.args[0]) + [e.val(i.args[1])])


def _rt_assert_eq(e: FnEmitter, i: Instr) -> ir.Value:
    label, actual, expected = i.args
    return e.call_rt("orus_assert_eq", [e.val(label), e.m.desc.ty(actual.type),
                                        e.to_bits(e.val(actual), actual.type),
                                        e.to_bits(e.val(expected), expected.type)])


def _rt_direct(runtime_name: str) -> Callable[[FnEmitter, Instr], ir.Value]:
    """A builtin whose runtime function takes the operands as they are."""
    return lambda e, i: e.call_rt(runtime_name, [e.val(a) for a in i.args])


def _rt_typed(runtime_name: str) -> Callable[[FnEmitter, Instr], ir.Value]:
    """A builtin whose runtime function takes (descriptor, bits) of its one operand."""
    return lambda e, i: e.call_rt(runtime_name, _ty_bits(e, i.args[0]))


_RT: dict[str, Callable[[FnEmitter, Instr], ir.Value]] = {
    "sorted": _rt_direct("orus_sorted"), "range": _rt_range,
    "range_has": _rt_direct("orus_range_has"), "range_next": _rt_direct("orus_range_next"),
    "input": _rt_input, "int": _rt_typed("orus_int"), "float": _rt_typed("orus_float"),
    "typeof": _rt_typed("orus_typeof"), "istype": _rt_istype, "assert_eq": _rt_assert_eq,
    "timestamp": _rt_direct("orus_timestamp"), "destructure_check": _rt_direct("orus_destructure_check"),
}
assert set(_RT) == set(rtabi.RUNTIME), "every rtabi builtin needs a call.rt lowering"


def _call_rt(e: FnEmitter, i: Instr) -> None:
    name = i.attrs["fn"]
    r = _RT[name](e, i)
    if rtabi.RUNTIME[name].may_fail:
        e.check(i)
    t = i.attrs["type"]
    if t == T.VOID or i.result is None:
        return
    if t == T.BOOL and r.type == D.I32:                    # C int32 truth values
        r = e.b.icmp_unsigned("!=", r, _c32(0))
    if r.type != D.value_type(t):
        raise ValueError(f"call.rt {name}: runtime result {r.type} does not fit {t}")
    e.bind(i, r)


HANDLERS: dict[str, Callable[[FnEmitter, Instr], None]] = {
    "new": _new, "fget": _fget, "fset": _fset,
    "enum.new": _enum_new, "enum.tag": _enum_tag, "enum.get": _enum_get,
    "array.new": _array_new, "array.fill": _array_fill, "array.len": _array_len,
    "array.get": _array_get, "array.set": _array_set, "array.push": _array_push,
    "array.pop": _array_pop, "array.slice": _slice, "array.repeat": _array_repeat,
    "str.concat": _str_concat, "str.len": _str_len, "str.get": _str_get, "str.slice": _slice,
    "print": _print, "cell.new": _cell_new, "cell.get": _cell_get, "cell.set": _cell_set,
    "call.rt": _call_rt,
}
