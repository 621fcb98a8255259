"""Operations that may fail at run time, and the `try`/`catch` statements around them.

Each failing fragment is a few lines that type-check but may raise a run-time
error (spec 2.9, 4.1, 4.5, 4.6, 3.6, 5.3, 5.5, 5.6, 5.8): division by a zero held
in a variable (a constant zero divisor would be a compile error, spec 4.1),
integer overflow, negation of MIN, index and slice errors, failing casts, `pop`
on an empty array, failed `int()`/`float()`, failed `assert_eq`, a match
expression with no matching arm, destructuring of the wrong length, zero range
steps, shift counts out of range and negative repetition counts. Operands are
held in variables so that the compiler cannot reject them early.
"""

from __future__ import annotations

from .progen_env import INTS, SIGNED

LIMITS = {"i32": (-2147483648, 2147483647), "i64": (-9223372036854775808, 9223372036854775807),
          "u32": (0, 4294967295), "u64": (0, 18446744073709551615)}


class Risky:
    def __init__(self, sg):
        self.sg = sg
        self.rng = sg.rng
        self.env = sg.env
        self.x = sg.x

    def try_catch(self, ctx) -> None:
        sg = self.sg
        sg.emit(ctx, "try:")
        inner = ctx.inner()
        self.env.push()
        if self.rng.random() < 0.15 and ctx.depth < 2:
            self.try_catch(inner)                      # try blocks nest (spec 2.9)
        else:
            self.failing(inner)
        if self.rng.random() < 0.4:
            sg.body(inner, 1)
        self.env.pop()
        if self.rng.random() < 0.15:
            sg.emit(ctx, "catch:")
            sg.emit(inner, 'print("caught something")')
            return
        err = self.env.fresh("err")
        sg.emit(ctx, f"catch {err}:")
        how = self.rng.choice((f'print("caught", {err})', f"print(typeof({err}))", f'print("@", {err})',
                               f"print({err})", f"print(g_same({err}), istype({err}, \"error\"))"))
        sg.emit(inner, how)
        if self.rng.random() < 0.1 and ctx.depth < 2:
            self.failing(inner)                         # an error in a catch body propagates outwards

    def failing(self, ctx) -> None:
        """One failing fragment; its variables live in a scope of their own."""
        self.env.push()
        self.rng.choice(self.fragments())(ctx)
        self.env.pop()

    def fragments(self) -> list:
        return [self.div_zero, self.overflow, self.negate_min, self.index, self.slice, self.cast, self.pop_empty,
               self.parse, self.assert_eq, self.no_arm, self.destructure, self.zero_step, self.shift,
               self.repeat, self.call_fails]

    def var(self, ctx, t: str, value: str) -> str:
        name = self.env.fresh("r")
        self.sg.emit(ctx, f"{name}: {t} = {value}")
        self.env.declare(name, t)
        return name

    # ------------------------------------------------------------ failing fragments
    def div_zero(self, ctx) -> None:
        t = self.rng.choice(INTS + ("f64",))
        z = self.var(ctx, t, self.rng.choice(("0", "0", "1")))
        self.sg.emit(ctx, f"print({self.x.expr(t, 1)} {self.rng.choice('/%')} {z})")

    def overflow(self, ctx) -> None:
        t = self.rng.choice(SIGNED)
        lo, hi = LIMITS[t]
        big = self.var(ctx, t, str(self.rng.choice((hi, lo, hi - 1, lo + 1))))
        op = self.rng.choice(("+ 1", "- 1", "* 2", "+ 0", "- 2"))
        self.sg.emit(ctx, f"print({big} {op})")

    def negate_min(self, ctx) -> None:
        t = self.rng.choice(SIGNED)
        m = self.var(ctx, t, str(LIMITS[t][0] + self.rng.randint(0, 1)))
        self.sg.emit(ctx, f"print(-{m})")

    def index(self, ctx) -> None:
        t = self.rng.choice(("[i32]", "[string]", "string"))
        a = self.var(ctx, t, self.x.expr(t, 1))
        i = self.rng.choice((f"len({a})", f"len({a}) - 1", "0", "-1", f"len({a}) + 2"))
        self.sg.emit(ctx, f"print({a}[{i}])")

    def slice(self, ctx) -> None:
        t = self.rng.choice(("[i32]", "string"))
        a = self.var(ctx, t, self.x.expr(t, 1))
        k = self.var(ctx, "i32", str(self.rng.randint(-1, 2)))
        form = self.rng.choice(("[2..1]", "[0..len(A) + 1]", "[0..len(A)..K]", "[K..]", "[1..=K]", "[K..len(A)]"))
        self.sg.emit(ctx, f"print({a}{form.replace('A', a).replace('K', k)})")

    def cast(self, ctx) -> None:
        src, value, dst = self.rng.choice((("i32", "-1", "u64"), ("i64", "-5", "u32"), ("i64", "5000000000", "u32"),
                                           ("u64", "3000000000", "i32"), ("u64", "5000000000", "u32"),
                                           ("f64", "-0.5", "u32"), ("f64", "1e20", "u64"), ("f64", "2.5", "u64"),
                                           ("i64", "-3", "u64"), ("i32", "7", "u64")))
        v = self.var(ctx, src, value)
        self.sg.emit(ctx, f"print({v} as {dst})")

    def pop_empty(self, ctx) -> None:
        a = self.env.fresh("r")
        self.sg.emit(ctx, f"mut {a}: [string] = []")
        if self.rng.random() < 0.3:
            self.sg.emit(ctx, f'push({a}, "only")')
        self.sg.emit(ctx, f"print(pop({a}), pop({a}))")

    def parse(self, ctx) -> None:
        fn = self.rng.choice(("int", "float"))
        text = self.rng.choice(('"12abc"', '"3.5"', '" 7 "', '""', '"1e400"', '"-0"', '"99999999999"', '"nan"',
                                '"+5"', '"0x10"'))
        arg = self.rng.choice((text, text, "1e10", "3.9", "5000000000i64", "true"))
        self.sg.emit(ctx, f"print({fn}({arg}))")

    def assert_eq(self, ctx) -> None:
        t = self.rng.choice(("i32", "string", "[i32]", "f64"))
        self.sg.emit(ctx, f'print(assert_eq("check", {self.x.expr(t, 1)}, {self.x.expr(t, 1)}))')

    def no_arm(self, ctx) -> None:
        n = self.var(ctx, "i32", str(self.rng.randint(0, 4)))
        name = self.env.fresh("r")
        self.sg.emit(ctx, f"{name} = match {n}:")
        for k in sorted({self.rng.randint(0, 4) for _ in range(2)}):
            self.sg.emit(ctx.inner(), f'{k} -> "arm {k}"')
        self.sg.emit(ctx, f"print({name})")

    def destructure(self, ctx) -> None:
        a, b = self.env.fresh("r"), self.env.fresh("r")
        n = self.rng.randint(1, 3)
        items = ", ".join(str(i) for i in range(n)) + ("," if n <= 2 else "")
        self.sg.emit(ctx, f"{a}, {b} = [{items}]")
        self.sg.emit(ctx, f"print({a}, {b})")

    def zero_step(self, ctx) -> None:
        z = self.var(ctx, "i32", str(self.rng.choice((0, 0, 2))))
        i = self.env.fresh("i")
        header = f"0..5..{z}" if self.rng.random() < 0.5 else f"range(0, 5, {z})"
        self.sg.emit(ctx, f"for {i} in {header}:")
        self.sg.emit(ctx.inner(), f"print({i})")

    def shift(self, ctx) -> None:
        t = self.rng.choice(INTS)
        n = self.var(ctx, "i32", str(self.rng.choice((40, 64, 31, -1, 3))))
        self.sg.emit(ctx, f"print({self.x.lit.of(t)} {self.rng.choice(('<<', '>>'))} {n})")

    def repeat(self, ctx) -> None:
        n = self.var(ctx, "i64", str(self.rng.choice((-1, 2, 3000000000))))
        self.sg.emit(ctx, f"print(len([1, 2, 3] * {n}))")

    def call_fails(self, ctx) -> None:
        z = self.var(ctx, "i32", "0")
        self.sg.emit(ctx, f"print(divmod({self.x.expr('i32', 1)}, {z}))")
