"""Expression rules of spec 3.3 and 4: names, operators, casts, indexing, literals.

`expr(e, hint)` types e (setting `e.ty`) using `hint` only to adapt flexible literals and
to flow expected types inward; `value` also rejects void; `expect(e, required)` reports
a mismatch at the innermost part that does not fit (spec 3.3, "Where and how type errors
are reported"). Operator errors are reported at the operator. Operations on a value whose
type is still a type variable become deferred checks (`check_generic.py`).
"""

from __future__ import annotations

from orus import diag
from orus.sema import types as T
from orus.sema.literals import is_float_lit, suffix_type
from orus.sema.scopes import ERROR_SYM, SymKind
from orus.syntax import ast

ARITH = frozenset("+ - * / %".split())
BITS = frozenset("& | ^".split())
SHIFTS = frozenset(("<<", ">>"))
EQUALITY = frozenset(("==", "!="))
ORDER = frozenset(("<", "<=", ">", ">="))
CAST_TARGETS = T.NUMERICS + (T.BOOL, T.STRING)


class ExprChecker:
    # ------------------------------------------------------------ entry points
    def expr(self, e, hint=None) -> T.Type:
        if self.is_flexible(e):
            t = self.flex(e, hint)
        else:
            t = getattr(self, "x_" + type(e).__name__)(e, hint)
        e.ty = t
        return t

    def value(self, e, hint=None) -> T.Type:
        t = self.expr(e, hint)
        if T.prune(t) is T.VOID:
            self.report(diag.type_error("this is a `void`, but a value was expected", e.span))
            e.ty = T.BAD
            return T.BAD
        return t

    def expect(self, e, required: T.Type) -> T.Type:
        """Check e against a required type, reporting at the innermost misfit."""
        k = type(e)
        if k is ast.Conditional:
            self.expect(e.cond, T.BOOL)
            self.expect(e.then, required)
            self.expect(e.other, required)
            e.ty = required
            return required
        if k is ast.BlockExpr:
            e.ty = self.block_value(e.block, required, expect=True)
            return e.ty
        if k is ast.ArrayLit and type(T.prune(required)) is T.ArrayT:
            elem = T.prune(required).elem
            for x in e.elements:
                self.expect(x, elem)
            e.ty = required
            return required
        if k is ast.MatchExpr:
            e.ty = self.match_expr(e, required, expect=True)
            return e.ty
        t = self.value(e, required)
        if not T.unify(t, required):
            self.mismatch(t, required, e.span)
        return t

    def need_integer(self, t: T.Type, span) -> None:
        t = T.prune(t)
        if type(t) is T.TVar:
            self.defer("integer", (t,), None, span)
        elif t not in T.INTEGERS:
            self.mismatch(t, "integer type", span)

    # ------------------------------------------------------------ leaves
    def x_IntLit(self, e, hint):
        return suffix_type(e.suffix)

    def x_FloatLit(self, e, hint):
        return suffix_type(e.suffix) if e.suffix else T.F64

    def x_StringLit(self, e, hint):
        return T.STRING

    def x_BoolLit(self, e, hint):
        return T.BOOL

    def x_Wildcard(self, e, hint):
        return T.BAD

    def x_Name(self, e, hint):
        return self.symbol_value(e.sym, e)

    def symbol_value(self, sym, node) -> T.Type:
        if sym is None or sym is ERROR_SYM:
            return T.BAD
        info = self.schemes.get(sym)
        if info is None and sym.kind is SymKind.FUNC:
            info = self.fn_info_of_sym(sym)
        if info is not None:
            return self.use_function(info, node)
        if sym.kind in (SymKind.STRUCT, SymKind.ENUM, SymKind.MODULE, SymKind.ERROR):
            return T.BAD
        if sym.ty is None:
            sym.ty = T.TVar(0)      # a global read before its declaration was checked
        return sym.ty

    # ------------------------------------------------------------ unary
    def x_Unary(self, e, hint):
        if e.op == "not":
            self.expect(e.operand, T.BOOL)
            return T.BOOL
        t = T.prune(self.value(e.operand))
        if t is T.BAD:
            return T.BAD
        if type(t) is T.TVar:
            res = self.fresh()
            self.defer("neg" if e.op == "-" else "invert", (t,), res, e.op_span)
            return res
        if e.op == "-":
            if t in T.NUMERICS:
                return T.SIGNED_OF[t]
            self.mismatch(t, "numeric type", e.op_span)
        else:
            if t in T.INTEGERS:
                return t
            self.mismatch(t, "integer type", e.op_span)
        return T.BAD

    # ------------------------------------------------------------ binary
    def x_Binary(self, e, hint):
        op = e.op
        if op in ("and", "or"):
            self.expect(e.left, T.BOOL)
            self.expect(e.right, T.BOOL)
            return T.BOOL
        if op in SHIFTS:
            return self.shift(e)
        if op in EQUALITY or op in ORDER:
            lt, rt = self.operand_pair(e.left, e.right, compare=True)
            self.compare(op, lt, rt, e.op_span)
            return T.BOOL
        lt, rt = self.operand_pair(e.left, e.right, compare=False)
        t = self.arith(op, lt, rt, e.op_span)
        if op in ("/", "%"):
            self.check_divisor(e.right, e.op_span)
        return t

    def operand_pair(self, left, right, compare: bool):
        """Type two operands, letting a flexible one adapt to the other (spec 3.2)."""
        lf, rf = self.is_flexible(left), self.is_flexible(right)
        if lf and rf:
            t = self.flex_group((left, right))
            left.ty = right.ty = t
            return t, t
        if lf and not is_float_lit(right):
            rt = self.value(right)
            return self.adapt_operand(left, rt), rt
        if rf and not is_float_lit(left):
            lt = self.value(left)
            return lt, self.adapt_operand(right, lt)
        # A numeric operand's type flows into the branches of the other, unless it is a
        # float literal: literals of different kinds never adapt to each other (spec 3.2).
        if type(left) in _TAKES_HINT and type(right) not in _TAKES_HINT:
            rt = self.value(right)
            return self.value(left, None if is_float_lit(right) else numeric_or_none(rt)), rt
        lt = self.value(left)
        # `r == Result.Ok(42)`: the left type flows into a constructor on the right
        hint = lt if compare and type(right) is ast.Call else \
            None if is_float_lit(left) else numeric_or_none(lt)
        return lt, self.value(right, hint)

    def adapt_operand(self, e, other: T.Type) -> T.Type:
        t = self.adapt(e, other)
        e.ty = t
        return t

    def arith(self, op: str, lt: T.Type, rt: T.Type, span) -> T.Type:
        lt, rt = T.prune(lt), T.prune(rt)
        if lt is T.BAD or rt is T.BAD:
            return T.BAD
        if op == "*":
            rep = self.repetition(lt, rt, span)
            if rep is not None:
                return rep
        if not T.unify(lt, rt):
            self.mismatch(rt, lt, span)
            return T.BAD
        t = T.prune(lt)
        if type(t) is T.TVar:
            self.defer("arith:" + op, (t,), None, span)
            return t
        err = arith_error(op, t)
        if err:
            self.mismatch(t, err, span)
            return T.BAD
        return t

    def repetition(self, lt, rt, span):
        """`array * count` / `count * array` (spec 4.6), or None when not that form."""
        if type(lt) is T.ArrayT and type(rt) is not T.ArrayT and type(rt) is not T.TVar:
            self.need_integer(rt, span)
            return lt
        if type(rt) is T.ArrayT and type(lt) is not T.ArrayT and type(lt) is not T.TVar:
            self.need_integer(lt, span)
            return rt
        return None

    def shift(self, e) -> T.Type:
        lt = T.prune(self.value(e.left))
        rt = T.prune(self.flex(e.right) if self.is_flexible(e.right) else self.value(e.right))
        e.right.ty = rt
        for t in (lt, rt):
            if type(t) is T.TVar:
                self.defer("integer", (t,), None, e.op_span)
            elif t is not T.BAD and t not in T.INTEGERS:
                self.mismatch(t, "integer type", e.op_span)
                return T.BAD
        return lt

    def compare(self, op: str, lt: T.Type, rt: T.Type, span) -> None:
        lt, rt = T.prune(lt), T.prune(rt)
        if lt is T.BAD or rt is T.BAD:
            return
        if type(lt) is T.TVar or type(rt) is T.TVar:
            self.defer("cmp:" + op, (lt, rt), None, span)
            return
        msg = compare_error(op, lt, rt, self.all_payloads)
        if msg is not None:
            self.mismatch(*msg, span)

    # ------------------------------------------------------------ other forms
    def x_Cast(self, e, hint):
        src = T.prune(self.value(e.expr))
        target = T.prune(self.type_of(e.target))
        if src is T.BAD or target is T.BAD:
            return target
        if type(src) is T.TVar:
            self.defer("cast", (src, target), None, e.expr.span)
            return target
        bad = cast_error(src, target)
        if bad is not None:
            self.mismatch(src, target, e.expr.span)
        return target

    def x_Conditional(self, e, hint):
        self.expect(e.cond, T.BOOL)
        tf, of = self.is_flexible(e.then), self.is_flexible(e.other)
        if hint is not None and T.prune(hint) in T.NUMERICS and (tf or of):
            return self.expect_branches(e, hint)
        if tf and of:
            return self.flex_group((e.then, e.other))
        if tf and not is_float_lit(e.other):
            ot = self.value(e.other)
            tt = self.adapt(e.then, ot)
            e.then.ty = tt
        elif of and not is_float_lit(e.then):
            tt = self.value(e.then)
            ot = self.adapt(e.other, tt)
            e.other.ty = ot
        else:
            tt, ot = self.value(e.then), self.value(e.other)
        if not T.unify(tt, ot):
            self.mismatch(ot, tt, e.other.span)
            return T.BAD
        return tt

    def expect_branches(self, e, t):
        self.expect(e.then, t)
        self.expect(e.other, t)
        return t

    def x_Index(self, e, hint):
        ot = T.prune(self.value(e.obj))
        it = self.flex(e.index) if self.is_flexible(e.index) else self.value(e.index)
        e.index.ty = it
        self.need_integer(it, e.index.span)
        return self.index_result(ot, e.obj.span, e.bracket_span, slice_=False)

    def index_result(self, ot, obj_span, span, slice_: bool) -> T.Type:
        if ot is T.BAD:
            return T.BAD
        if type(ot) is T.ArrayT:
            return ot if slice_ else ot.elem
        if ot is T.STRING:
            return T.STRING
        if type(ot) is T.TVar:
            res = self.fresh()
            self.defer("slice" if slice_ else "index", (ot,), res, span)
            return res
        self.mismatch(ot, "array", obj_span)
        return T.BAD

    def x_Slice(self, e, hint):
        ot = T.prune(self.value(e.obj))
        for part in (e.start, e.end, e.step):
            if part is not None:
                pt = self.flex(part) if self.is_flexible(part) else self.value(part)
                part.ty = pt
                self.need_integer(pt, part.span)
        if e.step is not None:
            step = self.const_value(e.step)
            if isinstance(step, int) and not isinstance(step, bool) and step <= 0:
                self.report(diag.Diagnostic(diag.SYNTAX, "This operation isn't allowed here",
                                            "Array slice step must be positive", e.step.span))
        return self.index_result(ot, e.obj.span, e.bracket_span, slice_=True)

    def x_ArrayLit(self, e, hint):
        h = T.prune(hint) if hint is not None else None
        if type(h) is T.ArrayT:
            elem = h.elem
            for x in e.elements:
                self.expect(x, elem)
            return T.ArrayT(elem)
        return T.ArrayT(self.elements_type(e.elements))

    def elements_type(self, elements: list) -> T.Type:
        """One element type for a literal's elements (spec 3.2, 3.4)."""
        if not elements:
            return self.fresh()
        fixed = None
        for x in elements:
            if not self.is_flexible(x) and not is_float_lit(x):
                fixed = x
                break
        if fixed is not None:
            elem = self.value(fixed)
        else:
            flex = [x for x in elements if self.is_flexible(x)]
            elem = self.flex_group(flex) if flex else T.F64
        for x in elements:
            if x is fixed or (fixed is None and self.is_flexible(x)):
                continue        # already typed (the group's default)
            self.expect(x, elem)
        return elem

    def x_ArrayFill(self, e, hint):
        h = T.prune(hint) if hint is not None else None
        if type(h) is T.ArrayT:
            self.expect(e.value, h.elem)
            elem = h.elem
        else:
            elem = self.value(e.value)
        self.fill_count(e.count)
        return T.ArrayT(elem)

    def fill_count(self, c) -> None:
        ok = False
        if type(c) is ast.IntLit:
            c.ty = suffix_type(c.suffix) if c.suffix else self.flex(c)
            ok = True
        elif type(c) is ast.Name:
            sym = c.sym
            if sym is ERROR_SYM or sym is None:
                c.ty = T.BAD
                return
            c.ty = self.symbol_value(sym, c)
            v = self.const_value(c) if sym.kind is SymKind.CONST else None
            ok = isinstance(v, int) and not isinstance(v, bool) and v >= 0 \
                and T.prune(c.ty) in T.INTEGERS + (T.BAD,)
        if not ok:
            self.report(diag.syntax_error(
                "array fill length must be a compile-time constant integer", c.span))

    def x_BlockExpr(self, e, hint):
        return self.block_value(e.block, hint, expect=False)

    def x_Spawn(self, e, hint):
        call = e.call
        if type(call) is not ast.Call or self.not_spawnable(call.callee):
            self.report(diag.type_error("spawn needs a call of a function", e.kw_span))
            self.expr(call)
            return T.TaskT(T.BAD)
        return T.TaskT(self.expr(call))

    def not_spawnable(self, callee) -> bool:
        if type(callee) is ast.Name and callee.sym is None:
            return True          # a builtin
        return type(callee) is ast.Field and bool(callee.kind) and callee.kind[0] == "variant"


