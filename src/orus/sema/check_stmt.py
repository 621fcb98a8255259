"""Statements, function bodies, returns and lambdas (spec 2.2-2.10, 2.15-2.19).

A function body is checked with its return type as the *tail hint*: the statement in
last position (and, through `if`/`else` and `match`, the last statements of its
branches) types flexible literals for it. Afterwards `finish_function` applies spec 2.15:
the implicit return (the body "ends with a value"), the inferred return type, and the
error `Function 'f' can reach its end without returning a value`.
"""

from __future__ import annotations

from orus import diag
from orus.sema import types as T
from orus.sema.scopes import ERROR_SYM, SymKind
from orus.syntax import ast


class StmtChecker:
    # ------------------------------------------------------------ sequences
    def check_stmts(self, stmts: list, tail_hint) -> None:
        last = len(stmts) - 1
        for i, s in enumerate(stmts):
            if i == last and tail_hint is not None:
                self.stmt_tail(s, tail_hint)
            else:
                getattr(self, "s_" + type(s).__name__)(s)

    def stmt_tail(self, s, hint) -> None:
        k = type(s)
        if k is ast.ExprStmt:
            if type(s.expr) is ast.MatchExpr:
                self.match_stmt(s.expr, hint)
            else:
                self.expr(s.expr, hint)
        elif k is ast.If:
            for br in s.branches:
                self.expect(br.cond, T.BOOL)
                self.check_stmts(br.body.stmts, hint)
            if s.else_body is not None:
                self.check_stmts(s.else_body.stmts, hint)
        else:
            getattr(self, "s_" + k.__name__)(s)

    def block_value(self, block, hint, expect: bool) -> T.Type:
        """The value of a block expression: its last statement's (void if not an expression)."""
        stmts = block.stmts
        self.check_stmts(stmts[:-1], None)
        last = stmts[-1] if stmts else None
        if type(last) is not ast.ExprStmt:
            if last is not None:
                getattr(self, "s_" + type(last).__name__)(last)
            return T.VOID
        if expect:
            return self.expect(last.expr, hint)
        return self.expr(last.expr, hint)

    # ------------------------------------------------------------ simple statements
    def s_ExprStmt(self, s) -> None:
        if type(s.expr) is ast.MatchExpr:
            self.match_stmt(s.expr, None)
        else:
            self.expr(s.expr)

    def s_Pass(self, s) -> None:
        pass

    s_Break = s_Continue = s_YieldStmt = s_Use = s_EnumDecl = s_Pass

    def s_Print(self, s) -> None:
        for a in s.args:
            self.value(a)

    def s_Let(self, s) -> None:
        if s.type is not None:
            t = self.type_of(s.type)
            self.expect(s.value, t)
        else:
            t = self.value(s.value)
        self.bind(s.sym, t)

    def s_ConstDecl(self, s) -> None:
        self.s_Let(s)

    def bind(self, sym, t: T.Type) -> None:
        if sym is None or sym is ERROR_SYM:
            return
        if sym.ty is not None and not T.unify(sym.ty, t):
            return              # read (hoisted) before its declaration with another type
        sym.ty = t if sym.ty is None else sym.ty

    def s_If(self, s) -> None:
        for br in s.branches:
            self.expect(br.cond, T.BOOL)
            self.check_stmts(br.body.stmts, None)
        if s.else_body is not None:
            self.check_stmts(s.else_body.stmts, None)

    def s_While(self, s) -> None:
        self.expect(s.cond, T.BOOL)
        self.check_stmts(s.body.stmts, None)

    def s_Try(self, s) -> None:
        self.check_stmts(s.body.stmts, None)
        if s.catch_sym is not None and s.catch_sym is not ERROR_SYM:
            s.catch_sym.ty = T.ERROR_VALUE
        self.check_stmts(s.handler.stmts, None)

    # ------------------------------------------------------------ assignment
    def place_type(self, target) -> T.Type:
        """The type of an assignment target (spec 2.4)."""
        k = type(target)
        if k is ast.Index:
            ot = T.prune(self.value(target.obj))
            it = self.flex(target.index) if self.is_flexible(target.index) \
                else self.value(target.index)
            target.index.ty = it
            self.need_integer(it, target.index.span)
            if type(ot) is T.TVar:
                T.unify(ot, T.ArrayT(self.fresh()))
                ot = T.prune(ot)
            if type(ot) is T.ArrayT:
                t = ot.elem
            else:
                if ot is not T.BAD:
                    self.mismatch(ot, "array", target.obj.span)
                t = T.BAD
        else:
            t = self.value(target)
        target.ty = t
        return t

    def s_Assign(self, s) -> None:
        declares = s.declares or [False] * len(s.targets)
        places = [None if d else self.place_type(tg) for tg, d in zip(s.targets, declares)]
        if s.op != "=":
            t = self.compound(s, places[-1])
        elif self.generalisable(s, declares):
            t = self.generalise_binding(s)
        else:
            # `_` (and a target already in error) has the poison type: it expects nothing,
            # so the value keeps its own type (a conditional's branches must not take BAD)
            known = [p for p in places if p is not None and p is not T.BAD]
            t = self.expect(s.value, known[-1]) if known else self.value(s.value)
        for tg, d, p in zip(s.targets, declares, places):
            if d:
                tg.ty = t
                self.bind(tg.sym, t)
            elif p is not None and not T.unify(p, t):
                self.mismatch(t, p, s.value.span)

    def compound(self, s, place) -> T.Type:
        """`place op= e`: the operator's rules, and the result must fit the place."""
        op = s.op[:-1]
        if place is None:
            return self.value(s.value)
        vt = self.adapt(s.value, place)
        s.value.ty = vt
        t = self.arith(op, place, vt, s.op_span)
        if op in ("/", "%"):
            self.check_divisor(s.value, s.op_span)
        if not T.unify(t, place):
            self.mismatch(t, place, s.value.span)
        return place

    def generalisable(self, s, declares) -> bool:
        """`t = twice` / `id = fn(x): x` declaring an immutable variable (spec 3.5)."""
        if len(s.targets) != 1 or not declares[0]:
            return False
        v = s.value
        if type(v) is ast.Lambda:
            return True
        return type(v) is ast.Name and v.sym is not None and v.sym is not ERROR_SYM \
            and (v.sym.kind is SymKind.FUNC or v.sym in self.schemes)

    def generalise_binding(self, s) -> T.Type:
        v = s.value
        sym = s.targets[0].sym
        if type(v) is ast.Lambda:
            t = self.lambda_type(v, None, generalise=True)
            info = self.typed.functions[v]
        else:
            info = self.fn_info_of_sym(v.sym)
            if info is None or not info.is_generic:
                return self.value(v)
            t = info.sig
        v.ty = t
        if sym is not None and sym is not ERROR_SYM and info.is_generic:
            self.schemes[sym] = info
        return t

    def s_Destructure(self, s) -> None:
        t = T.prune(self.value(s.value))
        if type(t) is T.TVar:
            T.unify(t, T.ArrayT(self.fresh()))
            t = T.prune(t)
        if type(t) is T.ArrayT:
            elem = t.elem
        else:
            self.mismatch(t, "array", s.value.span)
            elem = T.BAD
        self.destructure_targets(s.targets, elem, s.value.span)

    def destructure_targets(self, targets, elem, span) -> None:
        for tg in targets:
            sym = tg.sym
            if sym is None or sym is ERROR_SYM:
                continue
            if tg.declares or sym.ty is None:
                sym.ty = elem
            elif not T.unify(sym.ty, elem):
                self.mismatch(elem, sym.ty, span)

    # ------------------------------------------------------------ for
    def s_For(self, s) -> None:
        it = s.iterable
        if type(it) is ast.RangeSpec:
            elem = self.range_spec(it)
        else:
            elem = self.iteration_type(it)
        if len(s.targets) == 1:
            self.bind_loop(s.targets[0], elem)
        else:
            e = T.prune(elem)
            if type(e) is T.TVar:
                T.unify(e, T.ArrayT(self.fresh()))
                e = T.prune(e)
            inner = e.elem if type(e) is T.ArrayT else T.BAD
            if type(e) is not T.ArrayT:
                self.mismatch(e, "array", it.span)
            for tg in s.targets:
                self.bind_loop(tg, inner)
        self.check_stmts(s.body.stmts, None)

    def bind_loop(self, tg, t) -> None:
        if tg.sym is not None and tg.sym is not ERROR_SYM:
            tg.sym.ty = t

    def iteration_type(self, e) -> T.Type:
        t = T.prune(self.value(e))
        if t is T.BAD:
            return T.BAD
        if type(t) is T.ArrayT:
            return t.elem
        if t is T.RANGE:
            return T.I64
        if type(t) is T.TVar:
            res = self.fresh()
            self.defer("iter", (t,), res, e.span)
            return res
        self.mismatch(t, "array", e.span)
        return T.BAD

    def range_spec(self, r) -> T.Type:
        """Bounds and step of one integer type; literals adapt (spec 2.6)."""
        parts = [p for p in (r.start, r.end, r.step) if p is not None]
        fixed = [p for p in parts if not self.is_flexible(p)]
        t = None
        for p in fixed:
            pt = T.prune(self.value(p))
            if t is None and (pt in T.INTEGERS or type(pt) is T.TVar):
                t = pt
        flex = [p for p in parts if self.is_flexible(p)]
        if t is None:
            t = self.flex_group(flex) if flex else T.BAD
        else:
            for p in flex:
                p.ty = self.flex(p, t)
        for p in parts:
            pt = T.prune(p.ty)
            if pt is T.BAD:
                continue
            if pt not in T.INTEGERS and type(pt) is not T.TVar:
                self.mismatch(pt, "integer type", p.span)
            elif not T.unify(pt, t):
                self.mismatch(pt, t, p.span)
            elif type(pt) is T.TVar:
                self.need_integer(pt, p.span)
        if r.step is not None and self.const_value(r.step) == 0 \
                and not isinstance(self.const_value(r.step), bool):
            self.report(diag.Diagnostic(diag.SYNTAX, "This operation isn't allowed here",
                                        "Range step cannot be zero", r.step.span))
        return t

    # ------------------------------------------------------------ returns
    def s_Return(self, s) -> None:
        c = self.ctx
        if c.fn is None:
            for v in s.values:
                self.expr(v)
            return
        if not s.values:
            c.bare_return = True
            if c.declared and T.prune(c.ret) is not T.VOID:
                self.mismatch(T.VOID, c.ret, s.span)
            return
        if len(s.values) == 1:
            e = s.values[0]
            t = self.expr(e, c.ret)
        else:
            elem = self.elements_type(s.values)
            t = T.ArrayT(elem)
            e = s.values[0]
        if T.prune(t) is T.VOID:
            c.bare_return = True
            if c.declared and T.prune(c.ret) is not T.VOID:
                self.mismatch(T.VOID, c.ret, e.span)
            return
        c.value_return = True
        if not T.unify(t, c.ret):
            self.mismatch(t, c.ret, e.span)

    # ------------------------------------------------------------ functions
    def s_FnDecl(self, s) -> None:
        if self.ctx.fn is None and s in self.groups:
            self.ensure_checked(s)
        elif s not in self.state:
            self.check_nested_fn(s)

    def s_ImplDecl(self, s) -> None:
        for m in s.methods:
            self.ensure_checked(m)

    def s_StructDecl(self, s) -> None:
        sym = s.sym
        if sym is None or sym is ERROR_SYM or sym.info is None:
            return
        types = self.field_types(sym)
        for fd in s.fields:
            if fd.default is not None:
                self.expect(fd.default, types.get(fd.name, T.BAD))

    def x_Lambda(self, e, hint):
        return self.lambda_type(e, hint, generalise=False)

    def lambda_type(self, e, hint, generalise: bool) -> T.Type:
        saved = self.ctx
        c = self.open_function(e, saved.level + 1)
        h = T.prune(hint) if hint is not None else None
        sig = c.info.sig
        if type(h) is T.FnT and len(h.params) == len(sig.params):
            for p, q in zip(sig.params, h.params):
                if T.is_var(p):
                    T.unify(p, q)
            if not c.declared:
                T.unify(sig.ret, h.ret)
        c.generic = generalise
        self.ctx = c
        self.check_function_body(c)
        self.ctx = saved
        self.close_group([c], saved.level)
        return sig

    def check_function_body(self, c) -> None:
        fn = c.fn
        tail = None if (c.declared and T.prune(c.ret) is T.VOID) else c.ret
        self.check_stmts(fn.body.stmts, tail)
        self.finish_function(c)

    def finish_function(self, c) -> None:
        stmts = c.fn.body.stmts
        ret = T.prune(c.ret)
        if c.declared and ret is T.VOID:
            return
        if not c.declared and c.bare_return:
            if not T.unify(c.ret, T.VOID) and c.value_return:
                pass          # mixing reported at the `return e` statements
            return
        tails = self.tail_exprs(stmts)
        if tails:
            self.unify_values(tails, c.ret)
        if not c.declared and not tails and not c.value_return:
            T.unify(c.ret, T.VOID)
            return
        if not self.ends_ok(stmts) and type(c.fn) is ast.FnDecl:
            self.report(diag.syntax_error(
                f"Function '{c.fn.name}' can reach its end without returning a value",
                c.fn.name_span, "Something's missing here", diag.HELP_NONE))
