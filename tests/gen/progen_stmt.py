"""Typed random statements: `StmtGen.block(ctx, n)` appends n statements to `out`.

Each statement generator checks what it needs in the environment (a mutable
variable, an enclosing loop, a function's return type), emits its lines at the
context's indentation and updates the environment (declarations enter the
innermost scope; every body opens a scope, spec 2.2).

Termination: `while` loops count a fresh counter that the generator never assigns
elsewhere and that is incremented first thing in the body (so `continue` cannot
skip it); ranges are literal and short; at most two loops nest; `for v in xs`
bodies never `push` (a pushed element would be visited, spec 2.6).
Failing operations only appear in `try` bodies (see progen_risky).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from .progen_env import FN_I32, NUMERIC, Env, is_array, is_int
from .progen_expr import ExprGen
from .progen_misc import Misc
from .progen_risky import Risky

INT_SPECS = ("@", "@x", "@X", "@o", "@b")
FLOAT_SPECS = ("@", "@.2f", "@.0f", "@.3", "@.1f")


@dataclass(frozen=True)
class Ctx:
    indent: int = 0
    loops: tuple = ()               # labels of the enclosing loops, innermost last (None: no label)
    ret: str | None = None          # return type of the enclosing function (None: top level)
    no_push: bool = False           # inside `for v in array`
    depth: int = 0                  # block nesting

    def inner(self, **changes) -> "Ctx":
        return replace(self, indent=self.indent + 1, depth=self.depth + 1, **changes)


class StmtGen:
    def __init__(self, rng: random.Random, env: Env, out: list[str]):
        self.rng = rng
        self.env = env
        self.out = out
        self.x = ExprGen(rng, env)
        self.risky = Risky(self)
        self.misc = Misc(self)

    # ------------------------------------------------------------ plumbing
    def emit(self, ctx: Ctx, text: str) -> None:
        self.out.append("    " * ctx.indent + text)

    def block(self, ctx: Ctx, n: int) -> None:
        """n statements in a new scope at ctx's indentation (at least one line)."""
        self.env.push()
        for _ in range(max(1, n)):
            self.stmt(ctx)
        self.env.pop()

    def body(self, ctx: Ctx, n: int | None = None) -> None:
        self.block(ctx, self.rng.randint(1, 3) if n is None else n)

    def stmt(self, ctx: Ctx) -> None:
        table = self.table(ctx)
        weights = [w for w, _ in table]
        self.rng.choices([f for _, f in table], weights)[0](ctx)

    def table(self, ctx: Ctx) -> list:
        nest = ctx.depth < 3
        t = [(6, self.declare), (4, self.assign), (4, self.print_plain), (3, self.print_format),
             (2, self.array_ops), (2, self.struct_ops), (1, self.destructure), (1, self.generics),
             (1, self.higher_order), (1, self.recursion), (1, self.match_expr), (2, self.call_stmt),
             (1, self.constant), (1, self.fill), (1, self.nested_fn), (3, self.misc.stmt)]
        if nest:
            t += [(2, self.if_stmt), (2, self.for_range), (2, self.risky.try_catch), (1, self.match_stmt),
                  (1, self.block_binding)]
        if nest and len(ctx.loops) < 2:
            t += [(1, self.while_loop), (1, self.for_array), (1, self.labelled), (1, self.closures)]
        if ctx.loops:
            t.append((2, self.loop_exit))
        if ctx.ret is not None:
            t.append((1, self.early_return))
        return t

    def pick_type(self) -> str:
        return self.rng.choice(self.env.types())

    # ------------------------------------------------------------ simple statements
    def declare(self, ctx: Ctx) -> None:
        t = self.pick_type()
        name = self.env.fresh()
        value = self.x.expr(t, 2)
        r = self.rng.random()
        mut = r < 0.5
        if r < 0.25 or t.startswith("Opt<"):
            self.emit(ctx, f"{'mut ' if mut else ''}{name}: {t} = {value}")
        else:
            self.emit(ctx, f"{'mut ' if mut else ''}{name} = {value}")
        self.env.declare(name, t, assignable=mut)

    def constant(self, ctx: Ctx) -> None:
        """`NAME: T := e` (spec 2.3), sometimes used right away as an array-fill count (spec 4.6)."""
        name = self.env.fresh("C")
        t = self.rng.choice(("i32", "i64", "u32", "f64", "string"))
        if self.rng.random() < 0.5:
            self.emit(ctx, f"{name}: {t} := {self.x.lit.of(t)}")
        else:
            t = "i32"
            self.emit(ctx, f"{name} := {self.rng.randint(0, 4)}")
            arr = self.env.fresh()
            self.emit(ctx, f"{arr} = [{self.x.expr('string', 1)}, {name}]")
            self.env.declare(arr, "[string]")
        self.env.declare(name, t)

    def fill(self, ctx: Ctx) -> None:
        """An array-fill literal `[e, N]` (spec 4.6); never inside a call's parentheses."""
        t = self.rng.choice(("i32", "f64", "string", "[i32]", "bool"))
        name = self.env.fresh()
        self.emit(ctx, f"{name} = [{self.x.expr(t, 1)}, {self.rng.choice(('0', '1', '3', '0x2', '2i64'))}]")
        self.env.declare(name, f"[{t}]")
        self.emit(ctx, f"print(len({name}), {name})")

    def nested_fn(self, ctx: Ctx) -> None:
        """A nested function that reads the variables in scope (spec 2.15, 2.16)."""
        name, q = self.env.fresh("n"), self.env.fresh("q")
        t = self.rng.choice(("i32", "string", "f64"))
        self.emit(ctx, f"fn {name}({q}: {t}) -> {t}:")
        self.env.push()
        self.env.declare(q, t)
        op = "+" if t != "i32" or self.rng.random() < 0.5 else "-"
        self.emit(ctx.inner(), f"return {q} {op} {self.x.expr(t, 1)}")
        self.env.pop()
        self.emit(ctx, f"print({name}({self.x.expr(t, 1)}), {name}({self.x.expr(t, 1)}))")

    def assign(self, ctx: Ctx) -> None:
        targets = [v for v in self.env.visible() if v.assignable]
        if not targets:
            return self.declare(ctx)
        v = self.rng.choice(targets)
        ops = ["="]
        if v.type in NUMERIC:
            ops += ["+=", "-="] + (["*="] if not ctx.loops else []) + ["/=", "%="]
        if v.type == "string":
            ops.append("+=")
        op = self.rng.choice(ops)
        if op in ("/=", "%="):
            value = self.x.lit.nonzero(v.type)
        elif op == "*=":
            value = str(self.rng.randint(0, 3))
        else:
            value = self.x.expr(v.type, 2)
        self.emit(ctx, f"{v.name} {op} {value}")

    def print_plain(self, ctx: Ctx) -> None:
        args = [self.x.expr(self.pick_type(), 1) for _ in range(self.rng.randint(0, 3))]
        self.emit(ctx, "print(" + ", ".join(args) + ")")

    def print_format(self, ctx: Ctx) -> None:
        parts, args = [], []
        for i in range(self.rng.randint(1, 3)):
            t = self.rng.choice(("i32", "i64", "u32", "u64", "f64", "f64", "string", "bool", "[i32]"))
            spec = self.rng.choice(INT_SPECS if is_int(t) else FLOAT_SPECS if t == "f64" else ("@",))
            parts.append(f"{self.rng.choice(('a', 'v', 'x', 'n'))}{i}={spec}")
            args.append(self.x.expr(t, 1))
        if self.rng.random() < 0.3:
            args.append(self.x.expr("i32", 1))          # unconsumed: printed after a space (spec 4.4)
        self.emit(ctx, f'print("{" ".join(parts)}", ' + ", ".join(args) + ")")

    def array_ops(self, ctx: Ctx) -> None:
        arrays = [v for v in self.env.visible() if is_array(v.type)]
        if not arrays:
            return self.declare(ctx)
        a = self.rng.choice(arrays)
        r = self.rng.random()
        if r < 0.35 and not ctx.no_push:
            self.emit(ctx, f"push({a.name}, {self.x.expr(a.type[1:-1], 1)})")
        elif r < 0.6:
            self.emit(ctx, f"if len({a.name}) > 0: print(\"popped\", pop({a.name}))")
        elif r < 0.8:
            self.emit(ctx, f"if len({a.name}) > 1: {a.name}[1] = {self.x.expr(a.type[1:-1], 1)}")
        else:
            self.emit(ctx, f"print(len({a.name}), {a.name})")

    def struct_ops(self, ctx: Ctx) -> None:
        if not self.env.structs:
            return self.print_plain(ctx)
        s = self.env.structs[self.rng.choice(sorted(self.env.structs))]
        a, b = self.env.fresh(), self.env.fresh()
        self.emit(ctx, f"{a} = {self.x.expr(s.name, 1)}")
        self.emit(ctx, f"{b} = {a}")                   # an alias: structs are references (spec 2.11)
        fname, ft, _ = self.rng.choice(s.fields)
        self.emit(ctx, f"{b}.{fname} = {self.x.expr(ft, 1)}")
        self.emit(ctx, f"{a}.bump({self.rng.randint(-5, 5)})")
        self.emit(ctx, f"print({a}.{fname}, {a}.get_a(), {a} == {b}, {b}.describe())")
        self.env.declare(a, s.name)
        self.env.declare(b, s.name)

    def destructure(self, ctx: Ctx) -> None:
        q, r = self.env.fresh(), self.env.fresh()
        if self.rng.random() < 0.5:
            self.emit(ctx, f"{q}, {r} = divmod({self.x.expr('i32', 1)}, {self.x.lit.nonzero('i32')})")
            self.env.declare(q, "i32")
        else:
            self.emit(ctx, f"mut {q}, {r} = [{self.x.expr('i32', 1)}, {self.x.expr('i32', 1)},]")
            self.env.declare(q, "i32", assignable=True)
        self.env.declare(r, "i32")
        self.emit(ctx, f"print({q}, {r})")

    def generics(self, ctx: Ctx) -> None:
        """The generic helpers at several types (spec 3.5)."""
        a = self.x.expr(self.pick_type(), 1)
        b = self.x.expr(self.rng.choice(("i32", "f64", "string", "u64")), 1)
        t = self.pick_type()
        pick = f"g_pick({self.x.expr('bool', 1)}, {self.x.expr(t, 1)}, {self.x.expr(t, 1)})"
        count = f"g_count({self.x.expr(self.rng.choice(('string', '[string]', '[f64]')), 1)})"
        self.emit(ctx, f"print(g_same({a}), g_twice({b}), {pick}, {count})")

    def higher_order(self, ctx: Ctx) -> None:
        f = self.x.expr(FN_I32, 2)
        r = self.rng.random()
        if r < 0.3:
            self.emit(ctx, f"print(apply_twice({f}, {self.x.expr('i32', 1)}))")
        elif r < 0.6:
            self.emit(ctx, f"print(map_arr({self.x.expr('[i32]', 1)}, {f}))")
        else:
            self.emit(ctx, f"print(g_apply({f}, {self.x.expr('i32', 1)}))")

    def call_stmt(self, ctx: Ctx) -> None:
        """A call as a statement, its value (if any) discarded (spec 2.10)."""
        if not self.env.funcs:
            return self.print_plain(ctx)
        f = self.rng.choice(self.env.funcs)
        self.emit(ctx, f"{f.name}(" + ", ".join(self.x.arg(p, 1) for p in f.params) + ")")

    def recursion(self, ctx: Ctx) -> None:
        fn = self.rng.choice(("fib", "rec_sum"))
        self.emit(ctx, f"print({fn}({self.x.arg('small', 1)}))")

    def early_return(self, ctx: Ctx) -> None:
        value = "" if ctx.ret == "void" else " " + self.x.expr(ctx.ret, 1)
        self.emit(ctx, f"if {self.x.expr('bool', 1)}: return{value}")

    def loop_exit(self, ctx: Ctx) -> None:
        word = self.rng.choice(("break", "continue"))
        label = self.rng.choice(ctx.loops)
        target = f" '{label}" if label and self.rng.random() < 0.7 else ""
        self.emit(ctx, f"if {self.x.expr('bool', 1)}: {word}{target}")

    # ------------------------------------------------------------ compound statements
    def if_stmt(self, ctx: Ctx) -> None:
        self.emit(ctx, f"if {self.x.expr('bool', 2)}:")
        self.body(ctx.inner())
        for _ in range(self.rng.randint(0, 2)):
            self.emit(ctx, f"elif {self.x.expr('bool', 2)}:")
            self.body(ctx.inner())
        if self.rng.random() < 0.5:
            self.emit(ctx, "else:")
            self.body(ctx.inner())

    def while_loop(self, ctx: Ctx) -> None:
        k = self.env.fresh("k")
        self.emit(ctx, f"mut {k} = 0")
        self.emit(ctx, f"while {k} < {self.rng.randint(0, 5)}:")
        inner = ctx.inner(loops=ctx.loops + (None,))
        self.emit(inner, f"{k} += 1")
        self.env.push()
        self.env.declare(k, "i32")                     # readable, never assigned by the generator
        self.body(inner)
        self.env.pop()

    def range_header(self) -> tuple[str, str]:
        t = self.rng.choice(("i32", "i32", "i64", "u32", "u64"))
        suf = "" if t == "i32" else t
        a, b = self.rng.randint(0, 6), self.rng.randint(0, 6)
        incl = self.rng.choice(("..", "..="))
        if t in ("i32", "i64") and self.rng.random() < 0.4:
            step = -self.rng.randint(1, 3)
            return t, f"{max(a, b)}{suf}{incl}{min(a, b)}{suf}..{step}"
        step = f"..{self.rng.randint(1, 3)}" if self.rng.random() < 0.5 else ""
        return t, f"{min(a, b)}{suf}{incl}{max(a, b)}{suf}{step}"

    def for_range(self, ctx: Ctx) -> None:
        i = self.env.fresh("i")
        if self.rng.random() < 0.2:
            self.emit(ctx, f"for {i} in range({self.rng.randint(0, 5)}):")
            t = "i64"                                   # range() yields i64 (spec 5.5)
        else:
            t, header = self.range_header()
            self.emit(ctx, f"for {i} in {header}:")
        self.env.push()
        self.env.declare(i, t)
        self.body(ctx.inner(loops=ctx.loops + (None,)))
        self.env.pop()

    def for_array(self, ctx: Ctx) -> None:
        t = self.rng.choice(("i32", "string", "f64", "[i32]", "pairs") + tuple(self.env.structs))
        v = self.env.fresh("e")
        self.env.push()
        if t == "pairs":
            w = self.env.fresh("e")
            self.emit(ctx, f"for {v}, {w} in [[1, 10,], [2, 20,], [{self.x.expr('i32', 1)}, 30,]]:")
            self.env.declare(w, "i32")
            t = "i32"
        else:
            self.emit(ctx, f"for {v} in {self.x.expr(f'[{t}]', 1)}:")
        self.env.declare(v, t)
        self.body(ctx.inner(loops=ctx.loops + (None,), no_push=True))
        self.env.pop()

    def labelled(self, ctx: Ctx) -> None:
        label, i, j = self.env.fresh("L"), self.env.fresh("i"), self.env.fresh("j")
        self.emit(ctx, f"'{label}: for {i} in 0..{self.rng.randint(1, 4)}:")
        outer = ctx.inner(loops=ctx.loops + (label,))
        self.env.push()
        self.env.declare(i, "i32")
        self.emit(outer, f"for {j} in {self.rng.randint(3, 6)}..0..-1:")
        inner = outer.inner(loops=outer.loops + (None,))
        self.env.push()
        self.env.declare(j, "i32")
        self.emit(inner, f"if {j} == {self.rng.randint(0, 4)}: continue '{label}")
        self.emit(inner, f"if {i} + {j} > {self.rng.randint(3, 7)}: break '{label}")
        self.body(inner, 1)
        self.emit(inner, f"print(\"{label}\", {i}, {j})")
        self.env.pop()
        self.env.pop()

    def match_stmt(self, ctx: Ctx) -> None:
        if self.env.enums and self.rng.random() < 0.7:
            e = self.env.enums[self.rng.choice(sorted(self.env.enums))]
            self.emit(ctx, f"match {self.x.expr(e.name, 1)}:")
            arms = e.variants if self.rng.random() < 0.6 else e.variants[:-1]
            for name, payload in arms:
                binds = [self.env.fresh("b") for _ in payload]
                pat = f"{e.name}.{name}" + (f"({', '.join(binds)})" if payload else "")
                self.emit(ctx.inner(), f"{pat} -> print(\"{name}\"{''.join(', ' + b for b in binds)})")
            if len(arms) < len(e.variants):
                self.emit(ctx.inner(), "_ -> print(\"other\")")
            return
        self.emit(ctx, f"match {self.x.expr('i32', 1)}:")
        for lit in sorted({self.rng.randint(-2, 5) for _ in range(3)}):
            self.emit(ctx.inner(), f"{lit} -> print(\"is {lit}\")")
        self.emit(ctx.inner(), "_ ->")
        self.body(ctx.inner().inner(), 1)

    def match_expr(self, ctx: Ctx) -> None:
        if not self.env.enums:
            return self.declare(ctx)
        e = self.env.enums[self.rng.choice(sorted(self.env.enums))]
        t = self.rng.choice(("i32", "string", "f64"))
        name = self.env.fresh()
        self.emit(ctx, f"{name} = match {self.x.expr(e.name, 1)}:")
        for vname, payload in e.variants:
            binds = [self.env.fresh("b") for _ in payload]
            self.env.push()
            for b, pt in zip(binds, payload):
                self.env.declare(b, pt)
            pat = f"{e.name}.{vname}" + (f"({', '.join(binds)})" if payload else "")
            self.emit(ctx.inner(), f"{pat} -> {self.x.expr(t, 1)}")
            self.env.pop()
        self.env.declare(name, t)
        self.emit(ctx, f"print({name})")

    def block_binding(self, ctx: Ctx) -> None:
        """A multi-line block expression (spec 2.18) as an initializer."""
        name, acc, v = self.env.fresh(), self.env.fresh("acc"), self.env.fresh("e")
        self.emit(ctx, f"{name} = {{")
        inner = ctx.inner()
        self.emit(inner, f"mut {acc}: i64 = 0")
        self.emit(inner, f"for {v} in {self.x.expr('[i64]', 1)}:")
        self.emit(inner.inner(), f"{acc} += {v} % 1000")
        self.emit(inner, f"{acc} * 2")
        self.emit(ctx, "}")
        self.env.declare(name, "i64")

    def closures(self, ctx: Ctx) -> None:
        r = self.rng.random()
        if r < 0.35:
            fs, i, f = self.env.fresh("fs"), self.env.fresh("i"), self.env.fresh("f")
            self.emit(ctx, f"mut {fs}: [fn() -> i32] = []")
            self.emit(ctx, f"for {i} in 0..{self.rng.randint(1, 4)}:")
            self.emit(ctx.inner(), f"push({fs}, fn() -> i32: {i} * {self.rng.randint(1, 9)})")
            self.emit(ctx, f"for {f} in {fs}:")
            self.emit(ctx.inner(), f"print({f}())")
        elif r < 0.7:
            c = self.env.fresh("c")
            self.emit(ctx, f"{c} = mk_counter({self.x.expr('i32', 1)}, {self.rng.randint(-3, 3)})")
            self.emit(ctx, f"print({c}(), {c}(), {c}())")
        else:
            tot, add, x = self.env.fresh("tot"), self.env.fresh("add"), self.env.fresh("e")
            self.emit(ctx, f"mut {tot} = 0")
            self.emit(ctx, f"{add} = fn(v: i32): {tot} += v")
            self.emit(ctx, f"for {x} in {self.x.expr('[i32]', 1)}:")
            self.emit(ctx.inner(), f"{add}({x} % 100)")
            self.emit(ctx, f"print({tot})")
            self.env.declare(tot, "i32")
