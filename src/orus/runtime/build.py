"""Build the C runtime (src/orus/runtime) into a shared and a static library, on demand.

Purpose: the JIT loads `liborus_rt.so`; ahead-of-time builds will link `liborus_rt.a`;
the C unit tests link their own programs against the sources (`compile_test`).

Algorithm: the build key is the sha256 of the compiler's path, the variant's flags and
every .c/.h source's name and bytes. A build compiles each .c file in parallel into a
fresh temporary directory inside the cache root, links both libraries there, and
renames the directory into place with `os.replace`, so a concurrent process sees
either no build or a complete one (if two race, the loser's copy is discarded).
Results are also memoized in this process.

Invariants: this module imports only the standard library (never orus), so it can be
run on its own, and at the top only what a cached program's start needs (paths are
strings, the builtin SHA-256; subprocess, shutil, tempfile and pathlib load for a build); every failure is a RuntimeBuildError whose str() is one line for the
user (the compiler's stderr follows on later lines when there is one).
"""
from __future__ import annotations

import os
import threading

try:            # the builtin SHA-256: hashlib would load OpenSSL, ~2 ms of a cached start
    from _sha256 import sha256
except ImportError:                          # pragma: no cover - other Python builds
    from hashlib import sha256

_ROOT = os.path.dirname(os.path.realpath(__file__))
_COMMON = ["-std=c11", "-fPIC", "-Wall", "-Wextra", "-g", "-D_GNU_SOURCE"]
FLAGS: dict[str, list[str]] = {
    "release": _COMMON + ["-O2"],
    "asan": _COMMON + ["-O1", "-fsanitize=address,undefined", "-fno-omit-frame-pointer"],
}
LIBS = ["-lpthread", "-lm"]
_NO_CC = "no C compiler found: install gcc or clang, or set CC"


class RuntimeBuildError(Exception):
    """The runtime (or a C test) could not be built; str() starts with one clear line."""


class RuntimeLib:
    """A built runtime: both libraries, the ABI header directory (paths), and the build key."""

    __slots__ = ("shared", "static", "include", "key")

    def __init__(self, shared: str, static: str, include: str, key: str):
        self.shared, self.static, self.include, self.key = shared, static, include, key

    def __eq__(self, other) -> bool:
        return isinstance(other, RuntimeLib) and all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    def __repr__(self) -> str:
        return f"RuntimeLib(shared={self.shared!r}, key={self.key!r})"


_lock = threading.Lock()
_built: dict[tuple[str, str], RuntimeLib] = {}


def source_dir() -> str:
    return os.path.join(_ROOT, "src")


def include_dir() -> str:
    return os.path.join(_ROOT, "include")


def _files(directory: str, suffixes: tuple[str, ...]) -> list[str]:
    return [os.path.join(directory, n) for n in os.listdir(directory) if n.endswith(suffixes)]


def c_sources() -> list[str]:
    return sorted(_files(source_dir(), (".c",)))


def _all_sources() -> list[str]:
    return sorted(_files(source_dir(), (".c", ".h")) + _files(include_dir(), (".h",)))


