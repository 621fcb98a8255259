"""Tier-0 unit tests: op table coverage, rtabi agreement, layout choice, error reporting."""

from __future__ import annotations

import io

from orus import rtabi
from orus.backend.interp import structure
from orus.backend.interp.builtins import HANDLERS
from orus.backend.interp.compile import Env, FnCtx, compile_function
from orus.backend.interp.emit import EMITTERS
from orus.backend.interp.run import run_module
from orus.diag import RUNTIME
from orus.ir.opdefs import OPS
from orus.ir.reader import parse_module
from orus.ir.verify import check_module

from spec_blocks import DIVISION_BY_ZERO


def test_every_op_has_an_emitter():
    missing = [op.name for op in OPS if op.name not in EMITTERS]
    assert missing == []


def test_every_runtime_builtin_has_a_handler_and_no_extra():
    assert set(HANDLERS) == set(rtabi.RUNTIME)


def test_oroutine_builtins_are_left_out_of_rtabi_until_oroutines_exist():
    assert not {"join", "channel", "send", "recv", "close", "sleep"} & set(rtabi.RUNTIME)


LOOP = """
fn @main() -> void {
b0:
  v0 = const.i32 0
  jmp b1(v0)
b1(v1: i32):
  v2 = const.i32 3
  v3 = lt v1, v2
  br v3, b2, b3
b2:
  print 0 v1
  v4 = const.i32 1
  v5 = add.i32 v1, v4 !1:1
  jmp b1(v5)
b3:
  ret
}
"""

IRREDUCIBLE = """
fn @main() -> void {
b0:
  v0 = const.i32 0
  v1 = const.bool true
  br v1, b1(v0), b2(v0)
b1(v2: i32):
  print 0 v2
  v3 = const.i32 1
  v4 = add.i32 v2, v3 !1:1
  v5 = const.i32 4
  v6 = lt v4, v5
  br v6, b2(v4), b3
b2(v7: i32):
  v8 = const.i32 1
  v9 = add.i32 v7, v8 !1:1
  jmp b1(v9)
b3:
  ret
}
"""


def _compile(text: str) -> str:
    module = parse_module(text)
    assert check_module(module) == []
    env = Env(module, io.BytesIO(), lambda b: None)
    return compile_function(env, module.functions["main"])


def _run(text: str) -> tuple[io.BytesIO, object]:
    module = parse_module(text)
    out = io.BytesIO()
    return out, run_module(module, io.BytesIO(), out)


def test_loop_becomes_a_python_while_loop():
    src = _compile(LOOP)
    assert "while True:" in src and "_b =" not in src


def test_irreducible_flow_falls_back_to_dispatch_and_runs():
    src = _compile(IRREDUCIBLE)
    assert "_b = " in src
    out, result = _run(IRREDUCIBLE)
    assert result.status == 0
    # b0 -> b1(0) prints 0 -> b2(1) -> b1(2) prints 2 -> b2(3) -> b1(4) prints 4 -> b3
    assert out.getvalue() == b"0\n2\n4\n"


def test_uncaught_failure_is_a_runtime_panic_diagnostic():
    text = """
fn @main() -> void file "calc.orus" {
b0:
  v0 = const.i32 1
  v1 = const.i32 0
  v2 = div.i32 v0, v1 !4:13
  ret
}
"""
    out, result = _run(text)
    assert result.status == 70
    d = result.failure.diagnostic()
    assert (d.category, d.title, d.message) == (RUNTIME, "Oh no! You tried to divide by zero", "Division by zero")
    assert (d.span.file, d.span.line, d.span.col) == ("calc.orus", 4, 13)
    assert d.help == "Add a check before dividing to make sure the number isn't zero."
    assert d.note == "Division by zero is mathematically undefined."


def test_ends_flow_only_for_transfers():
    assert structure.ends_flow(["x = 1", "return x"])
    assert structure.ends_flow([("continue", None)])
    assert not structure.ends_flow(["    return x", "y = 2"])
    assert not structure.ends_flow([])


def test_fn_ctx_renders_constants_as_literals():
    module = parse_module(LOOP)
    cx = FnCtx(Env(module, io.BytesIO(), lambda b: None), module.functions["main"])
    EMITTERS["const"](cx, module.functions["main"].blocks[0].instrs[0])
    assert cx.val(module.functions["main"].blocks[0].instrs[0].result) == "0"


def test_every_data_case_is_laid_out_structured():
    """The shapes irgen produces (loops, try bodies, short circuits, labelled jumps) need no dispatch loop."""
    from test_interp_data import CASES
    for case in CASES:
        module = parse_module(case.main)
        env = Env(module, io.BytesIO(), lambda b: None)
        for fn in module.functions.values():
            assert "_b = " not in compile_function(env, fn), f"{case.path.name} {case.name} @{fn.name}"


def test_call_rt_must_match_rtabi():
    import pytest
    from orus.backend.interp.errors import InternalError
    text = """
fn @main() -> void {
b0:
  v0 = call.rt.f64 timestamp v0 !1:1
  ret
}
"""
    module = parse_module(text.replace("timestamp v0", "timestamp"))
    module.functions["main"].blocks[0].instrs[0].args.append(module.functions["main"].blocks[0].instrs[0].result)
    with pytest.raises(InternalError, match="does not match rtabi"):
        _compile_module_only(module)


def _compile_module_only(module):
    env = Env(module, io.BytesIO(), lambda b: None)
    for fn in module.functions.values():
        compile_function(env, fn)


def test_data_cases_cover_every_op_except_oroutines():
    import re
    from pathlib import Path
    from test_interp_data import DATA
    text = "\n".join(p.read_text() for p in Path(DATA).glob("interp-*.test"))
    words = re.findall(r"^  (?:v\d+ = )?(\S+)", text, re.M)
    names = sorted((op.name for op in OPS), key=len, reverse=True)
    used = {next((n for n in names if w == n or w.startswith(n + ".")), w) for w in words}
    missing = {op.name for op in OPS} - used - {"spawn", "spawn.ind"}
    assert missing == set()


def test_spawn_is_an_internal_error_until_oroutines_exist():
    import pytest
    from orus.backend.interp.errors import InternalError
    text = """
fn @work() -> i32 {
b0:
  v0 = const.i32 1
  ret v0
}
fn @main() -> void {
b0:
  v0 = spawn @work
  ret
}
"""
    with pytest.raises(InternalError, match="oroutines"):
        _run(text)


def test_failure_renders_as_the_spec_6_1_example():
    from orus.diag import SourceCache, render
    text = """
fn @main() -> void file "calc.orus" {
b0:
  v0 = const.i32 10
  v1 = const.i32 0
  v2 = div.i32 v0, v1 !4:13
  ret
}
"""
    sources = SourceCache()
    sources.add("calc.orus", b"value = 10\nzero = 0\n\nprint(value / zero)\n")
    _, result = _run(text)
    assert render(result.failure.diagnostic(), sources) == DIVISION_BY_ZERO


def test_run_module_accepts_text_streams_and_flushes_before_failing():
    text = """
fn @main() -> void {
b0:
  v0 = const.str "first"
  print 0 v0
  v1 = array.new.[i32]
  v2 = array.pop v1 !2:9
  ret
}
"""
    out = io.StringIO()
    result = run_module(parse_module(text), io.StringIO(""), out)
    assert out.getvalue() == "first\n"
    assert (result.status, result.failure.message, result.failure.title) == (
        70, "Cannot pop from an empty array", "This operation isn't allowed here")
    assert result.failure.kind == "value error"
