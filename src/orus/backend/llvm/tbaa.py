"""Type-based alias information for the loads and stores compiled code does itself.

Orus memory is partitioned by what a location *is*, not only by its machine type:
an array's header (length and element-block pointer), array elements, a string's
length, field 2 of struct `Body`, an enum's tag, a cell's content... (the names come
from ops_data.py and datamodel.Layout.name). Two accesses of different
partitions never touch the same bytes (objects do not overlap, element blocks
belong to exactly one array type, and nothing is reinterpreted), so each partition
gets its own TBAA scalar type, all siblings under one root: LLVM may then keep an
array's length and data pointer in registers across stores to its elements (loop
invariant code motion in `row[j] = row[j] + a * b[j]`).

Runtime calls are opaque to LLVM, so they still clobber everything, as they must.
"""

from __future__ import annotations

from llvmlite import ir

from orus.backend.llvm import datamodel as D


class Tbaa:
    """Access tags of one LLVM module, created on first use."""

    def __init__(self, llmod: ir.Module):
        self.llmod = llmod
        self.root = llmod.add_metadata([ir.MetaDataString(llmod, "orus tbaa")])
        self._tags: dict[str, ir.NamedValue] = {}

    def tag(self, partition: str):
        """The access tag of `partition` (e.g. "array.header", "array.elem", "struct.Body.2")."""
        if partition not in self._tags:
            node = self.llmod.add_metadata([ir.MetaDataString(self.llmod, partition), self.root,
                                            ir.Constant(D.I64, 0)])
            self._tags[partition] = self.llmod.add_metadata([node, node, ir.Constant(D.I64, 0)])
        return self._tags[partition]

    def mark(self, instr: ir.Instruction, partition: str) -> ir.Instruction:
        instr.set_metadata("tbaa", self.tag(partition))
        return instr
