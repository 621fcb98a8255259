"""Text of values: print's default format (spec 4.3), assert_eq's representation (5.8),
deep equality (5.8), enum equality and typeof names (5.7), all chosen from the IR type.

`ValueText(module)` builds, once per IR type, a function `(value, active) -> bytes`;
`active` holds the ids of the arrays and structs being printed further out, so
a value met again inside itself prints `...` (4.3 cycles). Deep equality keeps
the pairs being compared the same way; a pair met again counts as equal.
"""

from __future__ import annotations

from typing import Callable

from orus.ir import types as T
from orus.ir.func import Module
from orus.semantics.floatfmt import format_f64, format_g
from orus.semantics.printfmt import quote_string

from orus.backend.interp.values import function_name

Fmt = Callable[[object, set], bytes]

_SCALAR_NAMES = {"str": "string"}


def type_name(ty: T.Type) -> str:
    """The name semantics functions use for a scalar IR type (`str` is `string`)."""
    return _SCALAR_NAMES.get(str(ty), str(ty))


def _int_text(v, active) -> bytes:
    return str(v).encode()


def _f64_text(v, active) -> bytes:
    return format_f64(v).encode()


def _bool_text(v, active) -> bytes:
    return b"true" if v else b"false"


def _str_text(v, active) -> bytes:
    return v


def _range_text(r, active) -> bytes:
    step = b"" if r.step == 1 else b" step=%d" % r.step
    return b"range(%d..%d%s)" % (r.cur, r.end, step)


def _fn_text(f, active) -> bytes:
    name = function_name(f)
    return b"<fn>" if name is None else b"<fn " + name.encode() + b">"


def _error_text(e, active) -> bytes:
    return b"Error: " + e.message.encode("utf-8", "surrogateescape")


_PRINT_SCALARS: dict[str, Fmt] = {
    "i32": _int_text, "i64": _int_text, "u32": _int_text, "u64": _int_text,
    "f64": _f64_text, "bool": _bool_text, "str": _str_text,
    "range": _range_text, "error": _error_text,
}


def _g_text(v, active) -> bytes:
    return format_g(v).encode()


def _quoted(v, active) -> bytes:
    return quote_string(v)


def _error_repr(e, active) -> bytes:
    return b"Error(" + e.message.encode("utf-8", "surrogateescape") + b")"


_REPR_SCALARS: dict[str, Fmt] = dict(_PRINT_SCALARS, f64=_g_text, str=_quoted, error=_error_repr,
                                     range=lambda r, active: b"<range>")


class ValueText:
    """Per-type formatters for one module: `show(ty)` for print, `repr(ty)` for assert_eq."""

    def __init__(self, module: Module):
        self.module = module
        self._cache: dict[tuple[bool, T.Type], Fmt] = {}

    def show(self, ty: T.Type) -> Fmt:
        return self._get(ty, False)

    def repr(self, ty: T.Type) -> Fmt:
        return self._get(ty, True)

    def _get(self, ty: T.Type, quoted: bool) -> Fmt:
        key = (quoted, ty)
        if key not in self._cache:
            self._cache[key] = lambda v, active: self._cache[key](v, active)  # recursive types
            self._cache[key] = self._build(ty, quoted)
        return self._cache[key]

    def _build(self, ty: T.Type, quoted: bool) -> Fmt:
        scalars = _REPR_SCALARS if quoted else _PRINT_SCALARS
        if str(ty) in scalars:
            return scalars[str(ty)]
        if isinstance(ty, T.Array):
            return self._array(self._get(ty.elem, quoted), quoted)
        if isinstance(ty, T.Struct):
            return self._struct(ty, quoted)
        if isinstance(ty, T.Enum):
            return self._enum(ty, quoted)
        if isinstance(ty, T.Fn):
            return _fn_text
        name = ty.name if isinstance(ty, T.Opaque) else str(ty)
        return lambda v, active: b"<" + name.encode() + b">"

    @staticmethod
    def _array(elem: Fmt, quoted: bool) -> Fmt:
        def text(a, active):
            if id(a) in active:
                return b"..."
            active.add(id(a))
            try:
                body = b", ".join([elem(x, active) for x in a])
            finally:
                active.discard(id(a))
            return b"[" + body + b"]" if quoted else body
        return text

    def _struct(self, ty: T.Struct, quoted: bool) -> Fmt:
        sdef = self.module.structs[ty.name]
        names = [n.encode() + b": " for n, _ in sdef.fields]
        fmts = [self._get(t, quoted) for _, t in sdef.fields]
        head = sdef.shown.encode() + b"{"

        def text(s, active):
            if id(s) in active:
                return b"..."
            active.add(id(s))
            try:
                parts = [n + f(v, active) for n, f, v in zip(names, fmts, s)]
            finally:
                active.discard(id(s))
            return head + b", ".join(parts) + b"}"
        return text

    def _enum(self, ty: T.Enum, quoted: bool) -> Fmt:
        edef = self.module.enums[ty.name]
        variants = [(f"{edef.display}.{name}".encode(), [self._get(t, quoted) for t in payload])
                    for name, payload in edef.variants]

        def text(e, active):
            head, fmts = variants[e[0]]
            if not fmts:
                return head
            return head + b"(" + b", ".join([f(v, active) for f, v in zip(fmts, e[1:])]) + b")"
        return text


