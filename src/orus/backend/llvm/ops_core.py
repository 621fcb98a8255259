"""Handlers of the scalar, control, call and global ops (the data ops are in ops_data.py).

Numeric semantics are the spec's (semantics/ints.py, floats.py, casts.py are the
oracle): signed add/sub/mul/neg use LLVM's `*.with.overflow` intrinsics and trap
`Integer overflow`; unsigned ones wrap; division and remainder trap on a zero
divisor and on MIN / -1; shifts trap outside [0, width); f64 ops are IEEE except
a zero divisor. Comparisons between different numeric types are exact: two
integer types compare in i128, an integer against an f64 after conversion to the
nearest double.
"""

from __future__ import annotations

from llvmlite import ir

from orus.ir import types as T
from orus.ir.func import Instr
from orus.semantics import ints

from orus.backend.llvm import datamodel as D
from orus.backend.llvm.emit import ERROR_KINDS, RUNTIME, VALUE, FnEmitter
from orus.backend.llvm.ops_data import str_data, str_len64

_I128 = ir.IntType(128)


class Unsupported(Exception):
    """An IR feature the native engine does not run yet (the driver reports it)."""


# ---------------------------------------------------------------- constants
def _const(e: FnEmitter, i: Instr) -> None:
    ty, v = i.attrs["type"], i.attrs["value"]
    if ty == T.STR:
        e.bind(i, e.m.desc.str_const(v.encode("utf-8", "surrogateescape") if isinstance(v, str) else v))
    elif ty == T.F64:
        e.bind(i, ir.Constant(D.F64, float(v)))
    elif ty == T.BOOL:
        e.bind(i, ir.Constant(D.I1, 1 if v else 0))
    else:
        width = ints.INT_TYPES[ty.name][0]
        e.bind(i, ir.Constant(D.value_type(ty), int(v) & ((1 << width) - 1)))


# ---------------------------------------------------------------- arithmetic
def _overflowing(e: FnEmitter, i: Instr, name: str, a: ir.Value, b: ir.Value) -> ir.Value:
    vt = a.type
    pair = ir.LiteralStructType([vt, D.I1])
    f = e.m.intrinsic(f"llvm.{name}.with.overflow.i{vt.width}", pair, [vt, vt])
    r = e.b.call(f, [a, b])
    e.fail_if(e.b.extract_value(r, 1), i, VALUE, ints.OVERFLOW)
    return e.b.extract_value(r, 0)


_FLOAT_OPS = {"add": "fadd", "sub": "fsub", "mul": "fmul"}
_WRAP_OPS = {"add": "add", "sub": "sub", "mul": "mul"}
_SIGNED_OPS = {"add": "sadd", "sub": "ssub", "mul": "smul"}


def _arith(e: FnEmitter, i: Instr) -> None:
    ty = i.attrs["type"]
    a, b = e.val(i.args[0]), e.val(i.args[1])
    if ty == T.F64:
        e.bind(i, getattr(e.b, _FLOAT_OPS[i.name])(a, b))
    elif T.is_signed(ty):
        e.bind(i, _overflowing(e, i, _SIGNED_OPS[i.name], a, b))
    else:
        e.bind(i, getattr(e.b, _WRAP_OPS[i.name])(a, b))


def _folds_away(b: ir.Value) -> bool:
    """True for a divisor whose `b == 0.0` test LLVM usually removes: a constant, or an
    integer converted to f64 (zero only when the integer is, which ranges often exclude)."""
    return isinstance(b, ir.Constant) or getattr(b, "opname", "") in ("sitofp", "uitofp")


def _fail_if_zero_after(e: FnEmitter, i: Instr, b: ir.Value, r: ir.Value) -> None:
    """The division-by-zero error for any other divisor, tested on the result first: a zero
    divisor makes it infinite or NaN, so one compare and a branch never taken pass every
    finite result, and only the others test b. (Testing `b == 0.0` first costs x86 two
    branches, ZF then PF, one of them taken: nbody's square-root loop ran 6% slower.)"""
    fabs = e.m.intrinsic("llvm.fabs.f64", D.F64, [D.F64])
    finite = e.b.fcmp_ordered("<", e.b.call(fabs, [r]), ir.Constant(D.F64, float("inf")))
    odd, join = e.llfn.append_basic_block(), e.llfn.append_basic_block()
    e.b.cbranch(finite, join, odd).set_weights([1000, 1])
    e.b.position_at_end(odd)
    e.fail_if(e.b.fcmp_ordered("==", b, ir.Constant(D.F64, 0.0)), i, RUNTIME, ints.DIV_ZERO)
    e.b.branch(join)
    e.b.position_at_end(join)


