"""Typed random expressions: `ExprGen.expr(t, depth)` returns Orus text of type `t`.

Algorithm: for a requested type, collect the producers that can build a value of
that type from what is in scope (variables, fields, functions, methods, generic
helpers, operators, casts), pick one at random, and recurse with depth - 1 for the
operands; at depth 0 (or by chance) fall back to a variable or a literal, which
always exists.

Invariants (beyond those of progen_env):
  * every compound expression is parenthesised, so precedence (spec 4.8: `as` at
    the comparison level, conditionals lowest) never changes the meaning;
  * expressions are safe to evaluate except for overflow: divisors are positive
    literals, indexing is guarded by a length test, slices use bounds within the
    length, and casts are only the ones that cannot fail (spec 3.6). Failing
    operations are generated separately (progen_stmt.risky) inside `try`;
  * no lambda is followed by anything on its line but `,` or `)`: lambdas are
    always wrapped in their own parentheses.
"""

from __future__ import annotations

import random

from .progen_env import FN_I32, NUMERIC, SIGNED, SORTABLE, Env, Literals, is_array, is_int

# Casts that never fail at run time (spec 3.6), by target type.
SAFE_CASTS = {
    "i32": ("i64", "u32", "f64", "bool"),
    "i64": ("i32", "u32", "u64", "f64", "bool"),
    "u32": ("i32", "bool"),
    "u64": ("u32", "bool"),
    "f64": ("i32", "i64", "u32", "u64", "bool"),
    "string": ("i32", "i64", "u32", "u64", "f64", "bool"),
    "bool": ("i32", "i64", "u32", "u64", "f64"),
}


