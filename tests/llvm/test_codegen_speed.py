"""The speed-related code shapes of the LLVM emitter (emit.py, ops_core.py, ops_data.py),
and the semantics next to them.

Shapes (checked on the emitted and on the O3-optimised IR):
  * a small self-recursive function calls itself through always-inlined copies
    (`orus.fn.NAME.r1` ... `.rK`), so one frame runs K + 1 levels of the recursion;
  * the stack is checked before calls only, so a leaf path has no check;
  * a fallible function returns its failure flag (`{R, i1}`); direct callers branch on the
    flag and never load `orus_status` after such a call;
  * an array length load carries `!range [0, 2**31)`, so `i += 1` after a bounds check
    needs no overflow test.
Behaviour: programs whose errors happen exactly in those places (stack overflow through
the copied function, overflow and division errors inside inlined callees, bounds errors
in counted loops, failures through function values) print byte for byte what tier 0
prints, run natively.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

llvm = pytest.importorskip("llvmlite.binding")

from orus.backend.llvm.emit import emit_module  # noqa: E402
from orus.ir.reader import parse_module  # noqa: E402

UNAVAILABLE = "native engine unavailable"


def _optimised(text: str) -> str:
    from orus.backend.llvm.engine import engine
    tm = engine().machine(3)
    mod = llvm.parse_assembly(text)
    mod.triple, mod.data_layout = tm.triple, str(tm.target_data)
    mod.verify()
    pb = llvm.create_pass_builder(tm, llvm.create_pipeline_tuning_options(speed_level=3))
    pb.getModulePassManager().run(mod, pb)
    return str(mod)


def _function(text: str, name: str) -> str:
    start = re.search(r"define [^\n]*@\"?%s\"?\(" % re.escape(name), text)
    assert start, f"{name} not defined"
    body = text[start.start():]
    return body[:body.index("\n}\n")]


_FIB = '''
fn @fib(v0: i32) -> i32 {
b0:
  v1 = const.i32 2
  v2 = lt v0, v1
  br v2, b1, b2
b1:
  ret v0
b2:
  v3 = const.i32 1
  v4 = sub.i32 v0, v3 !4:12
  v5 = call @fib v4 !4:12
  v6 = const.i32 2
  v7 = sub.i32 v0, v6 !4:24
  v8 = call @fib v7 !4:24
  v9 = add.i32 v5, v8 !4:20
  ret v9
}
fn @main() -> void {
b0:
  v0 = const.i32 20
  v1 = call @fib v0 !6:7
  print 0 v1
  ret
}
'''


def test_small_self_recursive_function_calls_itself_through_copies():
    text = str(emit_module(parse_module(_FIB)))
    llvm.parse_assembly(text).verify()
    # fib: 11 instructions, 2 self-calls: 3 copies (11 * (1 + 2 + 4 + 8) <= 200)
    chain = ["orus.fn.fib", "orus.fn.fib.r1", "orus.fn.fib.r2", "orus.fn.fib.r3", "orus.fn.fib"]
    for name, target in zip(chain, chain[1:]):
        body = _function(text, name)
        assert body.count(f'call {{i32, i1}} @"{target}"(') == 2, name
        assert body.count('@"orus_trap_stack_overflow"()') == 2      # each call site checks
        if name != "orus.fn.fib":
            assert "alwaysinline" in body.split("\n", 1)[0]
    assert "orus.fn.main.r1" not in text                            # not recursive: no copy
    opt = _optimised(text)
    # the copies are inlined: fib's frame runs four levels and calls itself 16 times
    assert not re.search(r"define [^\n]*@orus\.fn\.fib\.r\d\(", opt)
    assert _function(opt, "orus.fn.fib").count("call fastcc { i32, i1 } @orus.fn.fib(") == 16


def test_stack_is_checked_at_calls_only():
    text = str(emit_module(parse_module(_SCAN)))
    # scan makes no call: no stack check; main checks before its call, once
    assert "orus_stack_limit" not in _function(text, "orus.fn.scan")
    main = _function(text, "orus.fn.main")
    assert main.count('@"orus_trap_stack_overflow"()') == 1
    assert re.search(r'load ptr, ptr @"orus_stack_limit", !invariant.load', main)
    opt = _optimised(str(emit_module(parse_module(_FIB))))
    fib = _function(opt, "orus.fn.fib")
    # the base case (n < 2) returns before the limit is even loaded
    entry = fib[:fib.index("\n\n")]
    assert re.search(r"icmp .*i32 %\S+, 2\n  br i1", entry) and "orus_stack_limit" not in entry
    assert "orus_stack_limit" in fib


def test_fallible_functions_return_their_failure_flag():
    text = str(emit_module(parse_module(_FIB)))
    fib, main = _function(text, "orus.fn.fib"), _function(text, "orus.fn.main")
    assert fib.startswith('define internal {i32, i1} @"orus.fn.fib"(i32')
    assert "orus_status" not in fib                    # no status load after its own calls
    assert main.startswith('define internal void @"orus.fn.main"()')   # the entry keeps void
    assert "orus_status" not in main
    assert "extractvalue {i32, i1}" in main


_SCAN = '''
fn @scan(v0: [i32], v1: i32) -> i32 {
b0:
  v2 = const.i32 0
  jmp b1(v2)
b1(v3: i32):
  v4 = array.get v0, v3 !3:11
  v5 = lt v4, v1
  br v5, b2, b3
b2:
  v6 = const.i32 1
  v7 = add.i32 v3, v6 !4:9
  jmp b1(v7)
b3:
  ret v3
}
fn @main() -> void {
b0:
  v0 = const.i32 3
  v1 = const.i32 9
  v2 = array.new.[i32] v0, v1
  v3 = const.i32 5
  v4 = call @scan v2, v3 !8:5
  print 0 v4
  ret
}
'''


def test_array_length_is_a_nonnegative_i32_so_scans_need_no_overflow_test():
    text = str(emit_module(parse_module(_SCAN)))
    assert re.search(r"load i32, ptr %\S+, !tbaa !\d+, !range (!\d+)", text)
    rng = re.search(r"!range (!\d+)", text).group(1)
    assert re.search(re.escape(rng) + r" = !\{ i32 0, i32 -2147483648 \}", text)
    assert "llvm.sadd.with.overflow.i32" in _function(text, "orus.fn.scan")
    opt = _optimised(text)
    # the bounds check (i < len <= 2**31 - 1) proves i + 1 does not overflow
    assert "sadd.with.overflow" not in opt
    assert "orus_trap" in opt                          # the bounds check itself stays


def test_float_division_tests_the_result_and_then_the_divisor():
    """A divisor that is neither a constant nor a converted integer is tested only when the
    quotient is not finite (one branch never taken on the usual path)."""
    from orus.driver import pipeline
    from orus.driver.options import Options
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "d.orus").write_text("fn f(a: f64, b: f64) -> f64:\n    return a / b + a / 2.0 + a / ((b as i32) as f64)\n"
                                       "print(f(1.0, 2.0))\n")
        options = Options(cwd=tmp, exe_dir=tmp)
        result = pipeline.check_file("d.orus", options)
        text = str(emit_module(pipeline.lower(result, options)))
    body = _function(text, "orus.fn.f")
    assert body.count("fdiv double") == 3
    assert body.count("@\"llvm.fabs.f64\"") == 1       # only the plain divisor's quotient
    assert body.count("fcmp oeq double") == 3             # b == 0 on the rare path, and the other two


def test_comparing_with_a_short_literal_needs_no_call():
    text = str(emit_module(parse_module('''
fn @main() -> void {
b0:
  v0 = const.str "x,y"
  v1 = const.i64 1
  v2 = str.get v0, v1
  v3 = const.str ","
  v4 = eq v2, v3
  v5 = const.str "a much longer literal"
  v6 = ne v5, v2
  print 0 v4, v6
  ret
}
''')))
    main = _function(text, "orus.fn.main")
    assert main.count('@"orus_str_eq"(') == 1                # only the long literal's comparison
    assert "icmp eq i8" in main


# ---------------------------------------------------------------- behaviour against tier 0
PROGRAMS = {
    "overflow_through_copy": '''
fn down(n: i32) -> i32:
    return down(n + 1) + 1
fn forever(n: i32) -> i32:
    return forever(n + 1)
try:
    print(forever(0))
catch e:
    print(e)
fn depth(n: i32) -> i32:
    if n == 0: return 0
    return 1 + depth(n - 1)
print(depth(10000))
print("start")
print(down(0))
''',
    "overflow_in_inlined_callee": '''
fn grow(n: i32, acc: i32) -> i32:
    if n == 0: return acc
    return grow(n - 1, acc * 3)
fn ratio(a: f64, b: f64) -> f64:
    return a / b
mut total = 0.0
for k in 0..5:
    try:
        total += ratio(10.0, (3 - k) as f64)
    catch e:
        print("caught", k, e)
print(total)
print(grow(5, 1))
print(grow(40, 1))
''',
    "bounds_in_counted_loops": '''
fn find(a: [i32], p: i32) -> i32:
    mut i = 0
    while a[i] < p:
        i += 1
    return i
fn back(a: [i32], j0: i32) -> i32:
    mut j = j0
    while a[j] > 0:
        j -= 1
    return j
xs = [1, 2, 3, 4]
print(find(xs, 3))
print(back(xs, 3))
try:
    print(find(xs, 10))
catch e:
    print(e)
print(back([5, 6], 1))
''',
    "float_division_by_zero": '''
fn div(a: f64, b: f64) -> f64:
    return a / b
fn rem(a: f64, b: f64) -> f64:
    return a % b
big = 1e308
tiny = 1e-10
zero = 0.0
print(div(big, tiny), div(-big, tiny), div(big, 0.5))
nan = zero * div(big, tiny)
print(div(nan, 2.0), rem(nan, 3.0), div(2.0, nan))
print(rem(7.5, 2.0), rem(-7.5, 2.0), rem(big, tiny))
for d in [2.0, -0.0, 0.0, tiny, -tiny]:
    try:
        print(div(1.0, d), rem(5.0, d))
    catch e:
        print("caught", e)
try:
    print(div(zero, zero))
catch e:
    print("caught", e)
print(big / 4.0, 3.0 / ((2 - 1) as f64))
print(div(1.0, -0.0))
''',
    "string_equality_with_literals": '''
words = ["", ",", "ab", "abc", "abcdefgh", "abcdefghi", "é", "a,b", "\\0"]
mut row = ""
for w in words:
    for lit_eq in [w == "", w == ",", "ab" == w, w == "abc", w == "abcdefgh", w == "abcdefghi", w == "é",
                   w != ",", "" != w]:
        row = row + (lit_eq as string) + ","
    row = row + " "
print(row)
s = "x,y[z]"
mut seps = 0
for k in 0..len(s):
    c = s[k]
    if c == "," or c == "[" or c == "]":
        seps += 1
print(seps)
''',
    "failure_through_function_values": '''
fn half(n: i32) -> i32:
    return 100 / n
fn apply(f: fn(i32) -> i32, n: i32) -> i32:
    return f(n)
print(apply(half, 4))
try:
    print(apply(half, 0))
catch e:
    print("caught:", e)
g = half
print(g(0))
''',
}


def _run(path: Path, tier: int, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orus", "run", "--no-color", f"--tier={tier}", path.name],
                          capture_output=True, cwd=path.parent, timeout=120,
                          env={**os.environ, "ORUS_NO_CACHE": "1", **(env or {})})


PUSHES = '''
struct Node:
    left: i32
    name: string
fn fill(pool: [Node], n: i32):
    for k in 0..n:
        push(pool, Node{ left: k, name: "n" + (k as string) })
old: [Node] = []
fill(old, 3)
mut junk = 0
for r in 0..200:
    t: [Node] = []
    fill(t, 20)
    junk += len(t)
fill(old, 40)
xs: [i32] = []
for k in 0..10:
    push(xs, k * k)
words: [string] = []
for k in 0..5:
    push(words, "w" + (k as string))
print(len(old), old[0].name, old[42].name, old[42].left, junk, xs, words)
'''


def test_inline_push_keeps_the_write_barrier(tmp_path: Path):
    """push stores into an array with room without a call; an array that survived
    collections (old) then gets young elements: under ORUS_GC_STRESS + VERIFY a missing
    write barrier aborts the run. The output is tier 0's."""
    path = tmp_path / "pushes.orus"
    path.write_text(PUSHES.lstrip())
    native = _run(path, 2, {"ORUS_GC_STRESS": "1", "ORUS_GC_VERIFY": "1"})
    if UNAVAILABLE in native.stderr.decode(errors="replace"):
        pytest.skip(native.stderr.decode(errors="replace").strip())
    ref = _run(path, 0)
    assert (native.returncode, native.stdout, native.stderr) == (ref.returncode, ref.stdout, ref.stderr)
    assert ref.stdout.startswith(b"43 n0 n39 39 4000 0, 1, 4,")
    from orus.driver import pipeline
    from orus.driver.options import Options
    options = Options(cwd=str(tmp_path), exe_dir=str(tmp_path))
    text = str(emit_module(pipeline.lower(pipeline.check_file("pushes.orus", options), options)))
    fill = _function(text, "orus.fn.fill")
    assert fill.count('@"orus_array_push"(') == 1 and fill.count('@"orus_gc_write_barrier"(') == 1
    assert "store i32" in fill                                  # the length, bumped inline


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_native_matches_tier0(name: str, tmp_path: Path):
    path = tmp_path / f"{name}.orus"
    path.write_text(PROGRAMS[name].lstrip())
    native = _run(path, 1)
    if UNAVAILABLE in native.stderr.decode(errors="replace"):
        pytest.skip(native.stderr.decode(errors="replace").strip())
    ref = _run(path, 0)
    assert ref.returncode in (0, 70), ref.stderr.decode(errors="replace")
    assert native.stdout == ref.stdout
    assert native.stderr.decode(errors="replace") == ref.stderr.decode(errors="replace")
    assert native.returncode == ref.returncode
