"""Run the cross-language benchmark corpus against tier 0 and CPython (and whatever else is given).

    .venv/bin/python bench/compare.py                  # shared corpus, orus tier 0 vs python3
    .venv/bin/python bench/compare.py --own            # this project's programs in bench/programs
    .venv/bin/python bench/compare.py -- --impl lua5.4 fib   # extra bench.py arguments

It drives `../shared/bench/bench.py` (set ORUS_SHARED_BENCH to use another copy), which
checks every output against NAME.expected and prints the time table and the ratios to
the baseline (python3). Timing belongs here, never in a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORUS = Path(sys.executable).parent / "orus"


def shared_bench() -> Path:
    default = HERE.parent.parent / "shared" / "bench" / "bench.py"
    return Path(os.environ.get("ORUS_SHARED_BENCH", default))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--own", action="store_true", help="run bench/programs instead of the shared corpus")
    ap.add_argument("--runs", "-n", default="1")
    ap.add_argument("rest", nargs=argparse.REMAINDER, help="arguments passed on to bench.py after --")
    args = ap.parse_args()
    runner = shared_bench()
    if not runner.exists():
        print(f"compare: {runner} not found (set ORUS_SHARED_BENCH)", file=sys.stderr)
        return 2
    cmd = [sys.executable, str(runner), "--impl", f"orus0={ORUS} run --tier=0 {{file}}.orus",
           "--impl", "python3", "--baseline", "python3", "-n", args.runs, "--no-mem"]
    if args.own:
        cmd += ["--dir", str(HERE / "programs")]
    cmd += [a for a in args.rest if a != "--"]
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
