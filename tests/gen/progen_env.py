"""The typing environment of the random program generator, and typed literals.

Types are represented by their annotation text (`i32`, `[i64]`, `S0`, `Opt<i32>`,
`fn(i32) -> i32`), so a type can be written into the program as it is.

Invariants the generator relies on (they make every program type-check by
construction):
  * every variable, function, label and binding gets a fresh name (`v12`, `f3`,
    `L4`), so `name = e` always declares (spec 2.2) and nothing is ever shadowed;
  * a variable is `assignable` only if it was declared `mut` and the generator
    does not rely on its value for termination (loop counters are not);
  * a literal is always written so that its type is its own: non-i32 integers
    carry a suffix, two-element array literals carry a trailing comma (spec 4.6:
    otherwise they are array-fill literals).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

INTS = ("i32", "i64", "u32", "u64")
SIGNED = ("i32", "i64")
NUMERIC = INTS + ("f64",)
SCALARS = NUMERIC + ("bool", "string")
ARRAYS = ("[i32]", "[i64]", "[f64]", "[string]", "[bool]", "[[i32]]")
SORTABLE = ("[i32]", "[i64]", "[f64]", "[string]", "[bool]")
FN_I32 = "fn(i32) -> i32"
OPT_TYPES = ("Opt<i32>", "Opt<string>")

WORDS = ("", "a", "orus", "hello world", "x y", "Zed", "abc", "tab\\there", "nl\\n", "q\\\"", "42", "mixed Case")
FLOATS = ("0.5", "2.5", "1.0", "3.25", "-1.5", "0.1", "100.0", "1e-5", "1e20", "6.022E23", "2.5e-2",
          "0.0", "-0.0", "123456789.123", "7.75", "1_000.5")


def is_int(t: str) -> bool:
    return t in INTS


def is_array(t: str) -> bool:
    return t.startswith("[")


def elem(t: str) -> str:
    """The element type of the array type `t`."""
    return t[1:-1]


@dataclass
class Var:
    name: str
    type: str
    assignable: bool = False


@dataclass
class FnSig:
    """A callable that returns a value: `name(args)` has type `ret`."""
    name: str
    params: list[str]
    ret: str


@dataclass
class StructDef:
    name: str
    fields: list[tuple[str, str, str | None]]          # name, type, default text (None: required)


@dataclass
class EnumDef:
    name: str
    variants: list[tuple[str, list[str]]]              # variant name, payload types


@dataclass
class Env:
    """Names in scope (a stack of scopes) plus the program's declarations."""
    scopes: list[list[Var]] = field(default_factory=lambda: [[]])
    structs: dict[str, StructDef] = field(default_factory=dict)
    enums: dict[str, EnumDef] = field(default_factory=dict)
    funcs: list[FnSig] = field(default_factory=list)
    counter: int = 0

    def fresh(self, prefix: str = "v") -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def push(self) -> None:
        self.scopes.append([])

    def pop(self) -> None:
        self.scopes.pop()

    def declare(self, name: str, t: str, assignable: bool = False) -> Var:
        var = Var(name, t, assignable)
        self.scopes[-1].append(var)
        return var

    def visible(self) -> list[Var]:
        return [v for scope in self.scopes for v in scope]

    def of_type(self, t: str) -> list[Var]:
        return [v for v in self.visible() if v.type == t]

    def types(self) -> list[str]:
        """Every type the generator may pick for a new value."""
        return list(SCALARS + ARRAYS) + list(self.structs) + list(self.enums) + list(OPT_TYPES) + [FN_I32]


class Literals:
    """Literal text of a given type (spec 1.6, 1.7, 3.2)."""

    def __init__(self, rng: random.Random, env: Env):
        self.rng = rng
        self.env = env

    def int_value(self, t: str) -> int:
        r = self.rng.random()
        if r < 0.015:
            return {"i32": 2147483647, "i64": 9223372036854775807, "u32": 4294967295,
                    "u64": 18446744073709551615}[t] - self.rng.randint(0, 3)
        if t in SIGNED and r < 0.3:
            return -self.rng.randint(1, 50)
        return self.rng.randint(0, 60)

    def of(self, t: str, depth: int = 2) -> str:
        if is_int(t):
            v = self.int_value(t)
            if t == "i32":
                return str(v) if self.rng.random() < 0.8 or v < 0 else hex(v)
            return f"{v}{t}"
        table = {"f64": lambda: self.rng.choice(FLOATS), "bool": lambda: self.rng.choice(("true", "false")),
                 "string": lambda: '"' + self.rng.choice(WORDS) + '"'}
        if t in table:
            return table[t]()
        if is_array(t):
            return self.array(t, depth)
        if t in self.env.structs:
            return self.struct(self.env.structs[t], depth)
        if t.startswith("Opt<"):
            inner = t[4:-1]
            return f"Opt.Some({self.of(inner, depth - 1)})"
        if t in self.env.enums:
            return self.enum(self.env.enums[t], depth)
        if t == FN_I32:
            k = self.rng.randint(0, 9)
            p = self.env.fresh("p")
            return f"(fn({p}: i32) -> i32: {p} {self.rng.choice('+-*')} {k})"
        raise ValueError(f"no literal for type {t}")

    def array(self, t: str, depth: int) -> str:
        n = self.rng.randint(1, 4) if depth > 0 else 1
        items = [self.of(elem(t), depth - 1) for _ in range(n)]
        return "[" + ", ".join(items) + ("," if n == 2 else "") + "]"

    def struct(self, s: StructDef, depth: int) -> str:
        parts = [f"{name}: {self.of(ft, depth - 1)}" for name, ft, default in s.fields
                 if default is None or self.rng.random() < 0.5]
        self.rng.shuffle(parts)
        return s.name + "{" + ", ".join(parts) + "}"

    def enum(self, e: EnumDef, depth: int) -> str:
        name, payload = self.rng.choice(e.variants)
        if not payload:
            return f"{e.name}.{name}"
        return f"{e.name}.{name}(" + ", ".join(self.of(p, depth - 1) for p in payload) + ")"

    def nonzero(self, t: str) -> str:
        """A positive literal divisor (never a constant zero, spec 4.1; never -1, which traps on MIN)."""
        if t == "f64":
            return self.rng.choice(("2.0", "0.5", "3.0", "1.5"))
        k = self.rng.randint(1, 9)
        return f"{k}{t}" if t != "i32" else str(k)
