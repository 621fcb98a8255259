"""Known gaps at the checker -> lowering boundary, kept as strict xfails so that
fixing them shows up (and the case then moves to tests/data/irgen-run-*.test)."""

from __future__ import annotations

import pytest

from test_irgen_data import lower_case, run_lines

LAMBDA_IN_GENERIC = """fn same(x):
    return x
fn outer(v):
    g = fn(): same(v)
    return g()
print(outer(1), outer("s"))
"""

NESTED_GENERIC_FROM_LAMBDA = """fn outer(v):
    fn inner(w):
        return [w, w,]
    g = fn(): inner(v)
    return g()
print(outer(1), outer("s"))
"""


@pytest.mark.xfail(strict=True, reason="checker: a generic call inside a lambda inside a generic "
                   "function, with arguments of the outer type variables, gets no Instance")
@pytest.mark.parametrize("src,out", [(LAMBDA_IN_GENERIC, ["1 s"]),
                                     (NESTED_GENERIC_FROM_LAMBDA, ["1, 1 s, s"])])
def test_generic_call_in_lambda_in_generic_function(src, out, tmp_path):
    assert run_lines(lower_case({"main.orus": src}, tmp_path), "") == out
