"""`match` and `matches` (spec 2.13, 2.14).

Patterns are typed against the scrutinee: literal patterns adapt to it, variant patterns
fix it to their enum type and give payload bindings their instantiated types. Checks:
`_` must be the last arm, duplicate variant/literal arms, unknown variants and payload
arity, and the exhaustiveness of an enum match without `_` (reported at `match`).
A match whose value is used (`used_as_value`) needs one type for all arm values.
"""

from __future__ import annotations

from orus import diag
from orus.sema import types as T
from orus.sema.scopes import ERROR_SYM
from orus.syntax import ast

T_ARM = "This match arm can never run"


def variant_of(pat):
    """(enum Symbol, variant name) of a resolved variant pattern, or None."""
    v = pat.variant
    if v is None or v is ERROR_SYM:
        return None
    if isinstance(v, tuple):
        if v and v[0] == "variant":
            v = v[1:]
        return (v[0], v[1]) if len(v) >= 2 and v[0] is not ERROR_SYM else None
    enum = getattr(v, "enum", None)
    name = getattr(v, "name", None)
    return (enum, name) if enum is not None and name is not None else None


def literal_key(e):
    k = type(e)
    return (k.__name__, e.value)


def literal_text(e) -> str:
    k = type(e)
    if k is ast.StringLit:
        return '"' + e.value.decode("utf-8", "replace") + '"'
    if k is ast.BoolLit:
        return "true" if e.value else "false"
    return e.text


