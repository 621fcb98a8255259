"""Counted loops: IR range loops that tier 0 can run as a Python `for i in range(...)`.

irgen lowers `for i in a..b` (spec 2.6, D29) to
    H(i, acc...):  c = lt i, b             ; le for ..=, gt / ge for a negative step
                   br c, BODY, X(exit...)
    P:             d = gt i, MAX - step    ; lt i, MIN - step when step < 0
                   br d, X(exit'...), S    ; leave when i + step would overflow
    S:             n = add i, step
                   jmp H(n, acc'...)
`find_counted_loops` recognises that shape and proves it equal to
`for i in range(i, b, step): BODY` with P replaced by `acc... = acc'...;
continue` and the header's exit arm in the `for`'s `else:`. Why it is equal:
  - the bound b is defined outside the loop, so `range` may read it once;
  - i only changes through S (it is a block parameter and every back edge is an
    S), so the `for` variable is always the header parameter's value;
  - when P leaves, i + step lies outside the type's range and hence beyond b,
    so `range` ends too; P's exit arguments must be the header's exit arguments
    with the back edge's values substituted (the `else:` arm then passes the
    same values), and must go to the same block X;
  - i is not used outside the loop, nor passed by the exit arm: after a `for`,
    Python leaves the last value in it, not the one that failed the test.
A `while i < n:` loop whose body ends with `i += 1` has the same shape without P,
and then S may hold other instructions before the step (the structurer skips
the step and renders the jump back as `continue`).
P and S have no other instructions, their compares feed only their branch, and
the step is a literal whose sign agrees with the compare. When irgen leaves P
out (the bound is a literal far enough from the type's limit), S is the latch,
and the bound must show that `i + step` cannot overflow.
"""

from __future__ import annotations

from dataclasses import dataclass

from orus.ir import types as T
from orus.ir.func import Block, Function, Instr, Target, Value
from orus.semantics import ints

_UP, _DOWN = {"lt": 0, "le": 1}, {"gt": 0, "ge": -1}     # compare -> offset added to the `range` stop


@dataclass
class CountedLoop:
    header: Block
    iv: Value                 # the induction variable: a parameter of the header
    bound: Value
    stop_offset: int          # 1 for `le`, -1 for `ge`, else 0
    step: int
    body: Target              # the header's true arm
    exit: Target              # the header's false arm


def _const_int(v: Value):
    """v's value when it is a literal or a `sub` of two literals (how irgen spells MAX - step), else None."""
    d = v.defn
    if not isinstance(d, Instr):
        return None
    if d.name == "const" and isinstance(d.attrs["value"], int) and not isinstance(d.attrs["value"], bool):
        return d.attrs["value"]
    if d.name == "sub":
        a, b = _const_int(d.args[0]), _const_int(d.args[1])
        return a - b if a is not None and b is not None else None
    return None


def _cannot_overflow(loop: CountedLoop, step: int) -> bool:
    """With no overflow test before the step, `iv + step` must provably fit: an exclusive
    bound with a step of 1 (or -1) does (iv < bound <= MAX), and so does a literal bound
    when the last value that passes the header's test plus the step is in the type's range."""
    if loop.stop_offset == 0 and step in (1, -1):
        return True
    bound = _const_int(loop.bound)
    if bound is None:
        return False
    lo, hi = ints.bounds(loop.iv.type.name)
    last = bound - 1 + loop.stop_offset if step > 0 else bound + 1 + loop.stop_offset
    return lo <= last + step <= hi


def _use_counts(fn: Function) -> dict:
    uses: dict = {}
    for instr in fn.instructions():
        for v in instr.args + [a for t in instr.targets for a in t.args]:
            uses[v] = uses.get(v, 0) + 1
    return uses


def _compare_branch(b: Block, uses: dict):
    """(compare, br) when b is exactly `c = CMP x, y; br c, ...` and c has no other use."""
    if len(b.instrs) != 2:
        return None
    cmp, br = b.instrs
    if br.name != "br" or cmp.result is None or br.args[0] is not cmp.result or uses.get(cmp.result) != 1:
        return None
    return cmp, br


def _defined_outside(v: Value, body: set) -> bool:
    d = v.defn
    block = d.block if isinstance(d, Instr) else d
    return block is not None and block not in body


