"""Constant data of one LLVM module: type descriptors, static objects, sites, C strings.

`Descriptors(m)` hands out pointers (LLVM constants) to read-only globals that
mirror the C structs of runtime/include/orus_rt.h:

    OrusTy      {i32 kind, i32 size, ptr name, ptr elem, i32 nfields, i32 nvariants,
                 ptr fields, ptr variants}                              48 bytes
    OrusField   {ptr name, ptr type, i32 offset, i32 pad}               24 bytes
    OrusVariant {ptr name, i32 size, i32 nfields, ptr fields}           24 bytes
    OrusSite    {ptr file, i32 line, i32 col, ptr op}                   24 bytes
    OrusStr     {ptr ty, i64 len, [len + 1 x i8] bytes}                 static string

Descriptors of scalar and built-in types are the runtime's own (`orus_ty_i32`, ...);
arrays, structs, enums, function types, closures and cells get one descriptor per
distinct type in this module. Offsets and sizes come from datamodel.py, so the
collector's precise scan and the printer see exactly the layout compiled code uses.

Invariants:
  * every result is cached: one global per distinct type, string, site or static
    object, so pointer identity of descriptors is type identity within a module;
  * every global is `internal unnamed_addr constant`, named `orus.*` (never a
    runtime symbol), so the module links next to the runtime without clashes;
  * recursive types (a struct holding `[Self]`, an enum whose payload is itself)
    terminate: a descriptor's global is created and cached *before* its
    initializer, which may refer back to it, is built.
  * static objects never point into the heap (orus_rt.h), so the collector may
    ignore them: they hold only descriptors, code pointers and constant bytes.
"""

from __future__ import annotations

from typing import Optional

from llvmlite import ir

from orus.ir import types as T
from orus.ir.func import Function

from orus.backend.llvm import datamodel as D

# OrusKind numbers (orus_rt.h)
K_ARRAY, K_STRUCT, K_ENUM, K_FN, K_CLOSURE, K_CELL = 7, 8, 9, 10, 11, 12

TY_T = ir.LiteralStructType([D.I32, D.I32, D.PTR, D.PTR, D.I32, D.I32, D.PTR, D.PTR])
FIELD_T = ir.LiteralStructType([D.PTR, D.PTR, D.I32, D.I32])
VARIANT_T = ir.LiteralStructType([D.PTR, D.I32, D.I32, D.PTR])
ENUM_STATIC_T = ir.LiteralStructType([D.PTR, D.I32])
FN_STATIC_T = ir.LiteralStructType([D.PTR, D.PTR])

# IR types whose descriptor the runtime defines: name in the IR -> runtime global
_RUNTIME_TYS = {n: f"orus_ty_{n}" for n in ("i32", "i64", "u32", "u64", "f64", "bool", "str",
                                             "void", "range", "error", "task", "chan")}

_NULL = ir.Constant(D.PTR, None)


def _i32(n: int) -> ir.Constant:
    return ir.Constant(D.I32, n)