class MatchChecker:
    def x_MatchExpr(self, e, hint):
        return self.match_expr(e, hint, expect=False)

    def match_expr(self, e, hint, expect: bool) -> T.Type:
        """A match whose value is used: every arm gives a value of one type."""
        e.used_as_value = True
        self.match_arms(e, hint)
        values = [v for v in (self.arm_value(arm) for arm in e.arms) if v is not None]
        result = self.unify_values(values, hint if expect else None)
        return result if result is not None else T.VOID

    def arm_value(self, arm):
        stmts = arm.body.stmts
        last = stmts[-1] if stmts else None
        if type(last) is ast.ExprStmt and T.prune(last.expr.ty) is not T.VOID:
            return last.expr
        if last is not None and not self.stops(stmts):
            self.report(diag.type_error("this is a `void`, but a value was expected", last.span))
        return None

    def match_stmt(self, e, tail_hint) -> None:
        self.match_arms(e, tail_hint)
        e.ty = T.VOID

    def match_arms(self, e, hint):
        st = T.prune(self.value(e.scrutinee))
        seen_variants: dict = {}
        seen_literals: set = set()
        wildcard = None
        enum_sym = st.sym if type(st) is T.EnumT else None
        for arm in e.arms:
            p = arm.pattern
            if wildcard is not None:
                self.report(diag.syntax_error("'_' must be the last arm of a match", p.span,
                                              T_ARM, diag.HELP_NONE))
            k = type(p)
            if k is ast.WildcardPat:
                wildcard = wildcard or p
            elif k is ast.LiteralPat:
                self.literal_pattern(p, st, seen_literals)
            else:
                sym = self.variant_pattern(p, e.scrutinee, seen_variants)
                enum_sym = enum_sym or sym
            self.check_stmts(arm.body.stmts, hint)
        st = T.prune(e.scrutinee.ty)
        if wildcard is None and type(st) is T.EnumT and st.sym.info is not None:
            self.exhaustive(e, st.sym, seen_variants)
        if wildcard is not None or (type(st) is T.EnumT and st.sym.info is not None and
                                    set(st.sym.info.variants) <= set(seen_variants)):
            self.exhaustive_matches.add(e)
        return st

    def exhaustive(self, e, sym, seen) -> None:
        missing = [v for v in sym.info.variants if v not in seen]
        if not missing:
            return
        word = "variant" if len(missing) == 1 else "variants"
        self.report(diag.syntax_error(
            f"Match on {sym.name} is missing {word}: {', '.join(missing)}", e.kw_span,
            "This match doesn't cover every case", diag.HELP_NONE))

    def literal_pattern(self, p, st, seen: set) -> None:
        lit = p.value
        if type(st) in (T.EnumT, T.StructT, T.ArrayT):
            t = self.value(lit)
            self.mismatch(t, st, lit.span)
        else:
            self.expect(lit, st) if st is not T.BAD else self.value(lit)
        key = literal_key(lit)
        if key in seen:
            self.report(diag.syntax_error(
                f"Literal pattern {literal_text(lit)} appears more than once", p.span, T_ARM,
                diag.HELP_NONE))
        seen.add(key)

    def variant_pattern(self, p, scrutinee, seen: dict):
        got = variant_of(p)
        if got is None:
            for b in p.bindings or ():
                if b.sym is not None and b.sym is not ERROR_SYM:
                    b.sym.ty = T.BAD
            return None
        sym, vname = T.canon(got[0]), got[1]
        n = len(sym.info.type_params) if sym.info else 0
        et = T.EnumT(sym, [self.fresh() for _ in range(n)])
        st = scrutinee.ty
        if not T.unify(st, et):
            self.mismatch(et, st, p.span)
            et = T.EnumT(sym, [T.BAD] * n)
        elif T.prune(st) is not T.BAD:
            et = T.prune(st)
        payloads = self.payload_types(sym, vname, et.args) or []
        binds = p.bindings
        if (binds is None and payloads) or (binds is not None and len(binds) != len(payloads)):
            count = f"{len(payloads)} argument" + ("" if len(payloads) == 1 else "s")
            self.report(diag.type_error(f"Enum variant '{vname}' expects {count}", p.span))
            payloads = [T.BAD] * len(binds or ())
        for b, t in zip(binds or (), payloads):
            if b.sym is not None and b.sym is not ERROR_SYM:
                b.sym.ty = t
        if vname in seen:
            self.report(diag.syntax_error(f"{sym.name}.{vname} arm appears more than once",
                                          p.span, T_ARM, diag.HELP_NONE))
        seen[vname] = p
        return sym

    # ------------------------------------------------------------ matches
    def x_Matches(self, e, hint):
        if not self.has_wildcard(e.pattern):
            lt, rt = self.operand_pair(e.expr, e.pattern, compare=True)
            self.compare("==", lt, rt, e.op_span)
            return T.BOOL
        vt = self.value(e.expr)
        self.match_pattern_expr(e.pattern, vt, e.op_span)
        return T.BOOL

    def has_wildcard(self, p) -> bool:
        k = type(p)
        if k is ast.Wildcard:
            return True
        if k is ast.Call:
            return any(self.has_wildcard(a) for a in p.args)
        return False

    def match_pattern_expr(self, p, vt, span) -> None:
        """A `matches` pattern containing `_`: a variant with sub-patterns (spec 2.14)."""
        k = type(p)
        if k is ast.Wildcard:
            p.ty = vt
            return
        kind = p.callee.kind if k is ast.Call and type(p.callee) is ast.Field else None
        if not kind or kind[0] != "variant":
            pt = self.value(p)
            self.compare("==", vt, pt, span)
            return
        self.mark_namespace(p.callee.obj)
        payloads = self.pattern_payloads(p, kind[1], vt)
        if payloads is None:
            for a in p.args:
                self.match_pattern_expr(a, T.BAD, span)
            return
        for a, t in zip(p.args, payloads):
            if self.has_wildcard(a):
                self.match_pattern_expr(a, t, span)
            else:
                a.ty = self.adapt(a, t)
                self.compare("==", t, a.ty, a.span)

    def pattern_payloads(self, p, sym, vt):
        """The payload types of `E.V(...)` in a `matches` pattern (vt fixed to E), or None."""
        vname = p.callee.name
        if sym is ERROR_SYM or sym.info is None:
            p.ty = p.callee.ty = T.BAD
            return None
        sym = T.canon(sym)
        et = T.EnumT(sym, [self.fresh() for _ in sym.info.type_params])
        if not T.unify(vt, et):
            self.mismatch(et, vt, p.span)
            p.ty = p.callee.ty = T.BAD
            return None
        et = T.prune(vt) if T.prune(vt) is not T.BAD else et
        p.ty = p.callee.ty = et
        payloads = self.payload_types(sym, vname, et.args) or []
        if len(payloads) != len(p.args):
            count = f"{len(payloads)} argument" + ("" if len(payloads) == 1 else "s")
            self.report(diag.type_error(f"Enum variant '{vname}' expects {count}",
                                        p.callee.name_span))
            return None
        return payloads
