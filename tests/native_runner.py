"""Run an Orus program through the whole pipeline in a forked child of the test process.

Why a fork: the native engine runs machine code in-process, so a code-generation or
runtime bug can crash with a signal or hang in C where no Python timeout reaches; a child
process turns either into one failing test. Forking the warm test process skips the
interpreter start-up and imports a subprocess `orus run` pays (the engine is set up once in
the parent by `prepare()`: runtime built and loaded, LLVM initialised, so every child
inherits it), which keeps the golden suite's native passes cheap.

`run(...)` compiles with the same in-process driver calls as `orus run` (check, then
`pipeline.execute` with in-memory streams, so the runtime captures the output) and returns
a `Run`: exit code, stdout bytes, stderr text, or `crash` describing a signal, a timeout or
a Python exception in the child.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import traceback
from dataclasses import dataclass

from orus.driver import pipeline
from orus.driver.options import Options

_FORK = multiprocessing.get_context("fork")


@dataclass
class Run:
    code: int | None
    stdout: bytes = b""
    stderr: str = ""
    crash: str | None = None        # why there is no exit code


# Reasons that describe the machine, not a bug: only these let a test skip the native engine.
MACHINE_LIMITS = ("llvmlite cannot be loaded", "no C compiler found")


def prepare() -> str | None:
    """Set the native engine up in this process: None when it works; the reason when this
    machine lacks llvmlite or a C compiler. Any other failure (the runtime does not compile
    or load, ...) is a bug and raises RuntimeError."""
    try:
        from orus.backend.llvm import jit
    except ImportError as e:
        return f"llvmlite cannot be loaded: {e}"
    try:
        jit.ensure_available()
    except jit.NativeUnavailable as e:
        if any(limit in str(e) for limit in MACHINE_LIMITS):
            return str(e)
        raise RuntimeError(f"the native engine is broken: {e}") from None
    return None


def _child(conn, cwd: str, name: str, source: bytes | None, stdin: bytes, tier: int | None,
           env: dict[str, str], environ: dict[str, str] | None) -> None:
    try:
        os.environ.update(env)
        options = Options(cwd=cwd, color=False, exe_dir=cwd, oruspath=None, tier=tier,
                          environ=dict(os.environ) if environ is None else environ)
        result = (pipeline.check_file(name, options) if source is None
                  else pipeline.check_source(source, name, options))
        out, err = io.BytesIO(), io.StringIO()
        if result.ok:
            code = pipeline.execute(result, options, io.BytesIO(stdin), out, err)
        else:
            code = pipeline.report_failure(result, err, options)
        conn.send(("ok", code, out.getvalue(), err.getvalue()))
    except BaseException:                    # noqa: BLE001 - reported by the parent
        conn.send(("exception", None, b"", traceback.format_exc()))
    finally:
        conn.close()


def run(cwd: str, name: str, *, source: bytes | None = None, stdin: bytes = b"", tier: int | None = None,
        env: dict[str, str] | None = None, environ: dict[str, str] | None = None,
        timeout: float = 60.0) -> Run:
    """Compile and run `name` (the file in `cwd`, or `source` under that name) in a child.
    `env` is added to the child's process environment (the runtime reads ORUS_GC_STRESS
    there); `environ` is the driver's Options.environ (default: the child's os.environ)."""
    parent, child = _FORK.Pipe(duplex=False)
    proc = _FORK.Process(target=_child, args=(child, cwd, name, source, stdin, tier, env or {}, environ),
                         daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            proc.kill()
            proc.join()
            return Run(None, crash=f"no end within {timeout:.0f} s (killed)")
        try:
            kind, code, out, err = parent.recv()
        except EOFError:
            proc.join()
            return Run(None, crash=_death(proc.exitcode))
    finally:
        parent.close()
    proc.join()
    if kind == "exception":
        return Run(None, stderr=err, crash="a Python exception in the child:\n" + err)
    return Run(code, out, err)


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"killed by signal {signal.Signals(-exitcode).name}"
    return f"the child exited with status {exitcode} before reporting"
