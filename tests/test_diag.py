"""Diagnostic rendering (spec 6.1) against the spec's own example blocks, byte for byte."""

from __future__ import annotations

import io

from orus.diag import (HELP_DIVZERO, HELP_INDENT, MODULE, RUNTIME, SYNTAX, Colors, Diagnostic, SourceCache,
                       Span, render)

from spec_blocks import DIVISION_BY_ZERO, STRAY_INDENT

STRAY = "It looks like this line is indented, but there's no open block above it."


def cache(path: str, text: bytes) -> SourceCache:
    c = SourceCache()
    c.add(path, text)
    return c


def stray_indent() -> Diagnostic:
    return Diagnostic(SYNTAX, "Indentation looks off", STRAY, Span("f.orus", 2, 5), *HELP_INDENT)


def test_spec_1_2_block():
    assert render(stray_indent(), cache("f.orus", b'print("a")\n    print("b")\n')) == STRAY_INDENT


def test_spec_6_1_block():
    src = b"value = 10\nzero = 0\nprint(value)\nprint(value / zero)\n"
    d = Diagnostic(RUNTIME, "Oh no! You tried to divide by zero", "Division by zero",
                   Span("calc.orus", 4, 13), *HELP_DIVZERO)
    assert render(d, cache("calc.orus", src)) == DIVISION_BY_ZERO


def test_dash_count_rule():
    for title in ("x", "Indentation looks off", "A" * 40, "A" * 60):
        d = Diagnostic(SYNTAX, title, "m", Span("a.orus", 1, 1))
        head = render(d, cache("a.orus", b"x\n")).split("\n")[0]
        expected = max(0, min(50, 60 - len(SYNTAX) - len(title) - 4))
        assert head == f"-- {SYNTAX}: {title} {'-' * expected} a.orus:1:1"


def test_line_numbers_are_three_wide_and_grow():
    src = b"\n".join(b"line%d" % i for i in range(1, 1201)) + b"\n"
    for line, prefix in ((7, "  7 | line7"), (42, " 42 | line42"), (1200, "1200 | line1200")):
        out = render(Diagnostic(MODULE, "T", "m", Span("a.orus", line, 1)), cache("a.orus", src))
        assert out.split("\n")[2] == prefix


def test_caret_column_and_crlf_stripped():
    out = render(Diagnostic(MODULE, "T", "msg", Span("a.orus", 1, 9)), cache("a.orus", b"foo bar baz\r\n"))
    lines = out.split("\n")
    assert lines[2] == "  1 | foo bar baz"
    assert lines[3] == "      | " + " " * 8 + "^ msg"


def test_no_help_no_note_lines():
    out = render(Diagnostic(MODULE, "Failed to use this module", "m", Span("a.orus", 1, 1)),
                 cache("a.orus", b"use x\n"))
    assert out.endswith("      |\n      = m\n\n")
    assert "help" not in out and "note" not in out


def test_source_line_not_available():
    out = render(Diagnostic(MODULE, "T", "m", Span("missing-file.orus", 3, 1)), SourceCache())
    assert out.split("\n")[2] == "      | (source line not available)"
    out = render(Diagnostic(MODULE, "T", "m", Span("a.orus", 99, 1)), cache("a.orus", b"x\n"))
    assert out.split("\n")[2] == "      | (source line not available)"


def test_multiline_message_continues_at_column_zero():
    out = render(Diagnostic(MODULE, "T", "first\nsecond", Span("a.orus", 1, 1)), cache("a.orus", b"x\n"))
    assert "      | ^ first\nsecond\n" in out
    assert "      = first\nsecond\n" in out


def test_colours_spec_codes():
    c = Colors("\x1b[0;31m", "\x1b[0m", "\x1b[1m", "\x1b[0;36m", "\x1b[0;32m")
    out = render(stray_indent(), cache("f.orus", b'print("a")\n    print("b")\n'), c)
    lines = out.split("\n")
    assert lines[0].startswith("\x1b[0;31m-- SYNTAX ERROR: Indentation looks off \x1b[0m---")
    assert lines[2] == '\x1b[1m  2\x1b[0m |     print("b")'
    assert lines[3] == f"      | \x1b[0;31m    ^\x1b[0m {STRAY}"
    assert lines[6].startswith("      = \x1b[0;36mhelp\x1b[0m: ")
    assert lines[7].startswith("      = \x1b[0;32mnote\x1b[0m: ")


class _Tty(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def test_colour_decision():
    on = {"TERM": "xterm"}
    assert Colors.for_stream(_Tty(True), on).error == "\x1b[0;31m"
    assert Colors.for_stream(_Tty(False), on) == Colors()
    assert Colors.for_stream(_Tty(True), {"TERM": "xterm", "NO_COLOR": ""}) == Colors()
    assert Colors.for_stream(_Tty(True), {"TERM": "dumb"}) == Colors()
    assert Colors.for_stream(_Tty(True), {}) == Colors()