class Descriptors:
    """Cached constant data of one module (see the module docstring)."""

    def __init__(self, m):
        self.m = m
        self.llmod: ir.Module = m.llmod
        self._tys: dict[T.Type, ir.Constant] = {}
        self._closures: dict[str, ir.GlobalVariable] = {}
        self._cells: dict[T.Type, ir.GlobalVariable] = {}
        self._strs: dict[bytes, ir.GlobalVariable] = {}
        self._str_bytes: dict[int, bytes] = {}          # id(global of str_const) -> its bytes
        self._cstrs: dict[bytes, ir.GlobalVariable] = {}
        self._sites: dict[tuple, ir.GlobalVariable] = {}
        self._enum_statics: dict[tuple[str, int], ir.GlobalVariable] = {}
        self._fn_statics: dict[str, ir.GlobalVariable] = {}
        self._count = 0

    # ------------------------------------------------------------ globals
    def _global(self, kind: str, llty: ir.Type, init: Optional[ir.Constant] = None,
                align: int = 8) -> ir.GlobalVariable:
        """A new internal unnamed_addr constant `@orus.KIND.N` (initializer may come later)."""
        self._count += 1
        g = ir.GlobalVariable(self.llmod, llty, f"orus.{kind}.{self._count}")
        g.linkage = "internal"
        g.unnamed_addr = True
        g.global_constant = True
        g.align = align
        if init is not None:
            g.initializer = init
        return g

    def _table(self, kind: str, elty: ir.LiteralStructType, rows: list[ir.Constant]) -> ir.Constant:
        """A constant array of `rows` (NULL when empty: the C side reads it only with a count)."""
        if not rows:
            return _NULL
        arr = ir.ArrayType(elty, len(rows))
        return self._global(kind, arr, ir.Constant(arr, rows))

    def _descriptor(self, kind: int, size: int = 0, name: ir.Constant = _NULL, elem: ir.Constant = _NULL,
                    fields: list[ir.Constant] = (), variants: list[ir.Constant] = ()) -> ir.Constant:
        return ir.Constant(TY_T, [_i32(kind), _i32(size), name, elem, _i32(len(fields)), _i32(len(variants)),
                                  self._table("fields", FIELD_T, list(fields)),
                                  self._table("variants", VARIANT_T, list(variants))])

    def _field(self, name: Optional[str], t: T.Type, offset: int) -> ir.Constant:
        label = self.cstring(name) if name is not None else _NULL
        return ir.Constant(FIELD_T, [label, self.ty(t), _i32(offset), _i32(0)])

    # ------------------------------------------------------------ type descriptors
    def ty(self, t: T.Type) -> ir.Constant:
        """Pointer to the OrusTy of IR value type t."""
        if t in self._tys:
            return self._tys[t]
        name = str(t) if isinstance(t, T.Prim) else getattr(t, "name", None)
        if isinstance(t, (T.Prim, T.Opaque)) and name in _RUNTIME_TYS:
            self._tys[t] = self.m.rt.glob(_RUNTIME_TYS[name])
            return self._tys[t]
        if isinstance(t, T.Opaque) and t.name == "cell":
            self._tys[t] = self.cell_layout(t.arg)
            return self._tys[t]
        g = self._global("ty", TY_T)
        self._tys[t] = g                       # before the initializer: it may refer back to t
        g.initializer = self._describe(t)
        return g

    def _describe(self, t: T.Type) -> ir.Constant:
        if isinstance(t, T.Array):
            return self._descriptor(K_ARRAY, elem=self.ty(t.elem))
        if isinstance(t, T.Struct):
            sdef, lay = self.m.module.structs[t.name], self.m.dm.struct(t.name)
            fields = [self._field(fname, ftype, off) for (fname, ftype), off in zip(sdef.fields, lay.offsets)]
            return self._descriptor(K_STRUCT, lay.size, self.cstring(sdef.shown), fields=fields)
        if isinstance(t, T.Enum):
            edef = self.m.module.enums[t.name]
            variants = [self._variant(t.name, k, vname) for k, (vname, _) in enumerate(edef.variants)]
            return self._descriptor(K_ENUM, 0, self.cstring(edef.display), variants=variants)
        if isinstance(t, T.Fn):
            return self._descriptor(K_FN)
        raise ValueError(f"no descriptor for IR type {t}")

    def _variant(self, enum: str, k: int, name: str) -> ir.Constant:
        lay = self.m.dm.variant(enum, k)
        payload = [self._field(None, pt, off) for pt, off in zip(lay.fields, lay.offsets)]
        return ir.Constant(VARIANT_T, [self.cstring(name), _i32(lay.size), _i32(len(payload)),
                                       self._table("fields", FIELD_T, payload)])

    def closure_layout(self, fn: Function) -> ir.Constant:
        """ORUS_T_CLOSURE descriptor of the function values of `fn` (captures = its leading params)."""
        if fn.name not in self._closures:
            captures = tuple(p.type for p in fn.params[:fn.n_captures])
            lay = self.m.dm.closure(captures)
            g = self._global("closure", TY_T)
            self._closures[fn.name] = g
            name = self.cstring(fn.display_name) if fn.display_name is not None else _NULL
            fields = [self._field(None, ct, off) for ct, off in zip(captures, lay.offsets)]
            g.initializer = self._descriptor(K_CLOSURE, lay.size, name, fields=fields)
        return self._closures[fn.name]

    def cell_layout(self, content: T.Type) -> ir.Constant:
        """ORUS_T_CELL descriptor of cell<content>: elem = content, one field."""
        if content not in self._cells:
            lay = self.m.dm.cell(content)
            g = self._global("cell", TY_T)
            self._cells[content] = g
            g.initializer = self._descriptor(K_CELL, lay.size, elem=self.ty(content),
                                             fields=[self._field(None, content, lay.offsets[0])])
        return self._cells[content]

    # ------------------------------------------------------------ static objects and text
    def cstring(self, text: str | bytes) -> ir.Constant:
        """A NUL-terminated constant byte string (str is UTF-8 encoded)."""
        data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else bytes(text)
        if data not in self._cstrs:
            arr = ir.ArrayType(D.I8, len(data) + 1)
            self._cstrs[data] = self._global("cstr", arr, ir.Constant(arr, bytearray(data + b"\0")), align=1)
        return self._cstrs[data]

    def str_const(self, data: bytes) -> ir.Constant:
        """A static OrusStr object holding `data` (one per distinct byte string)."""
        data = bytes(data)
        if data not in self._strs:
            arr = ir.ArrayType(D.I8, len(data) + 1)
            llty = ir.LiteralStructType([D.PTR, D.I64, arr])
            init = ir.Constant(llty, [self.ty(T.STR), ir.Constant(D.I64, len(data)),
                                      ir.Constant(arr, bytearray(data + b"\0"))])
            self._strs[data] = self._global("str", llty, init)
            self._str_bytes[id(self._strs[data])] = data
        return self._strs[data]

    def str_const_bytes(self, v: ir.Value) -> bytes | None:
        """The bytes of `v` when it is a static string of str_const, else None."""
        return self._str_bytes.get(id(v))

    def site(self, file: str, line: int, col: int, op: str) -> ir.Constant:
        """A static OrusSite (deduplicated)."""
        key = (file, line, col, op)
        if key not in self._sites:
            init = ir.Constant(D.SITE_T, [self.cstring(file), _i32(line), _i32(col), self.cstring(op)])
            self._sites[key] = self._global("site", D.SITE_T, init)
        return self._sites[key]

    def enum_static(self, enum_name: str, variant: int) -> ir.Constant:
        """The static object `{ty, tag}` of a payload-less variant."""
        key = (enum_name, variant)
        if key not in self._enum_statics:
            init = ir.Constant(ENUM_STATIC_T, [self.ty(T.Enum(enum_name)), _i32(variant)])
            self._enum_statics[key] = self._global("enumval", ENUM_STATIC_T, init)
        return self._enum_statics[key]

    def fn_static(self, fn: Function, code: ir.Function) -> ir.Constant:
        """The static function value `{closure layout, code}` of `fn` used as a value without captures."""
        if fn.name not in self._fn_statics:
            init = ir.Constant(FN_STATIC_T, [self.closure_layout(fn), code])
            self._fn_statics[fn.name] = self._global("fnval", FN_STATIC_T, init)
        return self._fn_statics[fn.name]
