"""Every benchmark program prints exactly its expected output in tier 0 (correctness only:
timing is measured by bench/compare.py, never asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "bench"
OWN = REPO / "bench" / "programs"
PROGRAMS = sorted(OWN.glob("*.orus")) + sorted(SHARED.glob("*.orus"))


@pytest.mark.parametrize("program", PROGRAMS, ids=[f"{p.parent.name}/{p.stem}" for p in PROGRAMS])
def test_benchmark_prints_expected_output(program: Path):
    expected = program.with_suffix(".expected").read_text()
    r = subprocess.run([sys.executable, "-m", "orus", "run", "--tier=0", str(program)],
                       capture_output=True, text=True, timeout=300)
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout == expected


def test_own_benchmarks_have_python_twins():
    for program in OWN.glob("*.orus"):
        assert program.with_suffix(".py").exists() and program.with_suffix(".expected").exists()
