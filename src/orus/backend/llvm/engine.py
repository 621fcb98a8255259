"""The process-wide LLVM state of the native engine: targets, the LLJIT, compiling and linking.

Algorithm (engine-notes.md sections 1-3):
  * LLVM is initialised once, with one TargetMachine per optimisation level for the host
    CPU, and one ORC LLJIT for the whole process. Code is position-independent (small code
    model): the JIT links it as well as the system linker does (sharedlib.py makes a cached
    program a shared library), and measured no slower than the JIT code model.
  * `compile_object(ir_text, level)` parses the LLVM IR text into a fresh module, verifies
    it, runs the new pass manager's default per-module pipeline at `level` with a fresh
    PassBuilder and ModulePassManager (an MPM at O1-O3 aborts when run twice, and a reused
    PassBuilder leaks instrumentation callbacks), then emits a host object file.
  * `link(obj, symbol)` puts that object into a new JITDylib (one per program run; names are
    never reused) that also sees the current process, so the runtime's `orus_*` symbols
    (the runtime library is loaded with RTLD_GLOBAL) resolve; it returns the resource
    tracker, which frees the code when disposed, and the symbol's address.

Invariants: every llvmlite call is serialised by llvmlite's own lock, so this module needs
no lock of its own except around its lazy creation. Importing this module imports llvmlite:
callers that must survive its absence import it inside a try block.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field

import llvmlite.binding as llvm

OPT_LEVELS = (0, 1, 2, 3)


@dataclass
class CompileTimes:
    """Seconds spent in each step of one compile (for `bench`-style measurements)."""

    parse: float = 0.0
    optimize: float = 0.0
    codegen: float = 0.0
    link: float = 0.0
    extra: dict = field(default_factory=dict)

    def total(self) -> float:
        return self.parse + self.optimize + self.codegen + self.link


class Engine:
    """Targets and the LLJIT of this process (create it with `engine()`)."""

    def __init__(self) -> None:
        llvm.initialize_native_target()
        llvm.initialize_native_asmprinter()
        llvm.initialize_native_asmparser()
        self.triple = llvm.get_process_triple()
        self.llvm_version = tuple(llvm.llvm_version_info)
        self.target = llvm.Target.from_triple(self.triple)
        self.cpu = llvm.get_host_cpu_name()
        self.features = llvm.get_host_cpu_features().flatten()
        self._machines: dict[int, llvm.TargetMachine] = {}
        # LLJIT only links objects here (codegen happened in compile_object), so its own
        # machine matters only for the data layout, which is the same at every level.
        self.lljit = llvm.create_lljit_compiler(self.machine(0))
        self._names = itertools.count()

    def machine(self, level: int) -> "llvm.TargetMachine":
        if level not in OPT_LEVELS:
            raise ValueError(f"optimisation level {level} is not one of {OPT_LEVELS}")
        if level not in self._machines:
            self._machines[level] = self.target.create_target_machine(
                cpu=self.cpu, features=self.features, opt=level, reloc="pic",
                codemodel="small", jit=False)
        return self._machines[level]

    def compile_object(self, ir_text: str, level: int, times: CompileTimes,
                       ir_level: int | None = None) -> bytes:
        """Host object code of the LLVM IR `ir_text`: IR passes at `ir_level` (default: `level`),
        codegen at `level`. Raises RuntimeError when the IR does not parse or verify."""
        tm = self.machine(level)
        t0 = time.perf_counter()
        mod = llvm.parse_assembly(ir_text)
        mod.triple = tm.triple
        mod.data_layout = str(tm.target_data)
        mod.verify()
        t1 = time.perf_counter()
        ir_level = level if ir_level is None else ir_level
        if ir_level > 0:
            pto = llvm.create_pipeline_tuning_options(speed_level=ir_level)
            pb = llvm.create_pass_builder(self.machine(ir_level), pto)
            pb.getModulePassManager().run(mod, pb)
        t2 = time.perf_counter()
        obj = tm.emit_object(mod)
        t3 = time.perf_counter()
        times.parse += t1 - t0
        times.optimize += t2 - t1
        times.codegen += t3 - t2
        return obj

    def link(self, obj: bytes, symbol: str, times: CompileTimes):
        """(resource tracker, address of `symbol`) of `obj` loaded into a new JITDylib."""
        t0 = time.perf_counter()
        builder = llvm.JITLibraryBuilder().add_object_img(obj).add_current_process()
        builder.export_symbol(symbol)
        tracker = builder.link(self.lljit, f"orus_run_{next(self._names)}")
        times.link += time.perf_counter() - t0
        return tracker, tracker[symbol]


_engine: Engine | None = None
_engine_lock = threading.Lock()


def engine() -> Engine:
    """The engine of this process, created on first use."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = Engine()
        return _engine


def load_library(path: str) -> None:
    """Make the exported symbols of the shared library `path` visible to JIT code."""
    llvm.load_library_permanently(path)
