"""The JIT layer on its own (backend/llvm/jit.py, engine.py, runtime_lib.py), fed hand-written
LLVM IR that calls the C runtime through orus_rt.h: output capture and fd output, input bytes,
errors with their sites, stack overflow on the run thread, GC statistics, repeated runs in one
process, and the unavailable-engine path."""

from __future__ import annotations

import pytest

pytest.importorskip("llvmlite")

from orus.backend.llvm import jit  # noqa: E402

DECLS = """
@orus_ty_i64 = external global i8
@orus_ty_str = external global i8
@orus_status = external global i32
@orus_stack_limit = external global ptr
declare void @orus_print(i32, ptr, ptr, i32)
declare void @orus_trap(ptr, i32, ptr)
declare void @orus_trap_stack_overflow()
declare void @orus_err_locate(ptr)
declare ptr @orus_input(ptr, i64)
declare ptr @orus_str_new(ptr, i64)
declare void @orus_gc_collect()
declare void @orus_gc_add_roots(ptr, i32)
@tys_i64 = private constant [1 x ptr] [ptr @orus_ty_i64]
@tys_str = private constant [1 x ptr] [ptr @orus_ty_str]
@file = private constant [10 x i8] c"main.orus\\00"
@op_div = private constant [4 x i8] c"div\\00"
@op_call = private constant [5 x i8] c"call\\00"
@msg = private constant [17 x i8] c"Division by zero\\00"
@site = private constant { ptr, i32, i32, ptr } { ptr @file, i32 3, i32 7, ptr @op_div }
@call_site = private constant { ptr, i32, i32, ptr } { ptr @file, i32 9, i32 5, ptr @op_call }

define private void @print_i64(i64 %v) {
  %vals = alloca [1 x i64]
  store i64 %v, ptr %vals
  call void @orus_print(i32 1, ptr @tys_i64, ptr %vals, i32 0)
  ret void
}
"""

PRINT_42 = DECLS + """
define void @orus_entry() {
  call void @print_i64(i64 42)
  call void @print_i64(i64 -7)
  ret void
}
"""

TRAP = DECLS + """
define void @orus_entry() {
  call void @print_i64(i64 1)
  call void @orus_trap(ptr @site, i32 0, ptr @msg)
  ret void
}
"""

ECHO_INPUT = DECLS + """
define void @orus_entry() {
  %s = call ptr @orus_input(ptr null, i64 0)
  %bits = ptrtoint ptr %s to i64
  %vals = alloca [1 x i64]
  store i64 %bits, ptr %vals
  call void @orus_print(i32 1, ptr @tys_str, ptr %vals, i32 0)
  ret void
}
"""

# Recursion without end: each frame checks the stack limit the runtime set for the run thread,
# as compiled functions do (spec 2.15), and the overflow is located at the call site.
RECURSE = DECLS + """
define private i64 @down(i64 %n) {
entry:
  %frame = call ptr @llvm.frameaddress.p0(i32 0)
  %limit = load ptr, ptr @orus_stack_limit
  %low = icmp ult ptr %frame, %limit
  br i1 %low, label %overflow, label %go
overflow:
  call void @orus_trap_stack_overflow()
  ret i64 0
go:
  %pad = alloca [64 x i64]
  store volatile i64 %n, ptr %pad
  %m = add i64 %n, 1
  %r = call i64 @down(i64 %m)
  %st = load i32, ptr @orus_status
  %failed = icmp ne i32 %st, 0
  br i1 %failed, label %unwind, label %ok
unwind:
  call void @orus_err_locate(ptr @call_site)
  ret i64 0
ok:
  ret i64 %r
}
declare ptr @llvm.frameaddress.p0(i32)

define void @orus_entry() {
  %r = call i64 @down(i64 0)
  ret void
}
"""

ALLOCATE = DECLS + """
@text = private constant [6 x i8] c"hello\\00"
@keep = global ptr null
define void @orus_entry() {
entry:
  call void @orus_gc_add_roots(ptr @keep, i32 1)
  br label %loop
loop:
  %i = phi i64 [0, %entry], [%next, %loop]
  %s = call ptr @orus_str_new(ptr @text, i64 5)
  store ptr %s, ptr @keep
  %next = add i64 %i, 1
  %more = icmp slt i64 %next, 20000
  br i1 %more, label %loop, label %done
done:
  call void @orus_gc_collect()
  %last = load ptr, ptr @keep
  %bits = ptrtoint ptr %last to i64
  %vals = alloca [1 x i64]
  store i64 %bits, ptr %vals
  call void @orus_print(i32 1, ptr @tys_str, ptr %vals, i32 0)
  ret void
}
"""


