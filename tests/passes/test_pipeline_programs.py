"""The whole pipeline on real lowered programs: the bench programs and examples/.

Each program is checked and lowered by the driver (`check_file`, then `lower`),
optimised with verification after every pass, and run in tier 0. A bench
program must print exactly its `NAME.expected` and get smaller (each has
loops); an example must print what its unoptimised IR prints and not grow.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from orus.backend.interp.run import run_module
from orus.driver.options import Options
from orus.driver.pipeline import check_file, lower
from orus.passes.manager import PassContext, optimize_module

REPO = Path(__file__).resolve().parents[2]
BENCH = Path("/work/shared/bench")
BENCH_PROGRAMS = sorted(BENCH.glob("*.orus"))
EXAMPLES = sorted((REPO / "examples").glob("*.orus"))


def _lowered(path: Path):
    options = Options.from_env(cwd=str(path.parent), optimize=False)   # the test runs the passes itself
    result = check_file(str(path), options)
    assert result.ok, result.diagnostics
    module = lower(result, options)
    assert module is not None, result.diagnostics
    return module


def _size(module) -> int:
    return sum(len(b.instrs) for fn in module.functions.values() for b in fn.blocks)


def _run(module) -> tuple[bytes, int, object]:
    out = io.BytesIO()
    res = run_module(module, io.BytesIO(b""), out)
    failure = res.failure and (res.failure.kind, res.failure.message, res.failure.line, res.failure.col)
    return out.getvalue(), res.status, failure


def _optimised(path: Path, must_shrink: bool):
    module = _lowered(path)
    before = _size(module)
    optimize_module(module, PassContext(verify=True))
    assert _size(module) < before if must_shrink else _size(module) <= before
    return module


@pytest.mark.skipif(not BENCH_PROGRAMS, reason="no bench programs in /work/shared/bench")
@pytest.mark.parametrize("path", BENCH_PROGRAMS, ids=[p.stem for p in BENCH_PROGRAMS])
def test_bench_program_output_is_unchanged(path):
    out, status, failure = _run(_optimised(path, True))
    assert (status, failure) == (0, None)
    assert out == path.with_suffix(".expected").read_bytes()


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_output_is_unchanged(path):
    assert _run(_optimised(path, False)) == _run(_lowered(path))
