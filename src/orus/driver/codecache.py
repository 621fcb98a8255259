"""The on-disk code cache: a program run a second time, unchanged, starts without compiling.

ARCHITECTURE.md ("An on-disk code cache") and engine-notes.md section 10: cache the
*object code* the JIT links, content-addressed, and check freshness by content, never
by modification time.

Layout: `<cache root>/code/<h>/` where h = sha256 of the main file's absolute path,
holding `meta.json`, `prog.o` and, when the system linker could make it, `prog.so` (the
same code as a shared library, which runs without llvmlite). meta.json records
  * `context`: everything besides the sources that shapes the code (compiler version,
    the runtime library's key, optimisation level, target triple/CPU/features, LLVM
    version), computed by the caller;
  * `files`: every source file of the program (the main file and each module it
    uses) with the sha256 of its bytes.
  * `absent`: the files that did not exist at compile time but would be found before a
    module the program uses (sema.program.Program.shadowing).
A lookup hits only when the context is equal, every file still hashes the same and no
absent file has appeared;
then the program is known to compile without diagnostics (only successful compiles
are stored) and `prog.o` is exactly what the JIT linked then. Each code file is checked
against its recorded sha256 when it is asked for (`Hit.object()`, `Hit.library()`).

Writes go to a temporary file renamed into place, so concurrent runs never read a
torn entry; any unreadable or malformed entry is a miss. ORUS_NO_CACHE=1 turns the
cache off (lookups miss, nothing is stored).
"""

from __future__ import annotations

import json
import os

try:            # the builtin SHA-256: hashlib would load OpenSSL, ~2 ms of a cached start
    from _sha256 import sha256
except ImportError:                          # pragma: no cover - other Python builds
    from hashlib import sha256

FORMAT = 2
OBJECT, LIBRARY = "prog.o", "prog.so"


class Hit:
    """A fresh entry (the directory `where`): the program's files, and its code when intact.
    Plain classes and os.path here, not dataclasses and pathlib: a cached start imports this."""

    __slots__ = ("where", "meta", "files")

    def __init__(self, where: str, meta: dict, files: tuple[str, ...]):
        self.where, self.meta, self.files = where, meta, files

    def object(self) -> bytes | None:
        """The object code, or None when the file is damaged."""
        try:
            with open(os.path.join(self.where, OBJECT), "rb") as f:
                data = f.read()
        except OSError:
            return None
        return data if sha256(data).hexdigest() == self.meta.get("object") else None

    def library(self) -> str | None:
        """The path of the intact shared library of the code, or None."""
        digest = self.meta.get("shared")
        path = os.path.join(self.where, LIBRARY)
        if not digest or _digest(path) != digest:
            return None
        return path


def cache_root(environ: dict) -> str:
    """$ORUS_CACHE_DIR, else $XDG_CACHE_HOME/orus, else ~/.cache/orus (as the runtime build)."""
    if environ.get("ORUS_CACHE_DIR"):
        return environ["ORUS_CACHE_DIR"]
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "orus")


def enabled(environ: dict) -> bool:
    return environ.get("ORUS_NO_CACHE", "") in ("", "0")


def entry_dir(main_path: str, environ: dict) -> str:
    key = sha256(os.path.abspath(main_path).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return os.path.join(cache_root(environ), "code", key)


def _digest(path: str) -> str | None:
    try:
        with open(path, "rb") as f:
            return sha256(f.read()).hexdigest()
    except OSError:
        return None


def lookup(main_path: str, context: str, environ: dict) -> Hit | None:
    """The cached object of `main_path` when it is fresh for `context`, else None."""
    if not enabled(environ):
        return None
    where = entry_dir(main_path, environ)
    try:
        with open(os.path.join(where, "meta.json"), encoding="utf-8") as f:
            meta = json.load(f)
        if meta.get("format") != FORMAT or meta.get("context") != context:
            return None
        files = meta["files"]
        if not files or any(_digest(path) != digest for path, digest in files):
            return None
        if any(os.path.isfile(path) for path in meta["absent"]):
            return None
        return Hit(where, meta, tuple(path for path, _ in files))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def store(main_path: str, files: list[str], context: str, obj: bytes, environ: dict,
          library: bytes | None = None, absent: list[str] = ()) -> None:
    """Remember `obj` (and `library`, the same code linked as a shared library) as the code
    of the program made of `files` (main file first), valid while the `absent` files do not
    exist. Failing to write (read-only cache, full disk) is silently a cache that does not help."""
    if not enabled(environ):
        return
    digests = [(os.path.abspath(p), _digest(p)) for p in files]
    if any(d is None for _, d in digests):
        return
    meta = {"format": FORMAT, "context": context, "files": digests, "absent": list(absent),
            "object": sha256(obj).hexdigest(),
            "shared": sha256(library).hexdigest() if library is not None else None}
    where = entry_dir(main_path, environ)
    try:
        os.makedirs(where, exist_ok=True)
        _write_atomic(os.path.join(where, OBJECT), obj)
        if library is not None:
            _write_atomic(os.path.join(where, LIBRARY), library)
        _write_atomic(os.path.join(where, "meta.json"), json.dumps(meta).encode())
    except OSError:
        return


def _write_atomic(path: str, data: bytes) -> None:
    import tempfile
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=os.path.basename(path) + ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
