"""Lexer tests: token kinds, literals, layout tokens and lexical errors (spec section 1)."""

from __future__ import annotations

import pytest

from orus.diag import HELP_INDENT, HELP_SYNTAX, SYNTAX, CompileError
from orus.syntax.lexer import tokenize
from orus.syntax.tokens import KEYWORDS, PUNCTUATION, format_tokens


def kinds(src: str) -> list[str]:
    return [t.kind for t in tokenize(src.encode(), "t.orus")]


def lex_error(src: bytes):
    with pytest.raises(CompileError) as info:
        tokenize(src, "t.orus")
    return info.value.diagnostic


# ------------------------------------------------------------------ token kinds
def test_every_keyword_has_its_own_kind():
    assert len(KEYWORDS) == 30          # 28 reserved words (spec 1.5) + true/false
    for word in KEYWORDS:
        assert kinds(word) == [word.upper(), "NEWLINE", "EOF"]


def test_bool_literals_carry_values():
    toks = tokenize(b"true false", "t.orus")
    assert [(t.kind, t.value) for t in toks[:2]] == [("TRUE", True), ("FALSE", False)]


@pytest.mark.parametrize("text,kind", sorted(PUNCTUATION.items()))
def test_every_punctuation_token(text, kind):
    src = "a " + text + " b" if text not in "{}()[]" else text
    got = kinds(src)
    assert kind in got


def test_longest_operator_wins():
    assert kinds("a..=b")[:4] == ["IDENTIFIER", "DOT_DOT_EQ", "IDENTIFIER", "NEWLINE"]
    assert kinds("x>>=1")[1:3] == ["GT_GT", "EQ"]
    assert kinds("a := 1")[1] == "COLON_EQ"
    assert kinds("f() -> i32")[3] == "ARROW"


def test_identifiers_and_type_names():
    toks = tokenize(b"_x string i32 self do _", "t.orus")
    assert [t.kind for t in toks[:6]] == ["IDENTIFIER"] * 6   # `do` is not a keyword
    assert toks[0].value == "_x"


# ------------------------------------------------------------------ numbers
@pytest.mark.parametrize("src,value,suffix", [
    ("0", 0, None), ("42", 42, None), ("1_000_000", 1000000, None),
    ("0xFF", 255, None), ("0XdeadBEEF", 0xDEADBEEF, None), ("0xFF_FF", 0xFFFF, None),
    ("0b1010", 10, None), ("0B1111_0000", 0xF0, None), ("0o17", 15, None), ("0O7_7", 63, None),
    ("10i64", 10, "i64"), ("7u32", 7, "u32"), ("7u64", 7, "u64"), ("3f64", 3, "f64"),
    ("0x1f64", 0x1F64, None), ("0x10i64", 16, "i64"), ("0xFFu32", 255, "u32"),
    ("18446744073709551615u64", 18446744073709551615, "u64"),
    ("99999999999999999999", 99999999999999999999, None),   # range left to the checker
])
def test_integer_literals(src, value, suffix):
    tok = tokenize(src.encode(), "t.orus")[0]
    assert (tok.kind, tok.value, tok.suffix, tok.text) == ("INT", value, suffix, src)


@pytest.mark.parametrize("src,value,suffix", [
    ("2.5", 2.5, None), ("1e3", 1000.0, None), ("6.022E23", 6.022e23, None),
    ("2.5e-2", 0.025, None), ("1_0.2_5", 10.25, None), ("3.0i32", 3.0, "i32"),
    ("1e-400", 0.0, None),
])
def test_float_literals(src, value, suffix):
    tok = tokenize(src.encode(), "t.orus")[0]
    assert (tok.kind, tok.value, tok.suffix) == ("FLOAT", value, suffix)


def test_dot_needs_digits_on_both_sides():
    assert kinds("1..5")[:3] == ["INT", "DOT_DOT", "INT"]
    assert kinds("1.x")[:3] == ["INT", "DOT", "IDENTIFIER"]
    assert kinds(".5")[:2] == ["DOT", "INT"]


@pytest.mark.parametrize("src,message", [
    ("010", "Leading zeros are not allowed in decimal literals; write 0o10 for an octal number"),
    ("0b102", "Invalid numeric literal '0b102'"),
    ("0o8", "Invalid numeric literal '0o8'"),
    ("0x", "Invalid numeric literal '0x'"),
    ("0x_1", "Invalid numeric literal '0x_1'"),
    ("1_", "Invalid numeric literal '1_'"),
    ("1__0", "Invalid numeric literal '1__0'"),
    ("5u", "invalid numeric literal suffix 'u'"),
    ("3.5i32", "invalid numeric literal suffix 'i32'"),
    ("1e", "invalid numeric literal suffix 'e'"),
])
def test_malformed_numbers(src, message):
    d = lex_error(b"x = " + src.encode())
    assert (d.category, d.title, d.message) == (SYNTAX, "This syntax isn't quite right", message)
    assert (d.span.line, d.span.col) == (1, 5)
    assert (d.help, d.note) == HELP_SYNTAX


