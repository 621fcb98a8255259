"""Statements, bodies and `match` (spec 2.2-2.10, 2.13, 2.19, 9).

A statement list is parsed line by line: after each statement comes `;`, NEWLINE,
the end of the enclosing block, or nothing when the statement itself ended with
an indented block (its last token is a DEDENT). Anything else left on the line is
a syntax error (spec 1.4, Q35).

Bodies after `:` are either `NEWLINE INDENT statements DEDENT` or an inline list
of simple statements separated by `;` (spec 2.5).
"""

from __future__ import annotations

from orus.diag import HELP_CONST_NAME, HELP_PRINT_COMMA, CompileError, Span, syntax_error
from orus.syntax import ast
from orus.syntax.parse_expr import MSG_ASSIGN_IN_EXPR, ExprParser

COMPOUND_OPS = ("PLUS_EQ", "MINUS_EQ", "STAR_EQ", "SLASH_EQ", "PERCENT_EQ")
ASSIGN_OPS = ("EQ",) + COMPOUND_OPS
EXPR_STARTS = frozenset(("INT", "FLOAT", "STRING", "TRUE", "FALSE", "IDENTIFIER", "LPAREN",
                         "LBRACKET", "LBRACE", "FN", "MATCH", "MINUS", "NOT", "TILDE", "SPAWN"))
MSG_STRAY_INDENT = "It looks like this line is indented, but there's no open block above it."
MSG_IF_ASSIGN = ("Did you mean '==' instead of '=' in this if condition? Assignment (=) used where "
                 "comparison (==) was likely intended")
T_PRINT_COMMA = "Print arguments need commas between them"


