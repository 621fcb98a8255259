"""Runner for tests/data/interp-*.test: IR text in, expected stdout out, on tier 0.

Each case's body is a whole IR module (`ir/reader.py` text form). It is
verified with `orus.ir.verify`, then run twice, once with the structured
layout and once with the block-dispatch fallback (structure.py); both runs
must print `[out]`. An uncaught error appends one line
`error: TITLE: MESSAGE at LINE:COL` (message lines joined with `|`).
Lines starting with `--` are comments; a case may give stdin after `[stdin]`.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from orus.backend.interp.run import run_module
from orus.ir.reader import parse_module
from orus.ir.verify import check_module

DATA = Path(__file__).resolve().parent.parent / "data"
HEADER = re.compile(r"^\[(case|out|stdin)(?: ([^\]]+))?\]\s*$")


def parse_cases(path: Path) -> list[tuple[str, str, str, list[str]]]:
    """(name, IR text, stdin, expected lines) of each case in one file."""
    cases, section = [], None
    for line in path.read_text(encoding="utf-8").split("\n"):
        head = HEADER.match(line)
        if head and head.group(1) == "case":
            cases.append([head.group(2).strip(), [], [], []])
            section = cases[-1][1]
        elif head and cases:
            section = cases[-1][3] if head.group(1) == "out" else cases[-1][2]
        elif cases and not line.startswith("--"):
            section.append(line)
    out = []
    for name, ir, stdin, expected in cases:
        while expected and not expected[-1].strip():
            expected.pop()
        out.append((name, "\n".join(ir), "\n".join(stdin), expected))
    return out


def run_case(ir_text: str, stdin: str, force_dispatch: bool) -> list[str]:
    module = parse_module(ir_text)
    errors = check_module(module)
    assert not errors, "\n".join(map(str, errors))
    out = io.BytesIO()
    result = run_module(module, io.BytesIO(stdin.encode()), out, force_dispatch=force_dispatch)
    lines = out.getvalue().decode("utf-8", "surrogateescape").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if result.failure:
        f = result.failure
        lines.append(f"error: {f.title}: {f.message.replace(chr(10), '|')} at {f.line}:{f.col}")
    return lines


CASES = [(p.name, *c) for p in sorted(DATA.glob("interp-*.test")) for c in parse_cases(p)]


@pytest.mark.parametrize("force_dispatch", [False, True], ids=["structured", "dispatch"])
@pytest.mark.parametrize("file,name,ir,stdin,expected", CASES, ids=[f"{c[0]}::{c[1]}" for c in CASES])
def test_interp_case(file, name, ir, stdin, expected, force_dispatch):
    assert run_case(ir, stdin, force_dispatch) == expected
