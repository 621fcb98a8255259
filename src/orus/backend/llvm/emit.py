"""IR module -> LLVM module: the framework every op handler plugs into.

`emit_module(module)` returns an llvmlite `ir.Module` that defines `void @orus_entry()`
(register the module's reference globals as GC roots, run `module.entry`) and
declares the runtime's functions and globals as externals (rtdecls.py).

Per function (FnEmitter):
  1. One LLVM function `orus.fn.NAME` with the IR parameters in value form
     (datamodel.py). Every call of a compiled function first compares the caller's
     stack pointer with `orus_stack_limit` and, below it, raises `Stack overflow` at
     that call (spec 2.15: "at the call that would exceed it", catchable by the
     caller's try). Only the frame before the limit is ever unchecked, and the limit
     leaves a margin for it (and for the runtime). A function that makes no call
     therefore has no check, and in one that does, the limit is loaded once: the load
     is `!invariant.load` (orus_rt_run sets the limit before compiled code runs and no
     one changes it while it does; a runtime that switches stacks under compiled
     code, as oroutines may, must drop that marker).
  2. IR blocks are emitted in reverse postorder (handler edges included), so every
     operand is emitted before its uses; block parameters become phis whose incoming
     values are added by the predecessors' terminators.
  3. Errors use the status-flag protocol of orus_rt.h: after an op that may fail,
     `orus_status` is tested and a nonzero status branches to the *unwind block* of
     the current try region (one per handler, plus one for "no handler"). The unwind
     block gets the failing op's OrusSite through a phi, calls `orus_err_locate`, and
     either takes the error into the handler block's parameter or returns.
  4. Handlers for each op live in family modules (ops_core.py, ops_data.py) as
     `HANDLERS: name -> fn(e: FnEmitter, instr)`; a test checks every op of
     `opdefs.OPS` has exactly one.

A function is *fallible* when it contains a call (it may overflow the stack) or an
op that may fail; calls to other functions skip the status test. A fallible function
other than the module's entry also *returns* its failure: `{R, i1}` (`i1` when R is
void), the flag set exactly when it returns with `orus_status` set. Callers branch on
the flag instead of loading `orus_status`: that is a register test, and once LLVM
inlines the callee its error paths lead straight to the caller's unwind block instead
of merging with the normal path (where a runtime call on the error path would
otherwise make LLVM reload array lengths and fields after every inlined call).

Small self-recursive functions are emitted with copies: `orus.fn.NAME` calls itself
through `orus.fn.NAME.r1`, which calls `.r2`, ..., and the last copy calls `orus.fn.NAME`
again. LLVM does not inline a function into itself, but the copies are always inlined, so
one compiled frame runs 1 + copies levels of the recursion (measured on fib: 1.7x faster
with one copy, 2.8x with three). Each inlined level multiplies the code by the number of
self-calls, so the copies are limited by `_COPY_BUDGET` (compile time: fib 8 -> 25 ms).
Every level keeps its own call sites with their stack checks, status tests and sites: an
error, also `Stack overflow`, is reported at the same call as without copies.
"""

from __future__ import annotations

import platform

from llvmlite import ir

from orus.ir import types as T
from orus.ir.func import Block, Function, Instr, Module, Value

from orus.backend.llvm import datamodel as D
from orus.backend.llvm.descriptors import Descriptors
from orus.backend.llvm.rtdecls import RuntimeDecls
from orus.backend.llvm.tbaa import Tbaa

ENTRY_SYMBOL = "orus_entry"
# OrusErrKind numbers of orus_rt.h, by the kind text of spec 5.7 (semantics/errors.py).
ERROR_KINDS = {"runtime error": 0, "value error": 1, "index error": 2, "type error": 3,
               "conversion error": 4, "argument error": 5}
