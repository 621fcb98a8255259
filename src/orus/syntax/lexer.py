"""The Orus lexer: source bytes to a token list with NEWLINE/INDENT/DEDENT (spec 1).

Algorithm (one pass over the bytes):
  1. At the start of each logical line in a context where newlines count, measure
     the indentation (spaces or tabs, never mixed, one kind per file), skip the
     comments after it, ignore the line if nothing else is on it, else compare
     the width with the indentation stack of the current context and emit
     INDENT or DEDENTs (spec 1.2).
  2. Scan tokens; whitespace and comments between them are skipped, and the line
     breaks inside a block comment are whitespace too (spec 1.3).
  3. A bracket stack decides whether a line break counts: inside `(`, `[` and a
     struct-literal `{` it is ignored (spec 1.4); at top level and directly
     inside a block-expression `{` it ends a statement (NEWLINE).
  4. Each block-expression `{` pushes an indentation context. If its first
     statement is on the `{` line, the whole block must stay on that line;
     otherwise the first statement's line sets the base level (spec 2.18). Its
     `}` closes the open levels (NEWLINE + DEDENTs) before RBRACE.

Invariants: columns are 1-based with a tab counting 4 (spec 1.1); every token
has a span from its first byte to just after its last byte; `lex` never raises,
it ends the list with an ERROR token carrying the first lexical diagnostic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from orus.diag import HELP_INDENT, CompileError, Diagnostic, Span, syntax_error
from orus.syntax import numbers
from orus.syntax.tokens import (DEDENT, EOF, ERROR, IDENTIFIER, INDENT, KEYWORDS, NEWLINE,
                                PUNCTUATION, STRING, Token, keyword_kind)

_IDENT_RE = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
# Longest spellings first, so `..=` wins over `..` and `.`.
_PUNCT_RE = re.compile(b"|".join(re.escape(p.encode())
                                 for p in sorted(PUNCTUATION, key=len, reverse=True)))
_SPACE_RE = re.compile(rb"[ \t\r]*")
_INDENT_RE = re.compile(rb"[ \t]*")
_STRING_BODY_RE = re.compile(rb'[^"\\\n]*')
_ESCAPES = {ord("n"): b"\n", ord("t"): b"\t", ord("r"): b"\r", ord("\\"): b"\\",
            ord('"'): b'"', ord("0"): b"\0"}
_NOISE = frozenset((NEWLINE, INDENT, DEDENT))
_OPENERS = {ord("("): "(", ord("["): "["}
_CLOSERS = {ord(")"): "(", ord("]"): "["}

T_UNEXPECTED = "Found something unexpected here"
T_INDENT = "Indentation looks off"
MSG_MIXED = "Inconsistent indentation: tabs and spaces are mixed"
MSG_NO_LINE_UP = "Inconsistent indentation: this line does not line up with any enclosing block"


@dataclass
class _Context:
    """Indentation state of the module or of one block expression."""

    levels: list[int] = field(default_factory=list)   # empty: base level not yet known
    one_line: Optional[bool] = None                   # block expression on its `{` line


class Lexer:
    def __init__(self, source: bytes, path: str):
        self.src = source
        self.path = path
        self.n = len(source)
        self.pos = 0
        self.line = 1
        self.line_start = 0
        self._cpos = 0
        self._ccol = 1
        self.tokens: list[Token] = []
        self.brackets: list[str] = []        # "(" "[" "s" (struct brace) "b" (block brace)
        self.contexts: list[_Context] = [_Context([0], False)]
        self.indent_char: Optional[int] = None
        self.at_line_start = True

    # ------------------------------------------------------------ positions
    def col_at(self, pos: int) -> int:
        """Column of byte `pos` on the current line (tabs count 4), cached for linear scans."""
        if pos < self._cpos:
            self._cpos, self._ccol = self.line_start, 1
        col = self._ccol + (pos - self._cpos) + 3 * self.src.count(b"\t", self._cpos, pos)
        self._cpos, self._ccol = pos, col
        return col

    def span(self, start: int, end: int) -> Span:
        return Span(self.path, self.line, self.col_at(start), self.line, self.col_at(end))

    def _new_line(self, line_start: int) -> None:
        self.line += 1
        self.line_start = line_start
        self._cpos, self._ccol = line_start, 1

    def error(self, message: str, start: int, title: Optional[str] = None,
              helps: Optional[tuple] = None) -> CompileError:
        sp = self.span(start, min(start + 1, self.n) if start < self.n else start)
        if title is None:
            return CompileError(syntax_error(message, sp))
        return CompileError(syntax_error(message, sp, title, helps or (None, None)))

    # ------------------------------------------------------------ driver
    def run(self) -> list[Token]:
        while True:
            if self.at_line_start and self._newlines_count():
                self._begin_line()
                self.at_line_start = False
            self._skip_space()
            if self.pos >= self.n:
                break
            c = self.src[self.pos]
            if c == 10:
                self._line_break()
            else:
                self._scan_token(c)
        self._finish()
        return self.tokens

    def _newlines_count(self) -> bool:
        return not self.brackets or self.brackets[-1] == "b"

    def emit(self, kind: str, text: str, value, start: int, end: int,
             suffix: Optional[str] = None) -> Token:
        col = self.col_at(start)
        # Only a string literal can hold a tab, which widens its end column.
        end_col = self.col_at(end) if kind == STRING else col + (end - start)
        tok = Token(kind, text, value, Span(self.path, self.line, col, self.line, end_col), suffix)
        ctx = self.contexts[-1]
        if ctx.one_line is None and self.brackets and self.brackets[-1] == "b":
            ctx.one_line = True
        self.tokens.append(tok)
        return tok

    def _emit_synthetic(self, kind: str, pos: int) -> None:
        col = self.col_at(pos)
        self.tokens.append(Token(kind, "", None, Span(self.path, self.line, col, self.line, col)))

    def _line_has_tokens(self) -> bool:
        return bool(self.tokens) and self.tokens[-1].kind not in _NOISE

    # ------------------------------------------------------------ lines
    def _line_break(self) -> None:
        """A `\\n` outside comments: NEWLINE where line breaks count (spec 1.4)."""
        if self._newlines_count():
            ctx = self.contexts[-1]
            if ctx.one_line is None and self.brackets:
                ctx.one_line = False
            elif ctx.one_line and self.brackets:
                raise self.error("A block expression that starts on the line of its '{' must end "
                                 "on that line", self.pos)
            elif self._line_has_tokens():
                self._emit_synthetic(NEWLINE, self.pos)
            self.at_line_start = True
        self.pos += 1
        self._new_line(self.pos)

    def _begin_line(self) -> None:
        """Indentation of a logical line: skip blank lines, then INDENT/DEDENT (spec 1.2)."""
        while True:
            m = _INDENT_RE.match(self.src, self.pos)
            ws = m.group()
            self.pos = m.end()
            self._skip_space()
            if self.pos >= self.n:
                return
            if self.src[self.pos] != 10:
                break
            self.pos += 1
            self._new_line(self.pos)
        if self.src[self.pos] == ord("}") and self.brackets and self.brackets[-1] == "b":
            return
        first = self.pos
        self._check_indent_chars(ws, first)
        self._apply_width(len(ws), first)

    def _check_indent_chars(self, ws: bytes, first: int) -> None:
        if not ws:
            return
        if b" " in ws and b"\t" in ws:
            raise self.error(MSG_MIXED, first, T_INDENT, HELP_INDENT)
        if self.indent_char is None:
            self.indent_char = ws[0]
        elif ws[0] != self.indent_char:
            raise self.error(MSG_MIXED, first, T_INDENT, HELP_INDENT)

    def _apply_width(self, width: int, first: int) -> None:
        ctx = self.contexts[-1]
        if not ctx.levels:
            ctx.levels.append(width)
            return
        levels = ctx.levels
        if width > levels[-1]:
            levels.append(width)
            self._emit_synthetic(INDENT, first)
            return
        while len(levels) > 1 and width < levels[-1]:
            levels.pop()
            self._emit_synthetic(DEDENT, first)
        if width != levels[-1]:
            raise self.error(MSG_NO_LINE_UP, first, T_INDENT, HELP_INDENT)

    def _skip_space(self) -> None:
        """Skip blanks and comments; a block comment's line breaks are whitespace (spec 1.3)."""
        src = self.src
        while True:
            self.pos = _SPACE_RE.match(src, self.pos).end()
            if src.startswith(b"//", self.pos):
                end = src.find(b"\n", self.pos)
                self.pos = self.n if end < 0 else end
            elif src.startswith(b"/*", self.pos):
                end = src.find(b"*/", self.pos + 2)
                if end < 0:
                    raise self.error("Unterminated block comment", self.pos)
                nl = src.rfind(b"\n", self.pos, end)
                if nl >= 0:
                    self.line += src.count(b"\n", self.pos, end) - 1
                    self._new_line(nl + 1)
                self.pos = end + 2
            else:
                return

    def _finish(self) -> None:
        if self._line_has_tokens() and self._newlines_count():
            self._emit_synthetic(NEWLINE, self.pos)
        for ctx in reversed(self.contexts):
            for _ in range(max(0, len(ctx.levels) - 1)):
                self._emit_synthetic(DEDENT, self.pos)
        self._emit_synthetic(EOF, self.pos)

    # ------------------------------------------------------------ tokens
    def _scan_token(self, c: int) -> None:
        start = self.pos
        if c == 95 or 65 <= c <= 90 or 97 <= c <= 122:
            self._scan_word(start)
        elif 48 <= c <= 57:
            self._scan_number(start)
        elif c == 34:
            self._scan_string(start)
        else:
            self._scan_punct(c, start)

    def _scan_word(self, start: int) -> None:
        end = _IDENT_RE.match(self.src, start).end()
        word = self.src[start:end].decode("ascii")
        self.pos = end
        if word in KEYWORDS:
            value = {"true": True, "false": False}.get(word)
            self.emit(keyword_kind(word), word, value, start, end)
        else:
            self.emit(IDENTIFIER, word, word, start, end)

    def _scan_number(self, start: int) -> None:
        try:
            lit = numbers.scan(self.src, start)
        except numbers.NumberError as e:
            raise self.error(e.message, start, e.title,
                             None if e.title is None else (None, None)) from None
        self.pos = lit.end
        self.emit(lit.kind, lit.text, lit.value, start, lit.end, lit.suffix)

    def _scan_string(self, start: int) -> None:
        """STRING: '"' { char | escape } '"', escapes processed now (spec 1.7)."""
        src, pos, parts = self.src, start + 1, []
        while True:
            end = _STRING_BODY_RE.match(src, pos).end()
            parts.append(src[pos:end])
            if end >= self.n or src[end] == 10:
                raise self.error("Unterminated string literal", start)
            if src[end] == 34:
                pos = end + 1
                break
            esc = src[end + 1] if end + 1 < self.n else None
            if esc not in _ESCAPES:
                shown = "" if esc is None or esc == 10 else _show_byte(esc, quote=False)
                raise self.error(f"Invalid escape sequence '\\{shown}'", end)
            parts.append(_ESCAPES[esc])
            pos = end + 2
        self.pos = pos
        text = src[start:pos].decode("utf-8", "replace")
        self.emit(STRING, text, b"".join(parts), start, pos)

    def _scan_punct(self, c: int, start: int) -> None:
        m = _PUNCT_RE.match(self.src, start)
        if m is None:
            raise self.error(f"Unexpected character {_show_byte(c)}", start, T_UNEXPECTED)
        text = m.group()
        kind = PUNCTUATION[text.decode("ascii")]
        self.pos = m.end()
        if c == ord("{"):
            self._open_brace(start)
        elif c == ord("}"):
            self._close_brace(start)
        else:
            if c in _OPENERS:
                self.brackets.append(_OPENERS[c])
            elif c in _CLOSERS and self.brackets and self.brackets[-1] == _CLOSERS[c]:
                self.brackets.pop()
            self.emit(kind, text.decode("ascii"), None, start, self.pos)

    def _open_brace(self, start: int) -> None:
        prev = self.tokens[-1] if self.tokens else None
        is_struct = prev is not None and prev.kind == IDENTIFIER and prev.span.line == self.line
        self.emit("LBRACE", "{", "struct" if is_struct else "block", start, self.pos)
        if is_struct:
            self.brackets.append("s")
        else:
            self.brackets.append("b")
            self.contexts.append(_Context())

    def _close_brace(self, start: int) -> None:
        top = self.brackets[-1] if self.brackets else None
        if top == "b":
            ctx = self.contexts.pop()
            if ctx.one_line is False and ctx.levels:
                if self._line_has_tokens():
                    self._emit_synthetic(NEWLINE, start)
                for _ in range(max(0, len(ctx.levels) - 1)):
                    self._emit_synthetic(DEDENT, start)
        if top in ("b", "s"):
            self.brackets.pop()
        self.emit("RBRACE", "}", None, start, self.pos)


def _show_byte(c: int, quote: bool = True) -> str:
    """A byte as messages show it: printable ASCII as itself, others as \\xHH (spec 6.2)."""
    text = chr(c) if 32 <= c < 127 else f"\\x{c:02X}"
    return f"'{text}'" if quote else text


def lex(source: bytes, path: str) -> list[Token]:
    """All tokens; on a lexical error the list ends with an ERROR token carrying it."""
    if isinstance(source, str):
        source = source.encode("utf-8")
    lexer = Lexer(source, path)
    try:
        return lexer.run()
    except CompileError as e:
        diag: Diagnostic = e.diagnostic
        lexer.tokens.append(Token(ERROR, "", diag, diag.span))
        return lexer.tokens


def tokenize(source: bytes, path: str) -> list[Token]:
    """The token list of a file; raises CompileError on the first lexical error."""
    tokens = lex(source, path)
    if tokens[-1].kind == ERROR:
        raise CompileError(tokens[-1].value)
    return tokens
