"""Building IR: the one API irgen and passes use to create instructions.

The builder appends to a current block and computes each result's type from
the op table's result rule, so a builder-made instruction is well typed by
construction (the verifier re-checks it).
"""

from __future__ import annotations

from typing import Optional

from orus.ir import types as T
from orus.ir.func import Block, Function, Instr, Module, Target, Value
from orus.ir.opdefs import OP_BY_NAME


class Builder:
    def __init__(self, module: Module, fn: Function):
        self.module = module
        self.fn = fn
        self.block: Optional[Block] = fn.blocks[0] if fn.blocks else None
        self.loc: Optional[tuple[int, int]] = None      # attached to instructions that may fail

    # ------------------------------------------------------------ blocks
    def new_block(self, *param_types: T.Type, handler: Optional[Block] = None) -> Block:
        b = self.fn.new_block()
        b.params = [self.fn.new_value(t, b) for t in param_types]
        b.handler = handler
        return b

    def position_at(self, block: Block) -> None:
        self.block = block

    @property
    def terminated(self) -> bool:
        return self.block is None or self.block.terminator is not None

    # ------------------------------------------------------------ instructions
    def emit(self, name: str, args: list[Value] = (), targets: list[Target] = (),
             loc: Optional[tuple[int, int]] = None, **attrs) -> Optional[Value]:
        """Append one instruction; returns its result value (None for ops without one)."""
        op = OP_BY_NAME[name]
        instr = Instr(op, list(args), None, attrs, list(targets), None, self.block)
        if op.may_fail(instr):
            instr.loc = loc or self.loc
        if op.result is not None:
            ty = op.result(instr, self.module)
            if ty != T.VOID:
                instr.result = self.fn.new_value(ty, instr)
        self.block.instrs.append(instr)
        return instr.result

    def const(self, ty: T.Type, value) -> Value:
        return self.emit("const", type=ty, value=value)

    def jmp(self, block: Block, *args: Value) -> None:
        self.emit("jmp", targets=[Target(block, list(args))])

    def br(self, cond: Value, then: Block, other: Block,
           then_args: tuple = (), other_args: tuple = ()) -> None:
        self.emit("br", [cond], [Target(then, list(then_args)), Target(other, list(other_args))])

    def ret(self, value: Optional[Value] = None) -> None:
        self.emit("ret", [value] if value is not None else [])


def new_function(module: Module, name: str, param_types: list[T.Type], ret: T.Type,
                 file: str = "", n_captures: int = 0, display_name: Optional[str] = None) -> Function:
    """A function with an entry block whose parameters are the function's parameters."""
    fn = Function(name, [], ret, file, n_captures, display_name)
    entry = fn.new_block()
    entry.params = [fn.new_value(t, entry) for t in param_types]
    fn.params = entry.params
    module.add(fn)
    return fn
