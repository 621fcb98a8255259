"""The pass manager: pipeline data, --disable-pass, timing, verification, error wrapping."""

from __future__ import annotations

import pytest

from orus.ir.func import Function
from orus.ir.printer import format_function
from orus.ir.reader import parse_module
from orus.passes import manager as M
from orus.passes.manager import PIPELINE, InternalError, Pass, PassContext, run_pipeline

TEXT = """\
fn @main() -> void {
b0:
  v0 = const.i32 2
  v1 = add.i32 v0, v0 !1:1
  v2 = const.bool true
  br v2, b1, b2
b1:
  print 0 v1
  ret
b2:
  ret
}
"""


def test_order_constraints_hold_and_are_checked():
    M._check_order(PIPELINE, M.ORDER)
    backwards = [PIPELINE[1], PIPELINE[0]]
    first, then = PIPELINE[0].name, PIPELINE[1].name
    with pytest.raises(AssertionError, match=f"{first} must run before {then}"):
        M._check_order(backwards, [(first, then, "why")])


def test_pipeline_names_are_registered_passes():
    assert {p.run for p in PIPELINE} == set(M.PASSES.values())


def test_whole_pipeline_folds_and_cleans_up():
    m = parse_module(TEXT)
    ctx = PassContext(verify=True)
    M.optimize_module(m, ctx)
    assert format_function(m.functions["main"]) == (
        "fn @main() -> void {\nb0:\n  v1 = const.i32 4\n  print 0 v1\n  ret\n}\n")
    assert set(ctx.timings) == {p.name for p in PIPELINE}
    assert ctx.changes["simplify-cfg"] == 1 and ctx.changes["const-fold"] == 1
    assert ctx.changes["late-const-fold"] == 0


def test_disabled_passes_do_not_run():
    m = parse_module(TEXT)
    ctx = PassContext(verify=True, disabled=frozenset(p.name for p in PIPELINE if not p.required))
    run_pipeline(m, ctx)
    assert set(ctx.timings) == {p.name for p in PIPELINE if p.required}
    assert [i.name for i in m.functions["main"].instructions()] == ["const", "add", "const", "print", "ret"]


def test_a_pass_name_disables_all_its_entries():
    names = [p.name for p in M.enabled_passes({"const-fold", "dce"})]
    assert "const-fold" not in names and "late-const-fold" not in names and "dce" not in names
    assert [p.name for p in M.enabled_passes({"late-const-fold"})].count("const-fold") == 1


def test_required_and_unknown_passes_cannot_be_disabled():
    with pytest.raises(ValueError, match="pass 'simplify-cfg' is required and cannot be disabled"):
        run_pipeline(parse_module(TEXT), PassContext(disabled=frozenset({"simplify-cfg"})))
    with pytest.raises(ValueError, match="unknown pass 'nope'"):
        M.enabled_passes({"nope"})
    assert "late-simplify-cfg" not in [p.name for p in M.enabled_passes({"late-simplify-cfg"})]


def _returns_none(fn: Function, ctx) -> bool:
    return None


def _raises(fn: Function, ctx) -> bool:
    raise KeyError("boom")


def _breaks(fn: Function, ctx) -> bool:
    fn.blocks[0].instrs.pop()          # drops the terminator
    return True


@pytest.mark.parametrize("run, message", [
    (_returns_none, "pass bad, fn main: AssertionError: returned None, not a bool"),
    (_raises, "pass bad, fn main: KeyError: 'boom'"),
    (_breaks, "pass bad, fn main: invalid IR after bad: 1 error"),
])
def test_pass_failures_become_internal_errors(run, message):
    m = parse_module(TEXT)
    with pytest.raises(InternalError) as info:
        run_pipeline(m, PassContext(verify=True), [Pass("bad", run)])
    assert str(info.value).startswith(message)


def test_without_verify_broken_ir_is_not_reported():
    m = parse_module(TEXT)
    run_pipeline(m, PassContext(verify=False), [Pass("bad", _breaks)])


def test_run_on_one_function_needs_the_module_to_verify():
    m = parse_module(TEXT)
    fn = m.functions["main"]
    with pytest.raises(InternalError, match="needs PassContext.module"):
        run_pipeline(fn, PassContext(verify=True))
    run_pipeline(fn, PassContext(module=m, verify=True))


def test_dumps_before_and_after_a_pass():
    m = parse_module(TEXT)
    ctx = PassContext(dump_before=frozenset({"const-fold"}), dump_after=frozenset({"const-fold"}),
                      dump_fn="main")
    run_pipeline(m, ctx)
    assert [d.split("\n")[0] for d in ctx.dumps] == ["; before const-fold", "; after const-fold"]
    assert "add.i32" in ctx.dumps[0] and "const.i32 4" in ctx.dumps[1]


def test_timing_report_lists_each_pass_in_order_then_the_total():
    ctx = PassContext()
    run_pipeline(parse_module(TEXT), ctx)
    lines = M.timing_report(ctx).splitlines()
    assert [line.split()[0] for line in lines] == [p.name for p in PIPELINE] + ["total"]
    assert lines[0].endswith("changed 1 fn")
