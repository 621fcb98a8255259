"""Tier 0's fast paths, run from Orus source: counted `for` loops (counted.py), range
facts that drop checks, fused string concatenation, inline `s[i]`, float `/`, `int(s)`.

Each program runs through the front end and irgen, then on tier 0 with the
structured layout and with the dispatch fallback; both must print the output
the spec gives (2.6, D29: exact-overflow exit; 2.2: assigning the loop variable
moves the loop; 2.7: labelled break/continue; 6.3: error locations). Where a
test is about a fast path, it also checks that the generated Python uses it
(ORUS_DUMP_PY=1 prints each function's source to stderr).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from orus.backend.interp.run import run_module
from orus.driver import pipeline
from orus.driver.options import Options
from orus.irgen import lower_program


def _lower(tmp_path: Path, source: str):
    (tmp_path / "main.orus").write_text(source, encoding="utf-8")
    result = pipeline.check_file("main.orus", Options(cwd=str(tmp_path), exe_dir=str(tmp_path)))
    assert not result.diagnostics, result.diagnostics
    box: list = []
    pipeline.run_deep(lambda: box.append(lower_program(result.program, result.typed)))
    return box[0]


def run(tmp_path: Path, source: str, force_dispatch: bool = False) -> list[str]:
    """Output lines, plus `error: MESSAGE at LINE:COL` for an uncaught error."""
    module = _lower(tmp_path, source)
    out = io.BytesIO()
    result = run_module(module, io.BytesIO(b""), out, force_dispatch=force_dispatch)
    lines = out.getvalue().decode().splitlines()
    if result.failure:
        lines.append(f"error: {result.failure.message} at {result.failure.line}:{result.failure.col}")
    return lines


def generated(tmp_path: Path, source: str, monkeypatch, capsys) -> str:
    """The Python source tier 0 generates for the program (structured layout)."""
    monkeypatch.setenv("ORUS_DUMP_PY", "1")
    module = _lower(tmp_path, source)
    capsys.readouterr()
    run_module(module, io.BytesIO(b""), io.BytesIO())
    return capsys.readouterr().err


def both(tmp_path: Path, source: str) -> list[str]:
    structured = run(tmp_path, source)
    assert run(tmp_path, source, force_dispatch=True) == structured
    return structured


CASES = {
    "exclusive": ("for i in 0..4:\n    print(i)\n", ["0", "1", "2", "3"]),
    "inclusive": ("for i in 0..=3:\n    print(i)\n", ["0", "1", "2", "3"]),
    "step": ("for i in 0..10..3:\n    print(i)\n", ["0", "3", "6", "9"]),
    "negative_step": ("for i in 10..0..-3:\n    print(i)\n", ["10", "7", "4", "1"]),
    "negative_inclusive": ("for i in 3..=0..-1:\n    print(i)\n", ["3", "2", "1", "0"]),
    "empty": ("for i in 5..0:\n    print(i)\nprint(\"done\")\n", ["done"]),
    "i32_limit": ("for i in 2147483645..=2147483647:\n    print(i)\n",
                  ["2147483645", "2147483646", "2147483647"]),
    "i32_min_limit": ("for i in -2147483646..=-2147483648..-1:\n    print(i)\n",
                      ["-2147483646", "-2147483647", "-2147483648"]),
    "i64_limit": ("a: i64 = 9223372036854775806\nb: i64 = 9223372036854775807\n"
                  "for i in a..=b:\n    print(i)\n", ["9223372036854775806", "9223372036854775807"]),
    "u32_limit": ("for i in 4294967290u32..=4294967295u32..5:\n    print(i)\n", ["4294967290", "4294967295"]),
    "step_past_max": ("for i in 2147483640..=2147483647..5:\n    print(i)\n", ["2147483640", "2147483645"]),
    "accumulators": ("mut s = 0\nmut p: i64 = 1\nfor i in 1..=10:\n    s += i\n    p *= i as i64\n"
                     "print(s, p)\n", ["55 3628800"]),
    "bound_evaluated_once": ("mut n = 3\nfor i in 0..n:\n    n = 10\n    print(i)\nprint(n)\n",
                             ["0", "1", "2", "10"]),
    "assign_moves_loop": ("for i in 0..10:\n    print(i)\n    i = i + 3\n", ["0", "4", "8"]),
    "assign_near_limit": ("for i in 0..=2147483647:\n    print(i)\n    if i == 0:\n"
                          "        i = 2147483646\n", ["0", "2147483647"]),
    "break_continue": ("for i in 0..10:\n    if i % 2 == 1:\n        continue\n    if i > 6:\n"
                       "        break\n    print(i)\nprint(\"end\")\n", ["0", "2", "4", "6", "end"]),
    "labelled": ("'outer: for i in 0..4:\n    for j in 0..4:\n        if j == 2:\n"
                 "            continue 'outer\n        if i == 3:\n            break 'outer\n"
                 "        print(i, j)\nprint(\"end\")\n",
                 ["0 0", "0 1", "1 0", "1 1", "2 0", "2 1", "end"]),
    "nested_sum": ("mut t = 0\nfor a in 0..5:\n    for b in a..5:\n        t += a * b\nprint(t)\n", ["65"]),
    "while_inside": ("for i in 0..3:\n    mut k = i\n    while k > 0:\n        k -= 1\n    print(i, k)\n",
                     ["0 0", "1 0", "2 0"]),
    # `[1, 2]` is the fill literal [1, 1] (spec 4.6), so index 2 is out of bounds
    "try_inside": ("for i in 0..3:\n    try:\n        x = [1, 2][i]\n        print(x)\n"
                   "    catch e:\n        print(\"caught\")\n", ["1", "1", "caught"]),
    "try_inside_checked": ("n = 3\nfor i in 0..n:\n    try:\n        x = [1, 2,][i]\n        print(x)\n"
                           "    catch e:\n        print(\"caught\")\n", ["1", "2", "caught"]),
    "closure_per_iteration": ("mut fs: [fn() -> i32] = []\nfor i in 0..3:\n    push(fs, fn() -> i32: i * 10)\n"
                              "for f in fs:\n    print(f())\n", ["0", "10", "20"]),
    "while_counted": ("fn f(n: i32) -> i32:\n    mut i = 0\n    mut s = 0\n    while i < n:\n        s += i\n"
                      "        i += 1\n    return s\nprint(f(5))\n", ["10"]),
    "while_index_used_after": ("mut i = 0\nwhile i < 5:\n    i += 1\nprint(i)\n", ["5"]),
    "while_index_used_after_fn": ("fn f(n: i32) -> i32:\n    mut i = 0\n    while i < n:\n        i += 1\n"
                                  "    return i\nprint(f(5))\n", ["5"]),
    "while_continue_skips_step": ("mut i = 0\nmut s = 0\nwhile i < 10:\n    i += 1\n    if i % 2 == 0:\n"
                                  "        continue\n    s += i\nprint(s)\n", ["25"]),
    "variable_step": ("st = -2\nfor i in 6..0..st:\n    print(i)\n", ["6", "4", "2"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_counted_loop_semantics(tmp_path, name):
    source, expected = CASES[name]
    assert both(tmp_path, source) == expected


@pytest.mark.parametrize("name", ["exclusive", "inclusive", "step", "negative_step", "i32_limit",
                                  "u32_limit", "accumulators", "break_continue", "try_inside",
                                  "try_inside_checked", "while_counted"])
def test_counted_loops_become_python_for(tmp_path, monkeypatch, capsys, name):
    src = generated(tmp_path, CASES[name][0], monkeypatch, capsys)
    assert " in range(" in src and "while True" not in src.split("def _F__init")[1]


def test_loop_variable_assigned_keeps_while(tmp_path, monkeypatch, capsys):
    src = generated(tmp_path, CASES["assign_moves_loop"][0], monkeypatch, capsys)
    assert " in range(" not in src


def test_overflow_in_counted_loop_reports_its_line(tmp_path):
    source = "mut x = 2147483640\nfor i in 0..10:\n    x = x + i\nprint(x)\n"
    # 2147483640 + 0 + 1 + ... + 7 = 2147483668 > MAX: the add at 3:11 traps when i is 7 (sum 28)
    assert both(tmp_path, source) == ["error: Integer overflow at 3:11"]


def test_index_past_end_in_counted_loop(tmp_path):
    source = "a = [1, 2, 3]\nfor i in 0..5:\n    print(a[i])\n"
    assert both(tmp_path, source) == ["1", "2", "3", "error: Array index out of bounds at 3:12"]


def test_index_check_dropped_when_loop_index_is_non_negative(tmp_path, monkeypatch, capsys):
    source = "fn f(a: [i32], n: i32) -> i32:\n    mut s = 0\n    for i in 0..n:\n        s += a[i] + i % 4\n" \
        "    return s\nprint(f([5, 6, 7,], 3))\n"
    src = generated(tmp_path, source, monkeypatch, capsys)
    assert "_neg_index" not in src and "_rem_i32" not in src
    assert both(tmp_path, source) == ["21"]


def test_negative_index_still_checked(tmp_path):
    source = "a = [5, 6, 7]\nfor i in -1..3:\n    print(a[i])\n"
    assert both(tmp_path, source)[-1] == "error: Array index must be a non-negative integer at 3:12"


def test_growing_while_index_needs_no_negative_check(tmp_path, monkeypatch, capsys):
    source = ("fn f(a: [i32], step: i32) -> i32:\n    mut s = 0\n    mut j = 1\n    while j < len(a):\n"
              "        s += a[j]\n        j += step\n    return s\nprint(f([1, 2, 3, 4, 5, 6,], 2))\n")
    src = generated(tmp_path, source, monkeypatch, capsys)
    assert "_neg_index" in src           # step may be negative: j is not known to grow
    source = source.replace("j += step", "j += 2")
    assert "_neg_index" not in generated(tmp_path, source, monkeypatch, capsys)
    assert both(tmp_path, source) == ["12"]       # 2 + 4 + 6


def test_shrinking_while_index_still_checked(tmp_path):
    source = ("fn f(a: [i32]) -> i32:\n    mut s = 0\n    mut j = 2\n    while j > -3:\n"
              "        s += a[j]\n        j -= 1\n    return s\nprint(f([1, 2, 3,]))\n")
    assert both(tmp_path, source) == ["error: Array index must be a non-negative integer at 5:15"]


def test_halved_value_plus_one_needs_no_check(tmp_path, monkeypatch, capsys):
    source = "fn h(x: i32) -> i32:\n    return x / 2 + 1\nprint(h(2147483647), h(-2147483648), h(-3))\n"
    src = generated(tmp_path, source, monkeypatch, capsys)
    assert "_ovf" not in src.split("def _F_h")[1]
    assert both(tmp_path, source) == ["1073741824 -1073741823 0"]      # truncating division


def test_concat_chain_is_one_join(tmp_path, monkeypatch, capsys):
    source = "mut s = \"\"\nfor i in 0..3:\n    s = s + \"[\" + (i as string) + \"]\"\nprint(s)\n"
    assert "b''.join((" in generated(tmp_path, source, monkeypatch, capsys)
    assert both(tmp_path, source) == ["[0][1][2]"]


def test_concat_intermediate_used_twice(tmp_path):
    source = "a = \"x\" + \"y\"\nb = a + \"z\"\nc = a + b\nprint(a, b, c)\n"
    assert both(tmp_path, source) == ["xy xyz xyxyz"]


def test_string_index(tmp_path):
    source = "s = \"h\u00e9!\"\nprint(s[0], s[3])\nk = -1\nprint(s[k])\n"      # é is two bytes
    assert both(tmp_path, source) == ["h !", "error: String index must be a non-negative integer at 4:8"]


def test_string_index_past_end(tmp_path):
    assert both(tmp_path, "s = \"ab\"\nk = 2\nprint(s[k])\n") == ["error: String index out of bounds at 3:8"]


def test_float_division(tmp_path):
    source = "a = 1.0\nb = 4.0\nprint(a / b, 1e308 / 0.5)\nz = 0.0\nprint(a / z)\n"
    assert both(tmp_path, source) == ["0.25 inf", "error: Division by zero at 5:9"]


def test_int_of_string(tmp_path):
    source = ("print(int(\"007\"), int(\" -12 \"), int(\"2147483647\"))\n"
              "print(int(\"2147483648\"))\n")
    assert both(tmp_path, source) == [
        "7 -12 2147483647", "error: int() overflow: \"2147483648\" is out of range for i32 at 2:10"]


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