# ---------------------------------------------------------------- equality
def _same(a, b, active) -> bool:
    return a is b


def _value_eq(a, b, active) -> bool:
    return a == b


class Equality:
    """`eq_op(ty)`: the `eq` op (identity for references, structural for enums);
    `deep(ty)`: assert_eq's deep equality."""

    def __init__(self, module: Module):
        self.module = module
        self._cache: dict[tuple[bool, T.Type], Callable] = {}

    def eq_op(self, ty: T.Type) -> Callable[[object, object, set], bool]:
        return self._get(ty, False)

    def deep(self, ty: T.Type) -> Callable[[object, object, set], bool]:
        return self._get(ty, True)

    def _get(self, ty: T.Type, deep: bool):
        key = (deep, ty)
        if key not in self._cache:
            self._cache[key] = lambda a, b, active: self._cache[key](a, b, active)
            self._cache[key] = self._build(ty, deep)
        return self._cache[key]

    def _build(self, ty: T.Type, deep: bool):
        if isinstance(ty, T.Prim):
            return _value_eq
        if isinstance(ty, T.Enum):
            return self._enum(ty, deep)
        if deep and isinstance(ty, T.Array):
            return self._pairwise(lambda a: a, self._get(ty.elem, True), lengths=True)
        if deep and isinstance(ty, T.Struct):
            fields = [self._get(t, True) for _, t in self.module.structs[ty.name].fields]
            return self._fields(fields)
        return _same

    @staticmethod
    def _pairwise(_, elem, lengths: bool):
        def eq(a, b, active):
            if a is b:
                return True
            if len(a) != len(b):
                return False
            key = (id(a), id(b))
            if key in active:
                return True
            active.add(key)
            try:
                return all(elem(x, y, active) for x, y in zip(a, b))
            finally:
                active.discard(key)
        return eq

    @staticmethod
    def _fields(fields):
        def eq(a, b, active):
            key = (id(a), id(b))
            if a is b or key in active:
                return True
            active.add(key)
            try:
                return all(f(x, y, active) for f, x, y in zip(fields, a, b))
            finally:
                active.discard(key)
        return eq

    def _enum(self, ty: T.Enum, deep: bool):
        edef = self.module.enums[ty.name]
        payloads = [[self._get(t, deep) for t in p] for _, p in edef.variants]

        def eq(a, b, active):
            if a[0] != b[0]:
                return False
            return all(f(x, y, active) for f, x, y in zip(payloads[a[0]], a[1:], b[1:]))
        return eq


# ---------------------------------------------------------------- typeof
_TYPEOF = {"str": "string", "range": "range_iterator", "task": "Task", "chan": "Channel"}


def typeof_name(ty: T.Type, module: Module) -> str:
    """typeof's text for a static type other than `error` (whose text depends on the value)."""
    if isinstance(ty, T.Array):
        return "array"
    if isinstance(ty, T.Struct):
        return module.structs[ty.name].shown
    if isinstance(ty, T.Enum):
        return module.enums[ty.name].display
    if isinstance(ty, T.Fn):
        return "function"
    name = ty.name if isinstance(ty, (T.Prim, T.Opaque)) else str(ty)
    return _TYPEOF.get(name, name)
