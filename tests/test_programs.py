"""Runner of the golden program corpus in tests/programs (format: tests/programs/README.md).

One pytest item per program. Each item has two steps:
  1. check, in-process through `orus.driver.pipeline.check_file` (cwd = the program's folder,
     path = the bare file name, so diagnostic locations read `NAME.orus:L:C`): a program whose
     `.err` says `phase: compile` must be rejected with the expected first diagnostic; every
     other program must be accepted.
  2. run, as a subprocess `orus run --tier=T NAME.orus` in the program's folder with stdin from
     `NAME.in` (empty otherwise): stdout must equal `NAME.out` byte for byte, the exit status the
     `.err` file's (0 without one), and the first diagnostic block of stderr its header and caret
     lines (compile errors must also end with the `Compilation failed for ...` line). For programs
     that need execution this step is skipped while tier T cannot execute (detected once per
     session by running a one-line probe program) and for the programs in SKIP[T].

Environment: ORUS_TEST_TIER selects T (default 0); ORUS_TEST_CHECK_ONLY=1 skips every run step,
leaving the in-process check of the whole corpus (a few seconds).
Files under a `lib/` folder are helper modules, not tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from orus.diag import Colors, render
from orus.driver import pipeline
from orus.driver.options import Options

PROGRAMS = Path(__file__).resolve().parent / "programs"
RUN_TIMEOUT = 120
# As the conftest fixtures `orus_cmd` / `clean_env`, but usable from the session-scoped probe.
_LAUNCHER = Path(sys.executable).parent / "orus"
ORUS_CMD = [str(_LAUNCHER)] if _LAUNCHER.exists() else [sys.executable, "-m", "orus"]
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("ORUSPATH", "NO_COLOR", "TERM")}

TIER = int(os.environ.get("ORUS_TEST_TIER", "0"))
CHECK_ONLY = os.environ.get("ORUS_TEST_CHECK_ONLY", "") not in ("", "0")

# Per tier, the programs it cannot run yet: "area/name" -> one-line reason. Never delete a test.
SKIP: dict[int, dict[str, str]] = {0: {}, 1: {}, 2: {}}
# Whole areas whose run step is skipped in every tier, with the reason.
SKIP_AREAS: dict[str, str] = {
    "oroutines": "oroutines (spec 11) are not implemented yet",
}


@dataclass
class Expect:
    """What one program must do (parsed from its sibling files)."""

    out: bytes
    exit: int = 0
    phase: str | None = None        # "compile" | "runtime" | None for success
    header: str | None = None       # first line of the first diagnostic block
    caret: str | None = None        # its caret/message line
    stdin: bytes = b""


def discover() -> list[Path]:
    """Every test program, sorted; helper modules under a `lib/` folder are not tests."""
    return sorted(p for p in PROGRAMS.rglob("*.orus")
                  if "lib" not in p.relative_to(PROGRAMS).parts[:-1])


def program_id(path: Path) -> str:
    """`area/name`, the pytest id and the key of SKIP."""
    return path.relative_to(PROGRAMS).with_suffix("").as_posix()


def load_expect(path: Path) -> Expect:
    """Read NAME.out, NAME.in and NAME.err beside the program."""
    exp = Expect(out=path.with_suffix(".out").read_bytes())
    stdin = path.with_suffix(".in")
    if stdin.exists():
        exp.stdin = stdin.read_bytes()
    err = path.with_suffix(".err")
    if err.exists():
        lines = err.read_text().splitlines()
        assert lines[0].startswith("exit: ") and lines[1].startswith("phase: "), f"malformed {err}"
        exp.exit = int(lines[0].split(":", 1)[1])
        exp.phase = lines[1].split(":", 1)[1].strip()
        exp.header = lines[2] if len(lines) > 2 else None
        exp.caret = lines[3] if len(lines) > 3 else None
    return exp


def first_block(text: str) -> tuple[str | None, str | None]:
    """The header and caret lines of the first diagnostic block in `text`."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("-- "):
            return line, (lines[i + 3] if i + 3 < len(lines) else None)
    return None, None


