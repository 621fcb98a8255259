"""Source spans, diagnostics and their rendering (spec section 6.1).

A leaf module: every stage reports problems as `Diagnostic` values into a
`DiagnosticSink`; only the driver decides when to render and print them.

Invariants:
  * Lines and columns are 1-based. A column is a byte position within its line,
    except that a tab counts as 4 columns (spec 1.1); the lexer computes it.
  * A diagnostic is rendered byte for byte as spec 6.1 describes; colour codes
    are empty strings unless `Colors.for_stream` decides otherwise.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, TextIO

# Categories (spec 6.1).
SYNTAX = "SYNTAX ERROR"
TYPE = "TYPE MISMATCH"
MODULE = "MODULE ERROR"
RUNTIME = "RUNTIME PANIC"


@dataclass(frozen=True, slots=True)
class Span:
    """A region of one source file: start (line, col) to end (end_line, end_col), end exclusive."""

    file: str
    line: int
    col: int
    end_line: int = 0
    end_col: int = 0

    def to(self, other: "Span") -> "Span":
        """The span from the start of self to the end of other."""
        return Span(self.file, self.line, self.col, other.end_line or other.line,
                    other.end_col or other.col)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(slots=True)
class Diagnostic:
    """One error: category and title head the block, message sits under the caret."""

    category: str
    title: str
    message: str
    span: Span | None
    help: str | None = None
    note: str | None = None

    def sort_key(self) -> tuple:
        s = self.span
        return (s.file, s.line, s.col) if s else ("", 0, 0)


class CompileError(Exception):
    """Raised to abandon a stage after its diagnostic was recorded (syntax errors stop a file)."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass
class DiagnosticSink:
    """Collects diagnostics; `limit` bounds how many one compilation reports."""

    limit: int = 20
    items: list[Diagnostic] = field(default_factory=list)

    def report(self, d: Diagnostic) -> None:
        if len(self.items) < self.limit and not any(_same(d, x) for x in self.items):
            self.items.append(d)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


def _same(a: Diagnostic, b: Diagnostic) -> bool:
    return a.message == b.message and a.span == b.span


# ---------------------------------------------------------------- help texts
# The help/note pairs of spec 6.2 and 6.3, so every stage words them alike.
HELP_TYPE = ("Try converting one value to match the other's type, like `x as string` or `y as i32`.",
             "Orus keeps types separate to help prevent unexpected behavior and bugs.")
HELP_UNKNOWN_TYPE = ("Double-check the spelling, or choose from Orus's available types below.",
                     "Available types: i32, i64, u32, u64, f64, bool, string.")
HELP_UNDEFINED = ("Make sure you've declared the variable before using it, or check the spelling.",
                  "Variables must be declared before they can be used in Orus.")
HELP_IMMUTABLE = ("Add 'mut' before the variable name when declaring it: 'mut variable_name = value'",
                  "Variables are immutable by default in Orus for safety and predictability.")
HELP_REDEFINED = ("Choose a different name for this variable, or use assignment to change the existing one.",
                  "Each variable can only be declared once in the same scope.")
HELP_CONST_NAME = ("Variable names should start with a letter or underscore, followed by letters, numbers, "
                   "or underscores.",
                   "Good variable names are descriptive and follow snake_case convention.")
HELP_INDENT = ("If you meant to start a block, add a ':' on the previous line or remove this extra "
               "indentation.",
               "Blocks in Orus begin after lines ending with ':' and end when the indentation returns.")
HELP_PRINT_COMMA = ("Separate each value with a comma, like print(\"Hello\", name).",
                    "Commas help Orus understand where one print value ends and the next one begins.")
HELP_BRACKET = ("Add a closing ']' to match the opening '[' and finish the expression.",
                "Each '[' introduces a list or index expression that must be closed with a matching ']'.")
HELP_SYNTAX = ("Compare this syntax with a working example or check the docs to see what structure is "
               "expected here.",
               "Orus expected a different structure here. Re-read the surrounding code to find the mismatch.")
