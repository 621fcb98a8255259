"""Seeded generator of random, well-typed, terminating Orus programs.

`generate(seed, size)` returns the text of one program; the same seed and size
always give the same text (only `random.Random(seed)` is used). A program is the
fixed helpers (progen_decl.HELPERS), a few random structs, enums and functions,
then top-level statements (progen_stmt). Programs never read input or the clock,
so their output is deterministic; some end with an uncaught run-time error
(exit 70), on purpose, so that tiers can be compared on errors too.

Usage: python -m tests.gen.progen SEED [small|medium|large]
"""

from __future__ import annotations

import random
import sys

from .progen_decl import DeclGen
from .progen_env import Env
from .progen_stmt import Ctx, StmtGen

# size: (structs, enums, functions, top-level statements)
SIZES = {"small": (1, 1, 2, 12), "medium": (2, 2, 4, 30), "large": (3, 3, 8, 80)}
UNCAUGHT_RATE = 0.1          # share of programs that end with an uncaught run-time error


def generate(seed: int, size: str = "small") -> str:
    rng = random.Random(seed)
    n_structs, n_enums, n_funcs, n_stmts = SIZES[size]
    out: list[str] = [f"// progen seed={seed} size={size}"]
    sg = StmtGen(rng, Env(), out)
    DeclGen(sg).all(rng.randint(0, n_structs), rng.randint(0, n_enums), rng.randint(0, n_funcs))
    out.append("")
    ctx = Ctx()
    for _ in range(rng.randint(n_stmts // 2, n_stmts)):
        sg.stmt(ctx)
    if rng.random() < UNCAUGHT_RATE:
        sg.risky.failing(ctx)
    out.append('print("done")')
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    if not argv or not argv[0].lstrip("-").isdigit():
        print("usage: python -m tests.gen.progen SEED [small|medium|large]", file=sys.stderr)
        return 64
    sys.stdout.write(generate(int(argv[0]), argv[1] if len(argv) > 1 else "small"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
