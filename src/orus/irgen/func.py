"""Lowering of one function body (or one module's top-level code) to an IR function.

`FnLowering` holds what the statement and expression lowerers share: the builder,
the SSA construction (`ssa.py`), the type-resolution chain of generic instances,
the current try handler, the enclosing loops, and where each variable lives.

Where a variable lives (decided per Symbol, the same in every function):
  * module-scope bindings and constants: IR globals (`gget`/`gset`; a read is
    `checked` when it may run before the declaration: in any function body, in
    another module, in a struct field default);
  * mutable variables that a nested function or lambda uses, or that a try body
    assigns: cells (`cell.new` when the declaration runs, so every loop iteration
    gets a fresh one, spec 2.2/2.16); the cell itself is an SSA value;
  * everything else, captured immutable variables included (their value never
    changes once declared, so a copy is as good as the variable): SSA values.
    Only mutable variables need the SSA construction of ssa.py; an immutable one
    is defined once where its declaration runs, and that value dominates every
    use in its scope (`fixed`).
Variable keys are Symbols, or `(Symbol, Instance)` for the per-instance values of a
generic nested function or generalised lambda, or internal tuples of irgen.
A closure's function receives its captures as its first parameters; a nested
function's own name inside its body is a closure of itself rebuilt from them.

Invariant: when `self.b.terminated` is true control cannot reach the insertion
point; expression lowerers then raise `Dead`, which the statement-list lowerer
catches to skip the unreachable rest of the list.
"""

from __future__ import annotations

from typing import Optional

from orus.ir import types as I
from orus.ir.builder import Builder
from orus.ir.func import Block, Value
from orus.irgen.calls import CallLowering
from orus.irgen.control import ControlLowering
from orus.irgen.errors import Dead, MissingInstance
from orus.irgen.expr import ExprLowering
from orus.irgen.matching import MatchLowering
from orus.irgen.ssa import SSABuilder, remove_trivial_params
from orus.irgen.stmt import StmtLowering
from orus.sema import types as T
from orus.sema.scopes import Symbol, SymKind


def _mutable(key) -> bool:
    return isinstance(key, Symbol) and key.mutable and key.kind is SymKind.VAR


def sym_of(key) -> Optional[Symbol]:
    if isinstance(key, Symbol):
        return key
    if isinstance(key, tuple) and key and isinstance(key[0], Symbol):
        return key[0]
    return None


