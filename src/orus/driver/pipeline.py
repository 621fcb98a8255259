"""The only place that sequences the stages: read -> parse + load modules -> resolve -> check
-> lower to IR -> run (natively through driver/native.py, or in tier 0).

Every command of the CLI goes through a function here, and every such function
returns its diagnostics instead of printing them, except the `report_*` helpers,
which render them (spec 6.1, 6.2) on the stream they are given.

Invariants:
  * An unexpected Python exception inside any stage never escapes as a traceback:
    `guarded` turns it into one INTERNAL ERROR diagnostic (exit 70). The front-end
    fuzz test asserts that no input takes this path.
  * Stages run in a worker thread with a large stack and recursion limit, so deeply
    nested programs (thousands of brackets or blocks) compile instead of crashing.
  * Diagnostics are sorted by (module load order, line, column); the main file's
    diagnostics come last because it is loaded last (spec 7.4).
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, TextIO

from orus.diag import CompileError, Diagnostic, DiagnosticSink, SourceCache, render_all
from orus.driver.modules import load_program, parse_file
from orus.driver.options import colors_for
from orus.driver.options import (EXIT_COMPILE, EXIT_NOINPUT, EXIT_OK, EXIT_RUNTIME, Options)
from orus.sema.program import Program

INTERNAL = "INTERNAL ERROR"
T_INTERNAL = "Internal compiler error (this is our bug!)"
STACK_BYTES = 512 * 1024 * 1024
BYTES_PER_FRAME = 1800                 # C stack per Python frame, measured with margin


class InputError(Exception):
    """The main file cannot be read (exit 66)."""

    def __init__(self, path: str):
        super().__init__(f'Could not open file "{path}".')
        self.path = path


@dataclass
class Result:
    """The outcome of compiling one main file."""

    path: str
    sources: SourceCache
    program: Program | None = None
    typed: Any = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    output: str = ""                  # the text `tokens` / `ast` / `dis` print on success
    module: Any = None                # the IR module, once lowered

    @property
    def ok(self) -> bool:
        return not self.diagnostics

    @property
    def internal(self) -> bool:
        return any(d.category == INTERNAL for d in self.diagnostics)


def read_source(path: str, options: Options | None = None) -> bytes:
    """The bytes of the main file (spec 1.1), or InputError; relative to options.cwd."""
    try:
        with open(os.path.join(options.cwd, path) if options else path, "rb") as f:
            return f.read()
    except (OSError, ValueError):
        raise InputError(path) from None


# ------------------------------------------------------------------ stages
def check_file(path: str, options: Options) -> Result:
    """Compile `path` and every module it uses through the type checker (raises InputError)."""
    return check_source(read_source(path, options), path, options)


def check_source(data: bytes, path: str, options: Options) -> Result:
    """Like check_file, with the main file's bytes already read."""
    return guarded(Result(path, SourceCache()), lambda r: _front_end(r, data, options))


def _front_end(result: Result, data: bytes, options: Options) -> None:
    sink = DiagnosticSink()
    try:
        result.program = load_program(result.path, data, options, sink, result.sources)
    except CompileError as e:
        sink.report(e.diagnostic)
    # Module errors leave `Use.module` unset; sema only sees complete programs.
    if not sink and result.program is not None:
        from orus.sema.check import check_program
        from orus.sema.resolve import resolve_program
        resolve_program(result.program, sink)
        result.typed = check_program(result.program, sink)
    result.diagnostics = sort_diagnostics(sink.items, result.program)


def tokens_source(data: bytes, path: str) -> Result:
    """`orus tokens`: the token listing of one file (no modules)."""
    from orus.syntax.lexer import tokenize
    from orus.syntax.tokens import format_tokens

    def stage(result: Result) -> None:
        try:
            result.sources.add(path, data)
            result.output = format_tokens(tokenize(data, path))
        except CompileError as e:
            result.diagnostics = [e.diagnostic]
    return guarded(Result(path, SourceCache()), stage)


def ast_source(data: bytes, path: str) -> Result:
    """`orus ast`: the AST dump of one file (no modules)."""
    from orus.syntax.astdump import dump

    def stage(result: Result) -> None:
        try:
            result.output = dump(parse_file(path, data, result.sources))
        except CompileError as e:
            result.diagnostics = [e.diagnostic]
    return guarded(Result(path, SourceCache()), stage)


def lower(result: Result, options: Options) -> Any:
    """The optimised IR module of a checked program, or None after an INTERNAL ERROR
    diagnostic was recorded in `result`. With ORUS_VERIFY set the verifier runs after
    lowering and after every pass; `options.passes` carries --disable-pass and the dumps."""
    def stage(r: Result) -> None:
        from orus.irgen import lower_program
        r.module = lower_program(r.program, r.typed)
        if options.verify:
            from orus.ir.verify import assert_valid
            assert_valid(r.module, after="irgen")
        if options.optimize:
            from orus.passes.manager import optimize_module
            optimize_module(r.module, options.pass_context(r.module))
    guarded(result, stage)
    return None if result.diagnostics else result.module


def pass_names_error(disabled, dumped) -> str | None:
    """Why --disable-pass / --ir-after names are unusable, or None when they are fine."""
    from orus.passes.manager import PIPELINE, enabled_passes
    try:
        enabled_passes(frozenset(disabled))
    except ValueError as e:
        return str(e)
    known = {p.name for p in PIPELINE}
    unknown = sorted(set(dumped) - known)
    return f"unknown pass name for --ir-after: {', '.join(unknown)} (choose from {', '.join(p.name for p in PIPELINE)})" \
        if unknown else None


