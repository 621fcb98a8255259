"""CFG -> Python control flow for one function: structured `while`/`if`, or a dispatch loop.

Structured layout (dominator-tree based, after Ramsey's "Beyond Relooper",
adapted to Python, which has `while`, `if`, `continue` and `break` but neither
labelled blocks nor goto):
  1. Compute the dominator tree, back edges (p -> h where h dominates p), loop
     headers and each header's natural loop; a block's *forward* predecessors
     are those that are not back-edge sources.
  2. `gen(x, follow)` emits x and the blocks it dominates; when that code falls
     off its end, control must reach `follow`. A loop header becomes
     `while True:` around its body (whose own follow is the header, so falling
     off the end loops); the header's dominator-tree children outside the loop
     come after the `while`, in reverse postorder, and are reached by `break`.
     Other children with several forward predecessors (merge points) are
     emitted after x in reverse postorder, each falling through to the next.
  3. A jump to block s is, in this order: `continue` (s is the innermost loop's
     header), nothing (s is the follow: the jump is in tail position),
     `break` (s comes right after the innermost loop), `raise Goto_bN` (s is a
     handler shared by several blocks: it sits in the `except Goto_bN:` of a
     `try` around the code that can reach it), s's code inlined (s has that
     single forward predecessor and no other place), or, for a labelled
     continue/break out of several loops, raising that loop's goto exception
     (caught by a `try` around its body / around the whole loop; exceptions
     are cheap to set up in CPython 3.11 and such jumps are rare).
  4. A jump past a merge point m (not in tail position) raises `Unstructured(m)`;
     `layout` then retries with m in `need_block`: the code before m is wrapped
     in a one-shot `while True: ... break` (Wasm's `block`), so the jump is a
     `break`. Only irreducible flow (or a jump this cannot express) falls back
     to the dispatch layout.
Counted loops (counted.py) are a loop header laid out as `for i in range(...):`
with the header's exit arm in the `for`'s `else:`; the block that tested for
overflow and stepped i becomes the jump back (`continue`). Entering a loop
records what the loop keeps true of its parameters (counted.induction_bounds,
and the `range` for a counted loop) in `cx.bounds`, so the body's emitters
can drop overflow and negative-index checks.
Dispatch layout (the fallback): `while True:` over `if _b == N:` arms, a jump
assigns the target's parameters and `_b` and `continue`s.

Both layouts share `block_code`: a block's instructions, its terminator, and,
for a block with a handler, `try: <instructions> except Exception as _e:
<handler param> = to_orus(_e); <jump to handler> else: <terminator>`.
Block parameters are plain locals assigned in parallel at each jump.
"""

from __future__ import annotations

from orus.ir.dominance import DomTree, predecessors
from orus.ir.func import Block, Function, Target

from orus.backend.interp.counted import CountedLoop, find_counted_loops, induction_bounds
from orus.backend.interp.emit import CONTROL, EMITTERS, indent, branch_bounds, interval


class Unstructured(Exception):
    """The structured layout cannot express a jump (to `block`); the caller falls back to dispatch."""

    def __init__(self, block):
        super().__init__(f"cannot reach b{block.id}" if block is not None else "unstructured")
        self.block = block


def _tag(lines: list, instr) -> list:
    return [s if isinstance(s, tuple) else (s, instr) for s in lines]


def ends_flow(lines: list) -> bool:
    """True when the last top-level line transfers control (so nothing after it runs)."""
    if not lines:
        return False
    last = lines[-1][0] if isinstance(lines[-1], tuple) else lines[-1]
    return last.startswith(("return", "raise ", "continue", "break"))


def moves(cx, t: Target) -> list:
    """Parallel assignment of a jump's arguments to the target block's parameters."""
    pairs = [(cx.val(p), cx.val(a)) for p, a in zip(t.block.params, t.args) if cx.val(p) != cx.val(a)]
    if not pairs:
        return []
    return [f"{', '.join(p for p, _ in pairs)} = {', '.join(a for _, a in pairs)}"]


def block_code(cx, b: Block, jump) -> list:
    """Python lines (tagged with their instruction) for one block; `jump(Target)` renders edges."""
    body = []
    for ins in b.instrs[:-1]:
        if ins not in cx.skip:
            body += _tag(EMITTERS[ins.name](cx, ins), ins)
    term = b.instrs[-1]
    emitter = EMITTERS[term.name]
    tail = _tag(emitter(cx, term, jump) if term.name in CONTROL else emitter(cx, term), term)
    if b.handler is None or not any(i.op.may_fail(i) for i in b.instrs):
        return body + tail
    if term.op.may_fail(term):
        body, tail = body + tail, []
    param = cx.val(b.handler.params[0])
    catch = [f"{param} = {cx.bind(cx.env.to_orus, 'to_orus')}(_e)"] + jump(Target(b.handler, []))
    lines = ["try:"] + indent(body or ["pass"]) + ["except Exception as _e:"] + indent(catch)
    return lines + (["else:"] + indent(tail) if tail and not ends_flow(catch) else tail)


