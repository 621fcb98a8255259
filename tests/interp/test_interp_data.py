"""Runner for tests/data/interp-*.test: IR text in, expected stdout out, on tier 0.

Each case's body is a whole IR module (`ir/reader.py` text form). It is
verified with `orus.ir.verify`, then run twice, once with the structured
layout and once with the block-dispatch fallback (structure.py); both runs
must print `[out]`. An uncaught error appends one line
`error: TITLE: MESSAGE at LINE:COL` (message lines joined with `|`).
The file format is tests/datafile.py's (IR text in place of main.orus).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orus.ir.reader import parse_module
from orus.ir.verify import check_module

from datafile import parse_cases, tier0_lines

DATA = Path(__file__).resolve().parent.parent / "data"


def run_case(ir_text: str, stdin: str, force_dispatch: bool) -> list[str]:
    module = parse_module(ir_text)
    errors = check_module(module)
    assert not errors, "\n".join(map(str, errors))
    return tier0_lines(module, stdin, force_dispatch)


CASES = [c for p in sorted(DATA.glob("interp-*.test")) for c in parse_cases(p)]


@pytest.mark.parametrize("force_dispatch", [False, True], ids=["structured", "dispatch"])
@pytest.mark.parametrize("case", CASES, ids=[f"{c.path.name}::{c.name}" for c in CASES])
def test_interp_case(case, force_dispatch):
    assert run_case(case.main, case.stdin, force_dispatch) == case.out
