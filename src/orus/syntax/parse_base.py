"""The parser's token cursor, error helpers and nesting guard.

The concrete parser (`parser.Parser`) mixes this base with the statement,
expression, declaration and type productions. Every production consumes tokens
only through `peek`/`advance`/`accept`/`expect`, so a lexical ERROR token is
raised exactly when the parser reaches it: a syntax error earlier in the file is
reported first (spec 6.2, only the first error of a file is reported).

Invariants: `self.i` indexes the next token; the list always ends with EOF or
ERROR, which `peek` never moves past.
"""

from __future__ import annotations

from typing import Optional

from orus.diag import HELP_BRACKET, HELP_INDENT, CompileError, Span, syntax_error
from orus.syntax.tokens import DEDENT, EOF, ERROR, NEWLINE, SPELLING, Token

# Nesting levels (brackets, blocks, unary operators, type arguments) a file may use;
# deeper input gets a diagnostic instead of exhausting Python's recursion limit.
MAX_NESTING = 1000
_LOOKAHEAD = 3
T_MISSING = "Something's missing here"
T_INDENT = "Indentation looks off"
HELP_COLON = ("Try adding a ':' at the end of this line.", None)


class ParserBase:
    def __init__(self, tokens: list[Token], path: str):
        self.last = len(tokens) - 1
        # Copies of the final token let `peek(k)` index without bounds checks.
        self.toks = tokens + [tokens[-1]] * _LOOKAHEAD
        self.path = path
        self.i = 0
        self.nesting = 0
        self.call_depth = 0          # > 0 inside the parentheses of a call (array-fill rule)
        self.block_depth = 0         # > 0 inside any block: struct/enum/impl/use/pub forbidden
        self.pattern_depth = 0       # > 0 inside a `matches` pattern: `_` is a Wildcard

    # ------------------------------------------------------------ cursor
    def peek(self, k: int = 0) -> Token:
        tok = self.toks[self.i + k]
        if tok.kind == ERROR:
            raise CompileError(tok.value)
        return tok

    def at(self, *kinds: str) -> bool:
        tok = self.toks[self.i]
        if tok.kind == ERROR:
            raise CompileError(tok.value)
        return tok.kind in kinds

    def advance(self) -> Token:
        tok = self.toks[self.i]
        if tok.kind == ERROR:
            raise CompileError(tok.value)
        if self.i < self.last:
            self.i += 1
        return tok

    def prev(self) -> Token:
        return self.toks[self.i - 1] if self.i > 0 else self.toks[0]

    def accept(self, kind: str) -> Optional[Token]:
        return self.advance() if self.peek().kind == kind else None

    def expect(self, kind: str, context: str = "") -> Token:
        if self.peek().kind == kind:
            return self.advance()
        want = f"'{SPELLING[kind]}'" if kind in SPELLING else kind
        where = f" {context}" if context else ""
        raise self.error(f"Expected {want}{where}, found {self.peek().describe()}")

    def at_line_end(self) -> bool:
        return self.peek().kind in (NEWLINE, EOF, DEDENT, "SEMICOLON", "RBRACE")

    # ------------------------------------------------------------ errors
    def error(self, message: str, span: Optional[Span] = None) -> CompileError:
        return CompileError(syntax_error(message, span or self.peek().span))

    def indent_error(self, message: str, span: Span) -> CompileError:
        return CompileError(syntax_error(message, span, T_INDENT, HELP_INDENT))

    def missing_colon(self, after: str, node_span: Span) -> CompileError:
        """`Expected ':' after if statement`, placed just after the header (spec 6.2)."""
        line = node_span.end_line or node_span.line
        col = node_span.end_col or node_span.col
        span = Span(self.path, line, col, line, col + 1)
        return CompileError(syntax_error(f"Expected ':' after {after}", span, T_MISSING,
                                         HELP_COLON))

    def expect_colon(self, after: str, header: Span) -> Token:
        if self.at("COLON"):
            return self.advance()
        raise self.missing_colon(after, header)

    def expect_bracket(self) -> Token:
        """The `]` closing an index or array literal, with the bracket diagnostic (spec 6.2)."""
        if self.at("RBRACKET"):
            return self.advance()
        found = self.peek()
        message = (f"Expected ']' to close this bracket expression, but found {found.kind} "
                   "instead.")
        raise CompileError(syntax_error(message, found.span, "Missing closing bracket",
                                        HELP_BRACKET))

    # ------------------------------------------------------------ nesting
    def enter(self) -> None:
        """Guard against unbounded recursion on deeply nested input."""
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise self.error("Expression nested too deeply")

    def leave(self) -> None:
        self.nesting -= 1

    def span_from(self, start: Span) -> Span:
        """From `start` to the end of the last consumed token."""
        end = self.prev().span
        return Span(start.file, start.line, start.col, end.end_line or end.line,
                    end.end_col or end.col)

