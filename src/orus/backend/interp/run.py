"""Tier-0 entry point: run a module's entry function and report how it ended.

`run_module(module, stdin, stdout)` compiles the module (compile.py), runs
`module.entry` in a thread with a 512 MiB stack and a raised recursion limit
(so at least `MAX_DEPTH` nested Orus calls work, spec 2.15; beyond, CPython's
RecursionError becomes the catchable `Stack overflow`), flushes stdout after
every print, and returns a `RunResult`: status 0, or 70 with the uncaught
error as a `RuntimeFailure` that the driver renders with `orus.diag.render`.
No Python traceback ever reaches the user for an Orus run-time error;
interpreter bugs (errors.InternalError, or an exception no op expects) are
re-raised as they are.
"""

from __future__ import annotations

import io
import sys
import threading
from dataclasses import dataclass
from typing import Optional

from orus.diag import RUNTIME, Diagnostic, Span
from orus.ir.func import Module

from orus.backend.interp import errors as E
from orus.backend.interp.compile import compile_module

MAX_DEPTH = 12_000          # nested Orus calls before `Stack overflow` (spec: at least 10,000)
STACK_BYTES = 512 * 1024 * 1024


@dataclass
class RuntimeFailure:
    kind: str
    message: str
    title: str
    help: Optional[str]
    note: Optional[str]
    file: str
    line: int
    col: int

    def diagnostic(self) -> Diagnostic:
        span = Span(self.file, self.line, self.col) if self.line else None
        return Diagnostic(RUNTIME, self.title, self.message, span, self.help, self.note)


@dataclass
class RunResult:
    status: int                              # 0 or 70
    failure: Optional[RuntimeFailure] = None


def failure_of(err: E.OrusError) -> RuntimeFailure:
    title, help_text, note = E.describe(err.kind, err.message, err.op)
    return RuntimeFailure(err.kind, err.message, title, help_text, note, err.file, err.line, err.col)


def _binary_in(stream):
    stream = getattr(stream, "buffer", stream)
    if stream is None:
        return io.BufferedReader(io.BytesIO(b""))
    return stream if hasattr(stream, "peek") else io.BufferedReader(stream)


def _writer(stream):
    """Write bytes and flush (spec 4.4); a text stream without a buffer gets the bytes decoded."""
    out = getattr(stream, "buffer", stream)
    if isinstance(out, io.TextIOBase):
        def write_text(data: bytes) -> None:
            out.write(data.decode("utf-8", "surrogateescape"))
            out.flush()
        return write_text

    def write(data: bytes) -> None:
        out.write(data)
        out.flush()
    return write


def _call_entry(module: Module, env) -> RunResult:
    entry = env.ns[env.fn_names[module.entry]]
    try:
        entry()
    except Exception as exc:      # noqa: BLE001 - translated, or re-raised by to_orus
        return RunResult(70, failure_of(E.to_orus(exc)))
    return RunResult(0)


def run_module(module: Module, stdin=None, stdout=None, force_dispatch: bool = False) -> RunResult:
    """Execute module.entry; see the module docstring."""
    stdout = sys.stdout if stdout is None else stdout
    outcome: list = []
    envs: list = []

    def body():
        try:
            # compiled here too: structuring a huge function (a 10,000-line top level)
            # recurses along its dominator tree deeper than the caller's stack allows
            envs.append(compile_module(module, _binary_in(stdin if stdin is not None else sys.stdin),
                                       _writer(stdout), force_dispatch))
            outcome.append(_call_entry(module, envs[0]))
        except BaseException as exc:   # an interpreter bug: hand it to the caller's thread
            outcome.append(exc)

    old_limit, old_stack = sys.getrecursionlimit(), threading.stack_size()
    threading.stack_size(STACK_BYTES)
    sys.setrecursionlimit(MAX_DEPTH + 200)
    try:
        worker = threading.Thread(target=body, name="orus-tier0")
        worker.start()
        worker.join()
    finally:
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
        if envs:
            E.forget_code(envs[0].code_names)
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]
