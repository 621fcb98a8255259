"""Expressions: precedence climbing over the levels of spec 4.8 / 9.

Algorithm: `parse_binary(min)` is the loop of spec 9 (every operator associates
left; `as TYPE` is a postfix operator on the comparison level and two casts in a
row are an error); conditionals wrap it; unary, postfix and primary forms sit
below.

Invariants:
  * `-` directly before an unsuffixed integer literal token folds into a
    negative IntLit (spec 1.6); `-(5)` does not fold.
  * `call_depth` counts the call parentheses around the current position: the
    array-fill rule (spec 4.6) applies only where it is 0.
  * A `match` expression and a block lambda need NEWLINE/INDENT after their
    header, which the lexer never produces inside brackets, so they fail there
    with an ordinary syntax error (spec 1.4).
"""

from __future__ import annotations

from typing import Optional

from orus.syntax import ast
from orus.syntax.parse_types import TypeParser
from orus.syntax.tokens import SPELLING

BINARY_LEVELS = {
    "OR": 1, "AND": 2,
    "EQ_EQ": 3, "BANG_EQ": 3, "LT": 3, "LT_EQ": 3, "GT": 3, "GT_EQ": 3, "MATCHES": 3,
    "PIPE": 4, "CARET": 5, "AMP": 6, "LT_LT": 7, "GT_GT": 7,
    "PLUS": 8, "MINUS": 8, "STAR": 9, "SLASH": 9, "PERCENT": 9,
}
CAST_LEVEL = 3
MSG_CHAINED_CAST = ("Chained type casts are not allowed. Use parentheses like "
                    "'((a as type1) as type2)' or an intermediate variable for clarity.")
MSG_ASSIGN_IN_EXPR = "Assignment (=) cannot be used inside an expression; assignments are statements"


