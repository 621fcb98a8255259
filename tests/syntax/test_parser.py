"""Parser tests: diagnostics (category, title, message, place, help), spans, robustness.

The AST shapes of every syntax form are covered by tests/data/parse-*.test; this
file checks what those goldens do not show: the help/note texts of each error,
the secondary spans sema reports at, and that no input crashes or hangs.
"""

from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orus.diag import (HELP_BRACKET, HELP_CONST_NAME, HELP_INDENT, HELP_PRINT_COMMA, HELP_SYNTAX,
                       SYNTAX, CompileError)
from orus.syntax import ast
from orus.syntax.parser import parse


def err(src: str):
    with pytest.raises(CompileError) as info:
        parse(src.encode(), "main.orus")
    return info.value.diagnostic


def first_stmt(src: str):
    return parse(src.encode(), "main.orus").body[0]


def where(d):
    return (d.span.line, d.span.col)


# ------------------------------------------------------------------ diagnostics of spec 6.2
def test_stray_indentation_block():
    d = err('print("a")\n    print("b")\n')
    assert (d.category, d.title) == (SYNTAX, "Indentation looks off")
    assert d.message == "It looks like this line is indented, but there's no open block above it."
    assert where(d) == (2, 5)
    assert (d.help, d.note) == HELP_INDENT


@pytest.mark.parametrize("header,kw", [
    ("if c:", "if"), ("while c:", "while"), ("for i in xs:", "for"), ("fn f():", "fn"),
    ("try:", "try"), ("struct S:", "struct"), ("enum E:", "enum"), ("impl S:", "impl"),
    ("match x:", "match"), ("x = fn():", "fn"),
])
def test_missing_indented_block(header, kw):
    d = err(header + "\npass\n")
    assert (d.title, d.message) == ("Indentation looks off", f"Expected an indented block after '{kw}'")
    assert where(d) == (2, 1)
    assert (d.help, d.note) == HELP_INDENT


@pytest.mark.parametrize("src,kw", [
    ("if a:\n    pass\nelif b:\nx\n", "elif"), ("if a:\n    pass\nelse:\nx\n", "else"),
    ("try:\n    pass\ncatch e:\nx\n", "catch"),
    ("match v:\n    1 ->\n    2 -> 3\n", "->"),
])
def test_missing_block_after_clauses(src, kw):
    assert err(src).message == f"Expected an indented block after '{kw}'"


def test_missing_colon():
    d = err("if x > 1\n    print(1)\n")
    assert (d.category, d.title) == (SYNTAX, "Something's missing here")
    assert d.message == "Expected ':' after if statement"
    assert where(d) == (1, 9)                  # just after the condition
    assert (d.help, d.note) == ("Try adding a ':' at the end of this line.", None)


def test_missing_colon_after_while_condition():
    d = err("while  running  \n    pass\n")
    assert (d.message, where(d)) == ("Expected ':' after while statement", (1, 15))


def test_unclosed_bracket():
    d = err("y = [1..3]\n")
    assert (d.title, d.message) == (
        "Missing closing bracket",
        "Expected ']' to close this bracket expression, but found DOT_DOT instead.")
    assert (d.help, d.note) == HELP_BRACKET


def test_unclosed_index_at_line_end():
    # inside brackets the line break is ignored, so the next token is `z`
    d = err("y = xs[1\nz = 2\n")
    assert d.message == ("Expected ']' to close this bracket expression, but found IDENTIFIER "
                         "instead.")
    assert where(d) == (2, 1)


def test_print_missing_comma():
    d = err('print("a@b" b101)\n')
    assert (d.title, d.message) == (
        "Print arguments need commas between them",
        'I was expecting a comma before "b101" so the next value is clear.')
    assert where(d) == (1, 13)
    assert (d.help, d.note) == HELP_PRINT_COMMA


def test_print_trailing_comma_is_an_error():
    d = err("print(1, 2,)\n")
    assert (d.title, where(d)) == ("This syntax isn't quite right", (1, 12))
    assert (d.help, d.note) == HELP_SYNTAX