_TAKES_HINT = (ast.Conditional, ast.BlockExpr, ast.MatchExpr)


def numeric_or_none(t: T.Type):
    t = T.prune(t)
    return t if t in T.NUMERICS else None


def arith_error(op: str, t: T.Type):
    """The kind an arithmetic/bitwise operator needs when t does not suit it, else None."""
    if op in BITS:
        return None if t in T.INTEGERS else "integer type"
    if t in T.NUMERICS or (op == "+" and t is T.STRING):
        return None
    return "numeric type"


def comparable(t: T.Type, payloads, seen=frozenset()) -> bool:
    """Whether `==` accepts values of type t (spec 3.3, 2.12); payloads(enum type) lists
    the payload types of all its variants."""
    t = T.prune(t)
    k = type(t)
    if k is T.FnT or t is T.ERROR_VALUE or t is T.RANGE or t is T.VOID:
        return False
    if k is T.EnumT:
        if t.sym in seen:
            return True
        return all(comparable(p, payloads, seen | {t.sym}) for p in payloads(t))
    if k is T.ArrayT or k is T.TaskT or k is T.ChanT:
        return True          # compared by identity
    return True


def compare_error(op: str, lt: T.Type, rt: T.Type, payloads):
    """(found, required) of a failing comparison, or None when it is accepted."""
    if lt in T.NUMERICS and rt in T.NUMERICS:
        return None
    if op in ORDER:
        if lt is T.STRING and rt is T.STRING:
            return None
        return (rt, lt) if not T.same(lt, rt) else (lt, "comparable type")
    if not T.unify(lt, rt):
        return rt, lt
    if not comparable(lt, payloads):
        return lt, "comparable type"
    return None


def cast_error(src: T.Type, target: T.Type):
    """Non-None when `src as target` is a compile error (spec 3.6)."""
    if src is T.STRING:
        return None if target is T.STRING else True
    if src in T.NUMERICS or src is T.BOOL:
        return None if target in CAST_TARGETS else True
    return True
