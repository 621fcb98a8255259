"""The Orus parser: tokens to an `ast.Module` (spec 2, 9).

The productions live in mixins, one file per topic: `parse_types` (types),
`parse_expr` (expressions), `parse_stmt` (statements, bodies, match) and
`parse_decl` (declarations). This module joins them and is the public entry.

A lexical or syntax error stops the file: `parse` raises CompileError with the
first one (spec 6.2). No other exception escapes, whatever the input.
"""

from __future__ import annotations

import sys

from orus.syntax import ast
from orus.syntax.lexer import lex
from orus.syntax.parse_decl import DeclParser


class Parser(DeclParser):
    def parse_module(self) -> ast.Module:
        """program -> { statement (NL | ';') } EOF"""
        body = self.parse_stmts(("EOF",))
        self.expect("EOF")
        end = self.peek().span
        return ast.Module(ast.Span(self.path, 1, 1, end.line, end.col), self.path, body)


# Parsing recurses once per nesting level (bounded by MAX_NESTING); make sure the
# interpreter's limit leaves room for that on top of the caller's own frames.
_RECURSION_NEEDED = 20000


def parse(source: bytes, path: str) -> ast.Module:
    """Parse one file; raises CompileError on its first lexical or syntax error."""
    tokens = lex(source, path)
    old = sys.getrecursionlimit()
    if old < _RECURSION_NEEDED:
        sys.setrecursionlimit(_RECURSION_NEEDED)
    try:
        return Parser(tokens, path).parse_module()
    finally:
        if old < _RECURSION_NEEDED:
            sys.setrecursionlimit(old)