HELP_DIVZERO = ("Add a check before dividing to make sure the number isn't zero.",
                "Division by zero is mathematically undefined.")
HELP_NONE = (None, None)

# Titles used by more than one stage.
T_SYNTAX = "This syntax isn't quite right"
T_TYPE = "Type mismatch found"


def syntax_error(message: str, span: Span | None, title: str = T_SYNTAX,
                 helps: tuple = HELP_SYNTAX) -> Diagnostic:
    return Diagnostic(SYNTAX, title, message, span, helps[0], helps[1])


def type_error(message: str, span: Span | None, title: str = T_TYPE,
               helps: tuple = HELP_TYPE) -> Diagnostic:
    return Diagnostic(TYPE, title, message, span, helps[0], helps[1])


def mismatch(found: str, required: str, span: Span | None) -> Diagnostic:
    """The standard ``this is a `A`, but `B` was expected`` type error."""
    return type_error(f"this is a `{found}`, but `{required}` was expected", span)


def module_error(message: str, span: Span | None,
                 title: str = "Failed to use this module") -> Diagnostic:
    return Diagnostic(MODULE, title, message, span)


# ---------------------------------------------------------------- rendering
@dataclass(frozen=True)
class Colors:
    error: str = ""
    reset: str = ""
    bold: str = ""
    cyan: str = ""
    green: str = ""

    @staticmethod
    def for_stream(stream: TextIO, environ: dict | None = None) -> "Colors":
        """Colour only for a terminal, with NO_COLOR unset and TERM set and not dumb (spec 6.1)."""
        env = os.environ if environ is None else environ
        try:
            tty = stream.isatty()
        except (AttributeError, ValueError):
            tty = False
        term = env.get("TERM")
        if tty and "NO_COLOR" not in env and term and term != "dumb":
            return Colors("\x1b[0;31m", "\x1b[0m", "\x1b[1m", "\x1b[0;36m", "\x1b[0;32m")
        return Colors()


class SourceCache:
    """Source lines by file, so rendering can show the offending line."""

    def __init__(self) -> None:
        self._files: dict[str, list[bytes]] = {}

    def add(self, path: str, data: bytes) -> None:
        self._files[path] = data.split(b"\n")

    def line(self, path: str, lineno: int) -> str | None:
        lines = self._files.get(path)
        if lines is None:
            try:
                with open(path, "rb") as f:
                    self.add(path, f.read())
            except OSError:
                return None
            lines = self._files[path]
        if 1 <= lineno <= len(lines):
            return lines[lineno - 1].replace(b"\r", b"").decode("utf-8", "replace")
        return None


def render(d: Diagnostic, sources: SourceCache, colors: Colors = Colors()) -> str:
    """The diagnostic block of spec 6.1, ending with its trailing blank line."""
    c = colors
    dashes = "-" * max(0, min(50, 60 - len(d.category) - len(d.title) - 4))
    where = str(d.span) if d.span else "<unknown>"
    out = [f"{c.error}-- {d.category}: {d.title} {c.reset}{dashes} {where}", ""]
    text = sources.line(d.span.file, d.span.line) if d.span else None
    if text is None:
        out.append("      | (source line not available)")
    else:
        out.append(f"{c.bold}{d.span.line:3d}{c.reset} | {text}")
        pad = " " * max(0, d.span.col - 1)
        out.append(f"      | {c.error}{pad}^{c.reset} {d.message}")
    out.append("      |")
    out.append(f"      = {d.message}")
    if d.help:
        out.append(f"      = {c.cyan}help{c.reset}: {d.help}")
    if d.note:
        out.append(f"      = {c.green}note{c.reset}: {d.note}")
    out.append("")
    return "\n".join(out) + "\n"


def render_all(items: Iterable[Diagnostic], sources: SourceCache, colors: Colors = Colors()) -> str:
    return "".join(render(d, sources, colors) for d in items)