class StmtParser(ExprParser):
    # ------------------------------------------------------------ statement lists
    def parse_stmts(self, end_kinds: tuple) -> list[ast.Stmt]:
        """statements -> { statement (NL | ';') } up to one of end_kinds"""
        stmts: list[ast.Stmt] = []
        while True:
            tok = self.peek()
            if tok.kind in end_kinds or tok.kind == "EOF":
                return stmts
            if tok.kind == "INDENT":
                raise self.indent_error(MSG_STRAY_INDENT, tok.span)
            if tok.kind in ("NEWLINE", "SEMICOLON"):
                raise self.error(f"Expected a statement, found {tok.describe()}")
            stmts.extend(self.parse_statement())
            self.end_statement(end_kinds)

    def end_statement(self, end_kinds: tuple) -> None:
        """What may follow a statement: ';', NEWLINE, the block's end, or nothing after a DEDENT."""
        if self.i > 0 and self.prev().kind == "DEDENT":
            return
        if self.accept("SEMICOLON"):
            self.accept("NEWLINE")
            return
        if self.accept("NEWLINE"):
            return
        if self.at(*end_kinds) or self.at("EOF"):
            return
        tok = self.peek()
        if tok.kind in ASSIGN_OPS:
            raise self.error(MSG_ASSIGN_IN_EXPR)
        raise self.error(f"Expected the end of the statement, found {tok.describe()}; "
                         "separate statements on one line with ';'")

    def parse_body(self, kw) -> ast.Block:
        """block -> NL INDENT statement {(NL | ';') statement} DEDENT | simple_statement {';' simple_statement}"""
        self.block_depth += 1
        self.enter()
        try:
            if self.accept("NEWLINE"):
                if not self.at("INDENT"):
                    raise self.indent_error(f"Expected an indented block after '{kw.text}'",
                                            self.peek().span)
                start = self.advance().span
                stmts = self.parse_stmts(("DEDENT",))
                self.expect("DEDENT", "at the end of the block")
                return ast.Block(start.to(stmts[-1].span) if stmts else start, stmts)
            start = self.peek().span
            stmts = self.parse_simple()
            while self.accept("SEMICOLON"):
                if self.at_line_end():
                    break
                stmts.extend(self.parse_simple())
            return ast.Block(self.span_from(start), stmts)
        finally:
            self.leave()
            self.block_depth -= 1

    def continues(self, kind: str) -> bool:
        """Is the next clause `kind` (`elif`, `else`, `catch`), after an inline body's NEWLINE too?"""
        if self.at(kind):
            return True
        if self.at("NEWLINE") and self.peek(1).kind == kind:
            self.advance()
            return True
        return False

    # ------------------------------------------------------------ dispatch
    def parse_statement(self) -> list[ast.Stmt]:
        """statement -> declaration | if | while | for | try | labelled loop | simple_statement"""
        tok = self.peek()
        if tok.kind in ("STRUCT", "ENUM", "IMPL", "USE", "PUB") and self.block_depth:
            raise self.error(f"'{tok.text}' declarations are only allowed at module scope", tok.span)
        if tok.kind == "FN" and self.peek(1).kind == "IDENTIFIER":
            return [self.parse_fn_decl(False)]
        handler = _COMPOUND.get(tok.kind)
        if handler is not None:
            return handler(self)
        return self.parse_simple()

    def parse_simple(self) -> list[ast.Stmt]:
        """simple_statement -> print | return | break | continue | pass | yield | bindings | assignment | expr"""
        tok = self.peek()
        handler = _SIMPLE.get(tok.kind)
        if handler is not None:
            return [handler(self)]
        declares = tok.kind == "IDENTIFIER" and self.peek(1).kind in ("COLON", "COLON_EQ")
        if tok.kind == "MUT" or declares:
            return self.parse_bindings()
        expr = self.parse_expr()
        if self.at("COMMA") and isinstance(expr, ast.Name):
            return [self._destructure(ast.DestructTarget(expr.span, expr.name, False))]
        if self.at(*ASSIGN_OPS):
            first = self._assignment(expr)
            return self._more_bindings([first])
        return [ast.ExprStmt(expr.span, expr)]

    def parse_lambda_line(self) -> ast.Stmt:
        """lambda_line -> simple_statement (one, no binding list)"""
        tok = self.peek()
        if tok.kind == "RETURN" and self.call_depth:
            # inside an argument list the body ends at the next ',' (spec 2.16)
            kw = self.advance()
            values = [] if self.at_line_end() or self.at("COMMA", "RPAREN") else [self.parse_expr()]
            return ast.Return(self.span_from(kw.span), values)
        handler = _SIMPLE.get(tok.kind)
        if handler is not None:
            return handler(self)
        if tok.kind == "MUT":
            return self._binding()
        expr = self.parse_expr()
        if self.at(*ASSIGN_OPS):
            return self._assignment(expr)
        return ast.ExprStmt(expr.span, expr)

    # ------------------------------------------------------------ bindings
    def parse_bindings(self) -> list[ast.Stmt]:
        """bindings -> binding {',' binding} | const_decl | destructure"""
        first = self._binding()
        if isinstance(first, ast.DestructTarget):
            return [self._destructure(first)]
        if isinstance(first, ast.ConstDecl):
            return [first]
        return self._more_bindings([first])

    def _more_bindings(self, stmts: list) -> list[ast.Stmt]:
        """The `, b = 2, mut c = 3` continuation of a binding list (spec 2.2)."""
        while self.at("COMMA"):
            last = stmts[-1]
            single = isinstance(last, ast.Let) or (
                isinstance(last, ast.Assign) and last.op == "=" and len(last.targets) == 1
                and isinstance(last.targets[0], ast.Name))
            if not single:
                raise self.error(f"Expected the end of the statement, found {self.peek().describe()}")
            self.advance()
            nxt = self._binding()
            if not isinstance(nxt, (ast.Let, ast.Assign)):
                raise self.error("Expected a binding such as 'name = value' after ','", nxt.span)
            stmts.append(nxt)
        return stmts

    def _binding(self):
        """binding -> ['mut'] IDENT [':' type] ('=' | ':=') expr   (or the first destructuring target)"""
        mut = self.accept("MUT")
        name = self.expect("IDENTIFIER", "(a variable name)")
        start = (mut or name).span
        if self.at("COMMA"):
            return ast.DestructTarget(self.span_from(start), name.text, mut is not None)
        ty = self.parse_type() if self.accept("COLON") else None
        if self.at("COLON_EQ") and mut is None:
            return self._const(name, ty)
        if mut is None and ty is None:
            return self._assignment(ast.Name(name.span, name.text))
        self.expect("EQ", "in the variable declaration")
        value = self.parse_expr()
        return ast.Let(self.span_from(start), name.text, name.span, mut is not None, ty, value)

    def _const(self, name, ty) -> ast.ConstDecl:
        """const_decl -> IDENT [':' type] ':=' expr   (IDENT starts with A-Z)"""
        self.advance()
        if not ("A" <= name.text[0] <= "Z"):
            raise CompileError(syntax_error(
                f"Invalid variable name '{name.text}': module constants must start with an "
                "uppercase letter", name.span, "This isn't a valid variable name", HELP_CONST_NAME))
        value = self.parse_expr()
        return ast.ConstDecl(self.span_from(name.span), name.text, name.span, ty, value)

    def _assignment(self, first: ast.Expr) -> ast.Assign:
        """assignment -> { place '=' } place ('=' | '+=' | '-=' | '*=' | '/=' | '%=') expr"""
        targets = [first]
        while True:
            op = self.advance()
            value = self.parse_expr()
            if not self.at(*ASSIGN_OPS):
                break
            if op.kind != "EQ":
                raise self.error("A compound assignment can only be the last link of an "
                                 "assignment chain", op.span)
            targets.append(value)
        for target in targets:
            if not isinstance(target, (ast.Name, ast.Index, ast.Field)):
                raise self.error("Cannot assign to this expression", target.span)
        return ast.Assign(first.span.to(value.span), targets, op.text, value, op.span)

    def _destructure(self, first: ast.DestructTarget) -> ast.Destructure:
        """destructure -> target ',' target {',' target} '=' expr"""
        targets = [first]
        while self.accept("COMMA"):
            mut = self.accept("MUT")
            name = self.expect("IDENTIFIER", "(a name to unpack into)")
            targets.append(ast.DestructTarget(self.span_from((mut or name).span), name.text,
                                              mut is not None))
        self.expect("EQ", "after the names to unpack into")
        value = self.parse_expr()
        return ast.Destructure(first.span.to(value.span), targets, value)

    # ------------------------------------------------------------ simple keywords
    def _print(self) -> ast.Print:
        """print -> 'print' '(' [expr {',' expr}] ')'"""
        kw = self.advance()
        self.expect("LPAREN", "after 'print'")
        args: list[ast.Expr] = []
        while not self.at("RPAREN"):
            args.append(self.parse_expr())
            tok = self.peek()
            if tok.kind == "COMMA":
                self.advance()
                if self.at("RPAREN"):
                    raise self.error("Expected expression, found ')'")
            elif tok.kind in ASSIGN_OPS:
                raise self.error(MSG_ASSIGN_IN_EXPR)
            elif tok.kind in EXPR_STARTS:
                raise CompileError(syntax_error(
                    f"I was expecting a comma before \"{tok.text}\" so the next value is clear.",
                    tok.span, T_PRINT_COMMA, HELP_PRINT_COMMA))
            else:
                break
        self.expect("RPAREN", "to close the print arguments")
        return ast.Print(self.span_from(kw.span), args)

    def _return(self) -> ast.Return:
        """return -> 'return' [expr {',' expr}]"""
        kw = self.advance()
        values: list[ast.Expr] = []
        if not self.at_line_end():
            values.append(self.parse_expr())
            while self.accept("COMMA"):
                values.append(self.parse_expr())
        return ast.Return(self.span_from(kw.span), values)

    def _label_ref(self):
        """label_ref -> ["'" IDENT]"""
        if self.accept("APOSTROPHE"):
            return self.expect("IDENTIFIER", "(a loop label) after \"'\"").text
        return None

    def _break(self) -> ast.Break:
        """break -> 'break' ["'" IDENT]"""
        kw = self.advance()
        return ast.Break(self.span_from(kw.span), self._label_ref())

    def _continue(self) -> ast.Continue:
        """continue -> 'continue' ["'" IDENT]"""
        kw = self.advance()
        return ast.Continue(self.span_from(kw.span), self._label_ref())

    def _pass(self) -> ast.Pass:
        """pass -> 'pass'"""
        return ast.Pass(self.advance().span)

    def _yield(self) -> ast.YieldStmt:
        """yield -> 'yield'   (spec 11.1)"""
        return ast.YieldStmt(self.advance().span)

    # ------------------------------------------------------------ compound statements
    def condition(self, kw) -> ast.Expr:
        """condition -> expr   (a following '=' gets the if-specific message, spec 2.4)"""
        cond = self.parse_expr()
        if self.at("EQ"):
            raise self.error(MSG_IF_ASSIGN if kw.kind in ("IF", "ELIF") else MSG_ASSIGN_IN_EXPR)
        return cond

    def _if(self) -> list[ast.Stmt]:
        """if_stmt -> 'if' expr ':' block {'elif' expr ':' block} ['else' ':' block]"""
        first = self.peek()
        branches = []
        while True:
            kw = self.advance()
            cond = self.condition(kw)
            self.expect_colon(f"{kw.text} statement", cond.span)
            body = self.parse_body(kw)
            branches.append(ast.IfBranch(self.span_from(kw.span), cond, body))
            if not self.continues("ELIF"):
                break
        else_body = None
        if self.continues("ELSE"):
            kw = self.advance()
            self.expect_colon("else", kw.span)
            else_body = self.parse_body(kw)
        return [ast.If(self.span_from(first.span), branches, else_body)]

    def _labelled(self) -> list[ast.Stmt]:
        """labelled_loop -> "'" IDENT ':' (while_stmt | for_stmt)"""
        start = self.advance().span
        label = self.expect("IDENTIFIER", "(a loop label) after \"'\"").text
        self.expect("COLON", "after the loop label")
        if self.at("WHILE"):
            return [self._while(label, start)]
        if self.at("FOR"):
            return [self._for(label, start)]
        raise self.error(f"Expected 'for' or 'while' after a loop label, found {self.peek().describe()}")

    def _while(self, label=None, start=None) -> ast.While:
        """while_stmt -> 'while' expr ':' block"""
        kw = self.advance()
        cond = self.condition(kw)
        self.expect_colon("while statement", cond.span)
        body = self.parse_body(kw)
        return ast.While(self.span_from(start or kw.span), label, cond, body, kw.span)

    def _for(self, label=None, start=None) -> ast.For:
        """for_stmt -> 'for' IDENT {',' IDENT} 'in' (range | expr) ':' block"""
        kw = self.advance()
        targets = []
        while True:
            name = self.expect("IDENTIFIER", "(a loop variable) after 'for'")
            targets.append(ast.LoopTarget(name.span, name.text))
            if not self.accept("COMMA"):
                break
        self.expect("IN", "after the loop variables")
        iterable = self.parse_expr()
        if self.at("DOT_DOT", "DOT_DOT_EQ"):
            inclusive = self.advance().kind == "DOT_DOT_EQ"
            end = self.parse_expr()
            step = self.parse_expr() if self.accept("DOT_DOT") else None
            iterable = ast.RangeSpec(self.span_from(iterable.span), iterable, end, inclusive, step)
        self.expect_colon("for statement", self.prev().span)
        body = self.parse_body(kw)
        return ast.For(self.span_from(start or kw.span), label, targets, iterable, body, kw.span)

    def _try(self) -> list[ast.Stmt]:
        """try_stmt -> 'try' ':' block 'catch' [IDENT] ':' block"""
        kw = self.advance()
        self.expect_colon("try", kw.span)
        body = self.parse_body(kw)
        if not self.continues("CATCH"):
            raise self.error(f"Expected 'catch' after the try block, found {self.peek().describe()}")
        catch = self.advance()
        name = self.accept("IDENTIFIER")
        self.expect_colon("catch", (name or catch).span)
        handler = self.parse_body(catch)
        return [ast.Try(self.span_from(kw.span), body, name.text if name else None, catch.span,
                        handler)]

    # ------------------------------------------------------------ match
    def parse_match_expr(self) -> ast.MatchExpr:
        """match_expr -> 'match' expr ':' NL INDENT { pattern '->' arm_body NL } DEDENT"""
        kw = self.advance()
        scrutinee = self.parse_expr()
        colon = self.expect_colon("match expression", scrutinee.span).span
        if not self.accept("NEWLINE"):
            after = Span(colon.file, colon.line, colon.end_col, colon.line, colon.end_col + 1)
            raise self.error("A 'match' header must end its line: write each arm on its own "
                             "indented line below it", after)
        if not self.at("INDENT"):
            raise self.indent_error("Expected an indented block after 'match'", self.peek().span)
        self.advance()
        self.enter()
        try:
            arms = []
            while not self.at("DEDENT", "EOF"):
                if self.at("INDENT"):
                    raise self.indent_error(MSG_STRAY_INDENT, self.peek().span)
                arms.append(self._arm())
            self.expect("DEDENT", "after the match arms")
        finally:
            self.leave()
        return ast.MatchExpr(self.span_from(kw.span), scrutinee, arms, kw.span)

    def _arm(self) -> ast.MatchArm:
        """arm -> pattern '->' (expr | simple_statement | NL INDENT statements DEDENT)"""
        pattern = self.parse_pattern()
        arrow = self.expect("ARROW", "after the match pattern")
        if self.at("NEWLINE"):
            body = self.parse_body(arrow)
            return ast.MatchArm(self.span_from(pattern.span), pattern, body, False)
        self.block_depth += 1
        try:
            stmts = self.parse_simple()
        finally:
            self.block_depth -= 1
        if self.at("SEMICOLON"):
            raise self.error("A one-line match arm holds a single statement; it cannot be "
                             "followed by ';'")
        body = ast.Block(self.span_from(stmts[0].span), stmts)
        if self.prev().kind != "DEDENT" and not self.at("DEDENT", "EOF"):
            self.expect("NEWLINE", "after the match arm")
        return ast.MatchArm(self.span_from(pattern.span), pattern, body, True)

    def parse_pattern(self) -> ast.Pattern:
        """pattern -> '_' | literal | '-' number | dotted ['(' [binding {',' binding}] ')']"""
        tok = self.peek()
        if tok.kind == "IDENTIFIER" and tok.text == "_" and self.peek(1).kind != "DOT":
            self.advance()
            return ast.WildcardPat(tok.span)
        if tok.kind == "MINUS":
            self.advance()
            num = self.peek()
            if num.kind not in ("INT", "FLOAT"):
                raise self.error(f"Expected a number after '-' in a pattern, found {num.describe()}")
            self.advance()
            cls = ast.IntLit if num.kind == "INT" else ast.FloatLit
            lit = cls(tok.span.to(num.span), -num.value, num.suffix, "-" + num.text)
            return ast.LiteralPat(lit.span, lit)
        if tok.kind in ("INT", "FLOAT", "STRING", "TRUE", "FALSE"):
            lit = self._literal(tok)
            return ast.LiteralPat(lit.span, lit)
        if tok.kind == "IDENTIFIER":
            return self._variant_pattern()
        raise self.error(f"Expected a pattern, found {tok.describe()}")

    def _variant_pattern(self) -> ast.VariantPat:
        first = self.advance()
        path = [first.text]
        while self.accept("DOT"):
            path.append(self.expect("IDENTIFIER", "after '.' in the pattern").text)
        bindings = None
        if self.accept("LPAREN"):
            bindings = []
            while not self.at("RPAREN"):
                name = self.expect("IDENTIFIER", "(a binding name or '_') in the pattern")
                bindings.append(ast.BindingPat(name.span, name.text))
                if not self.accept("COMMA"):
                    break
            self.expect("RPAREN", "to close the pattern")
        return ast.VariantPat(self.span_from(first.span), path, bindings)


_SIMPLE = {
    "PRINT": StmtParser._print, "RETURN": StmtParser._return, "BREAK": StmtParser._break,
    "CONTINUE": StmtParser._continue, "PASS": StmtParser._pass, "YIELD": StmtParser._yield,
}
_COMPOUND = {
    "IF": StmtParser._if, "WHILE": lambda self: [self._while()], "FOR": lambda self: [self._for()],
    "TRY": StmtParser._try, "APOSTROPHE": StmtParser._labelled,
    "STRUCT": lambda self: [self.parse_struct(False)], "ENUM": lambda self: [self.parse_enum(False)],
    "IMPL": lambda self: [self.parse_impl()], "USE": lambda self: [self.parse_use()],
    "PUB": lambda self: self.parse_pub(),
}
