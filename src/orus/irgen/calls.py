"""Calls: builtins, direct calls of known functions, methods, enum constructors and
calls of function values (spec 2.11, 2.12, 2.15-2.17, 5).

Dispatch follows the checker (`sema/check_call.py`): a Name without symbol is a
builtin; a top-level function, method or static function (also through a
generalised variable or a module namespace) is a direct `call` of its instance;
anything else of function type is evaluated and called with `call.ind`. `spawn`
(spec 11.1) starts the same callee with `spawn` / `spawn.ind`.
Order: the callee (for `v.m(...)`, `v`) before the arguments, left to right.
A call's failures (Stack overflow, builtin errors) are located at its `(`.
"""

from __future__ import annotations

from typing import Optional

from orus.ir import types as I
from orus.ir.func import Value
from orus.irgen.errors import Unsupported
from orus.sema import types as T
from orus.sema.scopes import SymKind
from orus.syntax import ast

# builtins reached through call.rt (rtabi.py), by name
_RUNTIME = ("sorted", "range", "input", "int", "float", "typeof", "istype", "assert_eq",
            "timestamp")


class CallLowering:
    def x_Call(self, e) -> Optional[Value]:
        callee = e.callee
        if type(callee) is ast.Name and callee.sym is None:
            return self.builtin(e, callee.name)
        kind = callee.kind if type(callee) is ast.Field else None
        if kind and kind[0] == "variant":
            return self.construct(callee, kind[1], kind[2], e.args)
        target, first = self.callee(e)
        args = first + [self.value(a) for a in e.args]
        if isinstance(target, str):
            return self.emit("call", args, loc=self.loc(e.paren_span), callee=target)
        return self.emit("call.ind", [target] + args, loc=self.loc(e.paren_span))

    def x_Spawn(self, e) -> Value:
        """`spawn CALL` (spec 11.1): the callee and arguments as for a call, then a task."""
        call = e.call
        target, first = self.callee(call)
        args = first + [self.value(a) for a in call.args]
        if isinstance(target, str):
            return self.emit("spawn", args, callee=target)
        return self.emit("spawn.ind", [target] + args)

    def callee(self, e) -> tuple:
        """Evaluate what a call calls: (IR function name, leading args) for a direct
        call, or (function value, leading args); `v` of `v.m(...)` is a leading arg."""
        callee = e.callee
        k = type(callee)
        if k is ast.Name:
            info = self.typed.generalised.get(callee.sym)
            if info is not None and type(info.node) is ast.FnDecl:
                return self.named(info.node.sym, callee), []
            if info is None and callee.sym.kind is SymKind.FUNC:
                return self.named(callee.sym, callee), []
        elif k is ast.Field:
            kind = callee.kind or ("value",)
            if kind[0] == "static":
                return self.named(kind[1].info.methods[kind[2]].sym, callee), []
            if kind[0] == "member" and kind[1].kind is SymKind.FUNC:
                return self.named(kind[1], callee), []
            if kind[0] == "value":
                method = self.method_of(e, callee)
                if method is not None:
                    obj = self.value(callee.obj)
                    return self.named(method.sym, callee), [obj]
        return self.value(callee), []

    def named(self, sym, callee):
        """A named function: its IR function name when it is top-level or a method
        (a direct call), else the value of its closure."""
        decl = sym.decl
        info = self.typed.functions.get(decl)
        inst = self.instance_of(callee, sym, info) if info is not None and info.is_generic else None
        if not sym.is_global:
            return self.read(self.key(sym, inst))
        return self.ml.function_for(decl, (inst,) if inst else (), self).name

    def method_of(self, e, callee):
        """The method `v.m(...)` calls, or None when it calls a function stored in
        field m (spec 2.11: a field without such a method, or `(v.m)(...)`)."""
        st = T.prune(self.resolve(callee.obj.ty))
        if type(st) is not T.StructT:
            return None
        info = st.sym.info
        fn = info.methods.get(callee.name)
        if callee.name in info.fields and (fn is None or getattr(callee, "parenthesized", False)):
            return None
        return fn

    def construct(self, field, enum_sym, vname: str, args) -> Value:
        """`E.V` / `E.V(args)`: an enum value of the instance the checker inferred."""
        ty = self.ety(field)
        values = [self.value(a) for a in args or ()]
        return self.emit("enum.new", values, type=ty, variant=self.ml.types.variant_index(ty, vname))

    # ------------------------------------------------------------ builtins
    def builtin(self, e, name: str) -> Optional[Value]:
        args = [self.value(a) for a in e.args]
        loc = self.loc(e.paren_span)
        if name == "len":
            return self.emit("str.len" if args[0].type == I.STR else "array.len", args)
        if name == "push":
            self.emit("array.push", args)
            return args[0]
        if name == "pop":
            return self.emit("array.pop", args, loc=loc)
        if name in _RUNTIME:
            return self.emit("call.rt", args, loc=loc, type=self.ety(e), fn=name)
        raise Unsupported(f"builtin {name}() (oroutines)")