def dis_file(path: str, options: Options) -> Result:
    """`orus dis`: the checked program's IR in text form (raises InputError); with pass
    dumps or timings requested, those instead of (or after) the final IR."""
    result = check_file(path, options)
    if result.ok and lower(result, options) is not None:
        from orus.ir.printer import format_module
        from orus.passes.manager import timing_report
        ctx = options.last_pass_context
        dumps = "".join(ctx.dumps) if ctx is not None else ""
        result.output = dumps or format_module(result.module)
        if ctx is not None and options.time_passes:
            result.output += timing_report(ctx)
    return result


def execute(result: Result, options: Options, stdin: TextIO = None, stdout: TextIO = None,
            stderr: TextIO = None) -> int:
    """Run a checked program; return its exit code (0, or 70 after a run-time error).

    Tier None (the default), 1 and 2 run natively (driver/native.py: LLVM JIT + C runtime);
    when the native engine is unavailable here, a one-line warning says why and tier 0 runs.
    Tier 0 is the interpreter, with output flushed after every `print`. An uncaught
    run-time error's block goes to stderr (spec 0, 6.3), the same text in every tier."""
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    if lower(result, options) is None:
        return report_failure(result, stderr, options)
    if options.tier != 0:
        from orus.driver.native import run_native_tier
        status = run_native_tier(result, options, stdin, stdout, stderr)
        if status is not None:
            return status
    return execute_tier0(result, options, stdin, stdout, stderr)


def execute_tier0(result: Result, options: Options, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run a lowered program in the interpreter (tier 0)."""
    from orus.backend.interp.run import run_module
    outcome = run_module(result.module, stdin, stdout)
    if outcome.failure is not None:
        stdout.flush()
        stderr.write(render_all([outcome.failure.diagnostic()], result.sources, colors_for(stderr, options)))
    if options.gc_stats:
        from orus.driver.native import TIER0_GC_NOTE
        stderr.write(TIER0_GC_NOTE)
    stderr.flush()
    return EXIT_RUNTIME if outcome.failure is not None else outcome.status


def sort_diagnostics(items: list[Diagnostic], program: Program | None) -> list[Diagnostic]:
    """Sort by (module load order, line, col); files outside the program sort first."""
    order = {m.display_path: i for i, m in enumerate(program.modules)} if program else {}

    def key(d: Diagnostic) -> tuple:
        s = d.span
        return (order.get(s.file, -1), s.line, s.col) if s else (-1, 0, 0)
    return sorted(items, key=key)


# ------------------------------------------------------------- internal errors
def guarded(result: Result, stage: Callable[[Result], None]) -> Result:
    """Run `stage(result)` in a deep-stack thread; an exception becomes an INTERNAL ERROR."""
    failure: list[BaseException] = []

    def body() -> None:
        try:
            stage(result)
        except Exception as e:          # any bug in any stage: report, never crash
            failure.append(e)

    run_deep(body)
    if failure:
        result.diagnostics = [internal_error(failure[0])]
    return result


def run_deep(fn: Callable[[], None]) -> None:
    """Call fn in a thread with a big stack, so recursive descent survives deep nesting."""
    old_limit = sys.getrecursionlimit()
    try:
        _start_big_thread(fn, old_limit).join()
    finally:
        sys.setrecursionlimit(old_limit)


def _start_big_thread(fn: Callable[[], None], default_limit: int) -> threading.Thread:
    """Start fn on the biggest stack the system grants (an address-space limit may refuse 512 MB),
    with a recursion limit that this stack can hold."""
    old_size = threading.stack_size()
    try:
        for size in (STACK_BYTES, STACK_BYTES // 8, 0):
            limit = max(default_limit, size // BYTES_PER_FRAME)

            def body(limit=limit) -> None:
                sys.setrecursionlimit(limit)
                fn()
            try:
                threading.stack_size(size)
                worker = threading.Thread(target=body, name="orus-compile", daemon=True)
                worker.start()
                return worker
            except (RuntimeError, ValueError, MemoryError):
                continue
        raise RuntimeError("cannot start the compiler thread")
    finally:
        threading.stack_size(old_size)


def internal_error(exc: BaseException) -> Diagnostic:
    """The INTERNAL ERROR block: the exception, and where in the compiler it was raised."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"raised at {frames[-1].filename}:{frames[-1].lineno} in {frames[-1].name}" if frames else None
    return Diagnostic(INTERNAL, T_INTERNAL, f"{type(exc).__name__}: {exc}", None, None, where)


# ------------------------------------------------------------------ reporting
def report_failure(result: Result, stream: TextIO, options: Options) -> int:
    """Write the diagnostic blocks and the final line; return the exit code."""
    stream.write(render_all(result.diagnostics, result.sources, colors_for(stream, options)))
    if result.internal:
        stream.flush()
        return EXIT_RUNTIME
    stream.write(f'Compilation failed for "{result.path}".\n')
    stream.flush()
    return EXIT_COMPILE


def report_internal(exc: BaseException, stream: TextIO, options: Options) -> int:
    """Last resort for a bug outside the guarded stages (rendering, say): a block, never a traceback."""
    stream.write(render_all([internal_error(exc)], SourceCache(), colors_for(stream, options)))
    stream.flush()
    return EXIT_RUNTIME


def report_input_error(error: InputError, stream: TextIO) -> int:
    stream.write(f"{error}\n")
    stream.flush()
    return EXIT_NOINPUT