RUNTIME, VALUE, INDEX, TYPE, CONVERSION, ARGUMENT = range(6)
_CALL_OPS = ("call", "call.ind", "spawn", "spawn.ind")
# The stack pointer register of the host (code is generated for the host only). Reading it
# lets a function run without the frame pointer llvm.frameaddress forces: self-recursive
# functions do (measured: fib 15% faster). Others keep the frame address: there a frame
# pointer costs nothing measurable, and freeing the register changed the register
# allocation of inlined loops for the worse (nested_loops 6% slower).
_SP_REGISTER = {"x86_64": "rsp", "amd64": "rsp", "aarch64": "sp", "arm64": "sp"}.get(platform.machine().lower())
# Copies of a self-recursive function of n IR instructions and k self-calls: the most
# (up to _MAX_COPIES) whose inlined code, n * (1 + k + ... + k**copies), stays within this.
_COPY_BUDGET = 200
_MAX_COPIES = 3
# Larger functions get no copy: their work outweighs a call (quicksort: no gain measured).
_COPY_MAX_SIZE = 24


def _zero(t: ir.Type) -> ir.Constant:
    return ir.Constant(t, None)


class ModuleEmitter:
    """Module-wide state: declarations, descriptors, one LLVM function per IR function."""

    def __init__(self, module: Module):
        self.module = module
        self.llmod = ir.Module(name="orus")
        self.dm = D.DataModel(module)
        self.rt = RuntimeDecls(self.llmod)
        self.desc = Descriptors(self)
        self.tbaa = Tbaa(self.llmod)
        self.functions: dict[str, ir.Function] = {}
        self.codes: dict[str, ir.Function] = {}
        self.globals: dict[str, ir.Constant] = {}
        self.ref_names = [n for n, g in module.globals.items() if T.is_reference(g.type)]
        refs_ty = ir.ArrayType(D.PTR, max(len(self.ref_names), 1))
        self.refs = ir.GlobalVariable(self.llmod, refs_ty, "orus.refs")
        self.refs.linkage = "internal"
        self.refs.initializer = _zero(refs_ty)
        self.inits: dict[str, ir.GlobalVariable] = {}
        self.fallible = {name: _fallible(fn) for name, fn in module.functions.items()}
        self.flagged = {name for name, f in self.fallible.items() if f and name != module.entry}
        self.recursive = {name for name, fn in module.functions.items() if _calls_itself(fn)}
        self.n_copies = {name: _copies(fn) for name, fn in module.functions.items()}
        self.copies: dict[tuple[str, int], ir.Function] = {}   # (name, k) -> orus.fn.NAME.rk
        self._intrinsics: dict[str, ir.Function] = {}
        self._metadata: dict[object, object] = {}

    # ------------------------------------------------------------ declarations
    def function(self, name: str) -> ir.Function:
        if name not in self.functions:
            fn = self.module.functions[name]
            fnty = ir.FunctionType(self.return_type(name), [D.value_type(p.type) for p in fn.params])
            f = ir.Function(self.llmod, fnty, f"orus.fn.{name}")
            f.linkage = "internal"
            f.attributes.add("nounwind")
            self.functions[name] = f
        return self.functions[name]

    def return_type(self, name: str) -> ir.Type:
        """The LLVM return type of IR function `name` (with the failure flag when flagged)."""
        vt = D.value_type(self.module.functions[name].ret)
        if name not in self.flagged:
            return vt
        return D.I1 if vt == D.VOID else ir.LiteralStructType([vt, D.I1])

    def copy(self, name: str, k: int) -> ir.Function:
        """`orus.fn.NAME.rK`, copy k of self-recursive NAME (see the module docstring)."""
        if (name, k) not in self.copies:
            orig = self.function(name)
            f = ir.Function(self.llmod, orig.function_type, f"orus.fn.{name}.r{k}")
            f.linkage = "internal"
            f.attributes.add("nounwind")
            f.attributes.add("alwaysinline")     # LLVM's cost model may refuse (measured)
            self.copies[(name, k)] = f
        return self.copies[(name, k)]

    def code(self, name: str) -> ir.Function:
        """`R orus.code.NAME(ptr self, args...)`: the code pointer of NAME's function values;
        it loads the captures from the closure object and calls NAME."""
        if name not in self.codes:
            fn = self.module.functions[name]
            target = self.function(name)
            user = fn.params[fn.n_captures:]
            fnty = ir.FunctionType(D.value_type(fn.ret), [D.PTR] + [D.value_type(p.type) for p in user])
            f = ir.Function(self.llmod, fnty, f"orus.code.{name}")
            f.linkage = "internal"
            f.attributes.add("nounwind")
            b = ir.IRBuilder(f.append_basic_block("entry"))
            captures = [p.type for p in fn.params[:fn.n_captures]]
            lay = self.dm.closure(tuple(captures))
            loaded = [load_field(b, f.args[0], lay, k, self.tbaa) for k in range(len(captures))]
            result = b.call(target, loaded + list(f.args[1:]))
            # indirect callers test orus_status, which a failing callee has set as well
            if fn.ret == T.VOID:
                b.ret_void()
            else:
                b.ret(b.extract_value(result, 0) if name in self.flagged else result)
            self.codes[name] = f
        return self.codes[name]

    def global_var(self, name: str) -> ir.Constant:
        """The address of global `name`. Reference-typed globals are the elements of one
        array, `orus.refs`, which orus_entry registers as GC roots (orus_gc_add_roots takes
        contiguous slots); the others are separate variables."""
        if name not in self.globals:
            g = self.module.globals[name]
            if T.is_reference(g.type):
                self.globals[name] = self.refs.gep([ir.Constant(D.I32, 0),
                                                    ir.Constant(D.I32, self.ref_names.index(name))])
            else:
                ty = D.memory_type(g.type)
                var = ir.GlobalVariable(self.llmod, ty, f"orus.g.{name}")
                var.linkage = "internal"
                var.initializer = _zero(ty)
                self.globals[name] = var
            if g.checked:
                flag = ir.GlobalVariable(self.llmod, D.I8, f"orus.gi.{name}")
                flag.linkage = "internal"
                flag.initializer = _zero(D.I8)
                self.inits[name] = flag
        return self.globals[name]

    def value_range(self, ty: ir.IntType, lo: int, hi: int):
        """`!range` metadata: a load of type ty yields a value in [lo, hi) (hi may wrap)."""
        key = ("range", ty.width, lo, hi)
        if key not in self._metadata:
            wrap = (1 << ty.width)
            hi = hi - wrap if hi >= wrap // 2 else hi
            self._metadata[key] = self.llmod.add_metadata([ir.Constant(ty, lo), ir.Constant(ty, hi)])
        return self._metadata[key]

    def metadata(self, key: str, operands: list):
        """A metadata node of this module, made once per key."""
        if key not in self._metadata:
            self._metadata[key] = self.llmod.add_metadata(operands)
        return self._metadata[key]

    def intrinsic(self, name: str, ret: ir.Type, params: list[ir.Type]) -> ir.Function:
        if name not in self._intrinsics:
            self._intrinsics[name] = ir.Function(self.llmod, ir.FunctionType(ret, params), name)
        return self._intrinsics[name]

    # ------------------------------------------------------------ the module
    def emit(self) -> ir.Module:
        for fn in self.module.functions.values():
            FnEmitter(self, fn).emit()
            for k in range(1, self.n_copies[fn.name] + 1):
                FnEmitter(self, fn, copy=k).emit()
        for name in self.module.globals:
            self.global_var(name)
        self._entry()
        return self.llmod

    def _entry(self) -> None:
        f = ir.Function(self.llmod, ir.FunctionType(D.VOID, []), ENTRY_SYMBOL)
        b = ir.IRBuilder(f.append_basic_block("entry"))
        if self.ref_names:
            b.call(self.rt.fn("orus_gc_add_roots"), [self.refs, ir.Constant(D.I32, len(self.ref_names))])
        b.call(self.function(self.module.entry), [])
        b.ret_void()