def _divrem(e: FnEmitter, i: Instr) -> None:
    ty = i.attrs["type"]
    a, b = e.val(i.args[0]), e.val(i.args[1])
    if ty == T.F64:
        r = e.b.fdiv(a, b) if i.name == "div" else e.b.frem(a, b)        # frem is C fmod
        if _folds_away(b):
            e.fail_if(e.b.fcmp_ordered("==", b, ir.Constant(D.F64, 0.0)), i, RUNTIME, ints.DIV_ZERO)
        else:
            _fail_if_zero_after(e, i, b, r)
        e.bind(i, r)
        return
    zero = ir.Constant(a.type, 0)
    e.fail_if(e.b.icmp_unsigned("==", b, zero), i, RUNTIME, ints.DIV_ZERO)
    if not T.is_signed(ty):
        e.bind(i, e.b.udiv(a, b) if i.name == "div" else e.b.urem(a, b))
        return
    lo = ir.Constant(a.type, ints.bounds(ty.name)[0])
    minus_one = ir.Constant(a.type, -1)
    bad = e.b.and_(e.b.icmp_signed("==", a, lo), e.b.icmp_signed("==", b, minus_one))
    e.fail_if(bad, i, VALUE, ints.OVERFLOW)
    e.bind(i, e.b.sdiv(a, b) if i.name == "div" else e.b.srem(a, b))


def _neg(e: FnEmitter, i: Instr) -> None:
    ty, src = i.attrs["type"], i.args[0].type
    a = e.val(i.args[0])
    if ty == T.F64:
        e.bind(i, e.b.fneg(a))
    elif src != ty:                     # unsigned operand: the signed type, modulo 2**width
        e.bind(i, e.b.neg(a))
    else:
        e.bind(i, _overflowing(e, i, "ssub", ir.Constant(a.type, 0), a))


def _bitwise(e: FnEmitter, i: Instr) -> None:
    a, b = e.val(i.args[0]), e.val(i.args[1])
    op = {"band": e.b.and_, "bor": e.b.or_, "bxor": e.b.xor}[i.name]
    e.bind(i, op(a, b))


def _bnot(e: FnEmitter, i: Instr) -> None:
    e.bind(i, e.b.not_(e.val(i.args[0])))


def _not(e: FnEmitter, i: Instr) -> None:
    e.bind(i, e.b.not_(e.val(i.args[0])))


def _shift(e: FnEmitter, i: Instr) -> None:
    ty = i.attrs["type"]
    a = e.val(i.args[0])
    width = a.type.width
    n = e.index_i64(i.args[1])
    bad = e.b.icmp_unsigned(">=", n, ir.Constant(D.I64, width))   # negative counts are huge unsigned
    e.fail_if(bad, i, VALUE, ints.BAD_SHIFT)
    count = e.b.trunc(n, a.type) if width < 64 else n
    if i.name == "shl":
        e.bind(i, e.b.shl(a, count))
    elif T.is_signed(ty):
        e.bind(i, e.b.ashr(a, count))
    else:
        e.bind(i, e.b.lshr(a, count))


# ---------------------------------------------------------------- comparisons
_CMP = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def _to_f64(e: FnEmitter, v: ir.Value, t: T.Type) -> ir.Value:
    if t == T.F64:
        return v
    return e.b.sitofp(v, D.F64) if T.is_signed(t) else e.b.uitofp(v, D.F64)


def _widen128(e: FnEmitter, v: ir.Value, t: T.Type) -> ir.Value:
    return e.b.sext(v, _I128) if T.is_signed(t) else e.b.zext(v, _I128)


