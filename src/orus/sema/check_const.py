"""Constant expressions (spec 2.3) and the checks that use them.

`const_value(e)` evaluates a constant expression — literals, `:=` constants whose
initializer is constant, unary `- not ~`, binary arithmetic, bitwise, comparison and
logical operators, casts — with the run-time rules of `orus.semantics` for the types the
checker gave its nodes. It returns None when e is not constant or its evaluation fails
(overflow, a bad shift...): that check is then left to run time. Uses: division by a
constant zero, zero range steps, slice steps, array-fill counts.
"""

from __future__ import annotations

from orus import diag
from orus.sema import types as T
from orus.sema.scopes import SymKind
from orus.semantics import casts, floats, ints
from orus.semantics.errors import Trap
from orus.syntax import ast

_INT_OPS = {"+": ints.add, "-": ints.sub, "*": ints.mul, "/": ints.div, "%": ints.mod,
            "&": ints.bit_and, "|": ints.bit_or, "^": ints.bit_xor,
            "<<": ints.shl, ">>": ints.shr}
_FLOAT_OPS = {"+": floats.fadd, "-": floats.fsub, "*": floats.fmul, "/": floats.fdiv,
              "%": floats.fmod}
_ORDER = ("==", "!=", "<", "<=", ">", ">=")


class _NotConstant(Exception):
    pass


def _name(e) -> str:
    """The type name of a typed node ("i32", "bool", ...), or fail."""
    t = T.prune(e.ty) if e.ty is not None else None
    if type(t) is not T.Prim or t is T.BAD:
        raise _NotConstant
    return t.name


class ConstChecker:
    def const_value(self, e):
        try:
            return self._const(e)
        except (_NotConstant, Trap, ArithmeticError, KeyError, TypeError, RecursionError):
            return None

    def _const(self, e):
        k = type(e)
        if k is ast.IntLit or k is ast.FloatLit:
            return float(e.value) if _name(e) == "f64" else e.value
        if k is ast.BoolLit:
            return e.value
        if k is ast.Name:
            return self._const_name(e.sym)
        if k is ast.Field and e.kind and e.kind[0] == "member":
            return self._const_name(e.kind[1])      # `m.LIMIT`, a module's constant
        if k is ast.Unary:
            return self._const_unary(e)
        if k is ast.Binary:
            return self._const_binary(e)
        if k is ast.Cast:
            return casts.cast(self._const(e.expr), _name(e.expr), _name(e))
        raise _NotConstant

    def _const_name(self, sym):
        if sym is None or getattr(sym, "kind", None) is not SymKind.CONST \
                or type(sym.decl) is not ast.ConstDecl or sym in self.const_busy:
            raise _NotConstant
        self.const_busy.add(sym)
        try:
            return self._const(sym.decl.value)
        finally:
            self.const_busy.discard(sym)

    def _const_unary(self, e):
        v = self._const(e.operand)
        if e.op == "not":
            return not v
        ty = _name(e.operand)
        if ty == "f64":
            return floats.neg(v)
        if e.op == "~":
            return ints.bit_not(ty, v)
        return ints.neg(ty, v)[1]

    def _const_binary(self, e):
        op = e.op
        a = self._const(e.left)
        if op in ("and", "or"):
            return a if (op == "and") != bool(a) else self._const(e.right)
        b = self._const(e.right)
        ta, tb = _name(e.left), _name(e.right)
        if op in _ORDER:
            if ta in ints.INT_TYPES or ta == "f64":
                return ints.compare(op, ta, a, tb, b)
            return {"==": a == b, "!=": a != b}[op]
        if ta == "f64":
            return _FLOAT_OPS[op](a, b)
        return _INT_OPS[op](ta, a, b)

    def check_divisor(self, e, op_span) -> None:
        """`Division by zero` at the operator when the divisor is a constant expression
        equal to zero."""
        v = self.const_value(e)
        if v is not None and not isinstance(v, bool) and v == 0:
            self.report(diag.syntax_error("Division by zero", op_span,
                                          "Oh no! You tried to divide by zero",
                                          diag.HELP_DIVZERO))