@pytest.mark.parametrize("src,message", [
    ("3000000000i32", "Integer literal 3000000000 does not fit in i32"),
    ("18446744073709551616u64", "Integer literal 18446744073709551616 does not fit in u64"),
    ("4294967296u32", "Integer literal 4294967296 does not fit in u32"),
    ("1e400", "Float literal 1e400 is out of range for f64"),
])
def test_numbers_too_big(src, message):
    d = lex_error(src.encode())
    assert (d.title, d.message, d.help, d.note) == ("Number got too big to handle", message,
                                                    None, None)


def test_absurdly_long_integer_literal_is_too_big():
    # no type can hold it, and later stages must not have to print such an int
    d = lex_error(b"1" * 5000)
    assert (d.title, d.message) == ("Number got too big to handle",
                                    "Integer literal " + "1" * 40 + "... does not fit in i64")
    assert lex_error(b"0x" + b"F" * 2000).title == "Number got too big to handle"


# ------------------------------------------------------------------ strings
def test_string_escapes_processed_once():
    tok = tokenize(b'"a\\n\\t\\r\\\\\\"\\0z"', "t.orus")[0]
    assert tok.kind == "STRING"
    assert tok.value == b'a\n\t\r\\"\x00z'
    assert tok.text == '"a\\n\\t\\r\\\\\\"\\0z"'


def test_string_passes_utf8_through():
    assert tokenize('"é€"'.encode(), "t.orus")[0].value == "é€".encode()


@pytest.mark.parametrize("src,col,message", [
    (b'x = "a\\q"', 7, "Invalid escape sequence '\\q'"),
    (b'x = "\\\'"', 6, "Invalid escape sequence '\\''"),
    (b'x = "\\x41"', 6, "Invalid escape sequence '\\x'"),
    (b'x = "abc', 5, "Unterminated string literal"),
    (b'x = "abc\ny"', 5, "Unterminated string literal"),
])
def test_string_errors(src, col, message):
    d = lex_error(src)
    assert (d.span.line, d.span.col, d.message) == (1, col, message)


# ------------------------------------------------------------------ comments
def test_line_and_block_comments_are_whitespace():
    assert kinds("x = 1 // c\n") == ["IDENTIFIER", "EQ", "INT", "NEWLINE", "EOF"]
    assert kinds("y = /* c */ 2") == ["IDENTIFIER", "EQ", "INT", "NEWLINE", "EOF"]


def test_block_comment_line_breaks_do_not_end_statements():
    toks = tokenize(b"x = 1 /* a\nb */ + 2\nprint(x)", "t.orus")
    assert [t.kind for t in toks[:6]] == ["IDENTIFIER", "EQ", "INT", "PLUS", "INT", "NEWLINE"]
    assert (toks[3].span.line, toks[3].span.col) == (2, 6)


def test_comments_do_not_nest():
    # the first */ closes; the rest is ordinary tokens (spec 1.3)
    assert kinds("/* a /* b */ c */") == ["IDENTIFIER", "STAR", "SLASH", "NEWLINE", "EOF"]


def test_unterminated_block_comment_reported_at_its_start():
    d = lex_error(b"x = 1\n  /* never\nclosed")
    assert (d.span.line, d.span.col, d.message) == (2, 3, "Unterminated block comment")


# ------------------------------------------------------------------ layout
def test_indent_and_dedent():
    assert kinds("if a:\n    b\nc\n") == [
        "IF", "IDENTIFIER", "COLON", "NEWLINE", "INDENT", "IDENTIFIER", "NEWLINE", "DEDENT",
        "IDENTIFIER", "NEWLINE", "EOF"]


def test_dedent_several_levels_and_eof_closes_all():
    assert kinds("a:\n b:\n  c\nd")[-5:] == ["DEDENT", "DEDENT", "IDENTIFIER", "NEWLINE", "EOF"]
    assert kinds("a:\n b:\n  c")[-3:] == ["DEDENT", "DEDENT", "EOF"]


def test_blank_and_comment_lines_ignored():
    src = "if a:\n\n   \n  // c\n        /* x */\n    b\n"
    assert kinds(src) == ["IF", "IDENTIFIER", "COLON", "NEWLINE", "INDENT", "IDENTIFIER",
                          "NEWLINE", "DEDENT", "EOF"]


def test_crlf_line_endings():
    assert kinds("if a:\r\n    b\r\nc\r\n") == kinds("if a:\n    b\nc\n")


