"""IR types: every SSA value has one, and it fixes the value's machine form.

The IR never sees the checker's types; irgen translates them into these
(generic functions are specialised first, so no type variables remain).

Spelling in IR text (parsed back by `ir/reader.py`):
    i32 i64 u32 u64 f64 bool str void      primitives (str is the Orus `string`)
    [T]                                    array of T, elements unboxed by T
    %Point                                 struct (layout in Module.structs)
    %Maybe<i32>                            enum instance (layout in Module.enums)
    fn(i32, str) -> bool                   function value (code pointer + environment)
    range  error  task<T>  chan<T>  cell<T>
"""

from __future__ import annotations

from dataclasses import dataclass

INT_NAMES = ("i32", "i64", "u32", "u64")
PRIM_NAMES = INT_NAMES + ("f64", "bool", "str", "void")
OPAQUE_NAMES = ("range", "error")
BOXES = ("task", "chan", "cell")


@dataclass(frozen=True, slots=True)
class Type:
    def __str__(self) -> str:  # pragma: no cover - every subclass overrides
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Prim(Type):
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class Array(Type):
    elem: Type

    def __str__(self) -> str:
        return f"[{self.elem}]"


@dataclass(frozen=True, slots=True)
class Struct(Type):
    name: str

    def __str__(self) -> str:
        return f"%{self.name}"


@dataclass(frozen=True, slots=True)
class Enum(Type):
    name: str                     # instantiated name, e.g. "Maybe<i32>"

    def __str__(self) -> str:
        return f"%{self.name}"


@dataclass(frozen=True, slots=True)
class Fn(Type):
    params: tuple[Type, ...]
    ret: Type

    def __str__(self) -> str:
        return f"fn({', '.join(map(str, self.params))}) -> {self.ret}"


@dataclass(frozen=True, slots=True)
class Opaque(Type):
    """range, error (no argument) and task<T>, chan<T>, cell<T> (one argument)."""

    name: str
    arg: Type | None = None

    def __str__(self) -> str:
        return self.name if self.arg is None else f"{self.name}<{self.arg}>"


I32, I64, U32, U64 = Prim("i32"), Prim("i64"), Prim("u32"), Prim("u64")
F64, BOOL, STR, VOID = Prim("f64"), Prim("bool"), Prim("str"), Prim("void")
RANGE, ERROR = Opaque("range"), Opaque("error")


def prim(name: str) -> Prim:
    assert name in PRIM_NAMES, name
    return Prim(name)


def cell(t: Type) -> Opaque:
    return Opaque("cell", t)


def is_int(t: Type) -> bool:
    return isinstance(t, Prim) and t.name in INT_NAMES


def is_signed(t: Type) -> bool:
    return isinstance(t, Prim) and t.name in ("i32", "i64")


def is_numeric(t: Type) -> bool:
    return is_int(t) or t == F64


def is_reference(t: Type) -> bool:
    """Values held by pointer: the collector scans them; `eq` on them compares identity."""
    return not isinstance(t, Prim) or t == STR


def int_width(t: Type) -> int:
    return 64 if t.name in ("i64", "u64") else 32


def signed_of(t: Type) -> Prim:
    """The signed type of the same width (unary minus on unsigned gives it, spec 3.3)."""
    return I64 if int_width(t) == 64 else I32
