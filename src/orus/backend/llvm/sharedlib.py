"""Program code as a shared library: link an object with the system linker, load it with
the dynamic loader, without llvmlite.

Purpose: a program run from the code cache should pay for Python and the run, not for
importing llvmlite and creating an LLJIT (~50 ms of a ~80 ms warm start, measured). The
object code that compile_module emits is position-independent (engine.py), so the
system linker turns it into a shared library in a few milliseconds once, when the cache
entry is stored; later runs `dlopen` it.

Algorithm:
  * `link(obj)`: write the object to a temporary directory and run `ld -shared` (or the C
    compiler with `-shared -nostdlib` when no `ld` is on PATH). The library lists no
    dependencies: its `orus_*` references resolve at load time against the runtime
    library, which runtime_lib.py loads with RTLD_GLOBAL; libc's and libm's symbols
    (memcpy, fmod, ...) are already global in every CPython process.
  * `load(path)`: dlopen with RTLD_NOW | RTLD_LOCAL (every symbol resolved at once, so a
    stale library whose runtime symbols are gone fails here, not mid-run) and return a
    handle whose `close()` dlcloses it.

Invariants: one program's static data (its globals, the `orus.refs` array) lives in the
library and is fresh only after a load, so a handle serves one run and is closed after
it (dlopen of a path that is still open would return the same, used copy).
"""

from __future__ import annotations

import ctypes
import os

ENTRY_SYMBOL = "orus_entry"


class LinkError(Exception):
    """The system linker is missing or failed; str() is one line."""


def linker_command(obj: str, out: str) -> list[str]:
    """The command that links the object file `obj` into the shared library `out`."""
    from orus.runtime.build import RuntimeBuildError, find_compiler, which
    ld = which("ld")
    if ld:
        return [ld, "-shared", "-o", out, obj]
    try:
        cc = find_compiler()
    except RuntimeBuildError as e:
        raise LinkError(str(e)) from None
    return [cc, "-shared", "-nostdlib", "-o", out, obj]


def link(obj: bytes) -> bytes:
    """The bytes of a shared library made of the object code `obj`; LinkError if it cannot be made."""
    import subprocess                       # here: loading a library (a cached start) needs neither
    import tempfile
    with tempfile.TemporaryDirectory(prefix="orus-link-") as tmp:
        src, out = os.path.join(tmp, "prog.o"), os.path.join(tmp, "prog.so")
        with open(src, "wb") as f:
            f.write(obj)
        try:
            done = subprocess.run(linker_command(src, out), capture_output=True, text=True)
        except OSError as e:
            raise LinkError(f"cannot run the linker: {e}") from None
        if done.returncode != 0:
            first = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[0]
            raise LinkError(f"the linker failed: {first}")
        with open(out, "rb") as f:
            return f.read()


class Loaded:
    """A dlopen'ed program library: `address` of its entry; close() unloads it."""

    def __init__(self, path: str):
        self._dll = ctypes.CDLL(path, mode=os.RTLD_NOW | os.RTLD_LOCAL)
        self.address = ctypes.cast(getattr(self._dll, ENTRY_SYMBOL), ctypes.c_void_p).value

    def close(self) -> None:
        if self._dll is not None:
            import _ctypes
            _ctypes.dlclose(self._dll._handle)
            self._dll = None


def load(path: str) -> Loaded:
    """Load the program library at `path` (OSError when the loader refuses it)."""
    return Loaded(path)