def _compare(e: FnEmitter, i: Instr) -> None:
    ta, tb = i.args[0].type, i.args[1].type
    a, b = e.val(i.args[0]), e.val(i.args[1])
    op = _CMP[i.name]
    if ta == T.F64 or tb == T.F64:
        a, b = _to_f64(e, a, ta), _to_f64(e, b, tb)
        r = e.b.fcmp_unordered("!=", a, b) if op == "!=" else e.b.fcmp_ordered(op, a, b)
    elif T.is_int(ta):
        if ta != tb:
            a, b = _widen128(e, a, ta), _widen128(e, b, tb)
            r = e.b.icmp_signed(op, a, b)
        elif T.is_signed(ta):
            r = e.b.icmp_signed(op, a, b)
        else:
            r = e.b.icmp_unsigned(op, a, b)
    elif ta == T.BOOL:
        r = e.b.icmp_unsigned(op, a, b)
    elif ta == T.STR:
        r = _compare_str(e, op, a, b)
    elif isinstance(ta, T.Enum):
        same = e.call_rt("orus_equal", [e.m.desc.ty(ta), e.to_bits(a, ta), e.to_bits(b, tb)])
        r = e.b.icmp_unsigned("!=" if op == "==" else "==", same, ir.Constant(D.I32, 0))
    else:
        r = e.b.icmp_unsigned(op, e.b.ptrtoint(a, D.I64), e.b.ptrtoint(b, D.I64))
    e.bind(i, r)


def _compare_str(e: FnEmitter, op: str, a: ir.Value, b: ir.Value) -> ir.Value:
    zero = ir.Constant(D.I32, 0)
    if op in ("==", "!="):
        for x, y in ((a, b), (b, a)):
            data = e.m.desc.str_const_bytes(y)
            if data is not None and len(data) <= _INLINE_EQ:
                same = _equals_bytes(e, x, data)
                return same if op == "==" else e.b.not_(same)
        same = e.call_rt("orus_str_eq", [a, b])
        return e.b.icmp_unsigned("!=" if op == "==" else "==", same, zero)
    return e.b.icmp_signed(op, e.call_rt("orus_str_cmp", [a, b]), zero)


_INLINE_EQ = 8      # a comparison with a literal of at most this many bytes is inline


def _equals_bytes(e: FnEmitter, s: ir.Value, data: bytes) -> ir.Value:
    """i1: the string s holds exactly `data` (short): its length, then byte by byte, in
    place of a call (`c == ","` in a scanning loop)."""
    same_len = e.b.icmp_unsigned("==", str_len64(e, s), ir.Constant(D.I64, len(data)))
    if not data:
        return same_len
    start = e.b.block
    check, done = e.llfn.append_basic_block(), e.llfn.append_basic_block()
    e.b.cbranch(same_len, check, done)
    e.b.position_at_end(check)
    base = str_data(e, s)
    same = None
    for k, byte in enumerate(data):
        got = e.b.load(e.b.gep(base, [ir.Constant(D.I64, k)], source_etype=D.I8), typ=D.I8)
        eq = e.b.icmp_unsigned("==", got, ir.Constant(D.I8, byte))
        same = eq if same is None else e.b.and_(same, eq)
    e.b.branch(done)
    e.b.position_at_end(done)
    phi = e.b.phi(D.I1)
    phi.add_incoming(ir.Constant(D.I1, 0), start)
    phi.add_incoming(same, check)
    return phi


# ---------------------------------------------------------------- casts (spec 3.6, semantics/casts.py)
_RANGE_CHECKED = {
    ("i32", "u64"): ("Cannot convert negative i32 to u64", 0, None),
    ("i64", "u32"): ("i64 value out of u32 range", 0, (1 << 32) - 1),
    ("i64", "u64"): ("Cannot convert negative i64 to u64", 0, None),
    ("u64", "i32"): ("u64 value too large for i32", None, (1 << 31) - 1),
    ("u64", "u32"): ("u64 value too large for u32", None, (1 << 32) - 1),
}


def _cast(e: FnEmitter, i: Instr) -> None:
    src, dst = i.args[0].type, i.attrs["type"]
    a = e.val(i.args[0])
    if src == dst:
        e.bind(i, a)
    elif dst == T.STR:
        e.bind(i, _to_string(e, a, src))
    elif dst == T.BOOL:
        zero = ir.Constant(a.type, 0.0 if src == T.F64 else 0)
        e.bind(i, e.b.fcmp_unordered("!=", a, zero) if src == T.F64 else e.b.icmp_unsigned("!=", a, zero))
    elif dst == T.F64:
        e.bind(i, e.b.uitofp(a, D.F64) if src == T.BOOL else _to_f64(e, a, src))
    elif src == T.BOOL:
        e.bind(i, e.b.zext(a, D.value_type(dst)))
    elif src == T.F64:
        e.bind(i, _f64_to_int(e, i, a, dst))
    else:
        e.bind(i, _int_to_int(e, i, a, src, dst))


