"""Lower every accepted program of the repository's corpora and verify the IR; run the
golden programs (tests/programs, format in tests/test_programs.py) on tier 0
in-process and compare stdout, exit status and the error's location and message.

Corpora: tests/programs, examples, tests/fuzz_seeds, and /work/shared/bench when
present (its `.expected` outputs are compared too). Programs the lowering cannot
handle yet are in SKIP with the reason; they are never deleted.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from orus.driver import pipeline
from orus.driver.options import Options
from orus.ir.verify import check_module, format_errors
from orus.irgen import lower_program

REPO = Path(__file__).resolve().parent.parent.parent
BENCH = Path("/work/shared/bench")
CORPORA = [REPO / "tests" / "programs", REPO / "examples", REPO / "tests" / "fuzz_seeds", BENCH]
SKIP = {
    "oroutines": "join/channel/send/recv/close/sleep have no rtabi entries; tier 0 cannot spawn",
}
CARET = re.compile(r"(\S+):(\d+):(\d+)\n.*\^ (.*)")


def discover() -> list[Path]:
    found = []
    for root in CORPORA:
        if root.is_dir():
            found.extend(p for p in sorted(root.rglob("*.orus")) if "lib" not in p.parts[-2:-1])
    return found


def front_end(path: Path):
    result = pipeline.check_file(path.name, Options(cwd=str(path.parent), exe_dir=str(path.parent)))
    if result.diagnostics:
        pytest.skip("rejected by the front end (a compile-error test)")
    return result


def lower(result):
    box: list = []
    pipeline.run_deep(lambda: box.append(_guarded(result)))
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]


def _guarded(result):
    try:
        return lower_program(result.program, result.typed)
    except BaseException as e:          # re-raised in the test's thread
        return e


def _id(p: Path) -> str:
    for root in CORPORA:
        if root in p.parents:
            return f"{root.name}/{p.relative_to(root).with_suffix('').as_posix()}"
    return p.stem


PROGRAMS = discover()


def _skip(path: Path) -> None:
    reason = SKIP.get(path.stem) or SKIP.get(path.parent.name)
    if reason:
        pytest.skip(reason)


@pytest.mark.parametrize("path", PROGRAMS, ids=[_id(p) for p in PROGRAMS])
def test_program_lowers_to_valid_ir(path: Path):
    _skip(path)
    module = lower(front_end(path))
    errors = check_module(module)
    assert not errors, format_errors(errors)


RUNNABLE = [p for p in PROGRAMS if p.with_suffix(".out").exists() or p.with_suffix(".expected").exists()]


@pytest.mark.parametrize("path", RUNNABLE, ids=[_id(p) for p in RUNNABLE])
def test_program_runs_like_its_golden_output(path: Path):
    from orus.backend.interp.run import run_module
    _skip(path)
    module = lower(front_end(path))
    stdin = path.with_suffix(".in")
    out = io.BytesIO()
    result = run_module(module, io.BytesIO(stdin.read_bytes() if stdin.exists() else b""), out)
    golden = path.with_suffix(".out") if path.with_suffix(".out").exists() else path.with_suffix(".expected")
    assert out.getvalue() == golden.read_bytes()
    err = path.with_suffix(".err")
    if not err.exists():
        assert result.status == 0, result.failure
        return
    assert result.status == 70
    want = CARET.search(err.read_text())
    if want:
        f = result.failure
        got = (f.line, f.col, f.message.split("\n")[0])
        assert got == (int(want.group(2)), int(want.group(3)), want.group(4))
