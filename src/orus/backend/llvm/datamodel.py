"""How each IR type looks in machine code: a value form and a memory form (STYLE.md 5).

    IR type            value form (registers)   memory form (fields, array elements)
    i32 u32            i32                      i32
    i64 u64            i64                      i64
    f64                double                   double
    bool               i1                       i8
    void               void                     -
    everything else    ptr (to an object)       ptr

Object layouts mirror runtime/include/orus_rt.h: one header word (the descriptor
pointer), then the fields with natural C alignment. `Layout` gives the LLVM struct
type and each field's byte offset, which the descriptors (descriptors.py) repeat
for the collector's precise scan and for printing.

Natural alignment is computed here rather than asked of LLVM's DataLayout: every
memory form is 1, 4 or 8 bytes with alignment equal to size, which is what both
the C compiler and LLVM's default x86-64/AArch64 layouts use.
"""

from __future__ import annotations

from dataclasses import dataclass

from llvmlite import ir

from orus.ir import types as T
from orus.ir.func import Module

I1, I8, I32, I64 = ir.IntType(1), ir.IntType(8), ir.IntType(32), ir.IntType(64)
F64, PTR, VOID = ir.DoubleType(), ir.PointerType(), ir.VoidType()

_VALUE = {"i32": I32, "u32": I32, "i64": I64, "u64": I64, "f64": F64, "bool": I1, "void": VOID}

# Fixed layouts of the runtime's own objects (orus_rt.h).
STR_T = ir.LiteralStructType([PTR, I64])                 # + data bytes
ARRAY_T = ir.LiteralStructType([PTR, I32, I32, PTR])     # ty, len, cap, data
RANGE_T = ir.LiteralStructType([PTR, I64, I64, I64])
ERROR_T = ir.LiteralStructType([PTR, PTR, PTR, PTR])
SITE_T = ir.LiteralStructType([PTR, I32, I32, PTR])      # file, line, col, op
ARRAY_LEN, ARRAY_CAP, ARRAY_DATA = 1, 2, 3                # field indices in ARRAY_T
STR_LEN = 1


def value_type(t: T.Type) -> ir.Type:
    """The register form of a value of IR type t."""
    return _VALUE.get(str(t), PTR) if isinstance(t, T.Prim) else PTR


def memory_type(t: T.Type) -> ir.Type:
    """The form of t stored in an object field or array element (bool is one byte)."""
    return I8 if t == T.BOOL else value_type(t)


def from_memory(b: ir.IRBuilder, v: ir.Value, t: T.Type) -> ir.Value:
    """A value of type t just loaded in memory form, in value form (bool: i8 -> i1)."""
    return b.trunc(v, I1) if t == T.BOOL else v


def to_memory(b: ir.IRBuilder, v: ir.Value, t: T.Type) -> ir.Value:
    """A value of type t in the form it is stored in (bool: i1 -> i8)."""
    return b.zext(v, I8) if t == T.BOOL else v


def size_of(t: T.Type) -> int:
    """Bytes of t's memory form (also its alignment)."""
    m = memory_type(t)
    return {I8: 1, I32: 4}.get(m, 8)


@dataclass(frozen=True)
class Layout:
    """An object layout: the LLVM struct type, each field's byte offset, the total size.

    `fields` are the value types of the fields after the header (and after the
    enum tag or closure code pointer); `first` is the struct index of fields[0]."""

    llvm: ir.LiteralStructType
    fields: tuple[T.Type, ...]
    offsets: tuple[int, ...]
    size: int
    first: int
    name: str = ""                   # the TBAA partition prefix of its fields (tbaa.py)


def _align(n: int, a: int) -> int:
    return (n + a - 1) // a * a


def layout(prefix: list[tuple[ir.Type, int]], fields: list[T.Type], name: str = "") -> Layout:
    """A layout whose struct starts with `prefix` (LLVM type, byte size) entries, then fields."""
    offset = sum(size for _, size in prefix)       # prefixes are 8, 8+4 or 8+8: already aligned
    offsets = []
    for f in fields:
        offset = _align(offset, size_of(f))
        offsets.append(offset)
        offset += size_of(f)
    llvm = ir.LiteralStructType([t for t, _ in prefix] + [memory_type(f) for f in fields])
    return Layout(llvm, tuple(fields), tuple(offsets), _align(max(offset, 8), 8), len(prefix), name)


class DataModel:
    """Layouts of one module's structs, enum variants, closures and cells (cached)."""

    def __init__(self, module: Module):
        self.module = module
        self._cache: dict[tuple, Layout] = {}

    def _get(self, key: tuple, build) -> Layout:
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def struct(self, name: str) -> Layout:
        """`{ty, fields...}` of struct `name`."""
        fields = [t for _, t in self.module.structs[name].fields]
        return self._get(("struct", name), lambda: layout([(PTR, 8)], fields, f"struct.{name}"))

    def variant(self, enum: str, index: int) -> Layout:
        """`{ty, i32 tag, payload...}` of variant `index` of enum `enum`."""
        payload = self.module.enums[enum].variants[index][1]
        return self._get(("enum", enum, index), lambda: layout([(PTR, 8), (I32, 4)], list(payload), f"enum.{enum}.{index}"))

    def closure(self, captures: tuple[T.Type, ...]) -> Layout:
        """`{ty, code, captures...}` of a function value."""
        return self._get(("closure", captures), lambda: layout([(PTR, 8), (PTR, 8)], list(captures), "closure"))

    def cell(self, content: T.Type) -> Layout:
        """`{ty, value}` of a cell<content>."""
        return self._get(("cell", content), lambda: layout([(PTR, 8)], [content], f"cell.{content}"))
