"""On-the-fly SSA construction for local variables (Braun et al. 2013, "Simple and
Efficient Construction of Static Single Assignment Form"), with block parameters
in place of phis.

Algorithm:
  1. `write(key, v)` records v as the variable's current value in the current block.
  2. `read(key)` looks in the current block; else, in a sealed block with one
     predecessor, in that predecessor; else it adds a block parameter, records it
     as the value, and (once the block is sealed) passes the variable's value in
     each predecessor as the matching argument of that predecessor's edge.
  3. A block is *sealed* when all its predecessors are known; parameters added to
     an unsealed block are completed when it is sealed.
Edges are recorded by `jmp`/`br`, so the predecessor lists are exact. A try
handler has no explicit edges: it is given one *virtual* predecessor, the block
where the `try` began (`add_virtual_pred`), which is sound because every variable
assigned inside a try body lives in a cell (`func.py`), so the value on entry to
the try is the value at any error inside it.
`remove_trivial_params` then deletes the parameters whose arguments are all one
value, once the whole function is built.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Hashable

from orus.ir import types as I
from orus.ir.builder import Builder
from orus.ir.func import Block, Target, Value


class UndefinedVariable(Exception):
    """A read reached the entry block without a definition: an irgen bug."""


class SSABuilder:
    def __init__(self, builder: Builder):
        self.b = builder
        self.defs: dict = defaultdict(dict)          # key -> {Block: Value}
        self.types: dict = {}                       # key -> IR type
        self.preds: dict = defaultdict(list)        # Block -> [Block]
        self.virtual: set = set()                   # blocks whose preds are virtual
        self.sealed: set = set()
        self.incomplete: dict = defaultdict(dict)   # Block -> {key: param}

    # ------------------------------------------------------------ edges
    def jmp(self, target: Block, *args: Value) -> None:
        self.preds[target].append(self.b.block)
        self.b.jmp(target, *args)

    def br(self, cond: Value, then: Block, other: Block,
           then_args: tuple = (), other_args: tuple = ()) -> None:
        self.preds[then].append(self.b.block)
        self.preds[other].append(self.b.block)
        self.b.br(cond, then, other, then_args, other_args)

    def add_virtual_pred(self, block: Block, pred: Block) -> None:
        self.preds[block].append(pred)
        self.virtual.add(block)

    def seal(self, block: Block) -> None:
        if block in self.sealed:
            return
        self.sealed.add(block)
        for key, param in self.incomplete.pop(block, {}).items():
            self._add_args(key, block, param)

    # ------------------------------------------------------------ variables
    def write(self, key: Hashable, value: Value, block: Block | None = None) -> None:
        self.types.setdefault(key, value.type)
        self.defs[key][block or self.b.block] = value

    def read(self, key: Hashable, block: Block | None = None) -> Value:
        block = block or self.b.block
        got = self.defs[key].get(block)
        if got is not None:
            return got
        return self._read_recursive(key, block)

    def _read_recursive(self, key: Hashable, block: Block) -> Value:
        preds = self.preds.get(block, [])
        if block not in self.sealed:
            v = self._new_param(key, block)
            self.incomplete[block][key] = v
        elif len(preds) == 1:
            v = self.read(key, preds[0])
        elif not preds:
            raise UndefinedVariable(f"{describe(key)} read in {block} before any definition")
        else:
            v = self._new_param(key, block)
            self.write(key, v, block)
            self._add_args(key, block, v)
        self.write(key, v, block)
        return v

    def _new_param(self, key: Hashable, block: Block) -> Value:
        if block in self.virtual:
            raise UndefinedVariable(f"{describe(key)} would need a parameter on handler {block}")
        ty = self.types.get(key, I.I32)
        v = self.b.fn.new_value(ty, block)
        block.params.append(v)
        return v

    def _add_args(self, key: Hashable, block: Block, param: Value) -> None:
        for pred in dict.fromkeys(self.preds[block]):
            value = self.read(key, pred)
            for t in _edges(pred, block):
                t.args.append(value)


def describe(key) -> str:
    """A short spelling of a variable key for internal error messages."""
    if isinstance(key, tuple):
        return "(" + ", ".join(describe(k) for k in key) + ")"
    name = getattr(key, "name", None)
    line = getattr(key, "line", None)
    return f"{name}@{line}" if name is not None else type(key).__name__


def _edges(pred: Block, block: Block) -> list[Target]:
    term = pred.terminator
    return [t for t in term.targets if t.block is block] if term else []


def remove_trivial_params(fn) -> None:
    """Braun et al.'s trivial-phi removal, for block parameters: a parameter whose
    incoming arguments are all one value v (or the parameter itself) is replaced by
    v everywhere; v then dominates the block, since every path into it carries v.
    Repeated until nothing changes (one removal can make another parameter trivial).
    The entry block's parameters are the function's, a handler's is its error."""
    handlers = {b.handler for b in fn.blocks if b.handler is not None}
    changed = True
    while changed:
        changed = False
        incoming: dict = defaultdict(list)
        for b in fn.blocks:
            if b.terminator is not None:
                for t in b.terminator.targets:
                    incoming[t.block].append(t)
        for b in fn.blocks[1:]:
            edges = incoming.get(b)
            if not edges or b in handlers:
                continue
            for k in reversed(range(len(b.params))):
                p = b.params[k]
                others = {id(e.args[k]): e.args[k] for e in edges if e.args[k] is not p}
                if len(others) != 1:
                    continue
                _replace(fn, p, next(iter(others.values())))
                del b.params[k]
                for e in edges:
                    del e.args[k]
                changed = True


def _replace(fn, old: Value, new: Value) -> None:
    for b in fn.blocks:
        for instr in b.instrs:
            instr.args = [new if a is old else a for a in instr.args]
            for t in instr.targets:
                t.args = [new if a is old else a for a in t.args]
