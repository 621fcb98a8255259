"""Runner for tests/data/opt-<pass>.test: IR text in, one pass, printed IR text out.

Each case is `[case NAME]`, an IR module, `[out]`, the expected module after
the pass named by the file (`opt-const-fold.test` runs "const-fold" on every
function); lines starting with `--` are comments. The input must verify, the
verifier runs after the pass (PassContext.verify), and running the pass a
second time must change nothing: each pass works to its own fixpoint.
`pytest --update-data` rewrites the [out] sections.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from orus.ir.printer import format_module
from orus.ir.reader import parse_module
from orus.ir.verify import check_module
from orus.passes.manager import PASSES, Pass, PassContext, run_pass

DATA = Path(__file__).parent.parent / "data"
HEADER = re.compile(r"^\[(case|out)(?: ([^\]]+))?\]\s*$")


def read_cases(path: Path) -> list[tuple[str, str, str]]:
    """(name, input, expected output) of each case in one file."""
    cases: list[tuple[str, list[str], list[str]]] = []
    section: list[str] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        head = HEADER.match(line)
        if head and head.group(1) == "case":
            cases.append((head.group(2).strip(), [], []))
            section = cases[-1][1]
        elif head and cases:
            section = cases[-1][2]
        elif cases and not line.startswith("--"):
            section.append(line)
    return [(name, "\n".join(src).strip("\n") + "\n", "\n".join(out).strip("\n") + "\n")
            for name, src, out in cases]


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


CASES = [(p, p.stem[len("opt-"):], *case) for p in sorted(DATA.glob("opt-*.test")) for case in read_cases(p)]


def test_every_pass_has_a_data_file():
    assert {c[1] for c in CASES} == set(PASSES)


@pytest.mark.parametrize("path, pass_name, name, text, expected", CASES, ids=[c[2] for c in CASES])
def test_opt_case(request, path, pass_name, name, text, expected):
    actual = run_case(pass_name, text)
    if request.config.getoption("--update-data"):
        _update(path, name, actual)
        return
    assert actual == expected


def _update(path: Path, name: str, actual: str) -> None:
    """Replace the [out] section of case `name` in `path` with `actual`."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(f"[case {name}]")
    out = next(k for k in range(start, len(lines)) if lines[k] == "[out]")
    end = next((k for k in range(out + 1, len(lines)) if lines[k].startswith("[case ")), len(lines))
    tail = [""] if end < len(lines) else []
    lines[out + 1:end] = actual.rstrip("\n").split("\n") + tail
    path.write_text("\n".join(lines), encoding="utf-8")
