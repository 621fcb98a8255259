"""Small statement templates for the less common corners of the language.

Each template is a fixed shape with random operands, written so that it is valid
whatever the environment holds: chained and compound assignments (spec 2.4),
literal adaptation (3.2), `[]` typed by a later use (3.4), `str` and `[T, N]`
annotations (1.5, 3.1), square-bracket type arguments (2.12.1), inline bodies
with `;` (2.5), match arms with block bodies (2.13), unit variants with `()`
(2.12), generic values bound to names (3.5), static functions as values (2.11),
comments and bracket continuation lines (1.3, 1.4), implicit returns (2.15),
`_` targets (1.5), unary minus on unsigned values (3.3), `while true` + `break`,
printing of cyclic structs (4.3), range iterators (5.5), inf/nan (4.2, 5.4), and
strings built in a loop by a function, with or without another reference to them
(the native engine appends in place only when there is none).
"""

from __future__ import annotations

from .progen_env import NUMERIC


class Misc:
    def __init__(self, sg):
        self.sg = sg
        self.rng = sg.rng
        self.env = sg.env
        self.x = sg.x

    def stmt(self, ctx) -> None:
        templates = [self.chain, self.compound_places, self.adaptation, self.late_array, self.annotations,
                     self.bracket_generic, self.inline_bodies, self.match_blocks, self.unit_parens,
                     self.function_values, self.layout, self.implicit_return, self.discard, self.unsigned_neg,
                     self.while_true, self.bit_literals, self.cycle, self.range_iter, self.float_specials,
                     self.accumulate]
        self.rng.choice(templates)(ctx)

    def emit(self, ctx, text: str) -> None:
        self.sg.emit(ctx, text)

    def chain(self, ctx) -> None:
        a, b, c, m, n = (self.env.fresh() for _ in range(5))
        self.emit(ctx, f"{a} = {b} = {c} = {self.x.expr('string', 1)}")
        self.emit(ctx, f"mut {m} = {self.x.expr('i64', 1)}")
        self.emit(ctx, f"{n} = {m} += {self.rng.randint(0, 9)}")
        self.emit(ctx, f"print({a}, {b} == {c}, {m}, {n})")
        for name in (a, b, c):
            self.env.declare(name, "string")

    def compound_places(self, ctx) -> None:
        t = self.rng.choice(NUMERIC + ("string",))
        xs = self.env.fresh()
        self.emit(ctx, f"{xs}: [{t}] = {self.x.lit.array(f'[{t}]', 1)}")
        op = "+=" if t == "string" else self.rng.choice(("+=", "-=", "*="))
        self.emit(ctx, f"{xs}[0] {op} {self.x.lit.of(t) if op != '*=' else '2'}")
        self.emit(ctx, f"print({xs})")
        if self.env.structs:
            s = self.rng.choice(sorted(self.env.structs))
            p = self.env.fresh()
            self.emit(ctx, f"{p} = {self.x.lit.of(s, 1)}")
            self.emit(ctx, f"{p}.a -= {self.rng.randint(0, 9)}")
            self.emit(ctx, f"print({p}.a, {p})")

    def adaptation(self, ctx) -> None:
        """Flexible literals take the type their context expects (spec 3.2)."""
        a, b, c, d, e = (self.env.fresh() for _ in range(5))
        self.emit(ctx, f"{a}: i64 = {self.rng.randint(1, 9)} + {self.rng.randint(1, 9)}")
        self.emit(ctx, f"{b}: u64 = 1 << {self.rng.randint(31, 63)}")
        self.emit(ctx, f"{c}: f64 = {self.rng.randint(1, 9)} / 4")
        self.emit(ctx, f"{d} = [1, {self.rng.choice(('3000000000', '5', '0x7FFFFFFF'))}, 5]")
        self.emit(ctx, f"{e}: u32 = 7")
        self.emit(ctx, f"print({a} * 2, typeof({a} * 2), {b}, {c}, typeof({d}[0]), {e} + 1, typeof({e} + 1))")
        self.env.declare(a, "i64")
        self.env.declare(c, "f64")

    def late_array(self, ctx) -> None:
        """The element type of `[]` comes from a later use (spec 3.4)."""
        ys = self.env.fresh()
        t = self.rng.choice(("string", "f64", "i64", "bool"))
        self.emit(ctx, f"mut {ys} = []")
        self.emit(ctx, f"push({ys}, {self.x.expr(t, 1)})")
        self.emit(ctx, f"print(len({ys}), {ys})")
        self.env.declare(ys, f"[{t}]")

    def annotations(self, ctx) -> None:
        s, f = self.env.fresh(), self.env.fresh()
        self.emit(ctx, f"{s}: str = {self.x.expr('string', 1)}")
        self.emit(ctx, f"{f}: [i32, 2] = [1, 2, 3]")
        self.emit(ctx, f"push({f}, len({s}))")
        self.emit(ctx, f"print({s}, {f}, typeof({s}))")
        self.env.declare(s, "string")

    def bracket_generic(self, ctx) -> None:
        o, b = self.env.fresh(), self.env.fresh("b")
        value = "Opt.Empty" if self.rng.random() < 0.5 else f"Opt.Some({self.x.expr('i32', 1)})"
        self.emit(ctx, f"{o}: Opt[i32] = {value}")
        self.emit(ctx, f"match {o}:")
        self.emit(ctx.inner(), f'Opt.Some({b}) -> print("some", {b})')
        self.emit(ctx.inner(), 'Opt.Empty -> print("empty")')
        self.env.declare(o, "Opt<i32>")

    def inline_bodies(self, ctx) -> None:
        k = self.env.fresh("k")
        self.emit(ctx, f'if {self.x.expr("bool", 1)}: print("then"); print("and")')
        self.emit(ctx, f"mut {k} = 0")
        self.emit(ctx, f"while {k} < {self.rng.randint(0, 3)}: {k} += 1; print({k})")
        self.emit(ctx, f"for _ in 0..{self.rng.randint(0, 2)}: print(\"loop\")")

    def match_blocks(self, ctx) -> None:
        v, tmp, t2 = self.env.fresh(), self.env.fresh(), self.env.fresh()
        self.emit(ctx, f"{v} = match {self.x.expr('i32', 1)} % 3:")
        arm = ctx.inner()
        self.emit(arm, '0 -> "zero"')
        self.emit(arm, "1 ->")
        self.emit(arm.inner(), f"{tmp} = {self.x.expr('string', 1)}")
        self.emit(arm.inner(), f'{tmp} + "!"')
        self.emit(arm, f'_ -> {{ {t2} = "many"; {t2} + {self.x.expr("string", 1)} }}')
        self.emit(ctx, f"print({v})")
        self.env.declare(v, "string")

    def unit_parens(self, ctx) -> None:
        enums = [e for e in self.env.enums.values() if any(not p for _, p in e.variants)]
        if not enums:
            return self.discard(ctx)
        e = self.rng.choice(enums)
        unit = next(n for n, p in e.variants if not p)
        v = self.env.fresh()
        self.emit(ctx, f"{v} = {e.name}.{unit}()")
        self.emit(ctx, f"print({v}, {v} == {e.name}.{unit}, {v} matches {e.name}.{unit}(), typeof({v}))")
        self.env.declare(v, e.name)

    def function_values(self, ctx) -> None:
        """A generic function bound to an immutable name is generalised (spec 3.5)."""
        t, h = self.env.fresh(), self.env.fresh()
        self.emit(ctx, f"{t} = g_twice")
        self.emit(ctx, f"{h} = fib")
        self.emit(ctx, f"print({t}({self.x.expr('i32', 1)}), {t}({self.x.expr('string', 1)}), {h}(7), {h}, {t})")
        if self.env.structs:
            s = self.rng.choice(sorted(self.env.structs))
            mk = self.env.fresh()
            self.emit(ctx, f"{mk} = {s}.make")
            self.emit(ctx, f"print({mk}({self.x.expr('i32', 1)}), {mk})")

    def layout(self, ctx) -> None:
        """Comments and continuation lines inside brackets (spec 1.3, 1.4)."""
        v, w = self.env.fresh(), self.env.fresh()
        self.emit(ctx, f"// a comment before {v}")
        self.emit(ctx, f"{v} = g_pick(")
        self.sg.out.append(f"    {self.x.expr('bool', 1)},  // continued")
        self.sg.out.append(f"{self.x.expr('i32', 1)},")
        self.sg.out.append(f"            {self.x.expr('i32', 1)}")
        self.emit(ctx, ")")
        self.emit(ctx, f"{w} = {self.rng.randint(0, 9)} /* inline */ + {self.rng.randint(0, 9)}")
        self.emit(ctx, f"print({v}, {w})")
        self.env.declare(v, "i32")
        self.env.declare(w, "i32")

    def implicit_return(self, ctx) -> None:
        """Functions without `->` return their last expression or if/else value (spec 2.15)."""
        f, g, q = self.env.fresh("n"), self.env.fresh("n"), self.env.fresh("q")
        self.emit(ctx, f"fn {f}({q}: i32):")
        self.emit(ctx.inner(), f"{q} * 2")
        self.emit(ctx, f"fn {g}({q}: i32):")
        self.emit(ctx.inner(), f"if {q} > 0:")
        self.emit(ctx.inner().inner(), f'"pos" + ({q} as string)')
        self.emit(ctx.inner(), "else:")
        self.emit(ctx.inner().inner(), '"non-pos"')
        self.emit(ctx, f"print({f}({self.rng.randint(-9, 9)}), {g}({self.rng.randint(-3, 3)}))")

    def discard(self, ctx) -> None:
        a = self.env.fresh()
        self.emit(ctx, f"{a}, _ = [{self.x.expr('i32', 1)}, {self.x.expr('i32', 1)},]")
        self.emit(ctx, f"_ = {self.x.expr(self.sg.pick_type(), 1)}")
        self.emit(ctx, f"print({a})")
        self.env.declare(a, "i32")

    def unsigned_neg(self, ctx) -> None:
        """`-` of an unsigned value gives the signed type of the same width (spec 3.3)."""
        u = self.env.fresh()
        self.emit(ctx, f"{u}: u32 = {self.rng.choice(('5', '3000000000', '2147483648', '0'))}")
        self.emit(ctx, f"print(-{u}, typeof(-{u}), -(5u64), typeof(-5u32), 0u32 - 1u32, 0u64 - 1u64)")

    def while_true(self, ctx) -> None:
        k = self.env.fresh("k")
        self.emit(ctx, f"mut {k} = 0")
        self.emit(ctx, "while true:")
        self.emit(ctx.inner(), f"{k} += 1")
        self.emit(ctx.inner(), f"if {k} > {self.rng.randint(0, 4)}: break")
        self.emit(ctx, f"print({k})")

    def bit_literals(self, ctx) -> None:
        f = self.env.fresh()
        self.emit(ctx, f"{f} = 0b{self.rng.randint(0, 15):04b}")
        self.emit(ctx, f'print({f} | 0b0010, {f} & 4, {f} ^ 1, ~{f}, 0o17 & {f}, 0xFFu32 >> 4, -16 >> 2)')
        self.emit(ctx, f'print("@b @o @X", {f}, 0o{self.rng.randint(0, 63):o}, 0x{self.rng.randint(0, 4095):x})')
        self.env.declare(f, "i32")

    def cycle(self, ctx) -> None:
        n, m = self.env.fresh(), self.env.fresh()
        self.emit(ctx, f'{n} = Node{{name: {self.x.expr("string", 1)}}}')
        self.emit(ctx, f'{m} = Node{{name: "m", next: [{n},]}}')
        self.emit(ctx, f"push({n}.next, {n})")
        self.emit(ctx, f"print({n}, {m}, len({m}.next[0].next))")

    def range_iter(self, ctx) -> None:
        r, v = self.env.fresh(), self.env.fresh("i")
        self.emit(ctx, f"{r} = range({self.rng.randint(-3, 3)}, {self.rng.randint(-5, 10)}, "
                       f"{self.rng.choice((1, 2, 3, -1, -4))})")
        self.emit(ctx, f"print({r}, typeof({r}))")
        self.emit(ctx, f"for {v} in {r}:")
        self.emit(ctx.inner(), f"if {v} > {self.rng.randint(0, 5)}: break")
        self.emit(ctx.inner(), f"print({v})")
        self.emit(ctx, f"print({r})")

    def float_specials(self, ctx) -> None:
        big, inf, nan = self.env.fresh(), self.env.fresh(), self.env.fresh()
        self.emit(ctx, f"{big} = 1e308")
        self.emit(ctx, f"{inf} = {big} * 10.0")
        self.emit(ctx, f"{nan} = {inf} - {inf}")
        self.emit(ctx, f"print({inf}, -{inf}, {nan}, {nan} == {nan}, {nan} != {nan}, {big} / 0.5)")
        self.emit(ctx, f'print(sorted([3.0, {nan}, 1.0, -0.0, 0.0]), "@.2f", {inf}, ({nan} as i32), ({inf} as i64))')
        self.emit(ctx, f"print(({nan} as bool), ({inf} as string), 0.1 + 0.2, 1.0 / 3.0, 1e-7, 5e-324, 1e21)")

    def accumulate(self, ctx) -> None:
        """A function building a string in a loop (`s = s + ...`), sometimes also keeping
        the string elsewhere: an alias read later, an array element, a read after the
        append, a doubling; printed with its length and a byte."""
        r = self.rng
        f, s, k, keep, xs = (self.env.fresh(p) for p in ("a", "s", "k", "v", "v"))
        body = ctx.inner()
        inner = body.inner()
        self.emit(ctx, f"fn {f}(n: i32) -> string:")
        start = r.choice(('""', '"<"', '"ab"'))
        self.emit(body, f"mut {s} = {start}")
        alias, stored, late = r.random() < 0.3, r.random() < 0.2, r.random() < 0.2
        if alias:
            self.emit(body, f'mut {keep} = ""')
        if stored:
            self.emit(body, f"mut {xs}: [string] = []")
        self.emit(body, f"for {k} in 0..n:")
        if alias:
            self.emit(inner, f"{keep} = {s}")
        self.emit(inner, f"if {k} % {r.randint(2, 4)} == 0:")
        self.emit(inner.inner(), f'{s} = {s} + "[" + ({k} as string) + "]"')
        self.emit(inner, "else:")
        self.emit(inner.inner(), f"{s} = {s} + {self.x.lit.of('string')}")
        if stored:
            self.emit(inner, f"push({xs}, {s})")
        if r.random() < 0.2:
            self.emit(inner, f"if len({s}) < 40: {s} = {s} + {s}")
        if late:
            self.emit(body, f"{keep if alias else xs + '_t'} = {s}")
            self.emit(body, f'{s} = {s} + "!"')
            self.emit(body, f"print({keep if alias else xs + '_t'})")
        tail = f" + {keep}" if alias else (f" + (len({xs}) as string)" if stored else "")
        self.emit(body, f"return {s}{tail}")
        out, n = self.env.fresh(), r.randint(0, 9)
        self.emit(ctx, f"{out} = {f}({n})")
        self.emit(ctx, f"print({out}, len({out}), {out} == {f}({n}))")
