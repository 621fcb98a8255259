"""Runner for the data-driven tests: every `[case ...]` of tests/data/*.test is one item.

File format (shared by the whole project):
    [case testName]
    <source of main.orus>
    [file lib/util.orus]        optional extra files, relative to the case's directory
    <source>
    [out]
    <expected lines>
Lines starting with `--` are comments. The file name's prefix picks the runner:
  parse-*  the AST dump of main.orus, or the single line `LINE:COL: CATEGORY: TITLE: MESSAGE`;
  check-*  the whole front end in a temporary directory (cwd = that directory); one line
           `FILE:LINE:COL: CATEGORY: TITLE: MESSAGE` per diagnostic, in reported order
           (messages spanning lines continue on the following lines; the temporary
           directory's path is written `<tmp>`).
`pytest --update-data` rewrites each case's [out] section with the actual output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from orus.diag import CompileError, Diagnostic
from orus.driver import pipeline
from orus.driver.options import Options

DATA = Path(__file__).parent / "data"
HEADER = re.compile(r"^\[(case|file|out)(?: ([^\]]+))?\]\s*$")


@dataclass
class Case:
    path: Path
    name: str
    files: dict[str, str] = field(default_factory=dict)   # "main.orus" and every [file]
    out: list[str] = field(default_factory=list)


def parse_cases(path: Path) -> list[Case]:
    """Split one .test file into its cases."""
    cases: list[Case] = []
    section: list[str] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        head = HEADER.match(line)
        if head and head.group(1) == "case":
            cases.append(Case(path, head.group(2).strip()))
            section = cases[-1].files.setdefault("main.orus", [])
        elif head and cases:
            section = cases[-1].out if head.group(1) == "out" else \
                cases[-1].files.setdefault(head.group(2).strip(), [])
        elif cases and not line.startswith("--"):
            section.append(line)
    for case in cases:
        case.files = {name: "\n".join(_trim(lines)) + "\n" for name, lines in case.files.items()}
        case.out = _trim(case.out)
    return cases


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def diag_line(d: Diagnostic, with_file: bool) -> str:
    where = (str(d.span) if with_file else f"{d.span.line}:{d.span.col}") if d.span else "<unknown>"
    return f"{where}: {d.category}: {d.title}: {d.message}"


def run_parse(case: Case, tmp: Path) -> list[str]:
    from orus.syntax.astdump import dump
    from orus.syntax.parser import parse
    try:
        return dump(parse(case.files["main.orus"].encode(), "main.orus")).splitlines()
    except CompileError as e:
        return [diag_line(e.diagnostic, with_file=False)]


def run_check(case: Case, tmp: Path) -> list[str]:
    for name, text in case.files.items():
        (tmp / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp / name).write_bytes(text.encode())
    options = Options(cwd=str(tmp), exe_dir=str(tmp / ".runtime"))
    result = pipeline.check_file("main.orus", options)
    text = "\n".join(diag_line(d, with_file=True) for d in result.diagnostics)
    return text.replace(str(tmp), "<tmp>").splitlines()


RUNNERS = {"parse": run_parse, "check": run_check}
# Other prefixes (ir-*) belong to their layer's own runner (tests/ir/test_ir_data.py).
CASES = [case for path in sorted(DATA.glob("*.test")) if path.name.split("-")[0] in RUNNERS
         for case in parse_cases(path)]


def rewrite_out(case: Case, actual: list[str]) -> None:
    """Replace the [out] section of `case` in its file by `actual`."""
    lines = case.path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, l in enumerate(lines) if HEADER.match(l) and l.strip() == f"[case {case.name}]")
    out = next(i for i in range(start + 1, len(lines)) if lines[i].strip() == "[out]")
    end = next((i for i in range(out + 1, len(lines)) if lines[i].startswith("[case ")), len(lines))
    tail = lines[end:]
    lines[out + 1:end] = actual + ([""] if tail else [])
    case.path.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[f"{c.path.stem}:{c.name}" for c in CASES])
def test_data(case: Case, tmp_path: Path, monkeypatch, request):
    monkeypatch.chdir(tmp_path)
    actual = RUNNERS[case.path.name.split("-")[0]](case, tmp_path)
    if request.config.getoption("--update-data"):
        rewrite_out(case, actual)
        return
    assert actual == case.out, f"{case.path.name}: [case {case.name}]"


def test_case_format_and_update(tmp_path):
    """The runner's own parser: sections, comments, trimming, and the --update-data rewrite."""
    path = tmp_path / "check-x.test"
    path.write_text("-- header\n[case testA]\nx = 1\n-- note\n\n[out]\nold\n\n[case testB]\ny\n"
                    "[file lib/a.orus]\nz\n[out]\n")
    a, b = parse_cases(path)
    assert (a.name, a.files, a.out) == ("testA", {"main.orus": "x = 1\n"}, ["old"])
    assert (b.name, b.files, b.out) == ("testB", {"main.orus": "y\n", "lib/a.orus": "z\n"}, [])
    rewrite_out(a, ["new 1", "new 2"])
    rewrite_out(b, ["b out"])
    assert [c.out for c in parse_cases(path)] == [["new 1", "new 2"], ["b out"]]
