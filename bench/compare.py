"""Run the cross-language benchmark corpus: Orus (native, and tier 0 on request) against
CPython, Lua 5.4, LuaJIT, Go and C, measured in the same run.

    .venv/bin/python bench/compare.py --size large     # native orus vs every other language
    .venv/bin/python bench/compare.py --tier0          # add `orus run --tier=0`
    .venv/bin/python bench/compare.py --own            # this project's programs (orus vs python3)
    .venv/bin/python bench/compare.py -- fib nbody     # extra bench.py arguments

Implementations that are not installed (lua5.4, luajit, go) are left out with a note.
`--cold` runs every Orus program with ORUS_NO_CACHE=1 (no code cache: every run compiles);
by default the code cache is on, as for a user running a program again.

It drives `../shared/bench/bench.py` (set ORUS_SHARED_BENCH to use another copy), which
checks every output against NAME.expected and prints the time table and the ratios to
the baseline (python3). Timing belongs here, never in a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import shutil
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
    ap.add_argument("--size", default="small", choices=("small", "large"))
    ap.add_argument("--tier0", action="store_true", help="also time tier 0")
    ap.add_argument("--cold", action="store_true", help="disable the code cache for Orus runs")
    ap.add_argument("--baseline", default="python3")
    ap.add_argument("rest", nargs=argparse.REMAINDER, help="arguments passed on to bench.py after --")
    args = ap.parse_args()
    runner = shared_bench()
    if not runner.exists():
        print(f"compare: {runner} not found (set ORUS_SHARED_BENCH)", file=sys.stderr)
        return 2
    env = "env ORUS_NO_CACHE=1 " if args.cold else ""
    cmd = [sys.executable, str(runner), "--impl", f"orus={env}{ORUS} run {{file}}.orus",
           "--size", args.size, "-n", args.runs, "--baseline", args.baseline]
    if args.tier0:
        cmd += ["--impl", f"orus0={ORUS} run --tier=0 {{file}}.orus"]
    cmd += ["--impl", "python3"]
    if args.own:
        cmd += ["--dir", str(HERE / "programs")]
    else:
        for impl, tool in (("lua5.4", "lua5.4"), ("luajit", "luajit"), ("go", "go"), ("c", "gcc")):
            if shutil.which(tool):
                cmd += ["--impl", impl]
            else:
                print(f"compare: {tool} not found; {impl} left out", file=sys.stderr)
    cmd += [a for a in args.rest if a != "--"]
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
