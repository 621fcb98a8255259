"""Time `orus check` on the generated 10,000-line program (target: under 2 s).

Generates the program with gen_big_program.py into a temporary file, runs
`orus check` on it RUNS times as a subprocess (wall time, process start included)
and prints the minimum and the median. Not a test: it never fails on timing, only
when the check itself fails.

Usage: python bench/check_speed.py [--runs 5] [--lines 10000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_big_program import generate  # noqa: E402

TARGET_SECONDS = 2.0


def orus_command() -> list[str]:
    launcher = os.path.join(os.path.dirname(sys.executable), "orus")
    return [launcher] if os.path.exists(launcher) else [sys.executable, "-m", "orus"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--lines", type=int, default=10_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "big.orus")
        with open(path, "w") as f:
            f.write(generate(args.lines))
        with open(path) as f:
            nlines = sum(1 for _ in f)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            proc = subprocess.run([*orus_command(), "check", path], capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            if proc.returncode != 0:
                sys.stderr.write(proc.stderr[:4000])
                print(f"orus check failed with exit code {proc.returncode}")
                return 1
    best, median = min(times), statistics.median(times)
    verdict = "within" if median < TARGET_SECONDS else "OVER"
    print(f"orus check, {nlines} lines, {args.runs} runs: min {best:.3f} s, median {median:.3f} s "
          f"({verdict} the {TARGET_SECONDS:.0f} s target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
