"""Control flow: if/elif/else, while, for (ranges, arrays, range iterators),
labelled break/continue, and try/catch (spec 2.5-2.9).

Loops: the header is sealed only after the body, so variables the body assigns
become header parameters (ssa.py); `continue` jumps to the latch (for loops) or
the header (while), `break` to the exit, both recorded per loop statement.

for over a range (spec 2.6, D29): start, end and step are evaluated once, left to
right; a step that is not a literal is checked for zero before the first
iteration (`Range step cannot be zero`, at `for`). The next value is computed
exactly: when `value + step` would leave the loop type's range the loop ends
(`value > MAX - step` for a positive step, `value < MIN - step` for a negative
one), so no addition ever overflows. The latch reads the loop variable, so an
assignment to it in the body moves the loop (spec 2.2).

try/catch: blocks created while lowering the try body get `handler` = the catch
block, whose one parameter is the error; the catch body runs under the outer
handler. For SSA the catch block's only predecessor is the block where the try
began (see ssa.py).
"""

from __future__ import annotations

from orus.ir import types as I
from orus.irgen.errors import Dead
from orus.syntax import ast

_LIMITS = {"i32": (-2**31, 2**31 - 1), "i64": (-2**63, 2**63 - 1),
           "u32": (0, 2**32 - 1), "u64": (0, 2**64 - 1)}


