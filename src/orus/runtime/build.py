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
run on its own; every failure is a RuntimeBuildError whose str() is one line for the
user (the compiler's stderr follows on later lines when there is one).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

_ROOT = Path(__file__).resolve().parent
_COMMON = ["-std=c11", "-fPIC", "-Wall", "-Wextra", "-g", "-D_GNU_SOURCE"]
FLAGS: dict[str, list[str]] = {
    "release": _COMMON + ["-O2"],
    "asan": _COMMON + ["-O1", "-fsanitize=address,undefined", "-fno-omit-frame-pointer"],
}
LIBS = ["-lpthread", "-lm"]
_NO_CC = "no C compiler found: install gcc or clang, or set CC"


class RuntimeBuildError(Exception):
    """The runtime (or a C test) could not be built; str() starts with one clear line."""


@dataclass(frozen=True)
class RuntimeLib:
    """A built runtime: both libraries, the ABI header directory, and the build key."""
    shared: Path
    static: Path
    include: Path
    key: str


_lock = threading.Lock()
_built: dict[tuple[str, str], RuntimeLib] = {}


def source_dir() -> Path:
    return _ROOT / "src"


def include_dir() -> Path:
    return _ROOT / "include"


def c_sources() -> list[Path]:
    return sorted(source_dir().glob("*.c"))


def _all_sources() -> list[Path]:
    return sorted([*source_dir().glob("*.[ch]"), *include_dir().glob("*.h")])


def find_compiler() -> str:
    """$CC when it names an existing program, else cc, gcc or clang on PATH."""
    env = os.environ.get("CC")
    candidates = ([env] if env else []) + ["cc", "gcc", "clang"]
    for name in candidates:
        path = shutil.which(name)
        if path:
            return path
    raise RuntimeBuildError(_NO_CC)


def _flags(variant: str) -> list[str]:
    try:
        return FLAGS[variant]
    except KeyError:
        raise RuntimeBuildError(f"unknown runtime variant {variant!r} (expected one of "
                                f"{', '.join(FLAGS)})") from None


def _cache_root() -> Path:
    if os.environ.get("ORUS_CACHE_DIR"):
        return Path(os.environ["ORUS_CACHE_DIR"])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "orus"
    return Path.home() / ".cache" / "orus"


def _key(cc: str, flags: list[str]) -> str:
    h = hashlib.sha256()
    h.update(cc.encode() + b"\0" + " ".join(flags).encode() + b"\0")
    for path in _all_sources():
        data = path.read_bytes()
        h.update(f"{path.parent.name}/{path.name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()[:16]


def _run(cmd: list[str], what: str) -> None:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    except OSError as e:
        raise RuntimeBuildError(f"{what}: cannot run {cmd[0]}: {e.strerror}") from None
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip()
        raise RuntimeBuildError(f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}"
                                + (f"\n{detail}" if detail else ""))


def _compile_all(cc: str, flags: list[str], sources: list[Path], out: Path) -> list[Path]:
    inc = ["-I", str(include_dir()), "-I", str(source_dir())]
    objs = [out / (src.stem + ".o") for src in sources]
    cmds = [[cc, *flags, *inc, "-c", str(src), "-o", str(obj)] for src, obj in zip(sources, objs)]
    # Imported here: concurrent.futures (and the logging it pulls in) costs ~5 ms, and a
    # cached program's start-up only needs the build key, never a build.
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        for fut in [pool.submit(_run, cmd, f"compiling the runtime ({Path(cmd[-3]).name})")
                    for cmd in cmds]:
            fut.result()
    return objs


def _complete(d: Path) -> bool:
    return (d / "liborus_rt.so").is_file() and (d / "liborus_rt.a").is_file()


def _build(cc: str, flags: list[str], final: Path) -> None:
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=final.name + ".tmp-", dir=final.parent))
    try:
        objs = _compile_all(cc, flags, c_sources(), tmp)
        _run([cc, *flags, "-shared", "-o", str(tmp / "liborus_rt.so"), *map(str, objs), *LIBS],
             "linking the runtime")
        ar = shutil.which("ar")
        if not ar:
            raise RuntimeBuildError("no archiver found: install binutils (ar)")
        _run([ar, "rcs", str(tmp / "liborus_rt.a"), *map(str, objs)], "archiving the runtime")
        for obj in objs:
            obj.unlink()
        if final.exists() and not _complete(final):
            shutil.rmtree(final, ignore_errors=True)     # a damaged earlier build
        try:
            os.replace(tmp, final)
        except OSError:
            if not _complete(final):        # not a concurrent winner's build: a real error
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _library(name: str, flags: list[str]) -> RuntimeLib:
    cc = find_compiler()
    key = _key(cc, flags)
    with _lock:
        hit = _built.get((name, key))
        if hit:
            return hit
        final = _cache_root() / f"runtime-{name}-{key}"
        lib = RuntimeLib(final / "liborus_rt.so", final / "liborus_rt.a", include_dir(), key)
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


def compile_test(test_c: Path, variant: str, out_dir: Path) -> Path:
    """Compile the C test `test_c` (-Werror) and link it with the runtime of `variant`,
    itself built with -Werror (cached as variant "<variant>-werror")."""
    flags = [*_flags(variant), "-Werror"]
    lib = _library(f"{variant}-werror", flags)
    cc = find_compiler()
    out_dir.mkdir(parents=True, exist_ok=True)
    exe = out_dir / f"{Path(test_c).stem}-{variant}"
    inc = ["-I", str(include_dir()), "-I", str(source_dir()), "-I", str(_ROOT / "tests")]
    if Path(test_c).resolve().parent != _ROOT / "tests":
        inc += ["-I", str(Path(test_c).resolve().parent)]
    _run([cc, *flags, *inc, "-o", str(exe), str(test_c), str(lib.static), *LIBS],
         f"compiling {Path(test_c).name}")
    return exe


if __name__ == "__main__":
    import sys
    for v in sys.argv[1:] or ["release"]:
        print(runtime(v))
