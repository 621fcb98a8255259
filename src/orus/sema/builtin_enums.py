"""The built-in generic enum `Result<T>` (spec 2.12), as the resolver binds it.

It behaves as if every file declared `enum Result<T>:` / `Ok(value: T)` /
`Err(message: string)` before its own declarations: a user `enum Result` (or an
imported one) hides it. Its EnumInfo has `decl` None, which is how later stages
recognise it.

Invariant: one Result Symbol per compilation (`make_result_enum` is called once
per program), so per-compilation state the checker stores on it never leaks.
"""

from __future__ import annotations

from orus.diag import Span
from orus.sema.scopes import EnumInfo, Symbol, SymKind, TypeParamRef
from orus.syntax import ast

BUILTIN_SPAN = Span("<builtin>", 0, 0)


def make_result_enum() -> Symbol:
    """A fresh ENUM Symbol for `Result<T>` with variants Ok(value: T) and Err(message: string)."""
    sym = Symbol("Result", SymKind.ENUM, None, is_global=True, is_pub=True)
    ok_type = ast.NamedType(BUILTIN_SPAN, ["T"])
    ok_type.sym = TypeParamRef(sym, 0, "T")
    err_type = ast.NamedType(BUILTIN_SPAN, ["string"])
    variants = {
        "Ok": ast.Variant(BUILTIN_SPAN, "Ok", [ast.Payload(BUILTIN_SPAN, "value", ok_type)]),
        "Err": ast.Variant(BUILTIN_SPAN, "Err", [ast.Payload(BUILTIN_SPAN, "message", err_type)]),
    }
    sym.info = EnumInfo(None, ["T"], variants)
    return sym
