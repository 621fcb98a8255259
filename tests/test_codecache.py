"""The on-disk code cache (driver/codecache.py, driver/native.py run_cached).

1. Unit: an entry is found again only while its context and every file's bytes are
   unchanged and its object is intact; ORUS_NO_CACHE=1 turns it off.
2. End to end (subprocesses with their own cache directory): the second run of an
   unchanged program runs from the cache *without the front end* (proved by running it
   with the parser made unimportable), prints the same output, renders a run-time error
   the same way, and an edit to a used module is seen at once.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from orus.driver import codecache

# `orus ARGS` with the parser made unimportable; argv[0] names the real launcher, whose
# directory is a module search root (spec 7.3) and so part of the cache entry's context.
NO_FRONT_END = ("import sys; sys.modules['orus.syntax.parser'] = None; sys.argv[0] = sys.argv.pop(1); "
                "from orus.cli.main import main; sys.exit(main(sys.argv[1:]))")


# ------------------------------------------------------------------ 1. unit
def test_store_then_lookup_until_a_file_changes(tmp_path: Path):
    env = {"ORUS_CACHE_DIR": str(tmp_path / "cache")}
    main, lib = tmp_path / "main.orus", tmp_path / "lib.orus"
    main.write_text("use lib\n")
    lib.write_text("x = 1\n")
    codecache.store(str(main), [str(main), str(lib)], "ctx", b"OBJ", env)
    hit = codecache.lookup(str(main), "ctx", env)
    assert hit is not None and hit.obj == b"OBJ" and hit.files == (str(main), str(lib))
    assert codecache.lookup(str(main), "other ctx", env) is None
    lib.write_text("x = 2\n")
    assert codecache.lookup(str(main), "ctx", env) is None


def test_a_damaged_entry_is_a_miss(tmp_path: Path):
    env = {"ORUS_CACHE_DIR": str(tmp_path)}
    main = tmp_path / "p.orus"
    main.write_text("print(1)\n")
    codecache.store(str(main), [str(main)], "ctx", b"OBJECT", env)
    obj = codecache.entry_dir(str(main), env) / "prog.o"
    obj.write_bytes(b"OBJECX")
    assert codecache.lookup(str(main), "ctx", env) is None
    (codecache.entry_dir(str(main), env) / "meta.json").write_text("{not json")
    assert codecache.lookup(str(main), "ctx", env) is None


def test_no_cache_switch(tmp_path: Path):
    env = {"ORUS_CACHE_DIR": str(tmp_path), "ORUS_NO_CACHE": "1"}
    main = tmp_path / "p.orus"
    main.write_text("print(1)\n")
    codecache.store(str(main), [str(main)], "ctx", b"OBJ", env)
    assert not codecache.entry_dir(str(main), env).exists()
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
    warm = _run([sys.executable, "-c", NO_FRONT_END, orus_cmd[-1], "run", "main.orus"], native, tmp_path, b"hi\n")
    assert (warm.returncode, warm.stdout, warm.stderr) == (0, b"42 hi\n", b"")
    (tmp_path / "util.orus").write_text("pub fn twice(x: i32) -> i32:\n    return 3 * x\n")
    stale = _run([sys.executable, "-c", NO_FRONT_END, orus_cmd[-1], "run", "main.orus"], native, tmp_path, b"hi\n")
    assert stale.returncode != 0 and b"42" not in stale.stdout          # a miss needs the parser
    again = _run(orus_cmd + ["run", "main.orus"], native, tmp_path, b"hi\n")
    assert again.stdout == b"63 hi\n"


def test_a_cached_program_reports_run_time_errors_the_same(native, tmp_path: Path, orus_cmd):
    (tmp_path / "boom.orus").write_text('print("before")\nxs = [1, 2]\nprint(xs[5])\n')
    cold = _run(orus_cmd + ["run", "boom.orus"], native, tmp_path)
    warm = _run([sys.executable, "-c", NO_FRONT_END, orus_cmd[-1], "run", "boom.orus"], native, tmp_path)
    assert cold.returncode == warm.returncode == 70
    assert cold.stdout == warm.stdout == b"before\n"
    assert cold.stderr == warm.stderr and b"boom.orus:3:" in warm.stderr


def test_tier0_and_no_cache_never_store(native, tmp_path: Path, orus_cmd):
    (tmp_path / "p.orus").write_text("print(7)\n")
    _run(orus_cmd + ["run", "--tier=0", "p.orus"], native, tmp_path)
    _run(orus_cmd + ["run", "p.orus"], dict(native, ORUS_NO_CACHE="1"), tmp_path)
    assert not (tmp_path / "cache" / "code").exists()
