"""Runner for tests/data/opt-<pass>.test: IR text in, one pass, printed IR text out.

Each case (format: tests/datafile.py) holds an IR module and the expected module
after the pass named by the file (`opt-const-fold.test` runs "const-fold" on every
function). The input must verify, the
verifier runs after the pass (PassContext.verify), and running the pass a
second time must change nothing: each pass works to its own fixpoint.
`pytest --update-data` rewrites the [out] sections.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orus.ir.printer import format_module
from orus.ir.reader import parse_module
from orus.ir.verify import check_module
from orus.passes.manager import PASSES, Pass, PassContext, run_pass

from datafile import parse_cases, rewrite_out

DATA = Path(__file__).parent.parent / "data"


def run_case(pass_name: str, text: str) -> str:
    module = parse_module(text)
    assert check_module(module) == [], "the input of an opt case must be valid IR"
    p = Pass(pass_name, PASSES[pass_name])
    ctx = PassContext(module=module, verify=True)
    for fn in module.functions.values():
        run_pass(p, fn, ctx)
    printed = format_module(module)
    for fn in module.functions.values():
        assert run_pass(p, fn, ctx) is False, f"{pass_name} is not at a fixpoint on @{fn.name}"
    return printed


CASES = [(p.stem[len("opt-"):], case) for p in sorted(DATA.glob("opt-*.test")) for case in parse_cases(p)]


def test_every_pass_has_a_data_file():
    assert {c[0] for c in CASES} == set(PASSES)


@pytest.mark.parametrize("pass_name, case", CASES, ids=[c[1].name for c in CASES])
def test_opt_case(request, pass_name, case):
    actual = run_case(pass_name, case.main)
    if request.config.getoption("--update-data"):
        rewrite_out(case, actual.rstrip("\n").split("\n"))
        return
    assert actual == "\n".join(case.out) + "\n"
