"""Runner for tests/data/ir-*.test: IR text in, printed IR text out.

tests/test_data.py skips the `ir-` prefix, so these cases run here (file format:
tests/datafile.py, with IR text in place of main.orus). The output is the printed module when the text parses and
verifies; else the reader's `line N: ...` error or the verifier's report
(verify.format_errors). A printed module must also print identically after
being parsed again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orus.ir.printer import format_module
from orus.ir.reader import IRSyntaxError, parse_module
from orus.ir.verify import check_module, format_errors

from datafile import parse_cases

DATA = Path(__file__).parent.parent / "data"


def run(text: str) -> str:
    try:
        module = parse_module(text)
    except IRSyntaxError as e:
        return f"{e}\n"
    errors = check_module(module)
    if errors:
        return format_errors(errors) + "\n"
    printed = format_module(module)
    assert format_module(parse_module(printed)) == printed, "printing is not stable"
    return printed


CASES = [case for p in sorted(DATA.glob("ir-*.test")) for case in parse_cases(p)]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_ir_case(case):
    assert run(case.main) == "\n".join(case.out) + "\n", f"{case.path.name}: [case {case.name}]"