def _fallible(fn: Function) -> bool:
    return any(i.op.name in _CALL_OPS or i.op.may_fail(i) for i in fn.instructions())


def _calls_itself(fn: Function) -> bool:
    return any(i.op.name == "call" and i.attrs["callee"] == fn.name for i in fn.instructions())


def _copies(fn: Function) -> int:
    """How many copies self-recursive `fn` gets (see the module docstring)."""
    n = k = 0
    for i in fn.instructions():
        n += 1
        k += i.op.name == "call" and i.attrs["callee"] == fn.name
    if k == 0 or n > _COPY_MAX_SIZE:
        return 0
    for copies in range(_MAX_COPIES, 0, -1):
        if n * sum(k ** j for j in range(copies + 1)) <= _COPY_BUDGET:
            return copies
    return 0


def load_field(b: ir.IRBuilder, obj: ir.Value, lay: D.Layout, k: int, tbaa: Tbaa) -> ir.Value:
    """Field k (after the prefix) of an object with layout `lay`, in value form."""
    ptr = b.gep(obj, [ir.Constant(D.I32, 0), ir.Constant(D.I32, lay.first + k)], source_etype=lay.llvm)
    v = tbaa.mark(b.load(ptr, typ=D.memory_type(lay.fields[k])), f"{lay.name}.{k}")
    return D.from_memory(b, v, lay.fields[k])


