"""Runner for tests/data/irgen-*.test: Orus source in, IR (or program output) out.

Case format: tests/datafile.py. Every case's whole module must pass `check_module` and print
and re-read (`ir/reader.py`) to the same text.
  irgen-run-*.test  [out] is what tier 0 prints running the module; an uncaught
                    error adds `error: TITLE: MESSAGE at LINE:COL` (message lines
                    joined with `|`), as in tests/data/interp-*.test.
  irgen-*.test      [out] is the printed IR of ONE function: `@f` when the program
                    has it, else the main file's top-level code `@$init`.
`pytest --update-data` rewrites the [out] sections (review that diff like code).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orus.driver import pipeline
from orus.driver.options import Options
from orus.ir.printer import format_function, format_module
from orus.ir.reader import parse_module
from orus.ir.verify import check_module, format_errors

from datafile import parse_cases, rewrite_out, tier0_lines
from orus.irgen import lower_program

DATA = Path(__file__).resolve().parent.parent / "data"


def lower_case(files: dict, tmp: Path):
    """Front end + lowering in tmp; the module, verified and round-tripped."""
    for name, text in files.items():
        (tmp / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp / name).write_bytes(text.encode())
    result = pipeline.check_file("main.orus", Options(cwd=str(tmp), exe_dir=str(tmp / ".rt")))
    assert result.diagnostics == [], [d.message for d in result.diagnostics]
    box: list = []

    def stage() -> None:
        try:
            box.append(lower_program(result.program, result.typed))
        except Exception as e:        # re-raised in the test's thread
            box.append(e)
    pipeline.run_deep(stage)
    module = box[0]
    if isinstance(module, Exception):
        raise module
    errors = check_module(module)
    assert not errors, format_errors(errors)
    text = format_module(module)
    assert format_module(parse_module(text)) == text
    return module


def run_lines(module, stdin: str) -> list[str]:
    return tier0_lines(module, stdin)


def ir_lines(module) -> list[str]:
    fn = module.functions.get("f") or module.functions["$init"]
    return format_function(fn).rstrip("\n").split("\n")


CASES = [c for p in sorted(DATA.glob("irgen-*.test")) for c in parse_cases(p)]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.path.stem}:{c.name}" for c in CASES])
def test_irgen_case(case, tmp_path, request):
    module = lower_case(case.files, tmp_path)
    if case.path.name.startswith("irgen-run-"):
        actual = run_lines(module, case.stdin)
    else:
        actual = ir_lines(module)
    if request.config.getoption("--update-data"):
        rewrite_out(case, actual)
        return
    assert actual == case.out, f"{case.path.name}: [case {case.name}]"