class FnLowering(ExprLowering, CallLowering, StmtLowering, ControlLowering, MatchLowering):
    def __init__(self, ml, job):
        self.ml, self.typed, self.job = ml, ml.typed, job
        self.node, self.insts, self.source = job.node, job.chain, job.source
        self.fn = job.fn
        self.b = Builder(ml.module, self.fn)
        self.ssa = SSABuilder(self.b)
        self.ssa.sealed.add(self.fn.entry)
        self.handler: Optional[Block] = None
        self.loops: dict = {}                 # loop statement -> (break block, continue block)
        self.force_checked = False            # reading struct field defaults
        self.fixed: dict = {}                 # key -> the value of an immutable local

    # ------------------------------------------------------------ types
    def resolve(self, t: T.Type) -> T.Type:
        for inst in self.insts:
            t = T.substitute(t, inst.subst)
        return T.resolve(t)

    def ty(self, t: T.Type) -> I.Type:
        return self.ml.types.lower(self.resolve(t))

    def ety(self, e) -> I.Type:
        return self.ty(e.ty)

    def target(self, node):
        """The generic instance a call or value use targets (typed.py)."""
        for inst in self.insts:
            hit = inst.calls.get(node)
            if hit is not None:
                return hit
        return self.typed.call_targets.get(node)

    def instance_of(self, node, sym, info):
        """The instance a use of generic `sym` targets. When the checker recorded no
        target (a call inside a lambda inside a generic function), the instance with
        the use's resolved parameter types, if the checker made one."""
        inst = self.target(node)
        if inst is None:
            ft = T.prune(self.resolve(node.ty)) if node.ty is not None else None
            if type(ft) is T.FnT:
                inst = info.by_key.get(tuple(T.type_key(p) for p in ft.params))
        if inst is None:
            raise MissingInstance(f"no instance of generic '{sym.name}' for its use at "
                                  f"{node.span.line}:{node.span.col}")
        return inst

    # ------------------------------------------------------------ blocks and ops
    @staticmethod
    def loc(span) -> tuple[int, int]:
        return (span.line, span.col)

    def new_block(self, *param_types: I.Type) -> Block:
        return self.b.new_block(*param_types, handler=self.handler)

    def emit(self, name: str, args=(), loc=None, **attrs) -> Optional[Value]:
        return self.b.emit(name, list(args), loc=loc, **attrs)

    def const(self, ty: I.Type, value) -> Value:
        return self.b.const(ty, value)

    def position(self, block: Block) -> None:
        self.b.position_at(block)

    def live(self) -> None:
        """Raise Dead when the insertion point is unreachable."""
        if self.b.terminated:
            raise Dead()

    def join(self, block: Block) -> bool:
        """Seal a merge block and continue there; without predecessors it is dropped
        and the insertion point becomes unreachable (returns False)."""
        self.ssa.seal(block)
        if not self.ssa.preds.get(block):
            self.fn.blocks.remove(block)
            self.b.block = None
            return False
        self.fn.blocks.remove(block)
        self.fn.blocks.append(block)
        self.position(block)
        return True

    def trap(self, kind: str, message: str, span) -> None:
        self.emit("trap", loc=self.loc(span), kind=kind, message=message)

    # ------------------------------------------------------------ variables
    def key(self, sym, inst=None):
        return sym if inst is None else (sym, inst)

    def storage(self, key) -> str:
        sym = sym_of(key)
        if sym is None or isinstance(key, tuple):
            return "ssa"
        if sym.is_global and sym.kind in (SymKind.VAR, SymKind.CONST):
            return "global"
        if sym.kind is SymKind.VAR and sym.mutable and (sym.captured or sym in self.ml.try_assigned):
            return "cell"
        return "ssa"

    def declare(self, key, value: Value) -> None:
        where = self.storage(key)
        if where == "global":
            self.emit("gset", [value], **{"global": self.ml.global_for(key)})
        elif where == "cell":
            self.set_local(("cell", key), self.emit("cell.new", [value]))
        else:
            self.set_local(key, value)

    def assign(self, key, value: Value) -> None:
        where = self.storage(key)
        if where == "cell":
            self.emit("cell.set", [self.get_local(("cell", key)), value])
        else:
            self.declare(key, value)

    def read(self, key, span=None) -> Value:
        where = self.storage(key)
        if where == "global":
            sym = sym_of(key)
            checked = self.node is not None or self.force_checked or sym.module is not self.source
            name = self.ml.global_for(sym)
            if checked:
                self.ml.module.globals[name].checked = True
                return self.emit("gget", loc=self.loc(span or sym.span), checked=True,
                                 **{"global": name})
            return self.emit("gget", **{"global": name})
        if where == "cell":
            return self.emit("cell.get", [self.get_local(("cell", key))])
        return self.get_local(key)

    def set_local(self, key, value: Value) -> None:
        """Define a local: a mutable variable through SSA construction; anything else
        (immutable variables, cells, per-instance closures) is defined once where its
        declaration runs, and that definition dominates every use in its scope."""
        if _mutable(key):
            self.ssa.write(key, value)
        else:
            self.fixed[key] = value
            self.ssa.types[key] = value.type

    def get_local(self, key) -> Value:
        got = self.fixed.get(key)
        return got if got is not None else self.ssa.read(key)

    def capture_value(self, key) -> Value:
        """What a closure stores for a captured variable: its cell, or its value."""
        if self.storage(key) == "cell":
            return self.get_local(("cell", key))
        return self.get_local(key)

    def capture_type(self, key) -> I.Type:
        if self.storage(key) == "cell":
            return self.get_local(("cell", key)).type
        if key in self.fixed:
            return self.fixed[key].type
        if isinstance(key, tuple):
            return self.ml.value_type_of(key, self)
        return self.ty(sym_of(key).ty)

    # ------------------------------------------------------------ the body
    def run(self) -> None:
        job, fn = self.job, self.fn
        params = list(fn.params)
        for key, p in zip(job.captures, params[:fn.n_captures]):
            if self.storage(key) == "cell":
                self.set_local(("cell", key), p)
            else:
                self.set_local(key, p)
        if job.self_key is not None:
            env = params[:fn.n_captures]
            self.declare(job.self_key, self.emit("closure", env, callee=fn.name))
        if self.node is not None:
            for p, v in zip(self.node.params, params[fn.n_captures:]):
                if p.sym is not None:
                    self.declare(p.sym, v)
            self.body(self.node.body.stmts)
        else:
            self.stmts(job.source.tree.body)
            if not self.b.terminated:
                self.b.ret()
        self.drop_abandoned_blocks()
        remove_trivial_params(self.fn)

    def drop_abandoned_blocks(self) -> None:
        """Remove blocks left unfinished because control left an expression early
        (`while {return 1}:`): nothing branches to them, so they are unreachable."""
        used = {t.block for blk in self.fn.blocks if blk.terminator
                for t in blk.terminator.targets}
        used |= {blk.handler for blk in self.fn.blocks if blk.handler is not None}
        self.fn.blocks = [blk for blk in self.fn.blocks
                          if blk.terminator is not None or blk in used or blk is self.fn.entry]

    def body(self, stmts: list) -> None:
        """A function body: implicit returns (spec 2.15), void functions return nothing."""
        if self.fn.ret == I.VOID:
            self.stmts(stmts)
            if not self.b.terminated:
                self.b.ret()
            return
        self.tail_stmts(stmts)
        if not self.b.terminated:
            self.emit("unreachable")