@pytest.fixture(scope="module")
def native():
    try:
        jit.ensure_available()
    except jit.NativeUnavailable as e:
        pytest.skip(f"native engine unavailable: {e}")
    return jit


def test_captured_output(native):
    r = native.run_native(PRINT_42, capture=True)
    assert (r.status, r.output, r.error) == (0, b"42\n-7\n", None)


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_every_opt_level_runs(native, level):
    assert native.run_native(PRINT_42, capture=True, opt_level=level).output == b"42\n-7\n"


def test_output_to_fd_1(native, capfd):
    r = native.run_native(PRINT_42)
    assert (r.status, r.output) == (0, None)
    assert capfd.readouterr().out == "42\n-7\n"


def test_trap_reports_kind_message_and_site(native):
    r = native.run_native(TRAP, capture=True)
    assert r.status == 70
    assert r.output == b"1\n"            # what was printed before the error is kept
    assert r.error == jit.NativeError("runtime error", "Division by zero", "main.orus", 3, 7, "div")


def test_input_bytes(native):
    r = native.run_native(ECHO_INPUT, capture=True, stdin_data=b"first line\nsecond\n")
    assert (r.status, r.output) == (0, b"first line\n")
    empty = native.run_native(ECHO_INPUT, capture=True, stdin_data=b"")
    assert empty.status == 70 and empty.error.kind != ""


def test_stack_overflow_is_an_error_at_the_call(native):
    r = native.run_native(RECURSE, capture=True, opt_level=0)
    assert r.status == 70
    assert (r.error.message, r.error.kind) == ("Stack overflow", "runtime error")
    assert (r.error.file, r.error.line, r.error.col, r.error.op) == ("main.orus", 9, 5, "call")


def test_gc_statistics(native):
    r = native.run_native(ALLOCATE, capture=True)
    assert (r.status, r.output) == (0, b"hello\n")
    gc = r.gc
    assert set(gc) >= {"collections", "bytes_allocated", "bytes_freed", "live_bytes", "heap_bytes",
                       "objects_allocated", "pause_total_ns", "pause_max_ns", "pauses"}
    assert gc["collections"] >= 1 and len(gc["pauses"]) == min(gc["collections"], 4096)
    assert gc["objects_allocated"] >= 20000
    assert gc["bytes_allocated"] >= 20000 * 13          # header word + length + "hello\0"
    assert gc["bytes_freed"] > 0 and gc["live_bytes"] < gc["bytes_allocated"]
    assert gc["pause_max_ns"] <= gc["pause_total_ns"] and max(gc["pauses"]) <= gc["pause_max_ns"]


def test_runs_do_not_share_state(native):
    first = native.run_native(TRAP, capture=True)
    again = native.run_native(PRINT_42, capture=True)
    assert first.status == 70 and (again.status, again.output, again.error) == (0, b"42\n-7\n", None)
    assert again.gc["objects_allocated"] < 100


def test_bad_ir_is_an_exception_not_a_crash(native):
    with pytest.raises(RuntimeError):
        native.run_native("define void @orus_entry() {\n  ret i32 0\n}\n", capture=True)


def test_missing_symbol_is_an_exception(native):
    src = "declare void @orus_no_such_function()\ndefine void @orus_entry() {\n" \
          "  call void @orus_no_such_function()\n  ret void\n}\n"
    with pytest.raises(RuntimeError):
        native.run_native(src, capture=True)
    assert native.run_native(PRINT_42, capture=True).output == b"42\n-7\n"


def test_unavailable_runtime_is_reported_once(monkeypatch):
    from orus.runtime import build

    calls = []

    def refuse(*args, **kwargs):
        calls.append(1)
        raise build.RuntimeBuildError("no C compiler found (tried cc, gcc, clang)")
    monkeypatch.setattr(build, "runtime", refuse)
    for name, value in (("_runtime", None), ("_runtime_failure", None), ("_llvm_ready", False),
                        ("_llvm_failure", None)):
        monkeypatch.setattr(jit, name, value)
    for setup in (jit.ensure_available, jit.ensure_runtime, jit.ensure_available):
        with pytest.raises(jit.NativeUnavailable) as info:
            setup()
        assert str(info.value) == "the C runtime cannot be built: no C compiler found (tried cc, gcc, clang)"
    assert calls == [1]


def test_object_code_runs_later_and_again(native):
    """compile_module's object is self-contained: it can be stored (a code cache) and run twice."""
    obj, times = native.compile_module(PRINT_42, opt_level=2)
    assert isinstance(obj, bytes) and times.codegen > 0
    for _ in range(2):
        r = native.run_object(obj, capture=True)
        assert (r.status, r.output) == (0, b"42\n-7\n")
    ident = native.identity()
    assert set(ident) == {"llvmlite", "compiler", "runtime", "host"} and all(ident.values())