def _to_string(e: FnEmitter, a: ir.Value, src: T.Type) -> ir.Value:
    if src == T.F64:
        return e.call_rt("orus_str_from_f64", [a])
    if src == T.BOOL:
        return e.call_rt("orus_str_from_bool", [e.b.zext(a, D.I32)])
    name = "orus_str_from_i64" if T.is_signed(src) else "orus_str_from_u64"
    return e.call_rt(name, [_widen(e, a, src, 64)])


def _widen(e: FnEmitter, a: ir.Value, src: T.Type, width: int) -> ir.Value:
    target = ir.IntType(width)
    if a.type.width == width:
        return a
    if a.type.width > width:
        return e.b.trunc(a, target)
    return e.b.sext(a, target) if T.is_signed(src) else e.b.zext(a, target)


def _int_to_int(e: FnEmitter, i: Instr, a: ir.Value, src: T.Type, dst: T.Type) -> ir.Value:
    checked = _RANGE_CHECKED.get((src.name, dst.name))
    if checked is not None:
        message, lo, hi = checked
        wide = _widen128(e, a, src)
        bad = None
        if lo is not None:
            bad = e.b.icmp_signed("<", wide, ir.Constant(_I128, lo))
        if hi is not None:
            over = e.b.icmp_signed(">", wide, ir.Constant(_I128, hi))
            bad = over if bad is None else e.b.or_(bad, over)
        e.fail_if(bad, i, VALUE, message)
    return _widen(e, a, src, D.value_type(dst).width)


def _f64_to_int(e: FnEmitter, i: Instr, x: ir.Value, dst: T.Type) -> ir.Value:
    vt = D.value_type(dst)
    if T.is_signed(dst):
        lo, hi = ((-2147483649.0, 2147483648.0) if vt.width == 32 else (-9223372036854777856.0, 9223372036854775808.0))
        fits = e.b.and_(e.b.fcmp_ordered(">", x, ir.Constant(D.F64, lo)),
                        e.b.fcmp_ordered("<", x, ir.Constant(D.F64, hi)))
        safe = e.b.select(fits, x, ir.Constant(D.F64, 0.0))
        return e.b.select(fits, e.b.fptosi(safe, vt), ir.Constant(vt, ints.bounds(dst.name)[0]))
    is_nan = e.b.fcmp_unordered("uno", x, x)
    limit = 4294967295.0 if vt.width == 32 else 18446744073709551616.0
    too_big = e.b.fcmp_ordered(">" if vt.width == 32 else ">=", x, ir.Constant(D.F64, limit))
    bad = e.b.or_(e.b.fcmp_ordered("<", x, ir.Constant(D.F64, 0.0)), too_big)
    e.fail_if(bad, i, VALUE, f"f64 value out of {dst.name} range")
    safe = e.b.select(is_nan, ir.Constant(D.F64, 0.0), x)
    return e.b.fptoui(safe, vt)


# ---------------------------------------------------------------- control flow
def _jmp(e: FnEmitter, i: Instr) -> None:
    e.jump_args(i.targets[0])
    e.b.branch(e.target_block(i.targets[0]))


def _br(e: FnEmitter, i: Instr) -> None:
    t0, t1 = i.targets
    if t0.block is t1.block:
        # both edges reach one block: the phis need one incoming per edge; pick in a select
        cond = e.val(i.args[0])
        for phi, x, y in zip(e.phis.get(t0.block.id, []), t0.args, t1.args):
            phi.add_incoming(e.b.select(cond, e.val(x), e.val(y)), e.b.block)
        e.b.branch(e.target_block(t0))
        return
    e.jump_args(t0)
    e.jump_args(t1)
    e.b.cbranch(e.val(i.args[0]), e.target_block(t0), e.target_block(t1))


def _ret(e: FnEmitter, i: Instr) -> None:
    e.ret_value(e.val(i.args[0]) if i.args else None)


def _raise(e: FnEmitter, i: Instr) -> None:
    e.call_rt("orus_err_raise", [e.val(i.args[0])])
    e.propagate(i)


def _trap(e: FnEmitter, i: Instr) -> None:
    kind, message = i.attrs["kind"], i.attrs["message"]
    kind = kind.decode("utf-8", "surrogateescape") if isinstance(kind, bytes) else kind
    e.call_rt("orus_trap", [e.site(i), ir.Constant(D.I32, ERROR_KINDS[kind]), e.m.desc.cstring(message)])
    e.propagate(i)


def _unreachable(e: FnEmitter, i: Instr) -> None:
    e.b.unreachable()