class ExprParser(TypeParser):
    def parse_expr(self) -> ast.Expr:
        """expr -> conditional"""
        self.enter()
        try:
            return self.parse_conditional()
        finally:
            self.leave()

    def parse_conditional(self) -> ast.Expr:
        """conditional -> binary ['if' binary 'else' conditional] | binary '?' conditional ':' conditional"""
        tok = self.peek()
        if tok.kind == "MATCH":
            return self.parse_match_expr()
        if tok.kind == "FN" and self.peek(1).kind == "LPAREN":
            return self.parse_lambda()
        left = self.parse_binary(1)
        if self.at("IF"):
            self.advance()
            cond = self.parse_binary(1)
            self.expect("ELSE", "in a conditional expression")
            other = self.parse_expr()
            return ast.Conditional(left.span.to(other.span), cond, left, other)
        if self.at("QUESTION"):
            self.advance()
            then = self.parse_expr()
            self.expect("COLON", "in a conditional expression")
            other = self.parse_expr()
            return ast.Conditional(left.span.to(other.span), left, then, other)
        return left

    def parse_binary(self, min_level: int) -> ast.Expr:
        """binary -> unary { binop unary | 'matches' mpattern | 'as' type }"""
        left = self.parse_unary()
        last_was_cast = False
        while True:
            tok = self.peek()
            level = BINARY_LEVELS.get(tok.kind)
            if level is not None and level >= min_level:
                self.advance()
                if tok.kind == "MATCHES":
                    right = self.parse_mpattern()
                    left = ast.Matches(left.span.to(right.span), left, right, tok.span)
                else:
                    right = self.parse_binary(level + 1)
                    left = ast.Binary(left.span.to(right.span), tok.text, left, right, tok.span)
                last_was_cast = False
            elif tok.kind == "AS" and CAST_LEVEL >= min_level:
                if last_was_cast:
                    raise self.error(MSG_CHAINED_CAST, tok.span)
                self.advance()
                target = self.parse_type(in_cast=True)
                left = ast.Cast(left.span.to(target.span), left, target, tok.span)
                last_was_cast = True
            else:
                return left

    def parse_mpattern(self) -> ast.Expr:
        """mpattern -> '_' | operand of level 4 or higher, where '_' may stand for an argument"""
        self.pattern_depth += 1
        try:
            return self.parse_binary(4)
        finally:
            self.pattern_depth -= 1

    def parse_unary(self) -> ast.Expr:
        """unary -> ('-' | 'not' | '~') unary | 'spawn' postfix | postfix"""
        tok = self.peek()
        if tok.kind in ("MINUS", "NOT", "TILDE"):
            self.enter()
            try:
                self.advance()
                lit = self.peek()
                operand = self.parse_unary()
            finally:
                self.leave()
            if (tok.kind == "MINUS" and isinstance(operand, ast.IntLit) and lit.kind == "INT"
                    and lit.suffix is None and operand.span is lit.span):
                return ast.IntLit(tok.span.to(operand.span), -operand.value, None, "-" + lit.text)
            return ast.Unary(tok.span.to(operand.span), tok.text, operand, tok.span)
        if tok.kind == "SPAWN":
            self.advance()
            call = self.parse_postfix()
            return ast.Spawn(tok.span.to(call.span), call, tok.span)
        return self.parse_postfix()

    # ------------------------------------------------------------ postfix
    def parse_postfix(self) -> ast.Expr:
        """postfix -> primary { call | index | slice | '.' IDENT | struct_literal }"""
        expr = self.parse_primary()
        while True:
            tok = self.peek()
            if tok.kind == "LPAREN":
                expr = self._call(expr)
            elif tok.kind == "LBRACKET":
                expr = self._index(expr)
            elif tok.kind == "DOT":
                self.advance()
                name = self.expect("IDENTIFIER", "after '.'")
                expr = ast.Field(expr.span.to(name.span), expr, name.text, name.span)
            elif tok.kind == "LBRACE" and tok.value == "struct":
                expr = self._struct_literal(expr)
            else:
                return expr

    def parse_args(self, closer: str = "RPAREN") -> list[ast.Expr]:
        """args -> [expr {',' expr}]   (no trailing comma, spec 2.15)"""
        args: list[ast.Expr] = []
        if self.at(closer):
            return args
        while True:
            args.append(self.parse_expr())
            if self.at("EQ"):
                raise self.error(MSG_ASSIGN_IN_EXPR)
            if not self.accept("COMMA"):
                return args
            if self.at(closer):
                raise self.error(f"Expected expression, found '{SPELLING[closer]}'")

    def _call(self, callee: ast.Expr) -> ast.Call:
        """call -> postfix '(' args ')'"""
        paren = self.advance()
        self.call_depth += 1
        try:
            args = self.parse_args()
        finally:
            self.call_depth -= 1
        self.expect("RPAREN", "to close the argument list")
        return ast.Call(self.span_from(callee.span), callee, args, paren.span)

    def _index(self, obj: ast.Expr) -> ast.Expr:
        """index -> postfix '[' expr ']' | postfix '[' [expr] ('..' | '..=') [expr] ['..' expr] ']'"""
        bracket = self.advance()
        start = None
        if not self.at("DOT_DOT", "DOT_DOT_EQ"):
            start = self.parse_expr()
            if not self.at("DOT_DOT", "DOT_DOT_EQ"):
                self.expect_bracket()
                return ast.Index(self.span_from(obj.span), obj, start, bracket.span)
        op = self.advance()
        inclusive = op.kind == "DOT_DOT_EQ"
        end = None if self.at("RBRACKET", "DOT_DOT") else self.parse_expr()
        if inclusive and end is None:
            raise self.error("A slice with '..=' needs an end index")
        step = None
        if self.at("DOT_DOT"):
            if end is None:
                raise self.error("A slice step requires an end index")
            self.advance()
            step = self.parse_expr()
        self.expect_bracket()
        return ast.Slice(self.span_from(obj.span), obj, start, end, inclusive, step, bracket.span)

    def _struct_literal(self, type_expr: ast.Expr) -> ast.StructLit:
        """struct_literal -> dotted '{' [IDENT ':' expr {',' IDENT ':' expr} [',']] '}'"""
        path = _dotted_path(type_expr)
        if path is None:
            raise self.error("Expected a struct name before '{'", type_expr.span)
        self.advance()
        fields: list[ast.FieldInit] = []
        while not self.at("RBRACE"):
            name = self.expect("IDENTIFIER", "(a field name) in the struct literal")
            self.expect("COLON", "after the field name")
            value = self.parse_expr()
            fields.append(ast.FieldInit(name.span.to(value.span), name.text, value))
            if not self.accept("COMMA"):
                break
        self.expect("RBRACE", "to close the struct literal")
        return ast.StructLit(self.span_from(type_expr.span), path, type_expr.span, fields)

    # ------------------------------------------------------------ primary
    def parse_primary(self) -> ast.Expr:
        """primary -> literal | IDENT | '(' expr ')' | array | lambda | match_expr | block_expr"""
        tok = self.peek()
        handler = _PRIMARY.get(tok.kind)
        if handler is None:
            raise self.error(f"Expected expression, found {tok.describe()}")
        return handler(self, tok)

    def _literal(self, tok) -> ast.Expr:
        """literal -> INT | FLOAT | STRING | 'true' | 'false'"""
        self.advance()
        if tok.kind == "INT":
            return ast.IntLit(tok.span, tok.value, tok.suffix, tok.text)
        if tok.kind == "FLOAT":
            return ast.FloatLit(tok.span, tok.value, tok.suffix, tok.text)
        if tok.kind == "STRING":
            return ast.StringLit(tok.span, tok.value)
        return ast.BoolLit(tok.span, tok.value)

    def _name(self, tok) -> ast.Expr:
        """name -> IDENT   (`_` inside a `matches` pattern is a Wildcard)"""
        self.advance()
        if tok.text == "_" and self.pattern_depth:
            return ast.Wildcard(tok.span)
        return ast.Name(tok.span, tok.text)

    def _paren(self, tok) -> ast.Expr:
        """paren -> '(' expr ')'   (no node of its own: `-(5)` stays a Unary)"""
        self.advance()
        inner = self.parse_expr()
        if self.at("EQ"):
            raise self.error(MSG_ASSIGN_IN_EXPR)
        self.expect("RPAREN", "to close the parenthesis")
        if isinstance(inner, ast.Field):
            inner.parenthesized = True
        return inner

    def _array(self, tok) -> ast.Expr:
        """array -> '[' [expr {',' expr} [',']] ']'   (two elements may be a fill, spec 4.6)"""
        self.advance()
        elements: list[ast.Expr] = []
        trailing = False
        count_tokens = 0
        while not self.at("RBRACKET"):
            before = self.i
            elements.append(self.parse_expr())
            count_tokens = self.i - before
            if self.at("EQ"):
                raise self.error(MSG_ASSIGN_IN_EXPR)
            if not self.accept("COMMA"):
                break
            trailing = True
            if self.at("RBRACKET"):
                break
            trailing = False
        self.expect_bracket()
        span = self.span_from(tok.span)
        if (len(elements) == 2 and not trailing and self.call_depth == 0 and count_tokens == 1
                and self.toks[self.i - 2].kind in ("INT", "IDENTIFIER")):
            return ast.ArrayFill(span, elements[0], elements[1])
        return ast.ArrayLit(span, elements, trailing)

    def _block_expr(self, tok) -> ast.Expr:
        """block_expr -> '{' statement {(NL | ';') statement} '}'"""
        self.enter()
        self.advance()
        self.block_depth += 1
        try:
            stmts = self.parse_stmts(("RBRACE",))
        finally:
            self.block_depth -= 1
            self.leave()
        if not stmts:
            raise self.error("Empty block", tok.span)
        self.expect("RBRACE", "to close the block expression")
        span = self.span_from(tok.span)
        return ast.BlockExpr(span, ast.Block(span, stmts))

    def _fn_primary(self, tok) -> ast.Expr:
        """primary -> lambda   (a lambda that is the operand of an operator)"""
        if self.peek(1).kind != "LPAREN":
            raise self.error("Expected '(' after 'fn' in a lambda", self.peek(1).span)
        return self.parse_lambda()

    def parse_lambda(self) -> ast.Lambda:
        """lambda -> 'fn' '(' [param {',' param}] ')' ['->' type] ':' (block | expr | simple_statement)"""
        kw = self.advance()
        params = self.parse_params()
        ret = self.parse_type() if self.accept("ARROW") else None
        self.expect_colon("lambda signature", self.prev().span)
        if self.at("NEWLINE"):
            body = self.parse_body(kw)
            return ast.Lambda(self.span_from(kw.span), params, ret, body, False)
        stmt = self.parse_lambda_line()
        body = ast.Block(stmt.span, [stmt])
        return ast.Lambda(self.span_from(kw.span), params, ret, body, isinstance(stmt, ast.ExprStmt))


def _dotted_path(expr: ast.Expr) -> Optional[list[str]]:
    """['geo', 'Point'] for `geo.Point`, None for anything but names joined by dots."""
    if isinstance(expr, ast.Name):
        return [expr.name]
    if isinstance(expr, ast.Field):
        base = _dotted_path(expr.obj)
        return None if base is None else base + [expr.name]
    return None


_PRIMARY = {
    "INT": ExprParser._literal, "FLOAT": ExprParser._literal, "STRING": ExprParser._literal,
    "TRUE": ExprParser._literal, "FALSE": ExprParser._literal,
    "IDENTIFIER": ExprParser._name, "LPAREN": ExprParser._paren, "LBRACKET": ExprParser._array,
    "LBRACE": ExprParser._block_expr, "FN": ExprParser._fn_primary,
    "MATCH": lambda self, tok: self.parse_match_expr(),
}
