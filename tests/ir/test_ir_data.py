"""Runner for tests/data/ir-*.test: IR text in, printed IR text out.

tests/test_data.py skips the `ir-` prefix, so these cases run here. Each case
is `[case NAME]`, IR text, `[out]`, expected text (lines starting with `--`
are comments). The output is the printed module when the text parses and
verifies; else the reader's `line N: ...` error or the verifier's report
(verify.format_errors). A printed module must also print identically after
being parsed again.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from orus.ir.printer import format_module
from orus.ir.reader import IRSyntaxError, parse_module
from orus.ir.verify import check_module, format_errors

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


CASES = [(p.name, *case) for p in sorted(DATA.glob("ir-*.test")) for case in read_cases(p)]


@pytest.mark.parametrize("file, name, text, expected", CASES, ids=[c[1] for c in CASES])
def test_ir_case(file, name, text, expected):
    assert run(text) == expected, f"{file}: [case {name}]"