def test_assignment_in_if_condition():
    d = err("if a = true:\n    pass\n")
    assert d.message == ("Did you mean '==' instead of '=' in this if condition? Assignment (=) "
                         "used where comparison (==) was likely intended")
    assert where(d) == (1, 6)


@pytest.mark.parametrize("src", ["print(a = 5)\n", "f(a = 4)\n", "x = [a = 1]\n",
                                 "x = (a = 1)\n", "while a = 1:\n    pass\n"])
def test_assignment_inside_expression(src):
    d = err(src)
    assert d.title == "This syntax isn't quite right"
    assert "Assignment (=)" in d.message


def test_lowercase_constant():
    d = err("pi2 := 3.14\n")
    assert (d.title, d.message) == (
        "This isn't a valid variable name",
        "Invalid variable name 'pi2': module constants must start with an uppercase letter")
    assert (d.help, d.note) == HELP_CONST_NAME
    assert where(d) == (1, 1)


def test_lowercase_constant_with_type_inside_function():
    d = err("fn f():\n    rate: f64 := 1.5\n")
    assert where(d) == (2, 5)
    assert d.message.startswith("Invalid variable name 'rate'")


@pytest.mark.parametrize("decl", ["struct S:\n        x: i32", "enum E:\n        A",
                                  "impl S:\n        fn f(): pass", "use lib", "pub x = 1",
                                  "pub fn g(): pass"])
@pytest.mark.parametrize("opener", ["fn f():", "if c:", "while c:", "x = match v:\n    _ ->"])
def test_module_scope_only_declarations(decl, opener):
    indent = "    " if "match" not in opener else "        "
    src = opener + "\n" + indent + decl.replace("\n        ", "\n" + indent + "    ") + "\n"
    d = err(src)
    word = decl.split()[0]
    assert d.message == f"'{word}' declarations are only allowed at module scope"
    assert d.title == "This syntax isn't quite right"


def test_struct_inside_block_expression():
    d = err("x = { struct S: pass }\n")
    assert d.message == "'struct' declarations are only allowed at module scope"


def test_chained_cast():
    d = err("x = v as i64 as f64\n")
    assert d.message.startswith("Chained type casts are not allowed. Use parentheses like "
                                "'((a as type1) as type2)'")
    assert where(d) == (1, 14)


def test_parenthesised_casts_are_fine():
    stmt = first_stmt("x = (v as i64) as f64\n")
    assert isinstance(stmt.value, ast.Cast) and isinstance(stmt.value.expr, ast.Cast)


def test_empty_block_expression():
    d = err("x = {\n\n}\n")
    assert (d.message, where(d)) == ("Empty block", (1, 5))


def test_optional_types_rejected():
    d = err("fn f(a: i32?):\n    pass\n")
    assert (d.message, where(d)) == ("Optional types are not supported", (1, 12))


def test_leftovers_after_statement():
    assert where(err("x = 5 y\n")) == (1, 7)
    assert where(err("print(1) print(2)\n")) == (1, 10)
    assert where(err("if a: pass\nelse: pass pass\n")) == (2, 12)


def test_binary_operator_cannot_continue_line():
    assert where(err("x = 1 +\n    2\n")) == (1, 8)


def test_first_error_in_source_order():
    # the syntax error on line 1 comes before the lexical error on line 2
    assert where(err("x = (1\ny = $\n")) == (2, 1)
    assert err("x = (1 +\n$\n").message == "Unexpected character '$'"
    # inside brackets the line break is ignored: `1 + y = ...` fails at the `=` first
    assert where(err("x = (1 +\ny = $\n")) == (2, 3)
    assert where(err("x = 1 +\n# comment\n")) == (1, 8)


def test_compound_assignment_only_last_in_chain():
    assert first_stmt("a = b += 3\n").op == "+="
    assert err("a += b = 3\n").message.startswith("A compound assignment can only be the last")


