"""IR module -> LLVM module: the framework every op handler plugs into.

`emit_module(module)` returns an llvmlite `ir.Module` that defines `void @orus_entry()`
(register the module's reference globals as GC roots, run `module.entry`) and
declares the runtime's functions and globals as externals (rtdecls.py).

Per function (FnEmitter):
  1. One LLVM function `orus.fn.NAME` with the IR parameters in value form
     (datamodel.py); functions that contain calls first compare the frame address
     with `orus_stack_limit` (spec 2.15: a catchable `Stack overflow`).
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
op that may fail; calls to other functions skip the status test.
"""

from __future__ import annotations

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
        self._intrinsics: dict[str, ir.Function] = {}

    # ------------------------------------------------------------ declarations
    def function(self, name: str) -> ir.Function:
        if name not in self.functions:
            fn = self.module.functions[name]
            fnty = ir.FunctionType(D.value_type(fn.ret), [D.value_type(p.type) for p in fn.params])
            f = ir.Function(self.llmod, fnty, f"orus.fn.{name}")
            f.linkage = "internal"
            f.attributes.add("nounwind")
            self.functions[name] = f
        return self.functions[name]

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
            b.ret_void() if fn.ret == T.VOID else b.ret(result)
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

    def intrinsic(self, name: str, ret: ir.Type, params: list[ir.Type]) -> ir.Function:
        if name not in self._intrinsics:
            self._intrinsics[name] = ir.Function(self.llmod, ir.FunctionType(ret, params), name)
        return self._intrinsics[name]

    # ------------------------------------------------------------ the module
    def emit(self) -> ir.Module:
        for fn in self.module.functions.values():
            FnEmitter(self, fn).emit()
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


def _has_calls(fn: Function) -> bool:
    return any(i.op.name in _CALL_OPS for i in fn.instructions())


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

    def __init__(self, m: ModuleEmitter, fn: Function):
        self.m, self.fn = m, fn
        self.llfn = m.function(fn.name)
        self.values: dict[int, ir.Value] = {}
        self.blocks: dict[int, ir.Block] = {}
        self.phis: dict[int, list[ir.PhiInstr]] = {}
        self.unwinds: dict[object, tuple[ir.Block, ir.PhiInstr]] = {}
        self.entry = self.llfn.append_basic_block("entry")
        self.b = ir.IRBuilder(self.entry)
        self.block: Block | None = None          # the IR block being emitted
        self.state: dict[str, object] = {}       # per-function facts of op families (concat chains)

    # ------------------------------------------------------------ driver
    def emit(self) -> None:
        from orus.backend.llvm.handlers import HANDLERS
        order = _rpo(self.fn)
        for blk in order:
            self.blocks[blk.id] = self.llfn.append_basic_block(f"b{blk.id}")
        for p, arg in zip(self.fn.params, self.llfn.args):
            self.values[p.id] = arg
        if _has_calls(self.fn):
            self._stack_check()
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

    def _stack_check(self) -> None:
        fa = self.b.call(self.m.intrinsic("llvm.frameaddress.p0", D.PTR, [D.I32]), [ir.Constant(D.I32, 0)])
        limit = self.b.load(self.m.rt.glob("orus_stack_limit"), typ=D.PTR)
        low = self.b.icmp_unsigned("<", self.b.ptrtoint(fa, D.I64), self.b.ptrtoint(limit, D.I64))
        with self.b.if_then(low, likely=False):
            self.b.call(self.m.rt.fn("orus_trap_stack_overflow"), [])
            self.ret_default()

    # ------------------------------------------------------------ values
    def val(self, v: Value) -> ir.Value:
        return self.values[v.id]

    def bind(self, i: Instr, llval: ir.Value) -> None:
        self.values[i.result.id] = llval

    def ret_default(self) -> None:
        if self.fn.ret == T.VOID:
            self.b.ret_void()
        else:
            self.b.ret(_zero(D.value_type(self.fn.ret)))

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

    def check(self, i: Instr) -> None:
        """After a call that may fail: unwind when `orus_status` is set."""
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
