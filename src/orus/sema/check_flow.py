"""Which statement lists end with a value or cannot reach their end (spec 2.15).

`tail_exprs` lists the expressions a statement list implicitly returns ("ends with a
value"), or None when it does not end with a value; `ends_ok` says whether the end of
the list is unreachable or an implicit return, which a non-void function needs.
Run after the list was type-checked (void expression statements give no value).
"""

from __future__ import annotations

from orus.sema import types as T
from orus.sema.callgraph import iter_children
from orus.syntax import ast


class FlowChecker:
    def tail_exprs(self, stmts: list):
        if not stmts:
            return None
        s = stmts[-1]
        k = type(s)
        if k is ast.ExprStmt:
            e = s.expr
            if type(e) is ast.MatchExpr:
                got = self.branch_tails([a.body.stmts for a in e.arms])
                if got:
                    e.used_as_value = True
                return got
            return None if T.prune(e.ty) is T.VOID else [e]
        if k is ast.If and s.else_body is not None:
            bodies = [b.body.stmts for b in s.branches] + [s.else_body.stmts]
            return self.branch_tails(bodies)
        return None

    def branch_tails(self, bodies: list):
        out = []
        for b in bodies:
            got = self.tail_exprs(b)
            if got is None:
                if not self.stops(b):
                    return None
            else:
                out.extend(got)
        return out or None

    def ends_ok(self, stmts: list) -> bool:
        if self.stops(stmts):
            return True
        if not stmts:
            return False
        s = stmts[-1]
        k = type(s)
        if k is ast.ExprStmt:
            e = s.expr
            if type(e) is ast.MatchExpr:
                return all(self.ends_ok(a.body.stmts) for a in e.arms) and bool(e.arms)
            return T.prune(e.ty) is not T.VOID
        if k is ast.If and s.else_body is not None:
            return all(self.ends_ok(b.body.stmts) for b in s.branches) \
                and self.ends_ok(s.else_body.stmts)
        if k is ast.Try:
            return self.ends_ok(s.body.stmts) and self.ends_ok(s.handler.stmts)
        return False

    def stops(self, stmts: list) -> bool:
        """Whether the end of the list cannot be reached (no implicit values)."""
        return any(self.stmt_stops(s) for s in stmts)

    def stmt_stops(self, s) -> bool:
        k = type(s)
        if k is ast.Return:
            return True
        if k is ast.If:
            return s.else_body is not None and self.stops(s.else_body.stmts) \
                and all(self.stops(b.body.stmts) for b in s.branches)
        if k is ast.While:
            return type(s.cond) is ast.BoolLit and s.cond.value and not _breaks(s)
        if k is ast.Try:
            return self.stops(s.body.stmts) and self.stops(s.handler.stmts)
        if k is ast.ExprStmt and type(s.expr) is ast.MatchExpr:
            e = s.expr
            return e in self.exhaustive_matches and all(self.stops(a.body.stmts) for a in e.arms)
        return False


def _breaks(loop) -> bool:
    """Whether some `break` leaves this loop (nested functions and lambdas excluded)."""
    stack = [loop.body]
    while stack:
        n = stack.pop()
        k = type(n)
        if k is ast.Break and n.target is loop:
            return True
        if k is ast.FnDecl or k is ast.Lambda:
            continue
        stack.extend(iter_children(n))
    return False
