"""Tier-0 microbenchmark: loop_sum and fib as IR, run by backend.interp and compared with CPython.

The IR is written by hand to match what irgen will produce for
/work/shared/bench/loop_sum.orus and fib.orus (checked i32/i64 arithmetic, a
range loop, a call per fib). Each benchmark runs the Python equivalent of
/work/shared/bench/*.py in this process and the IR in tier 0, and prints the
seconds and the ratio tier0 / CPython (lower is better; the target is <= 3).

    python bench/interp_micro.py [--n-loop 2000000] [--n-fib 27]
"""

from __future__ import annotations

import argparse
import io
import sys
import time

from orus.backend.interp.run import run_module
from orus.ir.reader import parse_module
from orus.ir.verify import check_module

LOOP_SUM_IR = """
fn @run(v0: i32) -> i64 {
b0:
  v1 = const.i64 0
  v2 = const.i32 0
  jmp b1(v1, v2, v2)
b1(v4: i64, v5: i32, v6: i32):
  v7 = lt v6, v0
  br v7, b2, b3
b2:
  v8 = const.i32 1000
  v9 = rem.i32 v6, v8 !7:15
  v10 = mul.i32 v9, v9 !8:20
  v11 = const.i32 97
  v12 = rem.i32 v10, v11 !8:24
  v13 = const.i32 7
  v14 = rem.i32 v6, v13 !8:33
  v15 = add.i32 v12, v14 !8:28
  v16 = cast.i64 v15
  v17 = add.i64 v4, v16 !8:15
  v18 = const.i32 3
  v19 = rem.i32 v6, v18 !9:14
  v20 = const.i32 0
  v21 = eq v19, v20
  br v21, b4, b5(v5)
b4:
  v22 = const.i32 1
  v23 = add.i32 v5, v22 !10:20
  jmp b5(v23)
b5(v24: i32):
  v25 = cast.i64 v6
  v26 = add.i64 v17, v25 !11:15
  v27 = const.i32 1
  v28 = add.i32 v6, v27 !6:5
  jmp b1(v26, v24, v28)
b3:
  v29 = const.str "thirds:"
  print 1 v29, v5
  ret v4
}
fn @main() -> void {
b0:
  v0 = const.i32 N
  v1 = call @run v0 !15:19
  v2 = const.str "total:"
  print 1 v2, v1
  ret
}
"""

FIB_IR = """
fn @fib(v0: i32) -> i32 name "fib" {
b0:
  v1 = const.i32 2
  v2 = lt v0, v1
  br v2, b1, b2
b1:
  ret v0
b2:
  v3 = const.i32 1
  v4 = sub.i32 v0, v3 !6:19
  v5 = call @fib v4 !6:15
  v6 = const.i32 2
  v7 = sub.i32 v0, v6 !6:32
  v8 = call @fib v7 !6:28
  v9 = add.i32 v5, v8 !6:23
  ret v9
}
fn @main() -> void {
b0:
  v0 = const.i32 N
  v1 = call @fib v0 !9:20
  v2 = const.str "fib(@) = @"
  print 1 v2, v0, v1
  ret
}
"""


def py_loop_sum(n):
    total = 0
    thirds = 0
    for i in range(n):
        x = i % 1000
        total += x * x % 97 + i % 7
        if i % 3 == 0:
            thirds += 1
        total += i
    print("thirds:", thirds)
    return total


def py_fib(n):
    if n < 2:
        return n
    return py_fib(n - 1) + py_fib(n - 2)


def time_tier0(ir_text: str, n: int) -> tuple[float, str]:
    module = parse_module(ir_text.replace("const.i32 N", f"const.i32 {n}"))
    assert not check_module(module), check_module(module)
    out = io.BytesIO()
    start = time.perf_counter()
    result = run_module(module, io.BytesIO(b""), out)
    elapsed = time.perf_counter() - start
    assert result.status == 0, result
    return elapsed, out.getvalue().decode()


def time_python(call) -> tuple[float, str]:
    saved, sys.stdout = sys.stdout, io.StringIO()
    start = time.perf_counter()
    try:
        result = call()
        elapsed = time.perf_counter() - start
        text = sys.stdout.getvalue()
    finally:
        sys.stdout = saved
    return elapsed, text + str(result)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-loop", type=int, default=2_000_000)
    ap.add_argument("--n-fib", type=int, default=27)
    args = ap.parse_args()
    sys.setrecursionlimit(10_000)
    rows = [("loop_sum", LOOP_SUM_IR, args.n_loop, lambda: py_loop_sum(args.n_loop)),
            ("fib", FIB_IR, args.n_fib, lambda: py_fib(args.n_fib))]
    print(f"{'benchmark':10} {'tier0 s':>9} {'cpython s':>10} {'ratio':>6}")
    for name, ir_text, n, py in rows:
        t0, out0 = time_tier0(ir_text, n)
        tp, outp = time_python(py)
        print(f"{name:10} {t0:9.3f} {tp:10.3f} {t0 / tp:6.2f}   ({out0.split()[-1]} / {outp.split()[-1]})")


if __name__ == "__main__":
    main()
