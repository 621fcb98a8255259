"""The on-disk code cache (driver/codecache.py, driver/native.py run_cached).

1. Unit: an entry is found again only while its context and every file's bytes are
   unchanged and its object is intact; ORUS_NO_CACHE=1 turns it off.
2. End to end (subprocesses with their own cache directory): the second run of an
   unchanged program runs from the cache *without the front end* (proved by running it
   with the parser made unimportable), prints the same output, renders a run-time error
   the same way, and an edit to a used module is seen at once. The entry's shared
   library runs with llvmlite's binding unimportable too; a damaged library falls back to
   the entry's object code through the JIT.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from orus.driver import codecache

# `orus ARGS` with the parser (and llvmlite's binding) made unimportable; argv[0] names the
# real launcher, whose directory is a module search root (spec 7.3) and so part of the
# cache entry's context.
LAUNCH = "sys.argv[0] = sys.argv.pop(1); from orus.cli.main import main; sys.exit(main(sys.argv[1:]))"
NO_FRONT_END = "import sys; sys.modules['orus.syntax.parser'] = None; " + LAUNCH
NO_FRONT_END_NO_LLVM = "import sys; sys.modules['orus.syntax.parser'] = sys.modules['llvmlite.binding'] = None; " + LAUNCH
# What a cached start must not import (each costs it 1-5 ms): the command line grammar, the
# dataclass and typing machinery, OpenSSL's hashes, pathlib, and what only a build needs.
SLOW_TO_IMPORT = ("argparse", "dataclasses", "inspect", "typing", "hashlib", "pathlib", "subprocess", "shutil",
                  "tempfile", "concurrent.futures", "orus.syntax.parser", "llvmlite.binding")
LEAN = "import sys; sys.modules.update(dict.fromkeys(%r)); " % (SLOW_TO_IMPORT,) + LAUNCH


# ------------------------------------------------------------------ 1. unit
def test_store_then_lookup_until_a_file_changes(tmp_path: Path):
    env = {"ORUS_CACHE_DIR": str(tmp_path / "cache")}
    main, lib = tmp_path / "main.orus", tmp_path / "lib.orus"
    main.write_text("use lib\n")
    lib.write_text("x = 1\n")
    codecache.store(str(main), [str(main), str(lib)], "ctx", b"OBJ", env)
    hit = codecache.lookup(str(main), "ctx", env)
    assert hit is not None and hit.object() == b"OBJ" and hit.files == (str(main), str(lib))
    assert hit.library() is None                     # stored without a shared library
    assert codecache.lookup(str(main), "other ctx", env) is None
    lib.write_text("x = 2\n")
    assert codecache.lookup(str(main), "ctx", env) is None


def test_a_damaged_entry_is_a_miss(tmp_path: Path):
    env = {"ORUS_CACHE_DIR": str(tmp_path)}
    main = tmp_path / "p.orus"
    main.write_text("print(1)\n")
    codecache.store(str(main), [str(main)], "ctx", b"OBJECT", env, library=b"LIBRARY")
    assert Path(codecache.lookup(str(main), "ctx", env).library()).read_bytes() == b"LIBRARY"
    where = Path(codecache.entry_dir(str(main), env))
    (where / "prog.so").write_bytes(b"LIBRARX")
    (where / "prog.o").write_bytes(b"OBJECX")
    hit = codecache.lookup(str(main), "ctx", env)
    assert hit.library() is None and hit.object() is None
    (where / "meta.json").write_text("{not json")
    assert codecache.lookup(str(main), "ctx", env) is None


def test_no_cache_switch(tmp_path: Path):
    env = {"ORUS_CACHE_DIR": str(tmp_path), "ORUS_NO_CACHE": "1"}
    main = tmp_path / "p.orus"
    main.write_text("print(1)\n")
    codecache.store(str(main), [str(main)], "ctx", b"OBJ", env)
    assert not Path(codecache.entry_dir(str(main), env)).exists()
    assert codecache.lookup(str(main), "ctx", env) is None


# ------------------------------------------------------------------ 2. end to end
@pytest.fixture
def native(clean_env, tmp_path):
    pytest.importorskip("llvmlite")
    from orus.backend.llvm import jit
    try:
        jit.ensure_available()
    except jit.NativeUnavailable as e:
        pytest.skip(f"native engine unavailable: {e}")
    env = dict(clean_env, ORUS_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("ORUS_NO_CACHE", None)
    return env


def _run(args: list[str], env: dict, cwd: Path, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, input=stdin, capture_output=True, timeout=120)


def test_second_run_uses_the_cache_without_the_front_end(native, tmp_path: Path, orus_cmd):
    (tmp_path / "util.orus").write_text("pub fn twice(x: i32) -> i32:\n    return 2 * x\n")
    (tmp_path / "main.orus").write_text("use util\nprint(util.twice(21), input())\n")
    cold = _run(orus_cmd + ["run", "main.orus"], native, tmp_path, b"hi\n")
    assert cold.returncode == 0 and cold.stdout == b"42 hi\n", cold.stderr
    # the parser cannot be imported: only a cache hit can run the program
    warm = _run([sys.executable, "-c", NO_FRONT_END_NO_LLVM, orus_cmd[-1], "run", "main.orus"], native, tmp_path,
                b"hi\n")
    assert (warm.returncode, warm.stdout, warm.stderr) == (0, b"42 hi\n", b"")
    (tmp_path / "util.orus").write_text("pub fn twice(x: i32) -> i32:\n    return 3 * x\n")
    stale = _run([sys.executable, "-c", NO_FRONT_END, orus_cmd[-1], "run", "main.orus"], native, tmp_path, b"hi\n")
    assert stale.returncode != 0 and b"42" not in stale.stdout          # a miss needs the parser
    again = _run(orus_cmd + ["run", "main.orus"], native, tmp_path, b"hi\n")
    assert again.stdout == b"63 hi\n"


def test_a_cached_start_imports_only_what_it_needs(native, tmp_path: Path, orus_cmd):
    (tmp_path / "p.orus").write_text('print("ok", input())\n')
    assert _run(orus_cmd + ["run", "p.orus"], native, tmp_path, b"in\n").stdout == b"ok in\n"
    for argv in (["run", "p.orus"], ["p.orus"], ["--gc-stats", "p.orus"], ["run", "p.orus", "--no-color"]):
        warm = _run([sys.executable, "-c", LEAN, orus_cmd[-1], *argv], native, tmp_path, b"in\n")
        assert (warm.returncode, warm.stdout) == (0, b"ok in\n"), warm.stderr
        assert warm.stderr.startswith(b"gc: 0 collections") if "--gc-stats" in argv else warm.stderr == b""
    # any other command line takes the full path, which needs argparse
    full = _run([sys.executable, "-c", LEAN, orus_cmd[-1], "run", "--tier=2", "p.orus"], native, tmp_path, b"in\n")
    assert full.returncode != 0 and b"argparse" in full.stderr


def test_a_cached_program_reports_run_time_errors_the_same(native, tmp_path: Path, orus_cmd):
    (tmp_path / "boom.orus").write_text('print("before")\nxs = [1, 2]\nprint(xs[5])\n')
    cold = _run(orus_cmd + ["run", "boom.orus"], native, tmp_path)
    warm = _run([sys.executable, "-c", NO_FRONT_END_NO_LLVM, orus_cmd[-1], "run", "boom.orus"], native, tmp_path)
    assert cold.returncode == warm.returncode == 70
    assert cold.stdout == warm.stdout == b"before\n"
    assert cold.stderr == warm.stderr and b"boom.orus:3:" in warm.stderr


def test_tier0_and_no_cache_never_store(native, tmp_path: Path, orus_cmd):
    (tmp_path / "p.orus").write_text("print(7)\n")
    _run(orus_cmd + ["run", "--tier=0", "p.orus"], native, tmp_path)
    _run(orus_cmd + ["run", "p.orus"], dict(native, ORUS_NO_CACHE="1"), tmp_path)
    assert not (tmp_path / "cache" / "code").exists()


def test_a_damaged_library_falls_back_to_the_object(native, tmp_path: Path, orus_cmd):
    (tmp_path / "p.orus").write_text("mut n = 0\nfor i in 0..10:\n    n += i\nprint(n)\n")
    assert _run(orus_cmd + ["run", "p.orus"], native, tmp_path).stdout == b"45\n"
    entry = Path(codecache.entry_dir(str(tmp_path / "p.orus"), native))
    library = entry / "prog.so"
    assert library.read_bytes()[:4] == b"\x7fELF"
    library.write_bytes(b"\x7fELF damaged")
    no_llvm = _run([sys.executable, "-c", NO_FRONT_END_NO_LLVM, orus_cmd[-1], "run", "p.orus"], native, tmp_path)
    assert no_llvm.returncode != 0 and b"45" not in no_llvm.stdout     # neither library nor JIT
    jit = _run([sys.executable, "-c", NO_FRONT_END, orus_cmd[-1], "run", "p.orus"], native, tmp_path)
    assert (jit.returncode, jit.stdout, jit.stderr) == (0, b"45\n", b"")


def test_each_run_loads_the_library_afresh_and_unloads_it(native, tmp_path: Path):
    """One process, two runs of the same program library: each run has its own copy of the
    library's static data (loaded for it, unloaded after it; /proc/self/maps shows mappings)."""
    from orus.backend.llvm import jit, sharedlib
    from orus.driver import pipeline
    from orus.driver.options import Options
    src = tmp_path / "g.orus"
    src.write_text("mut total = 0\nfn add(n: i32):\n    total += n\nadd(5)\nadd(6)\nprint(total)\n")
    options = Options(cwd=str(tmp_path))
    obj, _ = jit.compile_module(pipeline.lower(pipeline.check_file(str(src), options), options))
    path = tmp_path / "g.so"
    path.write_bytes(sharedlib.link(obj))

    def mapped() -> bool:
        return str(path) in Path("/proc/self/maps").read_text()
    for _ in range(2):
        loaded = sharedlib.load(str(path))
        assert mapped()
        assert jit.run_shared(loaded, capture=True).output == b"11\n"
        assert not mapped()


def test_a_module_added_earlier_in_the_search_order_is_seen(native, tmp_path: Path, orus_cmd):
    """spec 7.3: the working directory is searched before the importer's directory."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "util.orus").write_text("pub fn twice(x: i32) -> i32:\n    return 2 * x\n")
    (tmp_path / "app" / "main.orus").write_text("use util\nprint(util.twice(21))\n")
    assert _run(orus_cmd + ["run", "app/main.orus"], native, tmp_path).stdout == b"42\n"
    warm = _run([sys.executable, "-c", NO_FRONT_END_NO_LLVM, orus_cmd[-1], "run", "app/main.orus"], native, tmp_path)
    assert warm.stdout == b"42\n"
    (tmp_path / "util.orus").write_text("pub fn twice(x: i32) -> i32:\n    return 3 * x\n")
    assert _run(orus_cmd + ["run", "app/main.orus"], native, tmp_path).stdout == b"63\n"
