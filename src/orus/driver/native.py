"""Running a lowered program on the native engine (backend/llvm/jit.py) for `orus run`.

`run_native_tier(result, options, stdin, stdout, stderr)` returns the exit code, or None
when the engine is unavailable here (it then printed the one-line warning and the caller
runs tier 0). Stream rules:
  * stdout that is the process's real standard output (fileno 1) is written by the
    runtime directly; any other stream gets the bytes the runtime captured, after the run;
  * stdin that is the real standard input (fileno 0) is read by the runtime; any other
    stream is read fully first and handed over as bytes.
An uncaught run-time error is rendered exactly as tier 0 renders it: the title, help and
note come from the same table (backend.interp.errors.describe) and the block from
backend.interp.run.RuntimeFailure. A Python exception while emitting, compiling or
linking is a compiler bug: an INTERNAL ERROR block, exit 70 (as `pipeline.guarded`).

The code cache (driver/codecache.py): a compiled program's object code, and the same code
linked as a shared library (backend/llvm/sharedlib.py), is stored after its compile;
`run_cached` runs a fresh entry without the front end, code generation or llvmlite (and
without importing them: this module imports only light modules at the top, so `orus run`
of an unchanged program pays for Python, the runtime's loading and the run). Without a
usable library the entry's object runs through the JIT. The entry's
context names everything else that shapes the code: engine identity (LLVM, CPU, runtime
library), optimisation level, compiler version, and how the program was named (the
path as given and the working directory, which fix the file names in its messages).
"""

from __future__ import annotations

import io
import json
import math
import os

from orus.driver import codecache
from orus.driver.options import EXIT_RUNTIME, VERSION, Options

TextIO = io.TextIOBase          # for annotations: importing typing would slow a cached start

WARNING = "orus: warning: native engine unavailable ({reason}); running tier 0\n"
TIER0_GC_NOTE = "orus: note: tier 0 has no collector statistics (it uses Python's memory manager)\n"


