"""Checker types -> IR types, declaring struct layouts and enum instances on demand.

Algorithm:
  1. A checker type (`sema.types`) is resolved by the caller (through the
     instance chain inside generic copies) and translated here structurally.
  2. A struct type declares its `StructDef` the first time it is met (fields in
     declaration order, their annotations translated with `type_expr`).
  3. A generic enum is declared once per distinct list of IR type arguments:
     `Maybe<i32>` and `Maybe<str>` are two `EnumDef`s with display name `Maybe`.
Invariant: a type variable that nothing determined has no values at run time
(spec 3.4, 3.5), so it becomes `i32`.
"""

from __future__ import annotations

from orus.ir import types as I
from orus.ir.func import EnumDef, Module, StructDef
from orus.irgen.names import NameTable
from orus.sema import types as T
from orus.sema.scopes import SymKind, TypeParamRef

UNKNOWN = I.I32          # the representation of an undetermined type variable

_PRIMS = {"i32": I.I32, "i64": I.I64, "u32": I.U32, "u64": I.U64, "f64": I.F64,
          "bool": I.BOOL, "string": I.STR, "str": I.STR, "void": I.VOID,
          "range_iterator": I.RANGE, "error": I.ERROR, "_": I.ERROR}


class TypeLowering:
    def __init__(self, module: Module, names: NameTable):
        self.module = module
        self.names = names
        self.struct_names: dict = {}      # STRUCT Symbol -> IR struct name
        self.enum_bases: dict = {}        # ENUM Symbol -> unique base name
        self.enum_names: dict = {}        # (ENUM Symbol, IR args) -> IR enum name

    # ------------------------------------------------------------ checker types
    def lower(self, t: T.Type) -> I.Type:
        t = T.prune(t)
        k = type(t)
        if k is T.Prim:
            return _PRIMS[t.name]
        if k is T.TVar:
            return UNKNOWN
        if k is T.ArrayT:
            return I.Array(self.lower(t.elem))
        if k is T.StructT:
            return self.struct(t.sym)
        if k is T.EnumT:
            return self.enum(t.sym, tuple(self.lower(a) for a in t.args))
        if k is T.FnT:
            return I.Fn(tuple(self.lower(p) for p in t.params), self.lower(t.ret))
        if k is T.TaskT:
            return I.Opaque("task", self.lower(t.elem))
        return I.Opaque("chan", self.lower(t.elem))

    # ------------------------------------------------------------ annotations
    def type_expr(self, te, targs: tuple) -> I.Type:
        """An annotation inside a struct or enum declaration; `targs` the enum's arguments."""
        from orus.syntax import ast
        k = type(te)
        if k is ast.ArrayType:
            return I.Array(self.type_expr(te.elem, targs))
        if k is ast.FnType:
            ret = I.VOID if te.ret is None else self.type_expr(te.ret, targs)
            return I.Fn(tuple(self.type_expr(p, targs) for p in te.params), ret)
        sym = te.sym
        args = tuple(self.type_expr(a, targs) for a in te.args)
        if sym is None:
            name = te.path[-1]
            if name in ("Task", "Channel"):
                return I.Opaque("task" if name == "Task" else "chan", args[0] if args else UNKNOWN)
            return _PRIMS.get(name, UNKNOWN)
        if isinstance(sym, TypeParamRef):
            return targs[sym.index] if sym.index < len(targs) else UNKNOWN
        sym = T.canon(sym)
        if sym.kind is SymKind.STRUCT:
            return self.struct(sym)
        if sym.kind is SymKind.ENUM:
            want = len(sym.info.type_params) if sym.info else 0
            args = (args + (UNKNOWN,) * want)[:want]
            return self.enum(sym, args)
        return UNKNOWN

    # ------------------------------------------------------------ declarations
    def struct(self, sym) -> I.Struct:
        sym = T.canon(sym)
        name = self.struct_names.get(sym)
        if name is None:
            name = self.names.unique(sym.name)
            self.struct_names[sym] = name
            sdef = StructDef(name, [], sym.name if name != sym.name else "")
            self.module.structs[name] = sdef
            sdef.fields = [(f, self.type_expr(fd.type, ())) for f, fd in sym.info.fields.items()]
        return I.Struct(name)

    def enum(self, sym, args: tuple) -> I.Enum:
        sym = T.canon(sym)
        name = self.enum_names.get((sym, args))
        if name is None:
            base = self.enum_bases.get(sym)
            if base is None:
                base = self.names.unique(sym.name)
                self.enum_bases[sym] = base
            name = base + (f"<{', '.join(map(str, args))}>" if args else "")
            self.enum_names[(sym, args)] = name
            edef = EnumDef(name, sym.name, [])
            self.module.enums[name] = edef
            edef.variants = [(v.name, [self.type_expr(p.type, args) for p in v.payloads])
                             for v in sym.info.variants.values()]
        return I.Enum(name)

    def field_index(self, struct: I.Struct, name: str) -> int:
        return [f for f, _ in self.module.structs[struct.name].fields].index(name)

    def variant_index(self, enum: I.Enum, name: str) -> int:
        return self.module.enums[enum.name].variant_index(name)
