"""How the string concatenations of a function are emitted: chains, and appends in place.

Purpose: `s = s + piece` in a loop copies the whole string at every step (quadratic).
When the compiler can prove that nothing but `s` refers to the string, the new bytes
can be written into spare room after it instead (amortised doubling, as CPython does
for a string whose reference count is one); strings stay immutable to the program.

Chains (as tier 0): a concat whose result is used only by a later concat of its own
block is *deferred*; the last concat of a chain `((s + x) + y) + z` makes one string of
all its pieces. `ConcatPlan.pieces[id(last)]` lists them; pieces[0] is the chain's head.

Ownership (`ConcatPlan.owned`, value ids): the largest set W of string values such
that, for each v in W,
  * v is a chain's result (a fresh string), or a block parameter whose incoming values
    are in W or string constants (static: never written, the runtime copies them);
  * every use of v is: the head of a chain (consuming: the chain may write after v's
    bytes); a jump argument of a parameter in W (consuming: the string lives on under
    the parameter); or a use that keeps no reference (another piece of a chain,
    str.get, str.len, a comparison, print, ret);
  * after a consuming use of v, no use of v can follow before v is defined anew (no
    read sees bytes appended later, no string is appended to twice), and no jump
    passes v to two parameters at once.
Then each string held by a value of W is referred to by that value alone, so the chain
whose head is in W may append in place (ops_data.py, runtime `orus_str_reserve`).

Invariants: parameters of the entry block and of exception handlers are never in W
(their values do not come from jump arguments of this function).
"""

from __future__ import annotations

from collections import Counter

from orus.ir import types as T
from orus.ir.func import Block, Function, Instr, Value

# Ops whose string operands are only read, never kept.
_READS = frozenset({"str.get", "str.len", "eq", "ne", "lt", "le", "gt", "ge", "print", "ret"})


class ConcatPlan:
    """The chains and the owned values of one function (see the module docstring)."""

    def __init__(self, fn: Function):
        self.deferred: set[int] = set()                 # id(concat) of the links before a chain's last
        self.links: set[int] = set()                    # their results' value ids
        self.pieces: dict[int, list[Value]] = {}        # id(last concat) -> its pieces
        self._end: dict[int, Instr] = {}                # id(concat) -> the last concat of its chain
        self._chains(fn)
        self.owned: set[int] = _Ownership(fn, self).owned()

    def appends_in_place(self, last: Instr) -> bool:
        """True when the chain ending at `last` may write after its head's bytes."""
        return self.pieces[id(last)][0].id in self.owned

    def _chains(self, fn: Function) -> None:
        uses: Counter = Counter()
        for blk in fn.blocks:
            for instr in blk.instrs:
                uses.update(a.id for a in instr.args)
                for t in instr.targets:
                    uses.update(a.id for a in t.args)
        for blk in fn.blocks:
            user: dict[int, Instr] = {}                 # value id -> a concat of this block using it
            for instr in blk.instrs:
                if instr.name == "str.concat":
                    user.update((a.id, instr) for a in instr.args)
            links: dict[int, tuple[list[Value], list[Instr]]] = {}   # deferred result -> pieces, links
            for instr in blk.instrs:
                if instr.name != "str.concat":
                    continue
                pieces, members = [], [instr]
                for a in instr.args:
                    got = links.pop(a.id, None)
                    if got is None:
                        pieces.append(a)
                    else:
                        pieces += got[0]
                        members += got[1]
                r = instr.result.id
                if uses[r] == 1 and user.get(r) is not None and user[r] is not instr:
                    self.deferred.add(id(instr))
                    self.links.add(r)
                    links[r] = (pieces, members)
                else:
                    self.pieces[id(instr)] = pieces
                    self._end.update((id(m), instr) for m in members)


class _Use:
    """One use of a value: where (block, position of the instruction that acts), and how."""

    __slots__ = ("block", "pos", "kind", "param")

    def __init__(self, block: Block, pos: int, kind: str, param: Value | None = None):
        self.block, self.pos, self.kind, self.param = block, pos, kind, param


class _Ownership:
    def __init__(self, fn: Function, plan: ConcatPlan):
        self.plan = plan
        self.uses: dict[int, list[_Use]] = {}
        self.incoming: dict[int, list[Value]] = {}
        self.def_block: dict[int, Block] = {}
        self.const_str: set[int] = set()
        self.candidates: dict[int, Value] = {}
        self.twice: set[int] = set()                    # values one jump passes to two parameters
        handlers = {id(b.handler) for b in fn.blocks if b.handler is not None}
        for n, blk in enumerate(fn.blocks):
            for p in blk.params:
                self.def_block[p.id] = blk
                if p.type == T.STR and n > 0 and id(blk) not in handlers:
                    self.candidates[p.id] = p
            positions = {id(instr): pos for pos, instr in enumerate(blk.instrs)}
            for pos, instr in enumerate(blk.instrs):
                self._scan(blk, pos, instr, positions)

    def _use(self, v: Value, use: _Use) -> None:
        self.uses.setdefault(v.id, []).append(use)

    def _scan(self, blk: Block, pos: int, instr: Instr, positions: dict[int, int]) -> None:
        if instr.result is not None:
            self.def_block[instr.result.id] = blk
        name = instr.name
        if name == "const" and instr.result.type == T.STR:
            self.const_str.add(instr.result.id)
        elif name == "str.concat":
            last = self.plan._end[id(instr)]
            at = positions[id(last)]
            if instr is last:
                self.candidates[instr.result.id] = instr.result
            head = self.plan.pieces[id(last)][0]
            for k, a in enumerate(instr.args):
                if a.id not in self.plan.links:         # a link is this chain's own, not a use
                    # (`s + (s + y)` counts s as a head twice: stricter, never wrong)
                    self._use(a, _Use(blk, at, "head" if k == 0 and a is head else "read"))
            return
        kind = "read" if name in _READS else "keep"
        for a in instr.args:
            self._use(a, _Use(blk, pos, kind))
        for t in instr.targets:
            seen: set[int] = set()
            for a, p in zip(t.args, t.block.params):
                if a.id in seen:
                    self.twice.add(a.id)
                seen.add(a.id)
                self._use(a, _Use(blk, pos, "jump", p))
                self.incoming.setdefault(p.id, []).append(a)

    def owned(self) -> set[int]:
        owned = {vid for vid, v in self.candidates.items()
                 if vid not in self.twice and self._ordered(v)}
        changed = True
        while changed:
            changed = False
            for vid in list(owned):
                ok = all(u.kind in ("head", "read") or u.kind == "jump" and u.param.id in owned
                         for u in self.uses.get(vid, ()))
                if ok and vid in self.incoming:
                    ok = all(a.id in owned or a.id in self.const_str for a in self.incoming[vid])
                if not ok:
                    owned.discard(vid)
                    changed = True
        return owned

    def _ordered(self, v: Value) -> bool:
        """No use of v follows one of its consuming uses before v is defined anew."""
        uses = self.uses.get(v.id, ())
        home = self.def_block[v.id]
        for c in uses:
            if c.kind not in ("head", "jump"):
                continue
            if any(u.block is c.block and u.pos > c.pos for u in uses):
                return False
            touched = {id(u.block) for u in uses}
            seen: set[int] = set()
            work = list(c.block.successors())
            while work:
                b = work.pop()
                if id(b) in seen or b is home:
                    continue
                seen.add(id(b))
                if id(b) in touched:
                    return False
                work.extend(b.successors())
        return True
