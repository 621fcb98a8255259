"""Token kinds and the Token record produced by the lexer (spec section 1).

Kinds are UPPER_SNAKE strings because diagnostics print them as they are
(`... but found DOT_DOT instead.`, spec 6.2). A keyword's kind is the keyword in
upper case (`IF`, `MATCHES`); `true`/`false` are TRUE/FALSE.

Invariants:
  * `Token.text` is the source spelling (a string literal keeps its quotes).
  * `Token.value` is the processed value: int/float for numbers (with
    `Token.suffix` holding the type suffix), bytes for strings, and for LBRACE
    `"struct"` or `"block"` (spec 1.4: a `{` after an identifier on the same line
    opens a struct literal, any other `{` a block expression).
  * A synthetic token (NEWLINE, INDENT, DEDENT, EOF) has an empty text and the
    span of the place it stands for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from orus.diag import Span

IDENTIFIER = "IDENTIFIER"
INT = "INT"
FLOAT = "FLOAT"
STRING = "STRING"
NEWLINE = "NEWLINE"
INDENT = "INDENT"
DEDENT = "DEDENT"
EOF = "EOF"
# A lexical error met while tokenizing for the parser: the parser raises its
# diagnostic when it reaches it, so an earlier syntax error is reported first.
ERROR = "ERROR"

KEYWORDS = frozenset(
    "and as break catch continue elif else enum fn for if impl in match matches mut not or "
    "pass print pub return spawn struct try use while yield true false".split())

# Operators and punctuation, longest spellings first so a scan can try them in order.
PUNCTUATION: dict[str, str] = {
    "..=": "DOT_DOT_EQ",
    "->": "ARROW", "..": "DOT_DOT", ":=": "COLON_EQ", "==": "EQ_EQ", "!=": "BANG_EQ",
    "<=": "LT_EQ", ">=": "GT_EQ", "+=": "PLUS_EQ", "-=": "MINUS_EQ", "*=": "STAR_EQ",
    "/=": "SLASH_EQ", "%=": "PERCENT_EQ", "<<": "LT_LT", ">>": "GT_GT",
    "+": "PLUS", "-": "MINUS", "*": "STAR", "/": "SLASH", "%": "PERCENT", "<": "LT", ">": "GT",
    "=": "EQ", ".": "DOT", ",": "COMMA", ":": "COLON", ";": "SEMICOLON", "(": "LPAREN",
    ")": "RPAREN", "[": "LBRACKET", "]": "RBRACKET", "{": "LBRACE", "}": "RBRACE",
    "'": "APOSTROPHE", "?": "QUESTION", "@": "AT", "~": "TILDE", "&": "AMP", "|": "PIPE",
    "^": "CARET",
}

# The spelling of each punctuation kind, for messages such as "Expected ':'".
SPELLING: dict[str, str] = {kind: text for text, kind in PUNCTUATION.items()}


def keyword_kind(word: str) -> str:
    return word.upper()


@dataclass(slots=True)
class Token:
    kind: str
    text: str
    value: Any
    span: Span
    suffix: Optional[str] = None       # numeric type suffix ("i64" ...), numbers only

    def describe(self) -> str:
        """How a message names this token: its spelling in quotes, or its kind."""
        if self.kind in (NEWLINE, INDENT, DEDENT, EOF, ERROR):
            return self.kind
        return f"'{self.text}'"


def format_tokens(tokens: list[Token]) -> str:
    """One token per line, `L:C KIND 'text'` (the `orus tokens FILE` output)."""
    out = []
    for t in tokens:
        out.append(f"{t.span.line}:{t.span.col} {t.kind} {t.text!r}")
    return "\n".join(out) + "\n"
