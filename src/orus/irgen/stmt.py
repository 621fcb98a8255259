"""Statements: bindings, assignment chains, destructuring, print, return,
declarations, and the implicit return of a function's last statement (spec 2.2-2.4,
2.15, 2.19, 4.4).

Assignment order (spec 2.4): the parts of every place, left to right; then, for a
compound assignment, the current value of the last place; then the right side;
then the operation; then the stores from the last place back to the first.
"""

from __future__ import annotations

from orus.ir import types as I
from orus.irgen.errors import Dead
from orus.sema.scopes import ERROR_SYM
from orus.syntax import ast


class StmtLowering:
    def stmts(self, stmts: list) -> None:
        """Lower a statement list; stop where control cannot continue."""
        for s in stmts:
            if self.b.terminated:
                return
            try:
                getattr(self, "s_" + type(s).__name__)(s)
            except Dead:
                return

    def tail_stmts(self, stmts: list) -> None:
        """The body of a function returning a value: the last statement may be an
        implicit return (spec 2.15)."""
        self.stmts(stmts[:-1])
        if not stmts or self.b.terminated:
            return
        last = stmts[-1]
        try:
            self.tail(last)
        except Dead:
            pass

    def tail(self, s) -> None:
        k = type(s)
        if k is ast.ExprStmt and type(s.expr) is ast.MatchExpr and s.expr.used_as_value:
            self.match(s.expr, tail=True)
        elif k is ast.ExprStmt and self.ety(s.expr) != I.VOID:
            v = self.value(s.expr)
            self.b.ret(v)
        elif k is ast.If and s.else_body is not None:
            self.if_stmt(s, tail=True)
        else:
            self.stmts([s])

    # ------------------------------------------------------------ simple statements
    def s_ExprStmt(self, s) -> None:
        if type(s.expr) is ast.MatchExpr and not s.expr.used_as_value:
            self.match(s.expr, tail=False)
        elif type(s.expr) is ast.MatchExpr:
            self.match(s.expr, tail=False, value=True)
        else:
            self.expr(s.expr)

    def s_Pass(self, s) -> None:
        pass

    s_StructDecl = s_EnumDecl = s_ImplDecl = s_Use = s_Pass

    def s_YieldStmt(self, s) -> None:
        self.emit("yield")

    def s_Print(self, s) -> None:
        args = [self.value(a) for a in s.args]
        fmt = 1 if args and args[0].type == I.STR else 0
        self.emit("print", args, format=fmt)

    def s_Let(self, s) -> None:
        v = self.value(s.value)
        if s.sym is not None and s.sym is not ERROR_SYM:
            self.declare(s.sym, v)

    s_ConstDecl = s_Let

    def s_Return(self, s) -> None:
        values = [self.value(v) for v in s.values]
        if len(values) > 1:
            values = [self.emit("array.new", values, type=I.Array(values[0].type))]
        if self.node is None or self.fn.ret == I.VOID or not values:
            self.b.ret()
        else:
            self.b.ret(values[0])

    def s_FnDecl(self, s) -> None:
        """A nested function: its closure (one per instance) is made where it stands."""
        if s.sym is None or s.sym.is_global:
            return
        info = self.typed.functions.get(s)
        if info is None:
            return
        if not info.is_generic:
            self.declare(s.sym, self.closure(s, self.insts))
            return
        for inst in info.instances:
            self.declare((s.sym, inst), self.closure(s, (inst,) + self.insts))

    # ------------------------------------------------------------ assignment
    def s_Assign(self, s) -> None:
        declares = s.declares or [False] * len(s.targets)
        if self.generalised_binding(s, declares):
            return
        places = [self.place(t, d) for t, d in zip(s.targets, declares)]
        if s.op == "=":
            value = self.value(s.value)
        else:
            current = self.load(places[-1], s.targets[-1])
            rhs = self.value(s.value)
            value = self.binop(s.op[:-1], current, rhs, s.op_span)
        for p in reversed(places):
            self.store(p, value)

    def generalised_binding(self, s, declares) -> bool:
        """`id = fn(x): x` generalised (spec 3.5): a closure per instance."""
        if len(s.targets) != 1 or not declares[0]:
            return False
        sym = s.targets[0].sym
        info = self.typed.generalised.get(sym)
        if info is None or not info.is_generic:
            return False
        if type(s.value) is ast.Lambda:
            for inst in info.instances:
                self.set_local((sym, inst), self.closure(s.value, (inst,) + self.insts))
        return True

    def place(self, t, declares: bool):
        """Evaluate the parts of an assignment target: ("var", key) / ("index", obj, i, span) /
        ("field", obj, index) / ("discard",)."""
        k = type(t)
        if k is ast.Name:
            if t.sym is None or t.sym is ERROR_SYM:
                return ("discard",)
            return ("declare" if declares else "var", t.sym)
        if k is ast.Index:
            obj = self.value(t.obj)
            return ("index", obj, self.value(t.index), t.bracket_span)
        if t.kind and t.kind[0] == "member":
            return ("var", t.kind[1])
        obj = self.value(t.obj)
        return ("field", obj, self.ml.types.field_index(obj.type, t.name))

    def load(self, p, target):
        kind = p[0]
        if kind in ("var", "declare"):
            return self.read(p[1], target.span)
        if kind == "index":
            return self.emit("array.get", [p[1], p[2]], loc=self.loc(p[3]))
        return self.emit("fget", [p[1]], index=p[2])

    def store(self, p, value) -> None:
        kind = p[0]
        if kind == "declare":
            self.declare(p[1], value)
        elif kind == "var":
            self.assign(p[1], value)
        elif kind == "index":
            self.emit("array.set", [p[1], p[2], value], loc=self.loc(p[3]))
        elif kind == "field":
            self.emit("fset", [p[1], value], index=p[2])

    # ------------------------------------------------------------ destructuring
    def s_Destructure(self, s) -> None:
        arr = self.value(s.value)
        self.destructure(arr, s.targets, s.targets[0].span)

    def destructure(self, arr, targets, span) -> None:
        """Check the length, then bind left to right (spec 2.19)."""
        loc = self.loc(span)
        n = self.const(I.I32, len(targets))
        self.emit("call.rt", [arr, n], loc=loc, type=I.VOID, fn="destructure_check")
        for i, t in enumerate(targets):
            if t.sym is None or t.sym is ERROR_SYM:
                continue
            v = self.emit("array.get", [arr, self.const(I.I32, i)], loc=loc)
            if type(t) is ast.LoopTarget or t.declares:
                self.declare(t.sym, v)
            else:
                self.assign(t.sym, v)
