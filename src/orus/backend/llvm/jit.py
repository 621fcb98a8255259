"""The native engine's entry point: compile a module to machine code and run it in-process.

`run_native(module, ...)` takes an Orus IR module (or LLVM IR: an llvmlite `ir.Module` or
its text), and:
  1. makes sure the engine is available (`ensure_available`): llvmlite imports, the C
     runtime builds (orus.runtime.build) and loads; otherwise `NativeUnavailable` with a
     one-line reason, remembered for the rest of the process;
  2. emits LLVM IR (backend/llvm/emit.py), optimises it and generates host code at
     `opt_level`, and links the object into a fresh JITDylib (engine.py);
  3. runs `orus_entry` through the runtime's life cycle (orus_rt.h): init, capture or fd
     output, input bytes or fd 0, `orus_rt_run` on a thread with a 256 MiB stack (native
     recursion depth, spec 2.15), then the escaped error, captured bytes and GC statistics
     are read *before* `orus_rt_shutdown` and before the code is freed (error sites and
     static strings live in the JIT-linked object);
  4. returns a `NativeResult`.
`compile_module` (steps 1-2) and `run_object` (step 3) are also available separately, so
object code can be cached and run later; `identity()` lists what the code depends on.
`run_shared` runs step 3 on a program library (sharedlib.py) instead of a JIT-linked object:
it needs only the runtime (`ensure_runtime`), never llvmlite's binding, which is what makes
a cached program start fast.

Invariants: one run at a time per process (the runtime's state is global): `_RUN_LOCK`
serialises the link-run-free sequence. Only this module's own setup failures become
NativeUnavailable; a bug in code generation propagates as the Python exception it is (the
driver renders it as an INTERNAL ERROR).
"""

from __future__ import annotations

import gc
import sys
import threading

ENTRY_SYMBOL = "orus_entry"
EXIT_RUNTIME = 70
# Default optimisation level (IR passes and codegen); see the measurements in README.md.
DEFAULT_OPT_LEVEL = 3
RUN_STACK_SIZES = (256 << 20, 64 << 20, 16 << 20, 0)   # tried in order; 0: the system default


# Plain classes, not dataclasses: a cached program's start imports this module, and
# dataclasses (with inspect) cost it ~10 ms.
class NativeError:
    """The uncaught run-time error of a native run; an unlocated error has file "" and line 0."""

    __slots__ = ("kind", "message", "file", "line", "col", "op")

    def __init__(self, kind: str, message: str, file: str, line: int, col: int, op: str):
        self.kind, self.message, self.file, self.line, self.col, self.op = kind, message, file, line, col, op

    def __eq__(self, other) -> bool:
        return isinstance(other, NativeError) and all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    def __repr__(self) -> str:
        return "NativeError(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__) + ")"


class NativeResult:
    """How a native run ended: status 0 or 70, captured output (capture mode), the error, GC
    stats, and the engine.CompileTimes of the run (`times`)."""

    __slots__ = ("status", "output", "error", "gc", "times")

    def __init__(self, status: int, output: bytes | None, error: NativeError | None, gc: dict | None,
                 times=None):
        self.status, self.output, self.error, self.gc, self.times = status, output, error, gc, times


class NativeUnavailable(Exception):
    """The native engine cannot run here (llvmlite missing or broken, no C compiler, ...);
    str() is a one-line reason."""


_SETUP_LOCK = threading.Lock()
_RUN_LOCK = threading.Lock()
_runtime = None                   # runtime_lib.RuntimeLib once loaded
_runtime_failure: str | None = None
_llvm_ready = False               # llvmlite imported, runtime visible to it, LLJIT created
_llvm_failure: str | None = None
_stranded: list = []              # trackers of runs interrupted in Python; their code must stay mapped


def ensure_runtime() -> None:
    """Build and load the C runtime once, without llvmlite (enough to run a cached shared
    library); raise NativeUnavailable (every time) when it cannot be."""
    with _SETUP_LOCK:
        _runtime_locked()


def ensure_available() -> None:
    """Set up the whole engine once; raise NativeUnavailable (every time) when it cannot be."""
    global _llvm_ready, _llvm_failure
    with _SETUP_LOCK:
        if not _llvm_ready and _llvm_failure is None:
            try:
                _set_up_llvm()
                _llvm_ready = True
            except NativeUnavailable as e:
                _llvm_failure = str(e)
        if not _llvm_ready:
            raise NativeUnavailable(_llvm_failure)


def _runtime_locked():
    global _runtime, _runtime_failure
    if _runtime is None and _runtime_failure is None:
        try:
            _runtime = _load_runtime()
        except NativeUnavailable as e:
            _runtime_failure = str(e)
    if _runtime is None:
        raise NativeUnavailable(_runtime_failure)
    return _runtime


def _load_runtime():
    try:
        from orus.runtime import build
    except ImportError as e:
        raise NativeUnavailable(f"the C runtime's builder is missing: {_one_line(e)}") from None
    try:
        lib = build.runtime()
    except build.RuntimeBuildError as e:
        raise NativeUnavailable(f"the C runtime cannot be built: {_one_line(e)}") from None
    from orus.backend.llvm.runtime_lib import RuntimeLib
    try:
        return RuntimeLib(str(lib.shared))
    except (OSError, AttributeError) as e:
        raise NativeUnavailable(f"the C runtime cannot be loaded: {_one_line(e)}") from None


