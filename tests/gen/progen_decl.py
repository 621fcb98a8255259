"""Top-level declarations of a generated program: structs with `impl`s, enums, the
fixed helper functions, and random typed functions.

Every struct has an `a: i32` field and the methods `make` (static), `get_a`,
`bump` (mutates through `self`) and `describe`, which the expression and
statement generators call. The fixed helpers (generic functions, closures,
higher-order and recursive functions) are always declared; they are hoisted
(spec 2.15), so the main code and the random functions may call them. A random
function only calls helpers and random functions declared before it, so calls
never recurse except in the bounded recursive helpers.
"""

from __future__ import annotations

from .progen_env import FN_I32, SCALARS, EnumDef, FnSig, StructDef
from .progen_stmt import Ctx, StmtGen

HELPERS = """\
enum Opt<T>:
    Some(value: T)
    Empty

fn g_same(v):
    return v

fn g_twice(v):
    return v + v

fn g_pick(c, a, b):
    return a if c else b

fn g_apply(f, v):
    return f(v)

fn g_count(xs):
    return len(xs)

fn mk_counter(start: i32, step: i32) -> fn() -> i32:
    mut count = start
    return fn() -> i32:
        count += step
        return count

fn mk_adder(k: i32) -> fn(i32) -> i32:
    return fn(x: i32) -> i32: x + k

fn compose(f: fn(i32) -> i32, g: fn(i32) -> i32) -> fn(i32) -> i32:
    return fn(x: i32) -> i32: g(f(x))

fn apply_twice(f: fn(i32) -> i32, x: i32) -> i32:
    return f(f(x))

fn map_arr(xs: [i32], f: fn(i32) -> i32) -> [i32]:
    mut out: [i32] = []
    for x in xs:
        push(out, f(x))
    return out

fn divmod(a: i32, b: i32):
    return a / b, a % b

fn fib(n: i32) -> i32:
    if n <= 1:
        return n
    return fib(n - 1) + fib(n - 2)

fn rec_sum(n: i32) -> i32:
    if n <= 0:
        return 0
    return n + rec_sum(n - 1)

struct Node:
    name: string
    next: [Node] = []
"""

HELPER_SIGS = [
    FnSig("g_apply", [FN_I32, "i32"], "i32"), FnSig("g_count", ["string"], "i32"),
    FnSig("g_count", ["[i64]"], "i32"), FnSig("apply_twice", [FN_I32, "i32"], "i32"),
    FnSig("map_arr", ["[i32]", FN_I32], "[i32]"), FnSig("fib", ["small"], "i32"),
    FnSig("rec_sum", ["small"], "i32"),
]
FIELD_TYPES = SCALARS + ("[i32]", "[string]", "[f64]", FN_I32)
PAYLOAD_TYPES = SCALARS + ("[i32]",)


class DeclGen:
    def __init__(self, sg: StmtGen):
        self.sg = sg
        self.rng = sg.rng
        self.env = sg.env
        self.out = sg.out

    def all(self, n_structs: int, n_enums: int, n_funcs: int) -> None:
        self.out.extend(HELPERS.splitlines())
        self.env.funcs.extend(HELPER_SIGS)
        for _ in range(n_structs):
            self.struct()
        for _ in range(n_enums):
            self.enum()
        for _ in range(n_funcs):
            self.function()

    def struct(self) -> None:
        name = self.env.fresh("S")
        fields: list[tuple[str, str, str | None]] = [("a", "i32", None)]
        for _ in range(self.rng.randint(1, 3)):
            # A field may hold a struct declared earlier (never this one: literals stay finite).
            t = self.rng.choice(FIELD_TYPES + tuple(self.env.structs))
            default = self.sg.x.lit.of(t, 1) if self.rng.random() < 0.4 else None
            if default is not None and t.startswith("[") and self.rng.random() < 0.5:
                default = "[]"
            fields.append((self.env.fresh("fld"), t, default))
        s = StructDef(name, fields)
        self.out.append("")
        self.out.append(f"struct {name}:")
        for fname, t, default in fields:
            self.out.append(f"    {fname}: {t}" + (f" = {default}" if default is not None else ""))
        self.env.structs[name] = s
        required = ", ".join(f"{f}: {'a' if f == 'a' else self.sg.x.lit.of(t, 1)}"
                             for f, t, d in fields if d is None)
        self.out.extend([
            "", f"impl {name}:",
            f"    fn make(a: i32) -> {name}:", f"        return {name}{{{required}}}",
            "    fn get_a(self) -> i32:", "        return self.a",
            "    fn bump(self, k: i32):", "        self.a += k",
            "    fn describe(self) -> string:", f'        return "{name}(" + (self.a as string) + ")"',
        ])

    def enum(self) -> None:
        name = self.env.fresh("E")
        variants = []
        for _ in range(self.rng.randint(1, 4)):
            payload = [self.rng.choice(PAYLOAD_TYPES) for _ in range(self.rng.randint(0, 2))]
            variants.append((self.env.fresh("V"), payload))
        self.out.append("")
        self.out.append(f"enum {name}:")
        for vname, payload in variants:
            if not payload:
                self.out.append(f"    {vname}")
                continue
            items = [f"{self.env.fresh('x')}: {t}" if self.rng.random() < 0.5 else t for t in payload]
            self.out.append(f"    {vname}(" + ", ".join(items) + ")")
        self.env.enums[name] = EnumDef(name, variants)

    def function(self) -> None:
        """`fn fN(params) -> T:` with a random body that ends in `return`."""
        name = self.env.fresh("f")
        types = self.env.types()
        params = [(self.env.fresh("a"), self.rng.choice(types)) for _ in range(self.rng.randint(0, 3))]
        ret = self.rng.choice(types + ["void"])
        head = ", ".join(f"{p}: {t}" for p, t in params)
        self.out.append("")
        self.out.append(f"fn {name}({head})" + ("" if ret == "void" else f" -> {ret}") + ":")
        saved, self.env.scopes = self.env.scopes, [[]]
        for p, t in params:
            self.env.declare(p, t)
        ctx = Ctx(indent=1, ret=ret)
        self.sg.block(ctx, self.rng.randint(1, 4))
        if ret == "void":
            self.sg.emit(ctx, f'print("end {name}")')
        else:
            self.sg.emit(ctx, f"return {self.sg.x.expr(ret, 2)}")
        self.env.scopes = saved
        self.env.funcs.append(FnSig(name, [t for _, t in params], ret))