def dispatch_layout(cx, fn: Function, blocks: list[Block]) -> list:
    """The fallback: a `while True` loop over `if _b == N` arms."""
    def jump(t: Target) -> list:
        return moves(cx, t) + [f"_b = {t.block.id}", "continue"]
    lines = [f"_b = {fn.entry.id}", "while True:"]
    for k, b in enumerate(blocks):
        head = "if" if k == 0 else "elif"
        lines += indent([f"{head} _b == {b.id}:"] + indent(block_code(cx, b, jump)))
    return lines


class Structurer:
    """The structured layout of one function (module docstring, steps 1-3)."""

    def __init__(self, cx, fn: Function):
        self.cx, self.fn = cx, fn
        self.dom = DomTree(fn.entry, lambda b: b.successors())
        self.rpo = {b: k for k, b in enumerate(self.dom.order)}
        preds = self.preds = predecessors(fn)
        self.fwd = {b: [p for p in preds[b] if p in self.rpo and not self.dom.dominates(b, p)]
                    for b in self.rpo}
        self.loops = {b: self._natural_loop(b, [p for p in preds[b] if p in self.rpo and p not in self.fwd[b]])
                      for b in self.rpo if len(self.fwd[b]) != len([p for p in preds[b] if p in self.rpo])}
        self.counted, self.latches = find_counted_loops(fn, self.loops, preds)
        self.placed: set[Block] = set()
        self.need_block: set[Block] = set()
        self.gotos: dict[Block, type] = {}

    def _natural_loop(self, header: Block, sources: list[Block]) -> set[Block]:
        body, work = {header}, list(sources)
        preds = predecessors(self.fn)
        while work:
            b = work.pop()
            if b not in body:
                body.add(b)
                work.extend(p for p in preds[b] if p in self.rpo)
        return body

    def layout(self) -> list:
        """Lay out the function; a merge point reached by a non-tail jump gets a one-shot block and we retry."""
        while True:
            self.placed = set()
            try:
                return self.gen(self.fn.entry, None, [])
            except Unstructured as u:
                if u.block is None or u.block in self.need_block or len(self.fwd[u.block]) < 2:
                    raise
                self.need_block.add(u.block)

    def _children(self, x: Block) -> list[Block]:
        return sorted(self.dom.children(x), key=self.rpo.__getitem__)

    def _is_handler_merge(self, b: Block) -> bool:
        """Several blocks send their errors to b, and nothing jumps to it."""
        return len(self.fwd[b]) > 1 and all(
            p.handler is b and all(t.block is not b for t in p.terminator.targets) for p in self.fwd[b])

    def gen(self, x: Block, follow, loops: list) -> list:
        def code_of_x(f, lp: list) -> list:
            return block_code(self.cx, x, lambda t: self.jump(t, f, lp, x))
        if x in self.latches:       # a counted loop's overflow test and step: the `for` does both
            return self._latch(x, follow, loops)
        if x in self.counted:
            code_of_x = self._counted_body(self.counted[x])
        if x not in self.loops:
            return self._sequence(code_of_x, [c for c in self._children(x) if len(self.fwd[c]) > 1],
                                  follow, loops)
        body = self.loops[x]
        inside = [c for c in self._children(x) if c in body and len(self.fwd[c]) > 1]

        def loop(f, lp: list) -> list:      # f: where a `break` goes
            frame = Frame(self.cx, x, f)
            self.cx.bounds.update(induction_bounds(x, self.preds[x], body, lambda v: interval(self.cx, v)))
            head = self._for_head(self.counted[x]) if x in self.counted else "while True:"
            code = self._sequence(code_of_x, inside, x, lp + [frame])
            if x not in self.counted:
                return frame.wrap([head] + indent(frame.wrap_body(code)))
            done = self.jump(self.counted[x].exit, f, lp, x)
            return frame.wrap([head] + indent(frame.wrap_body(code)) + (["else:"] + indent(done) if done else []))
        return self._sequence(loop, [c for c in self._children(x) if c not in body], follow, loops)

    def _latch(self, x: Block, follow, loops: list) -> list:
        """P (compare and branch) becomes the jump back; S keeps its code but neither its step nor the
        step's argument to the header (counted.py)."""
        keep = self.latches[x]
        if x.terminator.name == "br":
            return self.jump(keep, follow, loops, x)
        self.cx.skip.add(x.instrs[-2])
        # only the back edge becomes `keep`: the edge to x's handler (block_code's except
        # arm) stays itself, or an error in the body would `continue` the loop
        return block_code(self.cx, x, lambda t: self.jump(keep if t.block is keep.block else t, follow, loops, x))

    def _counted_body(self, c: CountedLoop):
        """The code of a counted loop's body: its header's true arm (the `for` does the test)."""
        def code(f, lp: list) -> list:
            return self.jump(c.body, f, lp, c.header)
        return code

    def _for_head(self, c: CountedLoop) -> str:
        """`for iv in range(iv, stop, step):`, recording the interval iv stays in."""
        iv, bound = self.cx.val(c.iv), self.cx.val(c.bound)
        k = c.header.params.index(c.iv)
        starts = [interval(self.cx, t.args[k]) for p in self.fwd[c.header]
                  for t in p.terminator.targets if t.block is c.header]
        blo, bhi = interval(self.cx, c.bound)
        if starts and c.step > 0:
            lo, hi = min(s[0] for s in starts), bhi - 1 + c.stop_offset
        elif starts:
            lo, hi = blo + 1 + c.stop_offset, max(s[1] for s in starts)
        if starts and lo <= hi:
            self.cx.bounds[c.iv] = (lo, hi)
        stop = f"{bound} {'+' if c.stop_offset > 0 else '-'} 1" if c.stop_offset else bound
        step = f", {c.step}" if c.step != 1 else ""
        return f"for {iv} in range({iv}, {stop}{step}):"

    def _sequence(self, first, merges: list[Block], follow, loops: list) -> list:
        """`first(follow, loops)`'s code, then the merges in reverse postorder (module docstring, step 2).

        A handler merge sits beside the code before it (`try: <before> except
        Goto_bN: <handler>`) rather than after it; a merge in `need_block` wraps
        the code before it in a one-shot `while True: ... break` so jumps to it
        from anywhere inside are `break`s.
        """
        self.placed.update(merges)
        follows = [next((m for m in merges[k:] if not self._is_handler_merge(m)), follow)
                   for k in range(len(merges) + 1)]
        frames = {m: Frame(self.cx, None, m) for m in merges if m in self.need_block}

        def context(k: int) -> list:
            return loops + [frames[m] for m in reversed(merges[k:]) if m in frames]

        lines = first(follows[0], context(0))
        for k, m in enumerate(merges, 1):
            code = self.gen(m, follows[k], context(k))
            if self._is_handler_merge(m):
                lines = ["try:"] + indent(lines) + [f"except {self._goto(m)}:"] + indent(code or ["pass"])
            elif m in frames:
                tail = [] if ends_flow(lines) else ["break"]
                lines = frames[m].wrap(["while True:"] + indent(lines + tail)) + code
            else:
                lines += code
        return lines

    def _refined(self, source: Block, t: Target, make) -> list:
        """`make()` with the bounds that hold on this branch arm (s has no other way in)."""
        term = source.terminator
        if term.name != "br" or term.targets[0].block is term.targets[1].block:
            return make()
        arm = 0 if term.targets[0] is t else 1
        refined = branch_bounds(self.cx, term, arm)
        saved = {v: self.cx.bounds.get(v) for v in refined}
        self.cx.bounds.update(refined)
        try:
            return make()
        finally:
            for v, old in saved.items():
                if old is None:
                    del self.cx.bounds[v]
                else:
                    self.cx.bounds[v] = old

    def _goto(self, handler: Block) -> str:
        """The exception class that carries control to a handler merge (one per block)."""
        if handler not in self.gotos:
            self.gotos[handler] = type(f"Goto_b{handler.id}", (Exception,), {})
        return self.cx.bind(self.gotos[handler], f"goto_b{handler.id}")

    def jump(self, t: Target, follow, loops: list, source: Block) -> list:
        s, mv = t.block, moves(self.cx, t)
        if loops and s is loops[-1].header:
            return mv + ["continue"]
        if s is follow:
            return mv
        if loops and s is loops[-1].brk:
            return mv + ["break"]
        if self._is_handler_merge(s) and not t.args and self.rpo[source] < self.rpo[s]:
            # the source precedes s, so it lies in the code the `try` for s wraps (an edge
            # from a block after s is a back edge, a continue, or irreducible flow)
            return [f"raise {self._goto(s)}"]
        if s not in self.placed and len(self.fwd[s]) == 1:
            self.placed.add(s)
            return mv + self._refined(source, t, lambda: self.gen(s, follow, loops))
        for frame in reversed(loops[:-1]):      # a labelled continue / break out of several loops
            if s is frame.header or s is frame.brk:
                return mv + [f"raise {frame.goto(s is frame.header)}"]
        raise Unstructured(s)


class Frame:
    """An enclosing Python `while True`: a real loop (header set) or a one-shot block (header None).

    `continue` / `break` reach it only from its own body; from deeper loops a
    jump raises one of its goto exceptions, and `wrap_body` / `wrap` add the
    matching `try`: around the loop's body (continue) or the whole loop (break).
    """

    def __init__(self, cx, header, brk):
        self.cx, self.header, self.brk = cx, header, brk
        self.exits: dict[bool, str] = {}       # is_continue -> bound name of its goto exception

    def goto(self, is_continue: bool) -> str:
        if is_continue not in self.exits:
            exc = type("GotoContinue" if is_continue else "GotoBreak", (Exception,), {})
            self.exits[is_continue] = self.cx.bind(exc, "goto")
        return self.exits[is_continue]

    def _wrapped(self, lines: list, is_continue: bool) -> list:
        name = self.exits.get(is_continue)
        if name is None:
            return lines
        return ["try:"] + indent(lines) + [f"except {name}:", "    pass"]

    def wrap_body(self, lines: list) -> list:
        return self._wrapped(lines, True)

    def wrap(self, lines: list) -> list:
        return self._wrapped(lines, False)
