"""`match` (statement, expression, implicit return) and `matches` (spec 2.13, 2.14).

A match evaluates its scrutinee once, then tests the arms in order: a literal
pattern with `eq`, a variant pattern by comparing `enum.tag` with the variant's
index; payload bindings read `enum.get` in the arm. A match whose value is used
traps `No match arm matched` (kind runtime error, at `match`) when no arm fits;
a statement match falls through.
Modes: `tail` (each arm is an implicit return of the function), `value` (the
arms' values meet in a join block parameter), or neither (a statement).
"""

from __future__ import annotations

from typing import Optional

from orus.ir import types as I
from orus.ir.func import Value
from orus.irgen.errors import Dead
from orus.syntax import ast


class MatchLowering:
    def x_MatchExpr(self, e) -> Optional[Value]:
        return self.match(e, tail=False, value=e.used_as_value)

    def match(self, e, tail: bool, value: bool = False) -> Optional[Value]:
        scrut = self.value(e.scrutinee)
        rty = self.ety(e) if value and not tail else I.VOID
        done = self.new_block(rty) if rty != I.VOID else self.new_block()
        tag = None
        for arm in e.arms:
            p = arm.pattern
            body = self.new_block()
            if type(p) is ast.WildcardPat:
                self.ssa.jmp(body)
                nxt = None
            else:
                if type(p) is ast.VariantPat and tag is None:
                    tag = self.emit("enum.tag", [scrut])
                nxt = self.new_block()
                self.ssa.br(self.arm_test(p, scrut, tag), body, nxt)
                self.ssa.seal(nxt)
            self.ssa.seal(body)
            self.position(body)
            self.arm(arm, scrut, tail, rty, done)
            if nxt is None:
                break
            self.position(nxt)
        else:
            if e.used_as_value:
                self.trap("runtime error", "No match arm matched", e.kw_span)
            else:
                self.ssa.jmp(done)
        if not self.join(done):
            raise Dead()
        return done.params[0] if done.params and rty != I.VOID else None

    def arm_test(self, p, scrut: Value, tag: Optional[Value]) -> Value:
        if type(p) is ast.LiteralPat:
            return self.emit("eq", [scrut, self.value(p.value)])
        index = self.ml.types.variant_index(scrut.type, p.path[-1])
        return self.emit("eq", [tag, self.const(I.I32, index)])

    def arm(self, arm, scrut: Value, tail: bool, rty, done) -> None:
        p = arm.pattern
        if type(p) is ast.VariantPat and p.bindings:
            variant = self.ml.types.variant_index(scrut.type, p.path[-1])
            for i, bp in enumerate(p.bindings):
                if bp.sym is not None:
                    v = self.emit("enum.get", [scrut], variant=variant, index=i)
                    self.declare(bp.sym, v)
        stmts = arm.body.stmts
        if tail:
            self.tail_stmts(stmts)
        elif rty != I.VOID and stmts and type(stmts[-1]) is ast.ExprStmt:
            self.stmts(stmts[:-1])
            if self.b.terminated:
                return
            try:
                v = self.value(stmts[-1].expr)
            except Dead:
                return
            self.ssa.jmp(done, v)
            return
        else:
            self.stmts(stmts)
        if self.b.terminated:
            return
        if rty != I.VOID:
            self.emit("unreachable")      # the checker: an arm without a value stops
        else:
            self.ssa.jmp(done)

    # ------------------------------------------------------------ matches
    def x_Matches(self, e) -> Value:
        v = self.value(e.expr)
        if not _has_wildcard(e.pattern):
            return self.binop("==", v, self.value(e.pattern), e.op_span)
        return self.pattern_test(v, e.pattern)

    def pattern_test(self, v: Value, p) -> Value:
        """`v matches E.V(p1, ...)` with `_` parts: the tag, then each payload in
        order, stopping at the first that differs."""
        if type(p) is ast.Wildcard:
            return self.const(I.BOOL, True)
        if not _has_wildcard(p):
            return self.binop("==", v, self.value(p), p.span)
        variant = self.ml.types.variant_index(v.type, p.callee.name)
        done = self.new_block(I.BOOL)
        ok = self.emit("eq", [self.emit("enum.tag", [v]), self.const(I.I32, variant)])
        for i, sub in enumerate(p.args):
            if type(sub) is ast.Wildcard:
                continue
            nxt = self.new_block()
            self.ssa.br(ok, nxt, done, other_args=(self.const(I.BOOL, False),))
            self.ssa.seal(nxt)
            self.position(nxt)
            part = self.emit("enum.get", [v], variant=variant, index=i)
            ok = self.pattern_test(part, sub)
        self.ssa.jmp(done, ok)
        self.join(done)
        return done.params[0]


def _has_wildcard(p) -> bool:
    if type(p) is ast.Wildcard:
        return True
    if type(p) is ast.Call:
        return any(_has_wildcard(a) for a in p.args)
    return False