class ControlLowering:
    # ------------------------------------------------------------ if
    def s_If(self, s) -> None:
        self.if_stmt(s, tail=False)

    def if_stmt(self, s, tail: bool) -> None:
        done = self.new_block()
        for br in s.branches:
            try:
                c = self.value(br.cond)
            except Dead:
                break             # the condition left: later branches are unreachable
            yes, no = self.new_block(), self.new_block()
            self.ssa.br(c, yes, no)
            self.ssa.seal(yes)
            self.ssa.seal(no)
            self.position(yes)
            self.branch_body(br.body.stmts, tail, done)
            self.position(no)
        else:
            if s.else_body is not None:
                self.branch_body(s.else_body.stmts, tail, done)
            else:
                self.ssa.jmp(done)
        if not self.join(done):
            raise Dead()

    def branch_body(self, stmts: list, tail: bool, done) -> None:
        if tail:
            self.tail_stmts(stmts)
        else:
            self.stmts(stmts)
        if not self.b.terminated:
            self.ssa.jmp(done)

    # ------------------------------------------------------------ while
    def s_While(self, s) -> None:
        header, body, exit_ = self.new_block(), self.new_block(), self.new_block()
        self.ssa.jmp(header)
        self.position(header)
        c = self.value(s.cond)
        self.ssa.br(c, body, exit_)
        self.ssa.seal(body)
        self.loop_body(s, body, exit_, header)
        self.ssa.seal(header)
        if not self.join(exit_):
            raise Dead()

    def loop_body(self, s, body, exit_, cont) -> None:
        self.loops[s] = (exit_, cont)
        self.position(body)
        self.stmts(s.body.stmts)
        if not self.b.terminated:
            self.ssa.jmp(cont)

    def s_Break(self, s) -> None:
        self.ssa.jmp(self.loops[s.target][0])

    def s_Continue(self, s) -> None:
        self.ssa.jmp(self.loops[s.target][1])

    # ------------------------------------------------------------ for
    def s_For(self, s) -> None:
        if type(s.iterable) is ast.RangeSpec:
            self.for_range(s, s.iterable)
            return
        seq = self.value(s.iterable)
        if isinstance(seq.type, I.Array):
            self.for_array(s, seq)
        else:
            self.for_iterator(s, seq)

    def bind_targets(self, s, value) -> None:
        """Declare the loop variables of one iteration (destructuring several)."""
        if len(s.targets) == 1:
            self.declare(self.loop_key(s), value)
        else:
            self.destructure(value, s.targets, s.targets[0].span)

    def loop_key(self, s):
        t = s.targets[0]
        return t.sym if t.sym is not None else ("for", s)

    def for_range(self, s, r) -> None:
        start = self.value(r.start)
        end = self.value(r.end)
        ty = start.type
        loc = self.loc(s.kw_span)
        step = self.value(r.step) if r.step is not None else self.const(ty, 1)
        if r.step is not None and not _literal(r.step):
            self.check_step(step, s.kw_span)
        sign = self.step_sign(r, step)
        limit = self.step_limit(sign, step, loc) if sign in (1, -1) else None
        header, body, exit_ = self.new_block(ty), self.new_block(), self.new_block()
        latch = self.new_block()
        self.ssa.jmp(header, start)
        self.position(header)
        cur = header.params[0]
        self.range_test(r, sign, cur, end, body, exit_)
        self.ssa.seal(body)
        self.position(body)
        self.declare(self.loop_key(s), cur)
        self.loop_body(s, body, exit_, latch)
        self.ssa.seal(latch)
        if self.join(latch):
            v = self.read(self.loop_key(s), s.kw_span)
            self.range_advance(sign, limit, v, step, header, exit_, loc)
        self.ssa.seal(header)
        if not self.join(exit_):
            raise Dead()

    def check_step(self, step, span) -> None:
        zero = self.emit("eq", [step, self.const(step.type, 0)])
        bad, ok = self.new_block(), self.new_block()
        self.ssa.br(zero, bad, ok)
        self.ssa.seal(bad)
        self.ssa.seal(ok)
        self.position(bad)
        self.trap("value error", "Range step cannot be zero", span)
        self.position(ok)

    def step_sign(self, r, step):
        """+1 / -1 when known at compile time, else a bool value `step < 0`."""
        if r.step is None or not I.is_signed(step.type):
            return 1
        if _literal(r.step):
            return -1 if r.step.value < 0 else 1
        return self.emit("lt", [step, self.const(step.type, 0)])

    def step_limit(self, sign, step, loc):
        """The last value that may still advance: MAX - step (up) or MIN - step (down);
        neither subtraction can overflow for a step of that sign."""
        lo, hi = _LIMITS[step.type.name]
        bound = self.const(step.type, hi if sign == 1 else lo)
        return self.emit("sub", [bound, step], loc=loc, type=step.type)

    def range_test(self, r, sign, cur, end, body, exit_) -> None:
        up, down = ("le", "ge") if r.inclusive else ("lt", "gt")
        if sign in (1, -1):
            c = self.emit(up if sign == 1 else down, [cur, end])
            self.ssa.br(c, body, exit_)
            return
        self.two_way(sign, lambda: self.emit(down, [cur, end]),
                     lambda: self.emit(up, [cur, end]), body, exit_)

    def range_advance(self, sign, limit, v, step, header, exit_, loc) -> None:
        """Leave when `v + step` would leave the type's range, else go round with it."""
        cont = self.new_block()
        if sign in (1, -1):
            self.ssa.br(self.emit("gt" if sign == 1 else "lt", [v, limit]), exit_, cont)
        else:
            self.two_way(sign, lambda: self.emit("lt", [v, self.step_limit(-1, step, loc)]),
                         lambda: self.emit("gt", [v, self.step_limit(1, step, loc)]), exit_, cont)
        self.ssa.seal(cont)
        self.position(cont)
        nxt = self.emit("add", [v, step], loc=loc, type=v.type)
        self.ssa.jmp(header, nxt)

    def two_way(self, cond, if_true, if_false, yes, no) -> None:
        """Branch to yes/no on `if_true()` when cond holds, else on `if_false()`."""
        a, b = self.new_block(), self.new_block()
        self.ssa.br(cond, a, b)
        for block, make in ((a, if_true), (b, if_false)):
            self.ssa.seal(block)
            self.position(block)
            self.ssa.br(make(), yes, no)

    def for_array(self, s, seq) -> None:
        """Visit elements by index, re-reading the length before each (spec 2.6)."""
        loc = self.loc(s.kw_span)
        header, body, exit_ = self.new_block(I.I32), self.new_block(), self.new_block()
        latch = self.new_block()
        self.ssa.jmp(header, self.const(I.I32, 0))
        self.position(header)
        idx = header.params[0]
        n = self.emit("array.len", [seq])
        self.ssa.br(self.emit("lt", [idx, n]), body, exit_)
        self.ssa.seal(body)
        self.position(body)
        self.bind_targets(s, self.emit("array.get", [seq, idx], loc=loc))
        self.loop_body(s, body, exit_, latch)
        self.ssa.seal(latch)
        if self.join(latch):
            self.ssa.jmp(header, self.emit("add", [idx, self.const(I.I32, 1)], loc=loc, type=I.I32))
        self.ssa.seal(header)
        if not self.join(exit_):
            raise Dead()

    def for_iterator(self, s, it) -> None:
        """A range iterator (spec 5.5): consumed as it is walked."""
        loc = self.loc(s.kw_span)
        header, body, exit_ = self.new_block(), self.new_block(), self.new_block()
        self.ssa.jmp(header)
        self.position(header)
        has = self.emit("call.rt", [it], loc=loc, type=I.BOOL, fn="range_has")
        self.ssa.br(has, body, exit_)
        self.ssa.seal(body)
        self.position(body)
        v = self.emit("call.rt", [it], loc=loc, type=I.I64, fn="range_next")
        self.bind_targets(s, v)
        self.loop_body(s, body, exit_, header)
        self.ssa.seal(header)
        if not self.join(exit_):
            raise Dead()

    # ------------------------------------------------------------ try
    def s_Try(self, s) -> None:
        outer = self.handler
        pre = self.b.block
        catch = self.new_block(I.ERROR)
        self.ssa.add_virtual_pred(catch, pre)
        self.ssa.seal(catch)
        done = self.new_block()
        self.handler = catch
        try:
            start = self.new_block()
            self.ssa.jmp(start)
            self.ssa.seal(start)
            self.position(start)
            self.stmts(s.body.stmts)
            if not self.b.terminated:
                self.ssa.jmp(done)
        finally:
            self.handler = outer
        self.position(catch)
        if s.catch_sym is not None:
            self.declare(s.catch_sym, catch.params[0])
        self.stmts(s.handler.stmts)
        if not self.b.terminated:
            self.ssa.jmp(done)
        if not self.join(done):
            raise Dead()


def _literal(e) -> bool:
    return type(e) is ast.IntLit