# ---------------------------------------------------------------- calls and function values
def _result(e: FnEmitter, i: Instr, value: ir.Value) -> None:
    if i.result is not None:
        e.bind(i, value)


def _call(e: FnEmitter, i: Instr) -> None:
    callee = i.attrs["callee"]
    e.stack_check(i)
    r = e.b.call(e.callee(callee), [e.val(a) for a in i.args])
    if callee in e.m.flagged:
        void = e.m.module.functions[callee].ret == T.VOID
        e.check(i, r if void else e.b.extract_value(r, 1))
        r = None if void else e.b.extract_value(r, 0)
    elif e.m.fallible[callee]:
        e.check(i)
    _result(e, i, r)


def _call_ind(e: FnEmitter, i: Instr) -> None:
    fty: T.Fn = i.args[0].type
    obj = e.val(i.args[0])
    code_ptr = e.b.gep(obj, [ir.Constant(D.I64, 1)], source_etype=D.PTR)
    code = e.b.load(code_ptr, typ=D.PTR)
    llty = ir.FunctionType(D.value_type(fty.ret), [D.PTR] + [D.value_type(p) for p in fty.params])
    e.stack_check(i)
    r = e.b.call(_Callee(code, llty), [obj] + [e.val(a) for a in i.args[1:]])
    e.check(i)
    _result(e, i, r)


class _Callee:
    """An opaque code pointer seen with its function type: llvmlite's `call` takes the
    signature from the callee value, which an opaque `ptr` does not carry."""

    def __init__(self, ptr: ir.Value, fnty: ir.FunctionType):
        self.ptr, self.function_type, self.type = ptr, fnty, D.PTR

    def get_reference(self) -> str:
        return self.ptr.get_reference()


def _closure(e: FnEmitter, i: Instr) -> None:
    callee = i.attrs["callee"]
    fn = e.m.module.functions[callee]
    code = e.m.code(callee)
    if not i.args:
        e.bind(i, e.m.desc.fn_static(fn, code))
        return
    lay = e.m.dm.closure(tuple(a.type for a in i.args))
    obj = e.call_rt("orus_gc_alloc", [e.m.desc.closure_layout(fn), ir.Constant(D.I64, lay.size)])
    code_ptr = e.b.gep(obj, [ir.Constant(D.I64, 1)], source_etype=D.PTR)
    e.b.store(code, code_ptr)
    for k, a in enumerate(i.args):
        e.store_field(obj, lay, k, e.val(a))
    e.bind(i, obj)


# ---------------------------------------------------------------- globals
def _gget(e: FnEmitter, i: Instr) -> None:
    name = i.attrs["global"]
    g = e.m.module.globals[name]
    var = e.m.global_var(name)
    if i.attrs.get("checked") and name in e.m.inits:
        flag = e.b.load(e.m.inits[name], typ=D.I8)
        e.fail_if(e.b.icmp_unsigned("==", flag, ir.Constant(D.I8, 0)), i, RUNTIME,
                  f"Variable '{g.shown}' is used before its declaration has run")
    v = e.b.load(var, typ=D.memory_type(g.type))
    e.bind(i, D.from_memory(e.b, v, g.type))


def _gset(e: FnEmitter, i: Instr) -> None:
    name = i.attrs["global"]
    g = e.m.module.globals[name]
    var = e.m.global_var(name)
    v = e.val(i.args[0])
    e.b.store(D.to_memory(e.b, v, g.type), var)
    if name in e.m.inits:
        e.b.store(ir.Constant(D.I8, 1), e.m.inits[name])


# ---------------------------------------------------------------- oroutines (a later issue)
def _oroutines(e: FnEmitter, i: Instr) -> None:
    raise Unsupported("oroutines (spawn/yield, spec 11) are not supported by the native engine yet")


HANDLERS = {
    "const": _const, "neg": _neg, "bnot": _bnot, "not": _not, "cast": _cast,
    "div": _divrem, "rem": _divrem, "shl": _shift, "shr": _shift,
    "jmp": _jmp, "br": _br, "ret": _ret, "raise": _raise, "trap": _trap, "unreachable": _unreachable,
    "call": _call, "call.ind": _call_ind, "closure": _closure, "gget": _gget, "gset": _gset,
    "yield": _oroutines, "spawn": _oroutines, "spawn.ind": _oroutines,
    **{n: _arith for n in ("add", "sub", "mul")},
    **{n: _bitwise for n in ("band", "bor", "bxor")},
    **{n: _compare for n in _CMP},
}