def which(name: str) -> str | None:
    """The executable `name` names: itself when it has a directory part, else its first
    match on PATH (shutil.which for the common case, without importing shutil)."""
    if os.path.dirname(name):
        return name if os.path.isfile(name) and os.access(name, os.X_OK) else None
    for directory in os.environ.get("PATH", os.defpath).split(os.pathsep):
        path = os.path.join(directory or os.curdir, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def find_compiler() -> str:
    """$CC when it names an existing program, else cc, gcc or clang on PATH."""
    env = os.environ.get("CC")
    candidates = ([env] if env else []) + ["cc", "gcc", "clang"]
    for name in candidates:
        path = which(name)
        if path:
            return path
    raise RuntimeBuildError(_NO_CC)


def _flags(variant: str) -> list[str]:
    try:
        return FLAGS[variant]
    except KeyError:
        raise RuntimeBuildError(f"unknown runtime variant {variant!r} (expected one of "
                                f"{', '.join(FLAGS)})") from None


def _cache_root() -> str:
    if os.environ.get("ORUS_CACHE_DIR"):
        return os.environ["ORUS_CACHE_DIR"]
    if os.environ.get("XDG_CACHE_HOME"):
        return os.path.join(os.environ["XDG_CACHE_HOME"], "orus")
    return os.path.join(os.path.expanduser("~"), ".cache", "orus")


def _key(cc: str, flags: list[str]) -> str:
    h = sha256()
    h.update(cc.encode() + b"\0" + " ".join(flags).encode() + b"\0")
    for path in _all_sources():
        with open(path, "rb") as f:
            data = f.read()
        h.update(f"{os.path.basename(os.path.dirname(path))}/{os.path.basename(path)}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()[:16]


def _run(cmd: list[str], what: str) -> None:
    import subprocess
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    except OSError as e:
        raise RuntimeBuildError(f"{what}: cannot run {cmd[0]}: {e.strerror}") from None
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip()
        raise RuntimeBuildError(f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}"
                                + (f"\n{detail}" if detail else ""))


def _compile_all(cc: str, flags: list[str], sources: list[str], out: str) -> list[str]:
    inc = ["-I", include_dir(), "-I", source_dir()]
    objs = [os.path.join(out, os.path.splitext(os.path.basename(src))[0] + ".o") for src in sources]
    cmds = [[cc, *flags, *inc, "-c", src, "-o", obj] for src, obj in zip(sources, objs)]
    # Imported here: concurrent.futures (and the logging it pulls in) costs ~5 ms, and a
    # cached program's start-up only needs the build key, never a build.
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        for fut in [pool.submit(_run, cmd, f"compiling the runtime ({os.path.basename(cmd[-3])})")
                    for cmd in cmds]:
            fut.result()
    return objs


def _complete(d: str) -> bool:
    return os.path.isfile(os.path.join(d, "liborus_rt.so")) and os.path.isfile(os.path.join(d, "liborus_rt.a"))


def _build(cc: str, flags: list[str], final: str) -> None:
    import shutil
    import tempfile
    os.makedirs(os.path.dirname(final), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=os.path.basename(final) + ".tmp-", dir=os.path.dirname(final))
    try:
        objs = _compile_all(cc, flags, c_sources(), tmp)
        _run([cc, *flags, "-shared", "-o", os.path.join(tmp, "liborus_rt.so"), *objs, *LIBS],
             "linking the runtime")
        ar = which("ar")
        if not ar:
            raise RuntimeBuildError("no archiver found: install binutils (ar)")
        _run([ar, "rcs", os.path.join(tmp, "liborus_rt.a"), *objs], "archiving the runtime")
        for obj in objs:
            os.unlink(obj)
        if os.path.exists(final) and not _complete(final):
            shutil.rmtree(final, ignore_errors=True)     # a damaged earlier build
        try:
            os.replace(tmp, final)
        except OSError:
            if not _complete(final):        # not a concurrent winner's build: a real error
                raise
    finally:
        if os.path.exists(tmp):
            shutil.rmtree(tmp, ignore_errors=True)


def _library(name: str, flags: list[str]) -> RuntimeLib:
    cc = find_compiler()
    key = _key(cc, flags)
    with _lock:
        hit = _built.get((name, key))
        if hit:
            return hit
        final = os.path.join(_cache_root(), f"runtime-{name}-{key}")
        lib = RuntimeLib(os.path.join(final, "liborus_rt.so"), os.path.join(final, "liborus_rt.a"),
                         include_dir(), key)
        if not _complete(final):
            try:
                _build(cc, flags, final)
            except OSError as e:
                raise RuntimeBuildError(f"cannot write the runtime cache {final}: {e}") from None
        _built[(name, key)] = lib
        return lib


def runtime(variant: str = "release") -> RuntimeLib:
    """The runtime library of `variant`, built on first use and cached on disk."""
    return _library(variant, _flags(variant))


def compile_test(test_c, variant: str, out_dir) -> str:
    """Compile the C test `test_c` (-Werror) and link it with the runtime of `variant`,
    itself built with -Werror (cached as variant "<variant>-werror"); the executable's path."""
    flags = [*_flags(variant), "-Werror"]
    lib = _library(f"{variant}-werror", flags)
    cc = find_compiler()
    os.makedirs(out_dir, exist_ok=True)
    test_c = os.path.realpath(test_c)
    exe = os.path.join(out_dir, f"{os.path.splitext(os.path.basename(test_c))[0]}-{variant}")
    tests_dir = os.path.join(_ROOT, "tests")
    inc = ["-I", include_dir(), "-I", source_dir(), "-I", tests_dir]
    if os.path.dirname(test_c) != tests_dir:
        inc += ["-I", os.path.dirname(test_c)]
    _run([cc, *flags, *inc, "-o", exe, test_c, lib.static, *LIBS], f"compiling {os.path.basename(test_c)}")
    return exe


if __name__ == "__main__":
    import sys
    for v in sys.argv[1:] or ["release"]:
        print(runtime(v))