class ExprGen:
    def __init__(self, rng: random.Random, env: Env):
        self.rng = rng
        self.env = env
        self.lit = Literals(rng, env)

    # ------------------------------------------------------------ entry points
    def expr(self, t: str, depth: int = 2) -> str:
        if depth <= 0 or self.rng.random() < 0.2:
            return self.leaf(t)
        producers = self.producers(t)
        return self.rng.choice(producers)(t, depth - 1) if producers else self.leaf(t)

    def leaf(self, t: str, depth: int = 0) -> str:
        vars_ = self.env.of_type(t)
        if vars_ and self.rng.random() < 0.65:
            return self.rng.choice(vars_).name
        return self.lit.of(t)

    def producers(self, t: str) -> list:
        ps = [self.conditional, self.generic_same, self.call, self.field, self.leaf, self.block]
        if is_int(t) or t == "f64":
            ps += [self.arith, self.arith, self.divide, self.cast, self.generic_twice]
        if t in SIGNED or t == "f64":
            ps.append(self.negate)
        if is_int(t):
            ps.append(self.bitwise)
        if t == "i32":
            ps += [self.length, self.method_get, self.call_field]
        if t in ("i32", "i64", "f64", "string", "bool"):
            ps.append(self.index)
        if t == "bool":
            ps += [self.compare, self.compare, self.logic, self.matches, self.cast]
        if t == "string":
            ps += [self.concat, self.concat, self.cast, self.slice, self.typeof, self.method_describe,
                   self.generic_twice]
        if is_array(t):
            ps += [self.slice, self.repeat, self.literal]
            if t in SORTABLE:
                ps.append(self.sort)
        if t in self.env.structs:
            ps.append(self.static_make)
        if t == FN_I32:
            ps.append(self.closure_maker)
        return ps

    # ------------------------------------------------------------ producers
    def literal(self, t: str, depth: int) -> str:
        return self.lit.of(t, depth)

    def arith(self, t: str, depth: int) -> str:
        op = self.rng.choice("+-*")
        left = self.expr(t, depth)
        if op == "*" or self.rng.random() < 0.3:
            # A small unsuffixed literal adapts to the other operand's type (spec 3.2).
            right = str(self.rng.randint(0, 9)) if t != "f64" else self.rng.choice(("2.0", "0.5", "1.25"))
        else:
            right = self.expr(t, depth)
        return f"({left} {op} {right})"

    def divide(self, t: str, depth: int) -> str:
        return f"({self.expr(t, depth)} {self.rng.choice('/%')} {self.lit.nonzero(t)})"

    def negate(self, t: str, depth: int) -> str:
        return f"(-{self.expr(t, depth)})"

    def bitwise(self, t: str, depth: int) -> str:
        op = self.rng.choice(("&", "|", "^", "<<", ">>", "~"))
        if op == "~":
            return f"(~{self.expr(t, depth)})"
        if op in ("<<", ">>"):
            return f"({self.expr(t, depth)} {op} {self.rng.randint(0, 31)})"
        return f"({self.expr(t, depth)} {op} {self.expr(t, depth)})"

    def cast(self, t: str, depth: int) -> str:
        src = self.rng.choice(SAFE_CASTS[t])
        return f"({self.expr(src, depth)} as {t})"

    def conditional(self, t: str, depth: int) -> str:
        cond = self.expr("bool", depth)
        a, b = self.expr(t, depth), self.expr(t, depth)
        if self.rng.random() < 0.5:
            return f"({a} if {cond} else {b})"
        return f"({cond} ? {a} : {b})"

    def compare(self, t: str, depth: int) -> str:
        kind = self.rng.choice(("num", "num", "string", "eq"))
        if kind == "num":
            # Mixed numeric types may be compared (spec 3.3).
            a, b = self.rng.choice(NUMERIC), self.rng.choice(NUMERIC)
            op = self.rng.choice(("<", "<=", ">", ">=", "==", "!="))
            return f"({self.operand(a, b, depth)} {op} {self.operand(b, a, depth)})"
        if kind == "string":
            op = self.rng.choice(("<", "<=", ">", ">=", "==", "!="))
            return f"({self.expr('string', depth)} {op} {self.expr('string', depth)})"
        ty = self.rng.choice(["bool"] + list(self.env.enums) + list(self.env.structs) + ["[i32]"])
        return f"({self.expr(ty, depth)} {self.rng.choice(('==', '!='))} {self.expr(ty, depth)})"

    def operand(self, t: str, other: str, depth: int) -> str:
        """An operand of a mixed comparison. A flexible i32 expression would take the other
        operand's type (spec 3.2): a negative literal does not fit an unsigned type, and a
        bit operator on an f64 is an error (spec 4.10), so such an operand is cast (a cast
        is not flexible)."""
        e = self.expr(t, depth)
        return f"({e} as i32)" if t == "i32" and other in ("u32", "u64", "f64") else e

    def logic(self, t: str, depth: int) -> str:
        r = self.rng.random()
        if r < 0.3:
            return f"(not {self.expr('bool', depth)})"
        op = "and" if r < 0.65 else "or"
        return f"({self.expr('bool', depth)} {op} {self.expr('bool', depth)})"

    def matches(self, t: str, depth: int) -> str:
        if not self.env.enums:
            return self.lit.of("bool")
        e = self.env.enums[self.rng.choice(sorted(self.env.enums))]
        name, payload = self.rng.choice(e.variants)
        if payload:
            parts = ["_" if self.rng.random() < 0.6 else self.expr(p, depth - 1) for p in payload]
            pattern = f"{e.name}.{name}(" + ", ".join(parts) + ")"
        else:
            pattern = f"{e.name}.{name}"
        return f"({self.expr(e.name, depth)} matches {pattern})"

    def concat(self, t: str, depth: int) -> str:
        return f"({self.expr('string', depth)} + {self.expr('string', depth)})"

    def typeof(self, t: str, depth: int) -> str:
        ty = self.rng.choice(self.env.types())
        return f"typeof({self.expr(ty, depth)})"

    def length(self, t: str, depth: int) -> str:
        ty = self.rng.choice(("string",) + SORTABLE)
        return f"len({self.expr(ty, depth)})"

    def index(self, t: str, depth: int) -> str:
        """A guarded index: the conditional evaluates the indexing only when it is in range."""
        arr_t = "string" if t == "string" else f"[{t}]"
        vars_ = self.env.of_type(arr_t)
        if not vars_:
            return self.leaf(t)
        a = self.rng.choice(vars_).name
        i = "0" if self.rng.random() < 0.5 else f"len({a}) - 1"
        return f"({a}[{i}] if len({a}) > 0 else {self.lit.of(t)})"

    def slice(self, t: str, depth: int) -> str:
        vars_ = self.env.of_type(t)
        if not vars_:
            return self.leaf(t)
        a = self.rng.choice(vars_).name
        form = self.rng.choice(("[..]", "[0..len(A)]", "[0..len(A)..2]", "[..len(A)..3]", "[..=len(A) - 1]",
                                "[len(A)..]", "[0..]"))
        if "..=" in form:
            return f"({a}[..len({a})] if len({a}) == 0 else {a}[..=len({a}) - 1])"
        return a + form.replace("A", a)

    def repeat(self, t: str, depth: int) -> str:
        n = self.rng.randint(0, 3)
        if self.rng.random() < 0.5:
            return f"({self.lit.array(t, 1)} * {n})"
        return f"({n} * {self.lit.array(t, 1)})"

    def sort(self, t: str, depth: int) -> str:
        return f"sorted({self.expr(t, depth)})"

    def generic_same(self, t: str, depth: int) -> str:
        return f"g_same({self.expr(t, depth)})"

    def generic_twice(self, t: str, depth: int) -> str:
        return f"g_twice({self.expr(t, depth)})"

    def block(self, t: str, depth: int) -> str:
        name = self.env.fresh()
        init = self.expr(t, depth)
        self.env.push()
        self.env.declare(name, t)
        tail = self.expr(t, depth)
        self.env.pop()
        cond = self.expr("bool", depth)
        return f"({{ {name} = {init}; g_pick({cond}, {name}, {tail}) }})"

    def call(self, t: str, depth: int) -> str:
        fns = [f for f in self.env.funcs if f.ret == t]
        if not fns:
            return self.leaf(t)
        f = self.rng.choice(fns)
        return f"{f.name}(" + ", ".join(self.arg(p, depth) for p in f.params) + ")"

    def arg(self, t: str, depth: int) -> str:
        if t == "small":
            # Arguments of the recursive helpers stay small, so they end quickly.
            return f"({self.expr('i32', depth)} % 12)"
        if t == FN_I32 and self.rng.random() < 0.5:
            return self.lambda_i32(depth)
        return self.expr(t, depth)

    def lambda_i32(self, depth: int) -> str:
        p = self.env.fresh("p")
        self.env.push()
        self.env.declare(p, "i32")
        body = f"({p} {self.rng.choice('+-')} {self.expr('i32', min(depth, 1))})"
        self.env.pop()
        return f"(fn({p}: i32) -> i32: {body})"

    def closure_maker(self, t: str, depth: int) -> str:
        r = self.rng.random()
        if r < 0.4:
            return f"mk_adder({self.expr('i32', depth)})"
        if r < 0.7:
            return f"compose({self.arg(FN_I32, depth)}, {self.arg(FN_I32, depth)})"
        return self.lambda_i32(depth)

    def field(self, t: str, depth: int) -> str:
        options = [(s.name, fname) for s in self.env.structs.values() for fname, ft, _ in s.fields if ft == t]
        if not options:
            return self.leaf(t)
        sname, fname = self.rng.choice(options)
        return f"{self.expr(sname, depth)}.{fname}"

    def call_field(self, t: str, depth: int) -> str:
        """`v.f(x)` calls the function held in field f (spec 2.11: structs have no method f)."""
        options = [(s.name, f) for s in self.env.structs.values() for f, ft, _ in s.fields if ft == FN_I32]
        if not options:
            return self.leaf(t)
        sname, fname = self.rng.choice(options)
        return f"{self.expr(sname, depth)}.{fname}({self.expr('i32', depth)})"

    def method_get(self, t: str, depth: int) -> str:
        if not self.env.structs:
            return self.leaf(t)
        s = self.rng.choice(sorted(self.env.structs))
        return f"{self.expr(s, depth)}.get_a()"

    def method_describe(self, t: str, depth: int) -> str:
        if not self.env.structs:
            return self.leaf(t)
        s = self.rng.choice(sorted(self.env.structs))
        return f"{self.expr(s, depth)}.describe()"

    def static_make(self, t: str, depth: int) -> str:
        return f"{t}.make({self.expr('i32', depth)})"

