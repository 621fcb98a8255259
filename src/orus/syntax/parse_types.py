"""Type expressions (spec 3.1, 9: `type`).

Type names are ordinary identifiers (spec 1.5). Inside a type argument list a
`>>` token closes two lists: the parser splits it into two `>` (spec 1.9).
"""

from __future__ import annotations

from dataclasses import replace

from orus.syntax import ast
from orus.syntax.parse_base import ParserBase
from orus.syntax.tokens import Token


class TypeParser(ParserBase):
    def parse_type(self, in_cast: bool = False) -> ast.TypeExpr:
        """type -> named_type | '[' type [',' (INT | IDENT)] ']' | 'fn' '(' [types] ')' ['->' type]"""
        self.enter()
        try:
            tok = self.peek()
            if tok.kind == "LBRACKET":
                ty = self._array_type()
            elif tok.kind == "FN":
                ty = self._fn_type()
            elif tok.kind == "IDENTIFIER":
                # After `as`, `<` and `[` are operators: `x as f64 < 2.5` (spec 4.8).
                ty = self._named_type(with_args=not in_cast)
            else:
                raise self.error(f"Expected a type, found {tok.describe()}")
            if not in_cast and self.at("QUESTION"):
                raise self.error("Optional types are not supported")
            return ty
        finally:
            self.leave()

    def _array_type(self) -> ast.ArrayType:
        """'[' type [',' (INT | IDENT)] ']'"""
        start = self.advance().span
        elem = self.parse_type()
        size = None
        if self.accept("COMMA"):
            tok = self.peek()
            if tok.kind == "INT":
                self.advance()
                size = ast.IntLit(tok.span, tok.value, tok.suffix, tok.text)
            elif tok.kind == "IDENTIFIER":
                self.advance()
                size = ast.Name(tok.span, tok.text)
            else:
                raise self.error(f"Expected an array size, found {tok.describe()}")
        self.expect("RBRACKET", "to close the array type")
        return ast.ArrayType(self.span_from(start), elem, size)

    def _fn_type(self) -> ast.FnType:
        """'fn' '(' [type {',' type}] ')' ['->' type]"""
        start = self.advance().span
        self.expect("LPAREN", "after 'fn' in a function type")
        params: list[ast.TypeExpr] = []
        if not self.at("RPAREN"):
            params.append(self.parse_type())
            while self.accept("COMMA"):
                params.append(self.parse_type())
        self.expect("RPAREN", "to close the parameter types")
        ret = self.parse_type() if self.accept("ARROW") else None
        return ast.FnType(self.span_from(start), params, ret)

    def _named_type(self, with_args: bool) -> ast.NamedType:
        """type_name ['<' type {',' type} '>' | '[' type {',' type} ']']"""
        first = self.advance()
        path = [first.text]
        while self.at("DOT"):
            self.advance()
            path.append(self.expect("IDENTIFIER", "after '.' in a type name").text)
        args: list[ast.TypeExpr] = []
        if with_args and self.accept("LT"):
            args = self._type_args()
            self._close_angle()
        elif with_args and self.accept("LBRACKET"):
            args = self._type_args()
            self.expect("RBRACKET", "to close the type arguments")
        return ast.NamedType(self.span_from(first.span), path, args)

    def _type_args(self) -> list[ast.TypeExpr]:
        args = [self.parse_type()]
        while self.accept("COMMA"):
            args.append(self.parse_type())
        return args

    def _close_angle(self) -> None:
        """'>' closing a type-argument list; the first half of a '>>' (spec 1.9)."""
        tok = self.peek()
        if tok.kind == "GT_GT":
            sp = tok.span
            half = replace(sp, col=sp.col + 1)
            self.toks[self.i] = Token("GT", ">", None, half)
            return
        self.expect("GT", "to close the type arguments")
