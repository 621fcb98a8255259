"""Calls, builtins, methods, fields, struct literals and enum constructors (spec 2.11,
2.12, 3.3, 5).

A call dispatches on its callee: a builtin (a Name the resolver left without symbol), a
named function or generalised variable (instantiated when generic, `check_generic.py`), a
static function `S.f`, an enum constructor `E.V(...)`, a method or function-typed field
`v.m(...)`, or any other expression of function type. Arguments are checked against the
parameter types with `expect`, so literals adapt and errors sit at the argument.
"""

from __future__ import annotations

from orus import diag
from orus.sema import builtins as B
from orus.sema import types as T
from orus.sema.scopes import ERROR_SYM, SymKind
from orus.syntax import ast


def _count(n: int) -> str:
    return f"{n} argument" if n == 1 else f"{n} arguments"


class CallChecker:
    def x_Call(self, e, hint):
        callee = e.callee
        k = type(callee)
        if k is ast.Field and callee.kind and callee.kind[0] != "value":
            self.mark_namespace(callee.obj)
        if k is ast.Name:
            if callee.sym is None:
                return self.builtin_call(e, callee.name)
            if callee.sym is not ERROR_SYM and callee.sym.kind is SymKind.FUNC \
                    or callee.sym in self.schemes:
                return self.named_call(e, callee, callee.sym)
        elif k is ast.Field:
            kind = callee.kind or ("value",)
            if kind[0] == "variant":
                return self.construct(e, callee, kind[1], kind[2], e.args, hint)
            if kind[0] == "static":
                return self.static_call(e, callee, kind[1], kind[2])
            if kind[0] == "member" and getattr(kind[1], "kind", None) is SymKind.FUNC:
                return self.named_call(e, callee, kind[1])
            if kind[0] == "value":
                return self.method_call(e, callee)
        ft = self.value(callee)
        return self.call_value(e, ft, self.display_name(callee))

    def check_args_loose(self, args) -> None:
        for a in args:
            self.value(a)

    def arity_error(self, name: str, want: str, got: int, span) -> None:
        self.report(diag.type_error(
            f"Function '{name}' expects {want} but received {_count(got)}", span))

    def call_value(self, e, ft, name: str) -> T.Type:
        """Call a value of function type (or a type variable, which becomes one)."""
        ft = T.prune(ft)
        if ft is T.BAD:
            self.check_args_loose(e.args)
            return T.BAD
        if type(ft) is T.TVar:
            fn = T.FnT([self.fresh() for _ in e.args], self.fresh())
            T.unify(ft, fn)
            ft = fn
        if type(ft) is not T.FnT:
            self.mismatch(ft, "function", e.callee.span)
            self.check_args_loose(e.args)
            return T.BAD
        return self.apply(e, ft, name)

    def apply(self, e, ft: T.FnT, name: str, params=None) -> T.Type:
        params = ft.params if params is None else params
        if len(params) != len(e.args):
            self.arity_error(name, _count(len(params)), len(e.args), e.callee.span)
            self.check_args_loose(e.args)
            return ft.ret
        self.check_args(e.args, params)
        return ft.ret

    def check_args(self, args, params) -> None:
        """Arguments against parameters; flexible literals last, so they take the type
        the other arguments give a shared type variable (spec 3.5, `add(1, x)`)."""
        later = []
        for a, p in zip(args, params):
            if self.is_flexible(a):
                later.append((a, p))
            else:
                self.expect(a, p)
        for a, p in later:
            self.expect(a, p)

    # ------------------------------------------------------------ named functions
    def named_call(self, e, callee, sym) -> T.Type:
        info = self.fn_info_of_sym(sym)
        if info is None:
            ft = self.symbol_value(sym, callee)
            callee.ty = ft
            return self.call_value(e, ft, sym.name)
        ft = self.function_type_for_call(info, callee)
        callee.ty = ft
        ret = self.apply(e, ft, sym.name)
        self.after_call(info, callee)
        return ret

    def static_call(self, e, callee, struct_sym, name: str) -> T.Type:
        fn = struct_sym.info.methods.get(name) if struct_sym.info else None
        if fn is None:
            self.report(diag.type_error(f"Struct '{struct_sym.name}' has no method '{name}'",
                                        callee.name_span))
        elif struct_sym.info.is_instance_method(name):
            self.report(diag.type_error(
                f"Method '{name}' needs a value: call it as value.{name}(...)", callee.name_span))
        else:
            return self.named_call(e, callee, fn.sym)
        callee.ty = T.BAD
        self.check_args_loose(e.args)
        return T.BAD

    def method_call(self, e, callee) -> T.Type:
        ot = T.prune(self.value(callee.obj))
        name = callee.name
        if ot is T.BAD:
            callee.ty = T.BAD
            self.check_args_loose(e.args)
            return T.BAD
        if type(ot) is not T.StructT:
            self.mismatch(ot, "struct", callee.obj.span)
            callee.ty = T.BAD
            self.check_args_loose(e.args)
            return T.BAD
        info = ot.sym.info
        fn = info.methods.get(name)
        if name in info.fields and (fn is None or e.callee.parenthesized):
            ft = self.field_types(ot.sym)[name]
            callee.ty = ft
            return self.call_value(e, ft, name)
        if fn is not None and info.is_instance_method(name):
            finfo = self.fn_info_of_sym(fn.sym) if fn.sym else None
            if finfo is None:
                callee.ty = T.BAD
                self.check_args_loose(e.args)
                return T.BAD
            ft = self.function_type_for_call(finfo, callee)
            callee.ty = ft
            T.unify(ft.params[0], ot)
            ret = self.apply_method(e, ft, name)
            self.after_call(finfo, callee)
            return ret
        if fn is not None:
            self.report(diag.type_error(
                f"'{name}' is a static function: call it as {ot.sym.name}.{name}(...)",
                callee.name_span))
        else:
            self.report(diag.type_error(f"Struct '{ot.sym.name}' has no method '{name}'",
                                        callee.name_span))
        callee.ty = T.BAD
        self.check_args_loose(e.args)
        return T.BAD

    def apply_method(self, e, ft: T.FnT, name: str) -> T.Type:
        params = ft.params[1:]
        if len(params) != len(e.args):
            self.arity_error(name, _count(len(params)), len(e.args), e.callee.name_span)
            self.check_args_loose(e.args)
            return ft.ret
        self.check_args(e.args, params)
        return ft.ret

    # ------------------------------------------------------------ fields
    def mark_namespace(self, e) -> None:
        """The `E` of `E.V`, `S` of `S.f`, `m` of `m.x` are not values: typed void."""
        while True:
            e.ty = T.VOID
            if type(e) is not ast.Field:
                return
            e = e.obj

    def x_Field(self, e, hint):
        kind = e.kind or ("value",)
        tag = kind[0]
        if tag != "value":
            self.mark_namespace(e.obj)
        if tag == "member":
            return self.symbol_value(kind[1], e)
        if tag == "variant":
            return self.construct(None, e, kind[1], kind[2], None, hint)
        if tag == "static":
            return self.static_value(e, kind[1], kind[2])
        if tag == "error":
            return T.BAD
        return self.field_value(e)

    def static_value(self, e, struct_sym, name: str) -> T.Type:
        fn = struct_sym.info.methods.get(name) if struct_sym.info else None
        if fn is None:
            self.report(diag.type_error(f"Struct '{struct_sym.name}' has no method '{name}'",
                                        e.name_span))
            return T.BAD
        if struct_sym.info.is_instance_method(name):
            self.report(diag.type_error(
                f"Method '{name}' needs a value: call it as value.{name}(...)", e.name_span))
            return T.BAD
        return self.symbol_value(fn.sym, e)

    def field_value(self, e) -> T.Type:
        ot = T.prune(self.value(e.obj))
        if ot is T.BAD:
            return T.BAD
        if type(ot) is not T.StructT:
            self.mismatch(ot, "struct", e.obj.span)
            return T.BAD
        info = ot.sym.info
        if e.name in info.fields:
            return self.field_types(ot.sym)[e.name]
        if e.name in info.methods:
            if info.is_instance_method(e.name):
                msg = f"Method '{e.name}' must be called"
            else:
                msg = f"'{e.name}' is a static function: call it as {ot.sym.name}.{e.name}(...)"
            self.report(diag.type_error(msg, e.name_span))
            return T.BAD
        self.report(diag.type_error(f"Struct '{ot.sym.name}' has no field '{e.name}'",
                                    e.name_span))
        return T.BAD

    # ------------------------------------------------------------ enums
    def construct(self, call, field, enum_sym, vname: str, args, hint) -> T.Type:
        """`E.V` / `E.V(args)`: payload count and types, type arguments inferred."""
        if enum_sym is ERROR_SYM or enum_sym.info is None:
            if args:
                self.check_args_loose(args)
            return T.BAD
        enum_sym = T.canon(enum_sym)
        h = T.prune(hint) if hint is not None else None
        n = len(enum_sym.info.type_params)
        if type(h) is T.EnumT and h.sym is enum_sym and len(h.args) == n:
            targs = h.args
        else:
            targs = tuple(self.fresh() for _ in range(n))
        result = T.EnumT(enum_sym, targs)
        field.ty = result
        payloads = self.payload_types(enum_sym, vname, targs)
        if payloads is None:
            if args:
                self.check_args_loose(args)
            return T.BAD
        given = 0 if args is None else len(args)
        if given != len(payloads) or (args is None and payloads):
            self.report(diag.type_error(
                f"Enum variant '{vname}' expects {_count(len(payloads))}", field.name_span))
            if args:
                self.check_args_loose(args)
            return T.BAD if args is None else result
        for a, p in zip(args or (), payloads):
            self.expect(a, p)
        return result

    # ------------------------------------------------------------ struct literals
    def x_StructLit(self, e, hint):
        sym = e.sym
        if sym is None or sym is ERROR_SYM or sym.kind is not SymKind.STRUCT:
            for f in e.fields:
                self.value(f.value)
            return T.BAD
        sym = T.canon(sym)
        types = self.field_types(sym)
        seen = set()
        for f in e.fields:
            ft = types.get(f.name)
            if ft is None:
                self.report(diag.type_error(f"Struct '{sym.name}' has no field '{f.name}'",
                                            f.span))
                self.value(f.value)
                continue
            if f.name in seen:
                self.report(diag.type_error(
                    f"Field '{f.name}' appears more than once in {sym.name} literal", f.span))
            seen.add(f.name)
            self.expect(f.value, ft)
        for name, fd in sym.info.fields.items():
            if name not in seen and fd.default is None:
                self.report(diag.type_error(f"Missing field '{name}' in {sym.name} literal",
                                            e.span))
        return T.StructT(sym)

    # ------------------------------------------------------------ builtins
    def builtin_call(self, e, name: str) -> T.Type:
        if not B.is_builtin(name):
            self.check_args_loose(e.args)
            e.callee.ty = T.BAD
            return T.BAD
        lo, hi = B.ARITY[name]
        if not lo <= len(e.args) <= hi:
            self.arity_error(name, B.arity_text(name), len(e.args), e.callee.span)
            self.check_args_loose(e.args)
            e.callee.ty = T.BAD
            return B.signature(name, self.fresh)[1]
        params, ret = B.signature(name, self.fresh)
        pairs = list(zip(e.args, params))
        for a, p in pairs:
            if not self.is_flexible(a):
                self.builtin_arg(a, p)
        for a, p in pairs:
            if self.is_flexible(a):
                self.builtin_arg(a, p)
        e.callee.ty = T.FnT([a.ty for a in e.args], ret)
        return ret

    def builtin_arg(self, a, p) -> None:
        if p == B.ANY:
            t = self.value(a)
            if self.is_flexible(a):
                a.ty = t
        elif p == B.INTEGER:
            t = self.value(a)
            self.need_integer(t, a.span)
        elif p == B.SIZED:
            t = T.prune(self.value(a))
            if type(t) is T.TVar:
                self.defer("len", (t,), None, a.span)
            elif t is not T.BAD and t is not T.STRING and type(t) is not T.ArrayT:
                self.mismatch(t, "array", a.span)
        elif type(p) is T.ArrayT:
            t = T.prune(self.value(a, p))
            if t is not T.BAD and type(t) not in (T.ArrayT, T.TVar):
                self.mismatch(t, "array", a.span)
            elif not T.unify(t, p):
                self.mismatch(t, p, a.span)
        else:
            self.expect(a, p)
