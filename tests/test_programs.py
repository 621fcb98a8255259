"""Runner of the golden program corpus in tests/programs (format: tests/programs/README.md).

One pytest item per program and engine. Engines:
  * `tier0`: step 1, check, in-process through `orus.driver.pipeline.check_file` (cwd = the
    program's folder, path = the bare file name, so diagnostic locations read `NAME.orus:L:C`):
    a program whose `.err` says `phase: compile` must be rejected with the expected first
    diagnostic; every other program must be accepted. Step 2, run, as a subprocess
    `orus run --tier=0 NAME.orus` in the program's folder with stdin from `NAME.in` (empty
    otherwise): stdout must equal `NAME.out` byte for byte, the exit status the `.err` file's
    (0 without one), and the first diagnostic block of stderr its header and caret lines
    (compile errors must also end with the `Compilation failed for ...` line).
  * `native`: the run step on the native engine (the default `orus run`), in-process in a
    forked child (tests/native_runner.py: a crash or hang fails one item, not the session),
    with the same expectations. Compile-error programs are left to `tier0` (same front end).
  * `native-gc-stress`: as `native` with ORUS_GC_STRESS=1: the collector runs at every
    allocation, so a pointer the collector misses shows up as wrong output or a crash.
The native engines are skipped when the engine is unavailable on the machine (no llvmlite
or no C compiler), and for the programs in SKIP[engine] (each with its one-line reason).

Environment: ORUS_TEST_ENGINES=tier0,native (a comma list) limits the engines;
ORUS_TEST_CHECK_ONLY=1 skips every run step, leaving the in-process check of the whole corpus
(a few seconds). Files under a `lib/` folder are helper modules, not tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import native_runner
from orus.diag import Colors, render
from orus.driver import pipeline
from orus.driver.options import Options

PROGRAMS = Path(__file__).resolve().parent / "programs"
RUN_TIMEOUT = 120
# As the conftest fixtures `orus_cmd` / `clean_env`, but usable from the session-scoped probe.
_LAUNCHER = Path(sys.executable).parent / "orus"
ORUS_CMD = [str(_LAUNCHER)] if _LAUNCHER.exists() else [sys.executable, "-m", "orus"]
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("ORUSPATH", "NO_COLOR", "TERM")}

ENGINES = ("tier0", "native", "native-gc-stress")
SELECTED = [e for e in os.environ.get("ORUS_TEST_ENGINES", ",".join(ENGINES)).split(",") if e in ENGINES]
CHECK_ONLY = os.environ.get("ORUS_TEST_CHECK_ONLY", "") not in ("", "0")
ENGINE_ENV = {"native": {}, "native-gc-stress": {"ORUS_GC_STRESS": "1"}}

# Per engine, the programs it cannot run yet: "area/name" -> one-line reason. Never delete a test.
SKIP: dict[str, dict[str, str]] = {"tier0": {}, "native": {}, "native-gc-stress": {}}
# Whole areas whose run step is skipped in every engine, with the reason.
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
def native_engine() -> None:
    """Set the native engine up once in this process (the forked children inherit it)."""
    reason = native_runner.prepare()
    if reason is not None:
        pytest.skip(f"native engine unavailable: {reason}")


def run_step(path: Path, exp: Expect) -> None:
    """Tier 0's run step: `orus run --tier=0` in a subprocess."""
    proc = subprocess.run([*ORUS_CMD, "run", "--tier=0", path.name], cwd=path.parent,
                          env=CLEAN_ENV, input=exp.stdin, capture_output=True, timeout=RUN_TIMEOUT)
    assert_outcome(path, exp, proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace"))


def native_step(path: Path, exp: Expect, engine: str) -> None:
    """The native run step: the driver in a forked child, output captured by the runtime."""
    run = native_runner.run(str(path.parent), path.name, stdin=exp.stdin, env=ENGINE_ENV[engine],
                            timeout=RUN_TIMEOUT)
    assert run.crash is None, f"{engine}: {run.crash}"
    assert_outcome(path, exp, run.code, run.stdout, run.stderr)


def assert_outcome(path: Path, exp: Expect, code: int, stdout: bytes, stderr: str) -> None:
    """stdout, exit status and first diagnostic block as the expectation files say."""
    assert stdout == exp.out, f"stdout differs; stderr:\n{stderr}"
    assert code == exp.exit, f"exit status {code}; stderr:\n{stderr}"
    if exp.phase is not None:
        assert_block(exp, *first_block(stderr), stderr)
        if exp.phase == "compile":
            assert stderr.endswith(f'Compilation failed for "{path.name}".\n'), f"no final line:\n{stderr}"
    else:
        assert stderr == "", f"unexpected stderr:\n{stderr}"


@pytest.mark.parametrize("engine", SELECTED)
@pytest.mark.parametrize("path", discover(), ids=program_id)
def test_program(path: Path, engine: str, request) -> None:
    exp = load_expect(path)
    name = program_id(path)
    if engine == "tier0":
        check_step(path, exp)
    if CHECK_ONLY:
        return
    if exp.phase == "compile":          # nothing executes: tier 0's item checks the CLI's report
        if engine != "tier0":
            pytest.skip("a compile error: the front end is shared, the tier0 item checks it")
        run_step(path, exp)
        return
    skip = SKIP_AREAS.get(name.split("/", 1)[0]) or SKIP[engine].get(name)
    if skip:
        pytest.skip(skip)
    if engine == "tier0":
        run_step(path, exp)
        return
    request.getfixturevalue("native_engine")
    native_step(path, exp, engine)


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
