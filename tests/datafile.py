"""The `.test` data-file format shared by every data-driven runner (STYLE.md section 6).

    [case testName]          the case; the lines up to the next header are main.orus
                             (or IR text, for the IR-level runners)
    [file lib/util.orus]     optional: more files, paths relative to the case's directory
    [stdin]                  optional: what the program reads
    [out]                    the expected output lines

Lines starting with `--` are comments. Each runner (tests/test_data.py for parse-/check-,
tests/ir, tests/irgen, tests/interp, tests/passes for theirs) parses cases with
`parse_cases` and rewrites an `[out]` section with `rewrite_out` under --update-data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

MAIN = "main.orus"
HEADER = re.compile(r"^\[(case|file|stdin|out)(?: ([^\]]+))?\]\s*$")


@dataclass
class Case:
    path: Path
    name: str
    files: dict[str, str] = field(default_factory=dict)   # MAIN and every [file]
    stdin: str = ""
    out: list[str] = field(default_factory=list)

    @property
    def main(self) -> str:
        return self.files[MAIN]


def parse_cases(path: Path) -> list[Case]:
    """Split one .test file into its cases."""
    raw: list[tuple[Case, dict, list, list]] = []
    section: list[str] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        head = HEADER.match(line)
        if head and head.group(1) == "case":
            raw.append((Case(path, head.group(2).strip()), {MAIN: []}, [], []))
            section = raw[-1][1][MAIN]
        elif head and raw:
            _, files, stdin, out = raw[-1]
            kind = head.group(1)
            section = out if kind == "out" else stdin if kind == "stdin" else \
                files.setdefault(head.group(2).strip(), [])
        elif raw and not line.startswith("--"):
            section.append(line)
    cases = []
    for case, files, stdin, out in raw:
        case.files = {name: "\n".join(trim(lines)) + "\n" for name, lines in files.items()}
        case.stdin = "\n".join(stdin)
        case.out = trim(out)
        cases.append(case)
    return cases


def trim(lines: list[str]) -> list[str]:
    """Without trailing blank lines."""
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def rewrite_out(case: Case, actual: list[str]) -> None:
    """Replace the [out] section of `case` in its file by `actual` (for --update-data)."""
    lines = case.path.read_text(encoding="utf-8").split("\n")
    start = lines.index(f"[case {case.name}]")
    out = next(i for i in range(start + 1, len(lines)) if lines[i].strip() == "[out]")
    end = next((i for i in range(out + 1, len(lines)) if lines[i].startswith("[case ")), len(lines))
    lines[out + 1:end] = actual + ([""] if end < len(lines) else [])
    case.path.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")


def tier0_lines(module, stdin: str, force_dispatch: bool = False) -> list[str]:
    """What tier 0 prints running `module`, as [out] lines of interp-/irgen-run- cases: the
    program's output, then for an uncaught error `error: TITLE: MESSAGE at LINE:COL` (the
    message's lines joined with `|`)."""
    import io
    from orus.backend.interp.run import run_module
    out = io.BytesIO()
    result = run_module(module, io.BytesIO(stdin.encode()), out, force_dispatch=force_dispatch)
    lines = out.getvalue().decode("utf-8", "surrogateescape").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if result.failure:
        f = result.failure
        lines.append(f"error: {f.title}: {f.message.replace(chr(10), '|')} at {f.line}:{f.col}")
    return lines