def test_tabs_count_four_columns():
    toks = tokenize(b"if a:\n\tb = 1\n", "t.orus")
    b = next(t for t in toks if t.text == "b")
    one = next(t for t in toks if t.text == "1")
    assert (b.span.col, one.span.col) == (5, 9)


def test_tab_only_file_is_fine():
    assert "INDENT" in kinds("if a:\n\tif b:\n\t\tc\n")


def test_mixed_tabs_and_spaces():
    d = lex_error(b"if a:\n    b\nif c:\n\td\n")
    assert (d.title, d.message) == ("Indentation looks off",
                                    "Inconsistent indentation: tabs and spaces are mixed")
    assert (d.span.line, d.help, d.note) == (4, *HELP_INDENT)
    d = lex_error(b"if a:\n \tb\n")
    assert d.message == "Inconsistent indentation: tabs and spaces are mixed"


def test_dedent_to_unknown_level():
    d = lex_error(b"if a:\n    b\n  c\n")
    assert (d.span.line, d.span.col) == (3, 3)
    assert d.message == ("Inconsistent indentation: this line does not line up with any "
                         "enclosing block")


def test_no_layout_tokens_inside_brackets():
    assert kinds("f(\n    1,\n  2\n)\n") == ["IDENTIFIER", "LPAREN", "INT", "COMMA", "INT",
                                            "RPAREN", "NEWLINE", "EOF"]
    # continuation lines are not checked for tabs/spaces either
    assert "INDENT" not in kinds("if a:\n    x = [1,\n\t2]\n")[5:]


def test_no_newline_token_at_eof_inside_brackets():
    assert kinds("f(1,\n")[-2:] == ["COMMA", "EOF"]


def test_struct_brace_versus_block_brace():
    toks = tokenize(b"P{x: 1}\nP {x: 1}\n{ 1 }\nf(a) {1}", "t.orus")
    braces = [t.value for t in toks if t.kind == "LBRACE"]
    assert braces == ["struct", "struct", "block", "block"]
    # a brace on the next line after an identifier is a block
    toks = tokenize(b"x = P\n{ 1 }", "t.orus")
    assert [t.value for t in toks if t.kind == "LBRACE"] == ["block"]


def test_struct_literal_braces_join_lines():
    assert kinds("p = P{\n  x: 1,\n      y: 2\n}\n").count("NEWLINE") == 1


def test_multiline_block_expression_layout():
    got = kinds("x = {\n    a\n    if b:\n        c\n}\n")
    assert got == ["IDENTIFIER", "EQ", "LBRACE", "IDENTIFIER", "NEWLINE", "IF", "IDENTIFIER",
                   "COLON", "NEWLINE", "INDENT", "IDENTIFIER", "NEWLINE", "DEDENT", "RBRACE",
                   "NEWLINE", "EOF"]


def test_block_expression_inside_parens_counts_newlines():
    got = kinds("f({\n  a\n  b\n})")
    assert got == ["IDENTIFIER", "LPAREN", "LBRACE", "IDENTIFIER", "NEWLINE", "IDENTIFIER",
                   "NEWLINE", "RBRACE", "RPAREN", "NEWLINE", "EOF"]


def test_one_line_block_must_end_on_its_line():
    d = lex_error(b"x = { a\nb }")
    assert (d.span.line, d.span.col) == (1, 8)


# ------------------------------------------------------------------ bad characters
@pytest.mark.parametrize("src,col,shown", [
    (b"# a hash comment", 1, "'#'"), (b"x = $", 5, "'$'"), (b"x = `a`", 5, "'`'"),
    (b"x = !a", 5, "'!'"), ("x = é".encode(), 5, "'\\xC3'"), (b"x = \x01", 5, "'\\x01'"),
    (b"x = \x7f", 5, "'\\x7F'"), (b"\xff", 1, "'\\xFF'"),
])
def test_unexpected_characters(src, col, shown):
    d = lex_error(src)
    assert (d.title, d.message) == ("Found something unexpected here",
                                    f"Unexpected character {shown}")
    assert (d.span.line, d.span.col, d.help, d.note) == (1, col, None, None)


def test_bang_equals_is_fine():
    assert kinds("a != b")[1] == "BANG_EQ"


# ------------------------------------------------------------------ output form
def test_indented_first_line_starts_with_indent():
    assert kinds("  abc")[:2] == ["INDENT", "IDENTIFIER"]


def test_format_tokens():
    out = format_tokens(tokenize(b"x = 1\n", "t.orus"))
    assert out == "1:1 IDENTIFIER 'x'\n1:3 EQ '='\n1:5 INT '1'\n1:6 NEWLINE ''\n2:1 EOF ''\n"


def test_spans_cover_tokens():
    tok = tokenize(b"x = abc", "t.orus")[2]
    assert (tok.span.file, tok.span.line, tok.span.col, tok.span.end_line, tok.span.end_col) == \
        ("t.orus", 1, 5, 1, 8)
