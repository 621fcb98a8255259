"""Build and run the C runtime's unit tests (src/orus/runtime/tests/test_*.c).

Each test program is compiled with -Werror and linked with the runtime built with
-Werror, once with the release flags and once with ASan+UBSan (UBSan halts on the
first report, LeakSanitizer is on), and must exit 0 printing "0 failed". The release
build also runs under ORUS_GC_STRESS=1 and ORUS_GC_VERIFY=1 (except test_gc, which
sets stress itself). Also: each runtime .c file compiles on its own with -Werror,
the shared library exports the whole ABI and runs programs in this process through
ctypes (as the JIT will), and a missing compiler is a clear RuntimeBuildError.
"""
from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from orus.runtime import build

TESTS_DIR = Path(build.__file__).resolve().parent / "tests"
C_TESTS = sorted(TESTS_DIR.glob("test_*.c"))
# detect_stack_use_after_return=0: ASan fake frames would hide locals from the
# collector's conservative stack scan (it is off by default in gcc; clang may differ).
SAN_ENV = {"ASAN_OPTIONS": "detect_leaks=1:detect_stack_use_after_return=0",
           "UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1"}


@pytest.mark.parametrize("variant", ["release", "asan"])
@pytest.mark.parametrize("test_c", C_TESTS, ids=[p.stem for p in C_TESTS])
def test_c_program(test_c: Path, variant: str, tmp_path: Path) -> None:
    exe = build.compile_test(test_c, variant, tmp_path)
    env = {**os.environ, **SAN_ENV}
    env.pop("ORUS_GC_STRESS", None)
    proc = subprocess.run([str(exe)], capture_output=True, text=True, errors="replace",
                          stdin=subprocess.DEVNULL,
                          env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " 0 failed" in proc.stdout, proc.stdout + proc.stderr


STRESSED = [p for p in C_TESTS if p.stem != "test_gc"]   # test_gc drives stress itself


@pytest.mark.parametrize("test_c", STRESSED, ids=[p.stem for p in STRESSED])
def test_c_program_under_gc_stress(test_c: Path, tmp_path: Path) -> None:
    """Collect at every allocation and check the heap after each collection: any
    runtime code that keeps an object only where the collector cannot see it fails."""
    exe = build.compile_test(test_c, "release", tmp_path)
    env = {**os.environ, "ORUS_GC_STRESS": "1", "ORUS_GC_VERIFY": "1"}
    proc = subprocess.run([str(exe)], capture_output=True, text=True, errors="replace",
                          stdin=subprocess.DEVNULL, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " 0 failed" in proc.stdout, proc.stdout + proc.stderr


def test_c_tests_exist() -> None:
    assert {p.stem for p in C_TESTS} >= {"test_gc", "test_panic", "test_rt"}


@pytest.mark.parametrize("source", build.c_sources(), ids=[os.path.basename(p) for p in build.c_sources()])
def test_source_compiles_alone(source: str, tmp_path: Path) -> None:
    cc = build.find_compiler()
    cmd = [cc, *build.FLAGS["release"], "-Werror", "-I", str(build.include_dir()),
           "-I", str(build.source_dir()), "-c", str(source), "-o", str(tmp_path / "x.o")]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_runtime_library_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORUS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(build, "_built", {})     # forget libraries built earlier in this process
    lib = build.runtime("release")
    shared, static, include = Path(lib.shared), Path(lib.static), Path(lib.include)
    assert shared.is_file() and static.is_file()
    assert shared.parent.parent == tmp_path
    assert shared.parent.name == f"runtime-release-{lib.key}"
    assert (include / "orus_rt.h").is_file()
    assert build.runtime("release") == lib
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]
    nm = shutil.which("nm")
    if nm:      # every ABI function is defined, nothing of ours is left undefined
        out = subprocess.run([nm, "-D", str(lib.shared)], capture_output=True, text=True).stdout
        defined = {ln.split()[-1] for ln in out.splitlines() if re.match(r"\S+ [TDBR] ", ln)}
        undefined = {ln.split()[-1] for ln in out.splitlines() if ln.split()[0] == "U"}
        header = (include / "orus_rt.h").read_text()
        declared = set(re.findall(r"\b(orus_\w+)\(", header))
        declared |= set(re.findall(r"\b(orus_ty_\w+)\b", header)) - {"orus_ty_elem_size", "orus_ty_is_ref"}
        declared |= {"orus_status", "orus_stack_limit"}
        assert declared - defined == set()
        assert {u for u in undefined if u.startswith("orus_")} == set()


def test_concurrent_builds_agree(tmp_path: Path) -> None:
    """Processes building the same runtime at once all get a complete library."""
    src = Path(build.__file__).resolve().parents[2]
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from orus.runtime import build; "
            "lib = build.runtime(); import os; print(lib.key, os.path.getsize(lib.shared) > 0)")
    env = {**os.environ, "ORUS_CACHE_DIR": str(tmp_path)}
    procs = [subprocess.Popen([sys.executable, "-c", code, str(src)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outs
    assert len({out for out, _ in outs}) == 1 and outs[0][0].split()[1] == "True"
    assert [p.name for p in tmp_path.iterdir()] == [f"runtime-release-{outs[0][0].split()[0]}"]


ENTRY = ctypes.CFUNCTYPE(None)


def _run_in_thread(fn):
    """Call fn on a thread with a big stack, as the driver runs programs."""
    result: list = []
    old = threading.stack_size(64 << 20)
    try:
        t = threading.Thread(target=lambda: result.append(fn()))
        t.start()
        t.join()
    finally:
        threading.stack_size(old)
    return result[0]


def test_shared_library_runs_programs_in_process() -> None:
    """The JIT's view: load liborus_rt.so, run several programs through orus_rt_run."""
    lib = ctypes.CDLL(str(build.runtime("release").shared))
    lib.orus_str_new.restype = ctypes.c_void_p
    lib.orus_str_new.argtypes = [ctypes.c_char_p, ctypes.c_int64]
    lib.orus_rt_captured.restype = ctypes.c_void_p
    lib.orus_rt_error_kind.restype = ctypes.c_char_p
    lib.orus_rt_error_message.restype = ctypes.c_void_p
    lib.orus_trap.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.c_char_p]
    lib.orus_out_write.argtypes = [ctypes.c_char_p, ctypes.c_size_t]

    def captured() -> bytes:
        n = ctypes.c_int64()
        p = lib.orus_rt_captured(ctypes.byref(n))
        return ctypes.string_at(p, n.value)

    seen = {}

    @ENTRY
    def hello():
        limit = ctypes.c_void_p.in_dll(lib, "orus_stack_limit").value
        seen["limit"] = limit
        for i in range(2000):
            lib.orus_str_new(b"x" * 40, 40)
        lib.orus_gc_collect()
        lib.orus_out_write(b"hello", 5)
        lib.orus_out_end_print()

    @ENTRY
    def failing():
        lib.orus_trap(None, 2, b"Index out of bounds")

    for _ in range(3):
        lib.orus_rt_init()
        lib.orus_rt_capture_output()
        assert _run_in_thread(lambda: lib.orus_rt_run(hello)) == 0
        assert captured() == b"hello\n"
        assert seen["limit"]
        lib.orus_rt_shutdown()

        lib.orus_rt_init()
        assert _run_in_thread(lambda: lib.orus_rt_run(failing)) == 70
        lib.orus_rt_shutdown()
        assert lib.orus_rt_error_kind() == b"index error"
        n = ctypes.c_int64()
        msg = ctypes.string_at(lib.orus_rt_error_message(ctypes.byref(n)), n.value)
        assert msg == b"Index out of bounds"
        assert ctypes.c_int32.in_dll(lib, "orus_status").value == 0
    lib.orus_rt_init()
    lib.orus_rt_shutdown()


def test_missing_compiler(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CC", str(tmp_path / "no-such-cc"))
    monkeypatch.setenv("PATH", "")
    with pytest.raises(build.RuntimeBuildError) as info:
        build.runtime("release")
    assert str(info.value) == "no C compiler found: install gcc or clang, or set CC"


def test_compiler_error_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "test_bad.c"
    bad.write_text('#include "harness.h"\nTEST(t) { undeclared_thing(); }\n')
    with pytest.raises(build.RuntimeBuildError) as info:
        build.compile_test(bad, "release", tmp_path)
    assert "test_bad.c" in str(info.value).splitlines()[0]
    assert "undeclared_thing" in str(info.value)
