"""Declarations: fn, struct, enum, impl, use and `pub` (spec 2.11, 2.12, 2.15, 7.2).

struct/enum/impl/use/pub are only allowed at module scope; `parse_statement`
rejects them inside blocks before dispatching here.
"""

from __future__ import annotations

from orus.syntax import ast
from orus.syntax.parse_stmt import StmtParser


class DeclParser(StmtParser):
    def parse_params(self) -> list[ast.Param]:
        """params -> '(' [IDENT [':' type] {',' IDENT [':' type]}] ')'   (no trailing comma)"""
        self.expect("LPAREN", "to start the parameter list")
        params: list[ast.Param] = []
        while not self.at("RPAREN"):
            name = self.expect("IDENTIFIER", "(a parameter name)")
            ty = self.parse_type() if self.accept("COLON") else None
            params.append(ast.Param(self.span_from(name.span), name.text, ty))
            if not self.accept("COMMA"):
                break
            if self.at("RPAREN"):
                raise self.error("Expected a parameter name, found ')'")
        self.expect("RPAREN", "to close the parameter list")
        return params

    def parse_fn_decl(self, is_pub: bool, start=None) -> ast.FnDecl:
        """fn_decl -> 'fn' IDENT '(' params ')' ['->' type] ':' block"""
        kw = self.advance()
        name = self.expect("IDENTIFIER", "(the function name) after 'fn'")
        params = self.parse_params()
        ret = self.parse_type() if self.accept("ARROW") else None
        self.expect_colon("function signature", self.prev().span)
        body = self.parse_body(kw)
        return ast.FnDecl(self.span_from(start or kw.span), name.text, name.span, params, ret, body,
                          is_pub)

    def _declaration_block(self, kw, name_span) -> None:
        """The ':' NL INDENT that opens a struct, enum or impl body."""
        self.expect_colon(f"{kw.text} declaration", name_span)
        if not self.accept("NEWLINE"):
            raise self.error(f"Expected the body of the {kw.text} on the following indented lines, "
                             f"found {self.peek().describe()}")
        if not self.at("INDENT"):
            raise self.indent_error(f"Expected an indented block after '{kw.text}'", self.peek().span)
        self.advance()

    def _end_item(self) -> None:
        if not self.at("DEDENT"):
            self.expect("NEWLINE", "after this item")

    def parse_struct(self, is_pub: bool, start=None) -> ast.StructDecl:
        """struct_decl -> 'struct' IDENT ':' NL INDENT { ['pub'] IDENT ':' type ['=' expr] NL } DEDENT"""
        kw = self.advance()
        name = self.expect("IDENTIFIER", "(the struct name) after 'struct'")
        self._declaration_block(kw, name.span)
        fields: list[ast.FieldDecl] = []
        while not self.at("DEDENT"):
            self.accept("PUB")
            fname = self.expect("IDENTIFIER", "(a field name)")
            self.expect("COLON", "after the field name")
            ty = self.parse_type()
            default = self.parse_expr() if self.accept("EQ") else None
            fields.append(ast.FieldDecl(self.span_from(fname.span), fname.text, ty, default))
            self._end_item()
        self.advance()
        return ast.StructDecl(self.span_from(start or kw.span), name.text, name.span, fields, is_pub)

    def parse_enum(self, is_pub: bool, start=None) -> ast.EnumDecl:
        """enum_decl -> 'enum' IDENT ['<' IDENT {',' IDENT} '>' | '[' ... ']'] ':' NL INDENT {variant NL} DEDENT"""
        kw = self.advance()
        name = self.expect("IDENTIFIER", "(the enum name) after 'enum'")
        type_params: list[str] = []
        closer = {"LT": "GT", "LBRACKET": "RBRACKET"}.get(self.peek().kind)
        if closer:
            self.advance()
            while True:
                type_params.append(self.expect("IDENTIFIER", "(a type parameter)").text)
                if not self.accept("COMMA"):
                    break
            self.expect(closer, "to close the type parameters")
        self._declaration_block(kw, self.prev().span)
        variants: list[ast.Variant] = []
        while not self.at("DEDENT"):
            variants.append(self._variant())
            self._end_item()
        self.advance()
        return ast.EnumDecl(self.span_from(start or kw.span), name.text, name.span, type_params,
                            variants, is_pub)

    def _variant(self) -> ast.Variant:
        """variant -> IDENT ['(' [payload {',' payload}] ')'];  payload -> [IDENT ':'] type"""
        name = self.expect("IDENTIFIER", "(a variant name)")
        payloads: list[ast.Payload] = []
        if self.accept("LPAREN"):
            while not self.at("RPAREN"):
                start = self.peek().span
                label = None
                if self.at("IDENTIFIER") and self.peek(1).kind == "COLON":
                    label = self.advance().text
                    self.advance()
                ty = self.parse_type()
                payloads.append(ast.Payload(self.span_from(start), label, ty))
                if not self.accept("COMMA"):
                    break
            self.expect("RPAREN", "to close the variant's payload list")
        return ast.Variant(self.span_from(name.span), name.text, payloads)

    def parse_impl(self) -> ast.ImplDecl:
        """impl_decl -> 'impl' dotted ':' NL INDENT { ['pub'] fn_decl } DEDENT"""
        kw = self.advance()
        first = self.expect("IDENTIFIER", "(the struct name) after 'impl'")
        path = [first.text]
        while self.accept("DOT"):
            path.append(self.expect("IDENTIFIER", "after '.'").text)
        type_span = self.span_from(first.span)
        self._declaration_block(kw, type_span)
        methods: list[ast.FnDecl] = []
        while not self.at("DEDENT"):
            pub = self.accept("PUB")
            if not self.at("FN"):
                raise self.error(f"Expected a method ('fn') in the impl block, found "
                                 f"{self.peek().describe()}")
            methods.append(self.parse_fn_decl(pub is not None, pub.span if pub else None))
            if self.prev().kind != "DEDENT":
                self._end_item()
        self.advance()
        return ast.ImplDecl(self.span_from(kw.span), path, type_span, methods)

    def parse_use(self) -> ast.Use:
        """use_decl -> 'use' dotted ['as' IDENT] [':' IDENT ['as' IDENT] {',' IDENT ['as' IDENT]}]"""
        kw = self.advance()
        path = [self.expect("IDENTIFIER", "(a module name) after 'use'").text]
        while self.accept("DOT"):
            path.append(self.expect("IDENTIFIER", "after '.' in the module path").text)
        alias = self.expect("IDENTIFIER", "after 'as'").text if self.accept("AS") else None
        names: list[ast.UseName] = []
        if self.accept("COLON"):
            while True:
                name = self.expect("IDENTIFIER", "(a name to import)")
                local = self.expect("IDENTIFIER", "after 'as'").text if self.accept("AS") else None
                names.append(ast.UseName(self.span_from(name.span), name.text, local))
                if not self.accept("COMMA"):
                    break
        return ast.Use(self.span_from(kw.span), path, alias, names)

    def parse_pub(self) -> list[ast.Stmt]:
        """pub_decl -> 'pub' (fn_decl | struct_decl | enum_decl | const_decl | binding {',' binding})"""
        kw = self.advance()
        kind = self.peek().kind
        if kind == "FN":
            return [self.parse_fn_decl(True, kw.span)]
        if kind == "STRUCT":
            return [self.parse_struct(True, kw.span)]
        if kind == "ENUM":
            return [self.parse_enum(True, kw.span)]
        if kind not in ("IDENTIFIER", "MUT"):
            raise self.error(f"Expected a declaration after 'pub', found {self.peek().describe()}")
        stmts = self.parse_bindings()
        for stmt in stmts:
            if not isinstance(stmt, (ast.Let, ast.Assign, ast.ConstDecl)):
                raise self.error("Expected a declaration after 'pub'", stmt.span)
            stmt.is_pub = True
        stmts[0].span = kw.span.to(stmts[0].span)
        return stmts
