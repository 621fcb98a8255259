"""Runner for tests/data/irgen-*.test: Orus source in, IR (or program output) out.

Case format as in tests/test_data.py (`[case NAME]`, main.orus source, optional
`[file PATH]` sections, `[out]`; `--` lines are comments), plus an optional
`[stdin]` section. Every case's whole module must pass `check_module` and print
and re-read (`ir/reader.py`) to the same text.
  irgen-run-*.test  [out] is what tier 0 prints running the module; an uncaught
                    error adds `error: TITLE: MESSAGE at LINE:COL` (message lines
                    joined with `|`), as in tests/data/interp-*.test.
  irgen-*.test      [out] is the printed IR of ONE function: `@f` when the program
                    has it, else the main file's top-level code `@$init`.
`pytest --update-data` rewrites the [out] sections (review that diff like code).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from orus.driver import pipeline
from orus.driver.options import Options
from orus.ir.printer import format_function, format_module
from orus.ir.reader import parse_module
from orus.ir.verify import check_module, format_errors
from orus.irgen import lower_program

DATA = Path(__file__).resolve().parent.parent / "data"
HEADER = re.compile(r"^\[(case|file|out|stdin)(?: ([^\]]+))?\]\s*$")


def parse_cases(path: Path) -> list[dict]:
    cases: list[dict] = []
    section: list = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        head = HEADER.match(line)
        if head and head.group(1) == "case":
            cases.append({"path": path, "name": head.group(2).strip(), "files": {}, "out": [],
                          "stdin": []})
            section = cases[-1]["files"].setdefault("main.orus", [])
        elif head and cases:
            kind = head.group(1)
            section = cases[-1][kind] if kind in ("out", "stdin") else \
                cases[-1]["files"].setdefault(head.group(2).strip(), [])
        elif cases and not line.startswith("--"):
            section.append(line)
    for c in cases:
        c["files"] = {n: "\n".join(_trim(ls)) + "\n" for n, ls in c["files"].items()}
        c["out"] = _trim(c["out"])
        c["stdin"] = "\n".join(c["stdin"])
    return cases


def _trim(lines: list) -> list:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


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
    from orus.backend.interp.run import run_module
    out = io.BytesIO()
    result = run_module(module, io.BytesIO(stdin.encode()), out)
    lines = out.getvalue().decode("utf-8", "surrogateescape").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if result.failure:
        f = result.failure
        lines.append(f"error: {f.title}: {f.message.replace(chr(10), '|')} at {f.line}:{f.col}")
    return lines


def ir_lines(module) -> list[str]:
    fn = module.functions.get("f") or module.functions["$init"]
    return format_function(fn).rstrip("\n").split("\n")


def rewrite_out(case: dict, actual: list[str]) -> None:
    path = case["path"]
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(f"[case {case['name']}]")
    out = next(i for i in range(start + 1, len(lines)) if lines[i].strip() == "[out]")
    end = next((i for i in range(out + 1, len(lines)) if lines[i].startswith("[case ")), len(lines))
    lines[out + 1:end] = actual + ([""] if end < len(lines) else [])
    path.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")


CASES = [c for p in sorted(DATA.glob("irgen-*.test")) for c in parse_cases(p)]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['path'].stem}:{c['name']}" for c in CASES])
def test_irgen_case(case, tmp_path, request):
    module = lower_case(case["files"], tmp_path)
    if case["path"].name.startswith("irgen-run-"):
        actual = run_lines(module, case["stdin"])
    else:
        actual = ir_lines(module)
    if request.config.getoption("--update-data"):
        rewrite_out(case, actual)
        return
    assert actual == case["out"], f"{case['path'].name}: [case {case['name']}]"