def store_field(b: ir.IRBuilder, obj: ir.Value, lay: D.Layout, k: int, value: ir.Value, tbaa: Tbaa) -> None:
    ptr = b.gep(obj, [ir.Constant(D.I32, 0), ir.Constant(D.I32, lay.first + k)], source_etype=lay.llvm)
    tbaa.mark(b.store(D.to_memory(b, value, lay.fields[k]), ptr), f"{lay.name}.{k}")


def _rpo(fn: Function) -> list[Block]:
    seen, order = set(), []

    def visit(b: Block) -> None:
        stack = [(b, iter(b.successors()))]
        seen.add(b.id)
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                order.append(node)
                stack.pop()
            elif nxt.id not in seen:
                seen.add(nxt.id)
                stack.append((nxt, iter(nxt.successors())))
    visit(fn.entry)
    return order[::-1]


class FnEmitter:
    """Emits one IR function; op handlers call the helpers below (see ops_data.py's contract)."""

    def __init__(self, m: ModuleEmitter, fn: Function, copy: int = 0):
        self.m, self.fn = m, fn
        # copy 0 is the original; self-calls go to the next copy, from the last to the original
        self.llfn = m.copy(fn.name, copy) if copy else m.function(fn.name)
        nxt = copy + 1
        self.self_target = m.copy(fn.name, nxt) if nxt <= m.n_copies[fn.name] else m.function(fn.name)
        self.values: dict[int, ir.Value] = {}
        self.blocks: dict[int, ir.Block] = {}
        self.phis: dict[int, list[ir.PhiInstr]] = {}
        self.unwinds: dict[object, tuple[ir.Block, ir.PhiInstr]] = {}
        self.entry = self.llfn.append_basic_block("entry")
        self.b = ir.IRBuilder(self.entry)
        self.block: Block | None = None          # the IR block being emitted
        self.state: dict[str, object] = {}       # per-function facts of op families (concat chains)
        self.exit: tuple | None = None           # (block, value phi, flag phi) of a flagged function

    # ------------------------------------------------------------ driver
    def emit(self) -> None:
        from orus.backend.llvm.handlers import HANDLERS
        order = _rpo(self.fn)
        for blk in order:
            self.blocks[blk.id] = self.llfn.append_basic_block(f"b{blk.id}")
        for p, arg in zip(self.fn.params, self.llfn.args):
            self.values[p.id] = arg
        self.b.branch(self.blocks[self.fn.entry.id])
        for blk in order:
            self.b.position_at_end(self.blocks[blk.id])
            if blk is not self.fn.entry:
                self.phis[blk.id] = [self.b.phi(D.value_type(p.type)) for p in blk.params]
                for p, phi in zip(blk.params, self.phis[blk.id]):
                    self.values[p.id] = phi
        for blk in order:
            self.block = blk
            self.b.position_at_end(self.blocks[blk.id])
            for instr in blk.instrs:
                HANDLERS[instr.op.name](self, instr)

    def stack_check(self, i: Instr) -> None:
        """Before call i of a compiled function: below the stack limit, raise `Stack
        overflow` at i (see the module docstring)."""
        if _SP_REGISTER and self.fn.name in self.m.recursive:
            md = self.m.metadata("sp", [ir.MetaDataString(self.m.llmod, _SP_REGISTER)])
            sp = self.b.call(self.m.intrinsic("llvm.read_register.i64", D.I64, [ir.MetaDataType()]), [md])
            fa = self.b.inttoptr(sp, D.PTR)
        else:
            fa = self.b.call(self.m.intrinsic("llvm.frameaddress.p0", D.PTR, [D.I32]), [ir.Constant(D.I32, 0)])
        limit = self.b.load(self.m.rt.glob("orus_stack_limit"), typ=D.PTR)
        limit.set_metadata("invariant.load", self.m.metadata("invariant", []))
        low = self.b.icmp_unsigned("<", self.b.ptrtoint(fa, D.I64), self.b.ptrtoint(limit, D.I64))
        cold = self.llfn.append_basic_block("stack.low")
        cont = self.llfn.append_basic_block("stack.ok")
        self.b.cbranch(low, cold, cont).set_weights([1, 1000])
        self.b.position_at_end(cold)
        self.b.call(self.m.rt.fn("orus_trap_stack_overflow"), [])
        self.propagate(i)
        self.b.position_at_end(cont)

    def callee(self, name: str) -> ir.Function:
        """The LLVM function a direct call of IR function `name` targets from here."""
        return self.self_target if name == self.fn.name else self.m.function(name)

    # ------------------------------------------------------------ values
    def val(self, v: Value) -> ir.Value:
        return self.values[v.id]

    def bind(self, i: Instr, llval: ir.Value) -> None:
        self.values[i.result.id] = llval

    def ret_default(self) -> None:
        """Return after a failure (orus_status is set)."""
        self._ret(None if self.fn.ret == T.VOID else _zero(D.value_type(self.fn.ret)), True)

    def ret_value(self, v: ir.Value | None) -> None:
        """The normal return (v None for a void function)."""
        self._ret(v, False)

    def _ret(self, v: ir.Value | None, failed: bool) -> None:
        if self.fn.name not in self.m.flagged:
            self.b.ret_void() if v is None else self.b.ret(v)
            return
        flag = ir.Constant(D.I1, 1 if failed else 0)
        if v is None:
            self.b.ret(flag)
            return
        # One exit block builds the pair from two scalar phis: inlined, extractvalue of the
        # pair folds to those phis, so LLVM threads the caller's test on the flag (a phi
        # of pairs is opaque to it).
        if self.exit is None:
            here = self.b.block
            blk = self.llfn.append_basic_block("exit")
            self.b.position_at_end(blk)
            pty = self.llfn.function_type.return_type
            self.exit = (blk, self.b.phi(pty.elements[0]), self.b.phi(D.I1))
            pair = self.b.insert_value(ir.Constant(pty, ir.Undefined), self.exit[1], 0)
            self.b.ret(self.b.insert_value(pair, self.exit[2], 1))
            self.b.position_at_end(here)
        blk, value, failure = self.exit
        value.add_incoming(v, self.b.block)
        failure.add_incoming(flag, self.b.block)
        self.b.branch(blk)

    def jump_args(self, target, llblock: ir.Block | None = None) -> None:
        """Add the target's arguments as incoming values of its phis (from the current block)."""
        for phi, arg in zip(self.phis.get(target.block.id, []), target.args):
            phi.add_incoming(self.val(arg), llblock or self.b.block)

    def target_block(self, target) -> ir.Block:
        return self.blocks[target.block.id]

    # ------------------------------------------------------------ errors
    def site(self, i: Instr) -> ir.Value:
        line, col = i.loc if i.loc else (0, 0)
        return self.m.desc.site(self.fn.file, line, col, i.op.name)

    def _unwind(self) -> tuple[ir.Block, ir.PhiInstr]:
        """The unwind block of the current IR block's try region (created on first use)."""
        handler = self.block.handler
        key = handler.id if handler is not None else None
        if key not in self.unwinds:
            here = self.b.block
            blk = self.llfn.append_basic_block("unwind" if key is None else f"unwind.b{key}")
            self.b.position_at_end(blk)
            site = self.b.phi(D.PTR)
            self.b.call(self.m.rt.fn("orus_err_locate"), [site])
            if handler is None:
                self.ret_default()
            else:
                err = self.b.call(self.m.rt.fn("orus_err_take"), [])
                self.phis[handler.id][0].add_incoming(err, blk)
                self.b.branch(self.blocks[handler.id])
            self.unwinds[key] = (blk, site)
            self.b.position_at_end(here)
        return self.unwinds[key]

    def propagate(self, i: Instr) -> None:
        """Terminate the current LLVM block by unwinding with the pending error."""
        blk, site = self._unwind()
        site.add_incoming(self.site(i), self.b.block)
        self.b.branch(blk)

    def check(self, i: Instr, failed: ir.Value | None = None) -> None:
        """After a call that may fail: unwind when `orus_status` is set (or, for a flagged
        callee, when its returned flag `failed` is)."""
        if failed is None:
            status = self.b.load(self.m.rt.glob("orus_status"), typ=D.I32)
            failed = self.b.icmp_unsigned("!=", status, ir.Constant(D.I32, 0))
        blk, site = self._unwind()
        cont = self.llfn.append_basic_block()
        site.add_incoming(self.site(i), self.b.block)
        br = self.b.cbranch(failed, blk, cont)
        br.set_weights([1, 1000])
        self.b.position_at_end(cont)

    def fail_if(self, cond: ir.Value, i: Instr, kind: int, message: str) -> None:
        """When cond holds, raise a new error of `kind` with `message` at i's site."""
        cold = self.llfn.append_basic_block()
        cont = self.llfn.append_basic_block()
        br = self.b.cbranch(cond, cold, cont)
        br.set_weights([1, 1000])
        self.b.position_at_end(cold)
        self.b.call(self.m.rt.fn("orus_trap"),
                    [self.site(i), ir.Constant(D.I32, kind), self.m.desc.cstring(message)])
        self.propagate(i)
        self.b.position_at_end(cont)

    # ------------------------------------------------------------ helpers for handlers
    def call_rt(self, name: str, args: list[ir.Value]) -> ir.Value:
        return self.b.call(self.m.rt.fn(name), args)

    def to_bits(self, v: ir.Value, t: T.Type) -> ir.Value:
        """A value as the uint64 bits generic runtime functions take (orus_rt.h)."""
        if t == T.F64:
            return self.b.bitcast(v, D.I64)
        if t in (T.I32,):
            return self.b.sext(v, D.I64)
        if t in (T.U32, T.BOOL):
            return self.b.zext(v, D.I64)
        if t in (T.I64, T.U64):
            return v
        return self.b.ptrtoint(v, D.I64)

    def from_bits(self, bits: ir.Value, t: T.Type) -> ir.Value:
        if t == T.F64:
            return self.b.bitcast(bits, D.F64)
        vt = D.value_type(t)
        if vt in (D.I32, D.I1):
            return self.b.trunc(bits, vt)
        if vt == D.I64:
            return bits
        return self.b.inttoptr(bits, D.PTR)

    def alloca_array(self, elem: ir.Type, n: int) -> ir.Value:
        here = self.b.block
        self.b.position_at_start(self.entry)
        slot = self.b.alloca(ir.ArrayType(elem, max(n, 1)))
        self.b.position_at_end(here)
        return slot

    def load_field(self, obj: ir.Value, lay: D.Layout, k: int) -> ir.Value:
        return load_field(self.b, obj, lay, k, self.m.tbaa)

    def store_field(self, obj: ir.Value, lay: D.Layout, k: int, value: ir.Value) -> None:
        store_field(self.b, obj, lay, k, value, self.m.tbaa)

    def index_i64(self, v: Value) -> ir.Value:
        """An integer operand widened to i64 (signed types sign-extend, unsigned zero-extend)."""
        x = self.val(v)
        if x.type == D.I64:
            return x
        return self.b.sext(x, D.I64) if T.is_signed(v.type) else self.b.zext(x, D.I64)


def emit_module(module: Module) -> ir.Module:
    """The LLVM module of a whole IR module (see the module docstring)."""
    return ModuleEmitter(module).emit()
