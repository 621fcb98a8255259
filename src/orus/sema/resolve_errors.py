"""The diagnostics of name resolution, worded as spec 6.2 lists them.

Shared by the resolver's statement, expression and declaration parts so each
message is spelled in exactly one place.
"""

from __future__ import annotations

from typing import Optional

from orus import diag
from orus.diag import Span

T_UNDEFINED = "Can't find this variable"
T_IMMUTABLE = "This variable needs to be mutable"
T_TAKEN = "This variable name is already taken"
T_UNKNOWN_TYPE = "Type not recognized"


def undefined(name: str, span: Optional[Span]) -> diag.Diagnostic:
    return diag.syntax_error(f"Undefined variable '{name}'. Variables must be declared before use.",
                             span, T_UNDEFINED, diag.HELP_UNDEFINED)


def immutable(name: str, span: Optional[Span]) -> diag.Diagnostic:
    return diag.syntax_error(f"Cannot assign to immutable variable '{name}'. Add 'mut' when declaring it.",
                             span, T_IMMUTABLE, diag.HELP_IMMUTABLE)


def redeclared(word: str, name: str, line: int, span: Optional[Span]) -> diag.Diagnostic:
    return diag.syntax_error(f"{word} '{name}' is already defined on line {line}",
                             span, T_TAKEN, diag.HELP_REDEFINED)


def unknown_type(text: str, span: Optional[Span]) -> diag.Diagnostic:
    return diag.type_error(f"this is a `{text}`, but `valid type` was expected", span,
                           T_UNKNOWN_TYPE, diag.HELP_UNKNOWN_TYPE)


def no_export(module_name: str, name: str, span: Optional[Span]) -> diag.Diagnostic:
    return diag.module_error(f"module '{module_name}' does not export '{name}'", span)


def foreign_impl(struct_name: str, span: Optional[Span]) -> diag.Diagnostic:
    return diag.module_error(
        f"Cannot add methods to '{struct_name}' outside the module that declares it", span)


def no_variant(enum_name: str, name: str, span: Optional[Span]) -> diag.Diagnostic:
    return diag.type_error(f"Enum '{enum_name}' has no variant '{name}'", span)
