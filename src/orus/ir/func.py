"""IR containers: values, instructions, blocks, functions, modules.

Design (see ARCHITECTURE.md, "The IR"):
  * SSA with block parameters instead of phis. A terminator names its successor
    blocks together with the arguments passed to their parameters.
  * Every value has an IR type (`ir/types.py`); nothing is dynamically typed.
  * Try regions: a block whose `handler` is set sends every error raised by one
    of its MAY_FAIL instructions to that handler block, whose single parameter
    receives the error value. Without a handler the error leaves the function.
    So the handler is an implicit successor of each such block.
  * Instructions that can fail carry `loc = (line, col)` in the function's file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from orus.ir.types import Type


@dataclass(eq=False, slots=True)
class Value:
    id: int
    type: Type
    defn: Any = None              # the Instr that defines it, or the Block whose parameter it is

    def __str__(self) -> str:
        return f"v{self.id}"


@dataclass(eq=False, slots=True)
class Target:
    """A successor edge: block plus the arguments for its parameters."""

    block: "Block"
    args: list[Value] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class Instr:
    op: Any                       # opdefs.Op
    args: list[Value]
    result: Optional[Value] = None
    attrs: dict = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)   # terminators only
    loc: Optional[tuple[int, int]] = None
    block: Optional["Block"] = None

    @property
    def name(self) -> str:
        return self.op.name


@dataclass(eq=False, slots=True)
class Block:
    id: int
    params: list[Value] = field(default_factory=list)
    instrs: list[Instr] = field(default_factory=list)
    handler: Optional["Block"] = None

    def __str__(self) -> str:
        return f"b{self.id}"

    @property
    def terminator(self) -> Optional[Instr]:
        if self.instrs and self.instrs[-1].op.is_terminator:
            return self.instrs[-1]
        return None

    def successors(self) -> list["Block"]:
        term = self.terminator
        succ = [t.block for t in term.targets] if term else []
        if self.handler is not None and self.handler not in succ:
            succ.append(self.handler)
        return succ


@dataclass(eq=False)
class Function:
    name: str
    params: list[Value]           # the entry block's parameters
    ret: Type
    file: str = ""
    n_captures: int = 0           # leading params filled from the closure environment
    display_name: Optional[str] = None   # `<fn NAME>` when printed; None for lambdas
    blocks: list[Block] = field(default_factory=list)
    next_value: int = 0
    next_block: int = 0

    @property
    def entry(self) -> Block:
        return self.blocks[0]

    def new_value(self, ty: Type, defn: Any = None) -> Value:
        v = Value(self.next_value, ty, defn)
        self.next_value += 1
        return v

    def new_block(self) -> Block:
        b = Block(self.next_block)
        self.next_block += 1
        self.blocks.append(b)
        return b

    def instructions(self) -> Iterator[Instr]:
        for b in self.blocks:
            yield from b.instrs


@dataclass(eq=False)
class StructDef:
    name: str
    fields: list[tuple[str, Type]]
    display: str = ""             # the declared name when `name` had to be made unique ("Point$2")

    @property
    def shown(self) -> str:
        """What print and typeof show (spec 2.11: always the declared name)."""
        return self.display or self.name


@dataclass(eq=False)
class EnumDef:
    name: str                     # instantiated name, "Maybe<i32>"
    display: str                  # what typeof/print show: "Maybe"
    variants: list[tuple[str, list[Type]]]

    def variant_index(self, name: str) -> int:
        return [v for v, _ in self.variants].index(name)


@dataclass(eq=False)
class Global:
    name: str
    type: Type
    checked: bool = False         # reads must check the declaration has run (spec 2.15)
    display: str = ""             # the declared name when `name` had to be made unique

    @property
    def shown(self) -> str:
        return self.display or self.name


@dataclass(eq=False)
class Module:
    functions: dict[str, Function] = field(default_factory=dict)
    globals: dict[str, Global] = field(default_factory=dict)
    structs: dict[str, StructDef] = field(default_factory=dict)
    enums: dict[str, EnumDef] = field(default_factory=dict)
    entry: str = "main"

    def add(self, fn: Function) -> Function:
        self.functions[fn.name] = fn
        return fn
