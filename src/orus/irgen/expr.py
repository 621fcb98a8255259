"""Expressions: literals, names, operators, casts, indexing, literals of arrays and
structs, conditionals, block expressions and lambdas (spec 4).

`expr(e)` returns the IR value of `e` (None for a void call). Evaluation is left to
right (spec 4 intro); every instruction that may fail carries the location spec 6.3
gives it: the operator for arithmetic, `as` for casts, `[` for indexing and slicing.
"""

from __future__ import annotations

from typing import Optional

from orus.ir import types as I
from orus.ir.func import Value
from orus.irgen.errors import Dead
from orus.sema import types as T
from orus.sema.scopes import SymKind
from orus.syntax import ast

_ARITH = {"+": "add", "-": "sub", "*": "mul", "/": "div", "%": "rem",
          "&": "band", "|": "bor", "^": "bxor", "<<": "shl", ">>": "shr"}
_COMPARE = {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}


class ExprLowering:
    def expr(self, e) -> Optional[Value]:
        self.live()
        return getattr(self, "x_" + type(e).__name__)(e)

    def value(self, e) -> Value:
        v = self.expr(e)
        self.live()
        return v

    # ------------------------------------------------------------ literals
    def x_IntLit(self, e) -> Value:
        ty = self.ety(e)
        return self.const(ty, float(e.value) if ty == I.F64 else e.value)

    def x_FloatLit(self, e) -> Value:
        ty = self.ety(e)
        return self.const(ty, e.value if ty == I.F64 else int(e.value))

    def x_StringLit(self, e) -> Value:
        return self.const(I.STR, bytes(e.value))

    def x_BoolLit(self, e) -> Value:
        return self.const(I.BOOL, bool(e.value))

    # ------------------------------------------------------------ names
    def x_Name(self, e) -> Value:
        sym = e.sym
        info = self.typed.generalised.get(sym)
        if info is not None:
            return self.generalised_value(sym, info, e)
        if sym.kind is SymKind.FUNC:
            return self.function_value(sym, e)
        return self.read(sym, e.span)

    def generalised_value(self, sym, info, node) -> Value:
        """A use of `t = twice` / `id = fn(x): x`: the targeted instance (spec 3.5)."""
        inst = self.instance_of(node, sym, info) if info.is_generic else None
        if type(info.node) is ast.FnDecl:
            return self.function_value(info.node.sym, node, inst)
        if inst is None:
            return self.read(sym, node.span)
        key = (sym, inst)
        if key in self.fixed:
            return self.fixed[key]
        return self.closure(info.node, (inst,) + self.insts)

    def function_value(self, sym, node, inst=None) -> Value:
        decl = sym.decl
        info = self.typed.functions.get(decl)
        if inst is None and info is not None and info.is_generic:
            inst = self.instance_of(node, sym, info)
        if sym.is_global:
            fn = self.ml.function_for(decl, (inst,) if inst else (), self)
            return self.emit("closure", callee=fn.name)
        return self.read(self.key(sym, inst))

    # ------------------------------------------------------------ operators
    def x_Unary(self, e) -> Value:
        v = self.value(e.operand)
        ty = self.ety(e)
        if e.op == "not":
            return self.emit("not", [v])
        if e.op == "~":
            return self.emit("bnot", [v], type=ty)
        return self.emit("neg", [v], loc=self.loc(e.op_span), type=ty)

    def x_Binary(self, e) -> Value:
        if e.op in ("and", "or"):
            return self.logical(e)
        a = self.value(e.left)
        b = self.value(e.right)
        return self.binop(e.op, a, b, e.op_span)

    def binop(self, op: str, a: Value, b: Value, span) -> Value:
        loc = self.loc(span)
        if op in _COMPARE:
            return self.emit(_COMPARE[op], [a, b])
        if op == "+" and a.type == I.STR:
            return self.emit("str.concat", [a, b])
        if op == "*" and isinstance(a.type, I.Array):
            return self.emit("array.repeat", [a, b], loc=loc)
        if op == "*" and isinstance(b.type, I.Array):
            return self.emit("array.repeat", [b, a], loc=loc)
        return self.emit(_ARITH[op], [a, b], loc=loc, type=a.type)

    def logical(self, e) -> Value:
        """`a and b` / `a or b`: b runs only when a does not decide (spec 4.7)."""
        a = self.value(e.left)
        rhs, done = self.new_block(), self.new_block(I.BOOL)
        short = (self.const(I.BOOL, e.op == "or"),)
        if e.op == "and":
            self.ssa.br(a, rhs, done, other_args=short)
        else:
            self.ssa.br(a, done, rhs, then_args=short)
        self.ssa.seal(rhs)
        self.position(rhs)
        try:
            self.ssa.jmp(done, self.value(e.right))
        except Dead:
            pass                  # only the short-circuit path reaches `done`
        self.join(done)
        return done.params[0]

    def x_Cast(self, e) -> Value:
        v = self.value(e.expr)
        return self.emit("cast", [v], loc=self.loc(e.as_span), type=self.ety(e))

    def x_Conditional(self, e) -> Value:
        c = self.value(e.cond)
        yes, no, done = self.new_block(), self.new_block(), self.new_block(self.ety(e))
        self.ssa.br(c, yes, no)
        for block, branch in ((yes, e.then), (no, e.other)):
            self.ssa.seal(block)
            self.position(block)
            try:
                v = self.value(branch)
                self.ssa.jmp(done, v)
            except Dead:
                pass
        if not self.join(done):
            self.live()
        return done.params[0]

    # ------------------------------------------------------------ indexing
    def x_Index(self, e) -> Value:
        obj = self.value(e.obj)
        idx = self.value(e.index)
        op = "str.get" if obj.type == I.STR else "array.get"
        return self.emit(op, [obj, idx], loc=self.loc(e.bracket_span))

    def x_Slice(self, e) -> Value:
        obj = self.value(e.obj)
        start = self.value(e.start) if e.start is not None else self.const(I.I32, 0)
        if e.end is not None:
            end = self.value(e.end)
        else:
            end = self.emit("str.len" if obj.type == I.STR else "array.len", [obj])
        step = self.value(e.step) if e.step is not None else self.const(I.I32, 1)
        op = "str.slice" if obj.type == I.STR else "array.slice"
        inclusive = 1 if e.inclusive and e.end is not None else 0
        return self.emit(op, [obj, start, end, step], loc=self.loc(e.bracket_span),
                         inclusive=inclusive)

    # ------------------------------------------------------------ aggregates
    def x_ArrayLit(self, e) -> Value:
        values = [self.value(x) for x in e.elements]
        return self.emit("array.new", values, type=self.ety(e))

    def x_ArrayFill(self, e) -> Value:
        v = self.value(e.value)
        n = self.value(e.count)
        return self.emit("array.fill", [v, n], loc=self.loc(e.span), type=self.ety(e))

    def x_StructLit(self, e) -> Value:
        """Written fields in the order written, then omitted defaults in declaration
        order (spec 2.11); `new` takes them in declaration order."""
        ty = self.ety(e)
        got = {f.name: self.value(f.value) for f in e.fields}
        info = T.canon(e.sym).info
        for name, fd in info.fields.items():
            if name not in got:
                got[name] = self.default_value(fd)
        names = [n for n, _ in self.ml.module.structs[ty.name].fields]
        return self.emit("new", [got[n] for n in names], type=ty)

    def default_value(self, fd) -> Value:
        saved, self.force_checked = self.force_checked, True
        try:
            return self.value(fd.default)
        finally:
            self.force_checked = saved

    def x_BlockExpr(self, e) -> Optional[Value]:
        stmts = e.block.stmts
        self.stmts(stmts[:-1])
        self.live()
        last = stmts[-1] if stmts else None
        if type(last) is ast.ExprStmt:
            return self.expr(last.expr)
        if last is not None:
            self.stmts([last])
        return None

    def x_Lambda(self, e) -> Value:
        return self.closure(e, self.insts)

    def closure(self, node, chain) -> Value:
        fn = self.ml.function_for(node, chain, self)
        env = [self.capture_value(k) for k in self.ml.jobs_by_fn[fn.name].captures]
        return self.emit("closure", env, callee=fn.name)

    def x_Field(self, e) -> Value:
        kind = e.kind or ("value",)
        if kind[0] == "member":
            sym = kind[1]
            info = self.typed.generalised.get(sym)
            if info is not None:
                return self.generalised_value(sym, info, e)
            if sym.kind is SymKind.FUNC:
                return self.function_value(sym, e)
            return self.read(sym, e.name_span)
        if kind[0] == "variant":
            return self.construct(e, kind[1], kind[2], None)
        if kind[0] == "static":
            return self.function_value(kind[1].info.methods[kind[2]].sym, e)
        obj = self.value(e.obj)
        return self.emit("fget", [obj], index=self.ml.types.field_index(obj.type, e.name))