def test_cannot_assign_to_call():
    assert err("f() = 3\n").message == "Cannot assign to this expression"


def test_slice_rules():
    assert err("y = xs[1....2]\n").message == "A slice step requires an end index"
    assert err("y = xs[..=]\n").message == "A slice with '..=' needs an end index"


def test_match_one_line_arm_cannot_chain():
    d = err("match n:\n    1 -> print(1); print(2)\n")
    assert where(d) == (2, 18)


def test_match_expression_cannot_sit_inside_brackets():
    assert where(err("print(match x:\n    1 -> 2)\n")) == (1, 15)


def test_block_lambda_cannot_sit_inside_brackets():
    # without NEWLINE/INDENT inside brackets the body is a one-line body (spec 1.4)
    assert where(err("apply(fn(x):\n    y = x\n    return y\n, 1)\n")) == (3, 5)
    call = first_stmt("apply(fn(x):\n    return x\n, 1)\n").expr
    assert len(call.args) == 2 and call.args[0].body.stmts[0].values[0].name == "x"


def test_trailing_comma_in_parameters():
    assert err("fn f(a, b,):\n    pass\n").message == "Expected a parameter name, found ')'"


def test_missing_catch():
    assert "catch" in err("try:\n    pass\nx = 1\n").message


def test_label_needs_a_loop():
    assert "Expected 'for' or 'while'" in err("'a: if x:\n    pass\n").message


# ------------------------------------------------------------------ spans sema relies on
def test_operator_spans():
    stmt = first_stmt("x = a + b\n")
    assert (stmt.op_span.line, stmt.op_span.col) == (1, 3)
    assert (stmt.value.op_span.col, stmt.value.span.col, stmt.value.span.end_col) == (7, 5, 10)


def test_call_index_field_spans():
    call = first_stmt("f(x)[2].name\n").expr
    assert isinstance(call, ast.Field) and call.name_span.col == 9
    assert call.obj.bracket_span.col == 5
    assert call.obj.obj.paren_span.col == 2


def test_keyword_spans():
    loop = first_stmt("'l: while c:\n    break 'l\n")
    assert (loop.label, loop.kw_span.col, loop.span.col) == ("l", 5, 1)
    tr = first_stmt("try: pass\ncatch e: pass\n")
    assert (tr.catch_span.line, tr.catch_span.col, tr.catch_name) == (2, 1, "e")
    m = first_stmt("x = match v:\n    _ -> 1\n").value
    assert m.kw_span.col == 5


def test_negative_literal_span_and_text():
    lit = first_stmt("x = - 5\n").value
    assert (lit.value, lit.text, lit.span.col, lit.span.end_col) == (-5, "-5", 5, 8)


def test_cast_and_matches_spans():
    cast = first_stmt("x = y as f64\n").value
    assert cast.as_span.col == 7
    m = first_stmt("x = y matches _\n").value
    assert m.op_span.col == 7 and isinstance(m.pattern, ast.Wildcard)


def test_struct_literal_type_span():
    lit = first_stmt("p = geo.Point{x: 1}\n").value
    assert (lit.type_path, lit.type_span.col, lit.type_span.end_col) == (["geo", "Point"], 5, 14)


def test_double_closing_angle_in_types():
    stmt = first_stmt("m: Maybe<Maybe<i32>> = x\n")
    inner = stmt.type.args[0]
    assert (inner.path, inner.args[0].path) == (["Maybe"], ["i32"])
    stmt = first_stmt("m: A<B<C<i32>>> = x\n")
    assert stmt.type.args[0].args[0].args[0].path == ["i32"]


def test_comparison_after_cast_is_an_operator():
    stmt = first_stmt("x = y as f64 < 2.5\n")
    assert (stmt.value.op, type(stmt.value.left).__name__) == ("<", "Cast")
    stmt = first_stmt("x = y as i32 > 1 and z as u8 >= 2\n")
    assert stmt.value.op == "and"


