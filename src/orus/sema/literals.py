"""Flexible integer literals and flexible expressions (spec 3.2).

An unsuffixed integer literal, `-`/`~` of a flexible operand, `+ - * / % & | ^` of two
flexible operands and a shift whose left operand is flexible form a *flexible
expression*. It is typed as a whole by `flex`: every literal in it gets the expected type
when that is a concrete numeric type, otherwise the default type (i32 if all of its
literals fit, else i64); a shift's count is typed on its own. A literal that does not fit
its type is reported at the literal (SYNTAX ERROR "Number got too big to handle").
"""

from __future__ import annotations

from orus import diag
from orus.sema import types as T
from orus.syntax import ast

_FLEX_BINOPS = frozenset("+ - * / % & | ^".split())
_SHIFTS = frozenset(("<<", ">>"))
_BIT_OPS = frozenset(("~", "&", "|", "^", "<<", ">>"))
_SUFFIX = {"i32": T.I32, "i64": T.I64, "u32": T.U32, "u64": T.U64, "f64": T.F64}


def suffix_type(suffix: str) -> T.Type:
    return _SUFFIX[suffix]


def is_float_lit(e) -> bool:
    return type(e) is ast.FloatLit and e.suffix in (None, "f64")


class LiteralChecker:
    def is_flexible(self, e) -> bool:
        k = type(e)
        if k is ast.IntLit:
            return e.suffix is None
        if k is not ast.Unary and k is not ast.Binary:
            return False
        got = self.flex_cache.get(e)
        if got is None:
            if k is ast.Unary:
                got = e.op in ("-", "~") and self.is_flexible(e.operand)
            elif e.op in _FLEX_BINOPS:
                got = self.is_flexible(e.left) and self.is_flexible(e.right)
            else:
                got = e.op in _SHIFTS and self.is_flexible(e.left)
            self.flex_cache[e] = got
        return got

    def flex_values(self, e, out: list) -> list:
        """The values of the literals that share e's type."""
        stack = [e]
        while stack:
            n = stack.pop()
            k = type(n)
            if k is ast.IntLit:
                out.append(n.value)
            elif k is ast.Unary:
                stack.append(n.operand)
            elif n.op in _SHIFTS:
                stack.append(n.left)
            else:
                stack.append(n.left)
                stack.append(n.right)
        return out

    def default_of(self, exprs) -> T.Type:
        """i32 when every literal of the group fits, else i64 (spec 3.2)."""
        values: list = []
        for e in exprs:
            self.flex_values(e, values)
        return T.I32 if all(-2**31 <= v < 2**31 for v in values) else T.I64

    def flex(self, e, expected=None) -> T.Type:
        """Type a flexible expression for the expected type (or its default)."""
        t = T.prune(expected) if expected is not None else None
        if t not in T.NUMERICS:
            t = self.default_of((e,))
        self.assign_flex(e, t)
        return t

    def flex_group(self, exprs) -> T.Type:
        """Give several flexible expressions one shared default type."""
        t = self.default_of(exprs)
        for e in exprs:
            self.assign_flex(e, t)
        return t

    def assign_flex(self, e, t: T.Type) -> None:
        divisors: list = []
        stack = [e]
        bits_ok = t is not T.F64     # `x: f64 = 8 << 2`: bit operators need integers (spec 4.10)
        while stack:
            n = stack.pop()
            n.ty = t
            k = type(n)
            if not bits_ok and k is not ast.IntLit and n.op in _BIT_OPS:
                self.mismatch(t, "integer type", n.op_span)
                bits_ok = True       # one error per expression, at its outermost bit operator
            if k is ast.IntLit:
                if not T.fits(n.value, t):
                    self.report(diag.syntax_error(
                        f"Integer literal {n.text} does not fit in {t.name}", n.span,
                        "Number got too big to handle", diag.HELP_NONE))
            elif k is ast.Unary:
                stack.append(n.operand)
            elif n.op in _SHIFTS:
                stack.append(n.left)
                self.shift_count(n.right)
            else:
                stack.append(n.left)
                stack.append(n.right)
                if n.op in ("/", "%"):
                    divisors.append(n)
        for d in divisors:          # once every literal has its type
            self.check_divisor(d.right, d.op_span)

    def shift_count(self, e) -> None:
        """A shift count is typed on its own and must be an integer."""
        t = self.flex(e) if self.is_flexible(e) else self.value(e)
        self.need_integer(t, e.span)

    def adapt(self, e, other: T.Type) -> T.Type:
        """Type e (which may be flexible) next to an operand of type `other`; the numeric
        type also flows into the branches of conditionals, blocks and matches (spec 3.2)."""
        o = T.prune(other)
        numeric = o if o in T.NUMERICS else None
        if self.is_flexible(e):
            return self.flex(e, numeric)
        return self.value(e, numeric)

    def unify_values(self, values: list, target) -> T.Type:
        """Give several branch values one type (match arms, implicit-return tails):
        flexible ones adapt to the target or to a branch that is neither flexible nor a
        float literal (spec 3.2); a misfit is reported at that value."""
        t = T.prune(target) if target is not None else None
        if t not in T.NUMERICS:
            fixed = next((v for v in values if not self.is_flexible(v) and not is_float_lit(v)),
                         None)
            t = T.prune(fixed.ty) if fixed is not None else None
        flex = [v for v in values if self.is_flexible(v)]
        if t in T.NUMERICS:
            for v in flex:
                self.assign_flex(v, t)
        elif flex and len(flex) == len(values):
            self.flex_group(flex)
        result = target
        for v in values:
            if result is None:
                result = v.ty
            elif not T.unify(v.ty, result):
                self.mismatch(v.ty, result, v.span)
        return result

