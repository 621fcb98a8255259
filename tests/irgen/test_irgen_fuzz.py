"""Lowering fuzz: every mutation of a valid program that the front end accepts must
lower to IR that passes the verifier (deterministic per seed file).

Mutations delete, duplicate and swap lines and insert tokens, which produces
programs with early returns, breaks in odd places, unused code and shadowing
that hand-written tests rarely cover. Constructs the lowering reports as
Unsupported (oroutine builtins) are skipped.
Set ORUS_FUZZ_SCALE=10 to run ten times as many mutations.
"""

from __future__ import annotations

import os
import random
import zlib
from pathlib import Path

import pytest

from orus.driver import pipeline
from orus.driver.options import Options
from orus.ir.verify import check_module, format_errors
from orus.irgen import lower_program
from orus.irgen.errors import Unsupported

REPO = Path(__file__).resolve().parent.parent.parent
SEEDS = sorted((REPO / "tests" / "fuzz_seeds").glob("*.orus")) + sorted((REPO / "examples").glob("*.orus"))
MUTATIONS = 25 * int(os.environ.get("ORUS_FUZZ_SCALE", "1"))
TOKENS = ["1", "x", "+", "-", "(", ")", "return", "break", "continue", "0", "mut ", "try:",
          "catch e:", " and ", "{", "}", "_", ", "]


def mutate(src: str, rng: random.Random) -> str:
    lines = src.split("\n")
    for _ in range(rng.randint(1, 3)):
        if not lines:
            break
        i, kind = rng.randrange(len(lines)), rng.randrange(4)
        if kind == 0:
            del lines[i]
        elif kind == 1:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif kind == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            at = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:at] + rng.choice(TOKENS) + lines[i][at:]
    return "\n".join(lines)


def lower_or_error(result):
    box: list = []

    def stage() -> None:
        try:
            box.append(lower_program(result.program, result.typed))
        except Exception as e:        # re-raised below, in the test's thread
            box.append(e)
    pipeline.run_deep(stage)
    return box[0]


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_accepted_mutations_lower_to_valid_ir(seed: Path, tmp_path):
    rng = random.Random(zlib.crc32(seed.name.encode()))
    text = seed.read_text()
    for _ in range(MUTATIONS):
        src = mutate(text, rng)
        result = pipeline.check_source(src.encode(), "main.orus",
                                       Options(cwd=str(seed.parent), exe_dir=str(tmp_path)))
        if result.diagnostics:
            continue
        module = lower_or_error(result)
        if isinstance(module, Unsupported):
            continue
        if isinstance(module, Exception):
            raise AssertionError(f"lowering failed on:\n{src}") from module
        errors = check_module(module)
        assert not errors, f"{format_errors(errors)}\non:\n{src}"
