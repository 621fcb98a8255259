"""What, besides a program's sources, decides the machine code compiled for it: the key
under which the code cache keeps that code (driver/codecache.py).

Purpose: a cached program must run without importing llvmlite's binding (sharedlib.py),
so nothing here asks LLVM; every part is read from files:
  * `compiler`: the Orus compiler itself (the driver adds its version): llvmlite's
    version (which pins the LLVM that generated the code), and the size and modification
    time of every source file of the `orus` package (a changed code generator, even without a new
    version number, is a different compiler; reading ~140 stat results costs < 1 ms);
  * `runtime`: the C runtime library's build key (its ABI and flags);
  * `host`: the CPU the code was tuned for (-mcpu=native and its features): the model
    name and feature flags the kernel reports (/proc/cpuinfo), or only the machine type
    where there is no such file.
"""

from __future__ import annotations

import functools
import os

try:            # the builtin SHA-256: hashlib would load OpenSSL, ~2 ms of a cached start
    from _sha256 import sha256
except ImportError:                          # pragma: no cover - other Python builds
    from hashlib import sha256

# src/orus: this file is src/orus/backend/llvm/fingerprint.py
_PACKAGE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_SOURCE_SUFFIXES = (".py", ".c", ".h")


def identity(runtime_key: str) -> dict:
    """The identity dict of this process's compiler and host, with the runtime's key."""
    import llvmlite                       # the package only: its binding stays unloaded
    return {"llvmlite": llvmlite.__version__,
            "compiler": compiler_digest(), "runtime": runtime_key, "host": host_digest()}


# Both digests are fixed for the life of a process; a run that misses the cache asks for
# the identity twice (lookup, then store), and a test process many times.
@functools.cache
def compiler_digest() -> str:
    h = sha256()
    _digest_tree(h, _PACKAGE, "")
    return h.hexdigest()[:32]


def _digest_tree(h, directory: str, rel: str) -> None:
    """Feed `h` the relative name, size and mtime of each source file under `directory`, in
    name order (os.scandir: its entries carry their stat results, unlike os.walk + os.stat)."""
    with os.scandir(directory) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                _digest_tree(h, entry.path, rel + entry.name + "/")
        elif entry.name.endswith(_SOURCE_SUFFIXES):
            st = entry.stat()
            h.update(f"{rel}{entry.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())


@functools.cache
def host_digest() -> str:
    return sha256(_host_description().encode("utf-8", "replace")).hexdigest()[:32]


def _host_description() -> str:
    wanted = ("model name", "flags", "vendor_id", "cpu family", "model\t", "Features", "CPU part")
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            first = f.read().split("\n\n", 1)[0]
    except OSError:
        first = ""
    lines = [line for line in first.splitlines() if line.startswith(wanted)]
    return "\n".join([os.uname().machine, *lines])