def assert_block(exp: Expect, header: str | None, caret: str | None, stderr: str) -> None:
    if exp.header is not None:
        assert header == exp.header, f"first diagnostic differs; stderr:\n{stderr}"
    if exp.caret is not None:
        assert caret == exp.caret, f"caret line differs; stderr:\n{stderr}"


def check_step(path: Path, exp: Expect) -> None:
    """Step 1: the in-process front end accepts or rejects the program as expected."""
    options = Options(cwd=str(path.parent), color=False, exe_dir=str(path.parent), oruspath=None)
    result = pipeline.check_file(path.name, options)
    rendered = "".join(render(d, result.sources, Colors()) for d in result.diagnostics)
    if exp.phase == "compile":
        assert not result.ok, "the front end accepted a program the spec rejects"
        header, caret = first_block(rendered)
        assert_block(exp, header, caret, rendered)
    else:
        assert result.ok, f"the front end rejected a valid program:\n{rendered}"


@pytest.fixture(scope="session")
def tier_available(tmp_path_factory) -> bool:
    """Whether `orus run --tier=T` executes programs yet: a probe must print 1 and nothing else
    (a driver that falls back to another tier says so on stderr)."""
    probe = tmp_path_factory.mktemp("probe") / "probe.orus"
    probe.write_text("print(1)\n")
    proc = subprocess.run([*ORUS_CMD, "run", f"--tier={TIER}", probe.name], cwd=probe.parent,
                          env=CLEAN_ENV, capture_output=True, timeout=RUN_TIMEOUT)
    return proc.returncode == 0 and proc.stdout == b"1\n" and proc.stderr == b""


def run_step(path: Path, exp: Expect) -> None:
    """Step 2: `orus run` in a subprocess gives the expected stdout, status and diagnostic."""
    proc = subprocess.run([*ORUS_CMD, "run", f"--tier={TIER}", path.name], cwd=path.parent,
                          env=CLEAN_ENV, input=exp.stdin, capture_output=True, timeout=RUN_TIMEOUT)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.stdout == exp.out, f"stdout differs; stderr:\n{stderr}"
    assert proc.returncode == exp.exit, f"exit status {proc.returncode}; stderr:\n{stderr}"
    if exp.phase is not None:
        assert_block(exp, *first_block(stderr), stderr)
        if exp.phase == "compile":
            assert stderr.endswith(f'Compilation failed for "{path.name}".\n'), f"no final line:\n{stderr}"
    else:
        assert stderr == "", f"unexpected stderr:\n{stderr}"


@pytest.mark.parametrize("path", discover(), ids=program_id)
def test_program(path: Path, request) -> None:
    exp = load_expect(path)
    check_step(path, exp)
    if CHECK_ONLY:
        return
    name = program_id(path)
    if exp.phase == "compile":          # nothing executes: check the CLI's report too
        run_step(path, exp)
        return
    area = name.split("/", 1)[0]
    skip = SKIP_AREAS.get(area) or SKIP.get(TIER, {}).get(name)
    if skip:
        pytest.skip(skip)
    if not request.getfixturevalue("tier_available"):
        pytest.skip(f"tier {TIER} not available yet")
    run_step(path, exp)


def test_corpus_is_well_formed() -> None:
    """Every program has a .out file, and no stray expectation file lacks its program."""
    programs = {p.with_suffix("") for p in discover()}
    assert len(programs) >= 200
    for ext in (".out", ".err", ".in"):
        for f in PROGRAMS.rglob("*" + ext):
            if "lib" not in f.relative_to(PROGRAMS).parts[:-1]:
                assert f.with_suffix("") in programs, f"{f} has no program"
    for p in programs:
        assert p.with_suffix(".out").exists(), f"{p}.orus has no .out"