class _Finder:
    def __init__(self, fn: Function, preds: dict, uses: dict):
        self.fn, self.preds, self.uses = fn, preds, uses

    def header(self, h: Block, body: set):
        """The CountedLoop headed by h, or None."""
        found = _compare_branch(h, self.uses)
        if found is None:
            return None
        cmp, br = found
        if cmp.name not in _UP and cmp.name not in _DOWN:
            return None
        iv, bound = cmp.args
        if iv not in h.params or not T.is_int(iv.type) or not _defined_outside(bound, body):
            return None
        body_t, exit_t = br.targets
        if body_t.block not in body or exit_t.block in body or body_t.block is h:
            return None
        loop = CountedLoop(h, iv, bound, {**_UP, **_DOWN}[cmp.name], 0, body_t, exit_t)
        if iv in exit_t.args or not self._local(iv, body):
            return None
        return loop if self._back_edges(loop, body) else None

    def _back_edges(self, loop: CountedLoop, body: set) -> bool:
        """Every back edge is an S after a P (module docstring); fills loop.step and self.latches."""
        latches = []
        for s in (p for p in self.preds[loop.header] if p in body):
            latch = self._latch(loop, s)
            if latch is None:
                return False
            latches.append(latch)
        if not latches or len({step for _, _, step in latches}) != 1:
            return False
        loop.step = latches[0][2]
        up = loop.header.instrs[0].name in _UP
        if (loop.step > 0) != up:
            return False
        self.latches = [(p, t) for p, t, _ in latches]
        return True

    def _latch(self, loop: CountedLoop, s: Block):
        """(P or S, back-edge target keeping iv, step) when s is an S reached only from a P,
        or an S (possibly with other instructions before its step) that needs no P."""
        if len(s.instrs) < 2:
            return None
        add, jmp = s.instrs[-2:]
        k = loop.header.params.index(loop.iv)
        step = _const_int(add.args[1]) if add.name == "add" else None
        if step is None or step == 0 or add.args[0] is not loop.iv or jmp.name != "jmp" \
                or jmp.targets[0].args[k] is not add.result or self.uses.get(add.result) != 1:
            return None
        back = jmp.targets[0].args
        keep = Target(loop.header, back[:k] + [loop.iv] + back[k + 1:])
        p = self.preds[s][0] if len(self.preds[s]) == 1 and len(s.instrs) == 2 else None
        if p is not None and self._is_guard(loop, p, s, back, step):
            return p, keep, step
        return (s, keep, step) if _cannot_overflow(loop, step) else None

    def _is_guard(self, loop: CountedLoop, p: Block, s: Block, back: list, step: int) -> bool:
        """p is the P before s: it leaves to the loop's exit exactly when iv + step would overflow."""
        found = _compare_branch(p, self.uses)
        if found is None:
            return False
        cmp, br = found
        lo, hi = ints.bounds(loop.iv.type.name)
        limit = hi - step if step > 0 else lo - step
        if cmp.name != ("gt" if step > 0 else "lt") or cmp.args[0] is not loop.iv \
                or _const_int(cmp.args[1]) != limit:
            return False
        leave, go = br.targets
        if go.block is not s or go.args or leave.block is not loop.exit.block:
            return False
        subst = dict(zip(loop.header.params, back))
        return [subst.get(a, a) for a in loop.exit.args] == list(leave.args)

    def _local(self, iv: Value, body: set) -> bool:
        """iv has no use outside the loop."""
        for b in self.fn.blocks:
            if b in body:
                continue
            for i in b.instrs:
                if iv in i.args or any(iv in t.args for t in i.targets):
                    return False
        return True


def find_counted_loops(fn: Function, loops: dict, preds: dict) -> tuple[dict, dict]:
    """({header: CountedLoop}, {P or S: back-edge Target}) for the natural loops `loops` (header -> body)."""
    finder = _Finder(fn, preds, _use_counts(fn))
    counted, latches = {}, {}
    for h, body in loops.items():
        loop = finder.header(h, body)
        if loop is not None:
            counted[h] = loop
            latches.update(finder.latches)
    return counted, latches


def _direction(p: Value, v: Value, interval) -> int | None:
    """+1 / -1 when v is p plus / minus something non-negative, 0 when v is p, else None."""
    if v is p:
        return 0
    d = v.defn
    if not isinstance(d, Instr) or d.name not in ("add", "sub") or d.args[0] is not p:
        return None
    c = _const_int(d.args[1])
    lo, hi = (c, c) if c is not None else interval(d.args[1])
    sign = 1 if d.name == "add" else -1
    if lo >= 0:
        return sign
    return -sign if hi <= 0 else None


def induction_bounds(header: Block, preds: list, body: set, interval) -> dict:
    """Intervals of the header's signed parameters that only grow (or only shrink) round the loop.

    A parameter whose every back-edge argument is itself plus (minus) a
    non-negative amount never drops below (rises above) its smallest (largest)
    entry value: a checked signed add traps rather than wraps. `interval(v)` is
    what is known of v where the loop starts.
    """
    out = {}
    for k, p in enumerate(header.params):
        if not T.is_signed(p.type):
            continue
        entries = [interval(t.args[k]) for q in preds if q not in body
                   for t in q.terminator.targets if t.block is header]
        ways = {_direction(p, t.args[k], interval) for q in preds if q in body
                for t in q.terminator.targets if t.block is header}
        if not entries or None in ways or (1 in ways and -1 in ways):
            continue
        lo, hi = ints.bounds(p.type.name)
        if 1 not in ways:
            hi = max(e[1] for e in entries)
        if -1 not in ways:
            lo = min(e[0] for e in entries)
        out[p] = (lo, hi)
    return out