def run_native_tier(result, options: Options, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int | None:
    from orus.driver import pipeline
    jit = available_jit(stderr)
    if jit is None:
        return None
    box: list = []

    def stage(r) -> None:
        obj, times = jit.compile_module(r.module, opt_level=options.jit_opt_level)
        if cacheable(options) and codecache.enabled(options.environ):
            files = [m.abspath for m in r.program.modules] if r.program is not None else []
            absent = r.program.shadowing if r.program is not None else []
            codecache.store(main_path(r.path, options), files, cache_context(jit, r.path, options),
                            obj, options.environ, library=_library_of(obj), absent=absent)
        box.append((obj, times))
    pipeline.guarded(result, stage)
    if result.diagnostics:                  # an INTERNAL ERROR in emit / compile / link
        stdout.flush()
        return pipeline.report_failure(result, stderr, options)
    obj, times = box[0]
    return run_reported(lambda data, capture: jit.run_object(obj, stdin_data=data, capture=capture, times=times),
                        result.sources, options, stdin, stdout, stderr)


def _library_of(obj: bytes) -> bytes | None:
    """The object linked as a shared library for the cache, or None (no linker: the cache
    then keeps only the object, which runs through llvmlite)."""
    from orus.backend.llvm import sharedlib
    try:
        return sharedlib.link(obj)
    except sharedlib.LinkError:
        return None


def run_cached(path: str, options: Options, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int | None:
    """Run the cached code of `path` when the cache holds a fresh entry; None otherwise
    (also when the native engine cannot run: the normal path then says why). The entry's
    shared library runs without llvmlite; its object code through the JIT otherwise."""
    if not cacheable(options) or not codecache.enabled(options.environ):
        return None
    try:
        from orus.backend.llvm import jit
        context = cache_context(jit, path, options)
    except Exception:                       # noqa: BLE001 - the normal path reports it
        return None
    hit = codecache.lookup(main_path(path, options), context, options.environ)
    if hit is None:
        return None
    run = _library_runner(jit, hit) or _object_runner(jit, hit)
    if run is None:
        return None
    return run_reported(run, None, options, stdin, stdout, stderr)


def _library_runner(jit, hit: codecache.Hit):
    """A runner of the entry's shared library, loaded (before any input is read), or None."""
    path = hit.library()
    if path is None:
        return None
    from orus.backend.llvm import sharedlib
    try:
        loaded = sharedlib.load(path)
    except OSError:
        return None
    return lambda data, capture: jit.run_shared(loaded, stdin_data=data, capture=capture)


def _object_runner(jit, hit: codecache.Hit):
    obj = hit.object()
    if obj is None:
        return None
    try:
        jit.ensure_available()
    except Exception:                       # noqa: BLE001 - the normal path reports it
        return None
    return lambda data, capture: jit.run_object(obj, stdin_data=data, capture=capture)


def cacheable(options: Options) -> bool:
    """The cache holds code of the default pipeline only (no pass switched off or dumped)."""
    return options.tier != 0 and options.optimize and not options.disabled_passes and not options.dump_after


def main_path(path: str, options: Options) -> str:
    return os.path.join(options.cwd, path)


def cache_context(jit, path: str, options: Options) -> str:
    return json.dumps({"orus": VERSION, "engine": jit.identity(), "opt": options.jit_opt_level,
                       "path": path, "cwd": options.cwd, "oruspath": options.oruspath,
                       "exe_dir": options.exe_dir}, sort_keys=True)


def run_reported(run, sources, options: Options, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run native code (`run(stdin_data, capture)` -> jit.NativeResult) and report like
    tier 0: output, the error block (its source lines from `sources`, or read afresh when
    None), GC statistics."""
    to_fd = has_fileno(stdout, 1)
    data = None if has_fileno(stdin, 0) else read_all(stdin)
    outcome = run(data, not to_fd)
    if outcome.output:
        write_bytes(stdout, outcome.output)
    if outcome.error is not None:
        from orus.diag import SourceCache, render_all
        from orus.driver.options import colors_for
        sources = sources if sources is not None else SourceCache()
        stdout.flush()
        stderr.write(render_all([failure_of(outcome.error).diagnostic()], sources, colors_for(stderr, options)))
    if options.gc_stats and outcome.gc is not None:
        stderr.write(gc_summary(outcome.gc))
    stderr.flush()
    return EXIT_RUNTIME if outcome.error is not None else outcome.status


def available_jit(stderr: TextIO):
    """The jit module when the native engine can run, else None after the warning line."""
    try:
        from orus.backend.llvm import jit
    except ImportError as e:                # llvmlite (or a part of it) is missing
        stderr.write(WARNING.format(reason=f"llvmlite cannot be loaded: {' '.join(str(e).split())}"))
        stderr.flush()
        return None
    try:
        jit.ensure_available()
    except jit.NativeUnavailable as e:
        stderr.write(WARNING.format(reason=e))
        stderr.flush()
        return None
    return jit


def failure_of(err):
    """The RuntimeFailure (tier 0's form) of a jit.NativeError."""
    from orus.backend.interp.errors import describe
    from orus.backend.interp.run import RuntimeFailure
    title, help_text, note = describe(err.kind, err.message, err.op)
    return RuntimeFailure(err.kind, err.message, title, help_text, note, err.file, err.line, err.col)


def has_fileno(stream, fd: int) -> bool:
    """True when `stream` is backed by file descriptor `fd` of this process."""
    try:
        return stream.fileno() == fd
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return False


def read_all(stream) -> bytes:
    """Everything left in an input stream, as bytes (text streams are encoded back to UTF-8)."""
    if stream is None:
        return b""
    raw = getattr(stream, "buffer", None)
    data = raw.read() if raw is not None else stream.read()
    return data.encode("utf-8", "surrogateescape") if isinstance(data, str) else bytes(data)


def write_bytes(stream, data: bytes) -> None:
    """Write program output bytes to a binary or text stream, as tier 0's writer does."""
    stream.flush()
    out = getattr(stream, "buffer", stream)
    if isinstance(out, io.TextIOBase):
        out.write(data.decode("utf-8", "surrogateescape"))
    else:
        out.write(data)
    out.flush()


def gc_summary(gc: dict) -> str:
    """The two `--gc-stats` lines."""
    pauses = sorted(gc.get("pauses") or [])

    def ms(ns: float) -> str:
        return f"{ns / 1e6:.3f}"

    def pct(p: float) -> float:            # nearest rank
        return pauses[max(0, math.ceil(p * len(pauses)) - 1)] if pauses else 0
    return (f"gc: {gc['collections']} collections ({gc['major_collections']} major), "
            f"{gc['bytes_allocated']} bytes allocated "
            f"({gc['objects_allocated']} objects), {gc['bytes_freed']} freed, live {gc['live_bytes']}, "
            f"heap {gc['heap_bytes']} (peak {gc['heap_peak_bytes']}, most live after a major collection "
            f"{gc['live_peak_bytes']})\n"
            f"gc: pauses total {ms(gc['pause_total_ns'])} ms, max {ms(gc['pause_max_ns'])} ms, "
            f"p50 {ms(pct(0.50))} ms, p99 {ms(pct(0.99))} ms\n")