def test_shift_still_works_after_types():
    stmt = first_stmt("x = a >> 2\n")
    assert stmt.value.op == ">>"


def test_spawn_and_yield():
    stmt = first_stmt("spawn worker(1)\n")
    assert isinstance(stmt.expr, ast.Spawn) and stmt.expr.kw_span.col == 1
    assert isinstance(first_stmt("yield\n"), ast.YieldStmt)


def test_path_kept_in_spans():
    m = parse(b"x = 1\n", "lib/util.orus")
    assert m.path == "lib/util.orus" and m.body[0].span.file == "lib/util.orus"


# ------------------------------------------------------------------ robustness and speed
@pytest.mark.parametrize("src", [
    b"x = " + b"(" * 10000 + b"1" + b")" * 10000,
    b"x = " + b"[" * 10000 + b"]" * 10000,
    b"x = " + b"-" * 10000 + b"1",
    b"x = " + b"{" * 10000 + b"1" + b"}" * 10000,
    b"x = " + b" if c else ".join([b"1"] * 10000),
    b"".join(b" " * i + b"if c:\n" for i in range(3000)),
    b"m: " + b"A<" * 5000 + b"i32" + b">" * 5000 + b" = 1",
])
def test_deep_nesting_is_a_clean_error(src):
    with pytest.raises(CompileError) as info:
        parse(src, "main.orus")
    assert info.value.diagnostic.message == "Expression nested too deeply"


def test_deep_but_bounded_nesting_is_fine():
    parse(b"x = " + b"(" * 900 + b"1" + b")" * 900, "main.orus")
    parse(b"x = " + b"f(" * 900 + b"1" + b")" * 900, "main.orus")
    parse(b"x = " + b"{ " * 400 + b"1" + b" }" * 400, "main.orus")
    parse(b"".join(b" " * i + b"if c:\n" for i in range(500)) + b" " * 500 + b"pass\n", "main.orus")


def test_long_inputs():
    parse(b"x = \"" + b"a" * 100000 + b"\"\n", "main.orus")
    parse(b"x = [" + b"1, " * 30000 + b"]\n", "main.orus")
    parse(b"x = " + b" + ".join([b"1"] * 10000) + b"\n", "main.orus")


def test_ten_thousand_lines_parse():
    # How fast is a benchmark's question (timing never decides a test): this checks the
    # parser copes with the size (no recursion or quadratic blow-up that fails outright).
    chunk = (b"fn fib(n: i32) -> i32:\n"
             b"    if n < 2:\n"
             b"        return n\n"
             b"    mut total = 0\n"
             b"    for i in 0..n:\n"
             b"        total += fib(i - 1) * 2 + xs[i] // comment\n"
             b"    return match total:\n"
             b"        0 -> 1\n"
             b"        _ -> total\n"
             b"print(fib(10), [1, 2], P{x: 1})\n")
    src = chunk * 1000
    module = parse(src, "main.orus")
    assert len(module.body) == 2000


FRAGMENTS = ["if ", "x", " = ", "(", ")", "[", "]", "{", "}", ":", "\n", "    ", "\t", "fn ",
             "match ", "->", ",", "1", "..", "_", "print", "'", '"s"', "/*", "*/", "//", ";",
             "as ", "i32", "<", ">>", "?", "else ", "for ", " in ", "struct ", "mut ", "-",
             "return ", "P{", "spawn ", "matches ", "try:", "catch ", "0x", "1e5", "pub ",
             "use ", "impl ", "yield", ".", "==", "while ", "\r\n", "\\", "é"]


def _parse_or_error(src: bytes) -> None:
    try:
        parse(src, "main.orus")
    except CompileError as e:
        d = e.diagnostic
        assert d.span is not None and d.span.line >= 1 and d.span.col >= 1
        assert d.category == SYNTAX


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_never_crash(data):
    _parse_or_error(data)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=60))
def test_random_token_soup_never_crashes(parts):
    _parse_or_error("".join(parts).encode())
