"""Runner for the data-driven tests: every `[case ...]` of tests/data/*.test is one item.

The file format is tests/datafile.py's. The file name's prefix picks the runner:
  parse-*  the AST dump of main.orus, or the single line `LINE:COL: CATEGORY: TITLE: MESSAGE`;
  check-*  the whole front end in a temporary directory (cwd = that directory); one line
           `FILE:LINE:COL: CATEGORY: TITLE: MESSAGE` per diagnostic, in reported order
           (messages spanning lines continue on the following lines; the temporary
           directory's path is written `<tmp>`).
`pytest --update-data` rewrites each case's [out] section with the actual output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from datafile import Case, parse_cases, rewrite_out

from orus.diag import CompileError, Diagnostic
from orus.driver import pipeline
from orus.driver.options import Options

DATA = Path(__file__).parent / "data"


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