def _set_up_llvm() -> None:
    try:
        from orus.backend.llvm import engine as E
    except (ImportError, OSError) as e:
        raise NativeUnavailable(f"llvmlite cannot be loaded: {_one_line(e)}") from None
    runtime = _runtime_locked()
    try:
        E.load_library(runtime.path)
        E.engine()
    except (OSError, AttributeError, RuntimeError) as e:
        raise NativeUnavailable(f"the C runtime cannot be loaded: {_one_line(e)}") from None


def _one_line(e: BaseException) -> str:
    """The first line of an exception's text (a build error's compiler output follows it)."""
    lines = str(e).strip().splitlines()
    return " ".join(lines[0].split()) if lines else type(e).__name__


def llvm_ir(module) -> str:
    """The LLVM IR text of an Orus IR module (through emit.py), an llvmlite module or text."""
    if isinstance(module, str):
        return module
    from orus.ir.func import Module
    if isinstance(module, Module):
        from orus.backend.llvm.emit import emit_module
        return str(emit_module(module))
    return str(module)


def run_native(module, *, stdin_data: bytes | None = None, capture: bool = False,
               opt_level: int = DEFAULT_OPT_LEVEL, ir_level: int | None = None) -> NativeResult:
    """Compile and run `module` (see the module docstring). stdin_data None: input() reads
    fd 0; capture False: output goes to fd 1 (sys.stdout is flushed first)."""
    obj, times = compile_module(module, opt_level=opt_level, ir_level=ir_level)
    return run_object(obj, stdin_data=stdin_data, capture=capture, times=times)


def compile_module(module, *, opt_level: int = DEFAULT_OPT_LEVEL, ir_level: int | None = None):
    """(host object code defining `orus_entry`, engine.CompileTimes) of `module`; the object
    can be stored (a code cache) and run later in any process with the same identity()."""
    import time
    ensure_available()
    from orus.backend.llvm.engine import CompileTimes, engine
    times = CompileTimes()
    t0 = time.perf_counter()
    # Emitting creates many llvmlite objects that live until the module is printed:
    # CPython's cyclic collector would scan them again and again (measured: 3x the emit
    # time of a 10,000-line program). Nothing emitted here forms garbage cycles worth it.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        text = llvm_ir(module)
    finally:
        if was_enabled:
            gc.enable()
    times.extra["emit"] = time.perf_counter() - t0
    return engine().compile_object(text, opt_level, times, ir_level), times


def run_object(obj: bytes, *, stdin_data: bytes | None = None, capture: bool = False,
               times=None) -> NativeResult:
    """Link object code from compile_module into a fresh JITDylib, run it, free it."""
    ensure_available()
    from orus.backend.llvm.engine import CompileTimes, engine
    times = times if times is not None else CompileTimes()
    with _RUN_LOCK:
        tracker, address = engine().link(obj, ENTRY_SYMBOL, times)
        result = _run_linked(address, tracker, stdin_data, capture)
    result.times = times
    return result


def identity() -> dict:
    """What, besides the program, determines compile_module's code (fingerprint.py): for
    cache keys. Needs the runtime (its build key), not llvmlite's binding."""
    from orus.backend.llvm import fingerprint
    from orus.runtime import build
    ensure_runtime()
    return fingerprint.identity(build.runtime().key)


def run_shared(loaded, *, stdin_data: bytes | None = None, capture: bool = False) -> NativeResult:
    """Run a program library made by sharedlib.link (a cached program), loaded with
    sharedlib.load after ensure_runtime (identity() ensures it), without llvmlite; the run
    unloads it."""
    ensure_runtime()
    with _RUN_LOCK:
        return _run_linked(loaded.address, loaded, stdin_data, capture)


def _run_linked(address: int, tracker, stdin_data: bytes | None, capture: bool) -> NativeResult:
    rt = _runtime
    rt.orus_rt_init()
    try:
        if capture:
            rt.orus_rt_capture_output()
        else:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:
                    stream.flush()
        if stdin_data is not None:
            rt.orus_rt_set_input(bytes(stdin_data), len(stdin_data))
        status = _call_on_big_stack(lambda: rt.orus_rt_run(address))
    except BaseException:
        # Interrupted (Ctrl-C) while the program may still run on its thread: its code and
        # the runtime's state must stay as they are, and no later run may reset them.
        _stranded.append(tracker)
        _disable("an interrupted program is still running in this process")
        raise
    try:
        output = rt.captured() if capture else None
        error = None
        if status == EXIT_RUNTIME:
            kind, message, site = rt.error()
            file, line, col, op = site or ("", 0, 0, "")
            error = NativeError(kind, message.decode("utf-8", "surrogateescape"), file, line, col, op)
        gc = rt.gc_stats()
    finally:
        rt.orus_rt_shutdown()
        tracker.close()
    return NativeResult(int(status), output, error, gc)


def _disable(reason: str) -> None:
    global _runtime, _runtime_failure, _llvm_ready, _llvm_failure
    with _SETUP_LOCK:
        _runtime, _runtime_failure = None, reason
        _llvm_ready, _llvm_failure = False, reason


def _call_on_big_stack(fn) -> int:
    """fn() on a new thread with the biggest stack of RUN_STACK_SIZES the system grants."""
    box: list = []

    def body() -> None:
        box.append(fn())
    old = threading.stack_size()
    try:
        for size in RUN_STACK_SIZES:
            try:
                threading.stack_size(size)
                worker = threading.Thread(target=body, name="orus-native", daemon=True)
                worker.start()
                break
            except (RuntimeError, ValueError, MemoryError):
                continue
        else:
            raise RuntimeError("cannot start the thread that runs the program")
    finally:
        threading.stack_size(old)
    worker.join()
    if not box:
        raise RuntimeError("the native run ended without a status")
    return box[0]
