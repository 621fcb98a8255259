"""Front-end fuzzing: no input may crash, hang or reach an internal error.

Every input goes through the real pipeline in-process (`check_source`) and must end
either accepted or with compile-error diagnostics that render; an INTERNAL ERROR
block (an exception escaping a stage) or a run over the time limit fails the test.

Inputs:
  1. Seeded mutations (deterministic per seed file) of valid programs: examples/,
     tests/fuzz_seeds/ and the sources of the tests/data cases. Mutators delete,
     duplicate and swap lines and bytes, insert tokens and random bytes, re-indent,
     switch to CRLF or tabs, and truncate.
  2. Hand-made extremes: deep nesting, 100k-character lines, invalid UTF-8, NUL
     bytes, empty and whitespace-only files.
  3. Hypothesis: random token sequences.
Set ORUS_FUZZ_SCALE=10 to run ten times as many mutations.
"""

from __future__ import annotations

import os
import random
import signal
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from orus.diag import MODULE, SYNTAX, TYPE, render_all
from orus.driver import pipeline
from orus.driver.options import Options
from test_data import CASES

REPO = Path(__file__).resolve().parent.parent
TIME_LIMIT = 5.0
MUTATIONS_PER_SEED = 20 * int(os.environ.get("ORUS_FUZZ_SCALE", "1"))
COMPILE_CATEGORIES = {SYNTAX, TYPE, MODULE}

TOKENS = [
    b"(", b")", b"[", b"]", b"{", b"}", b":", b",", b".", b"..", b"..=", b"->", b"=", b"==", b"!=", b"+",
    b"-", b"*", b"/", b"%", b"<<", b">>", b"&", b"|", b"^", b"~", b"<", b">=", b"+=", b":=", b"?", b";",
    b"fn", b"if", b"elif", b"else", b"match", b"matches", b"for", b"in", b"while", b"return", b"struct",
    b"enum", b"impl", b"use", b"pub", b"mut", b"as", b"and", b"or", b"not", b"_", b"break", b"continue",
    b"pass", b"try", b"catch", b"spawn", b"yield", b"print", b"self", b"x", b"y", b"main", b"Shape.Dot",
    b"i32", b"i64", b"u32", b"f64", b"bool", b"string", b"Maybe<i32>", b"[i32]", b"fn(i32) -> i32",
    b"0", b"1", b"-1", b"1.5", b"1e400", b"0x1F", b"1_", b"07", b"5u32", b"99999999999999999999",
    b'"s"', b'"unterminated', b"'outer", b"true", b"false", b"/*", b"*/", b"// c", b"\\", b"#", b"$",
    b"\n", b"\n    ", b"\n        ", b"\n\t", b"\r\n", b" ", b"\x00", b"\xc3", b"\xff",
]


def source_seeds() -> list[tuple[str, bytes]]:
    files = sorted((REPO / "examples").rglob("*.orus")) + sorted((REPO / "tests" / "fuzz_seeds").glob("*.orus"))
    seeds = [(str(p.relative_to(REPO)), p.read_bytes()) for p in files]
    seeds += [(f"{c.path.name}:{c.name}", c.files["main.orus"].encode()) for c in CASES]
    return seeds


# ------------------------------------------------------------------ mutators
def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def delete_line(rng, data):
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def duplicate_line(rng, data):
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines.insert(rng.randrange(len(lines) + 1), lines[i])
    return b"\n".join(lines)


def swap_lines(rng, data):
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def reindent_line(rng, data):
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines[i] = rng.choice([b"", b" ", b"  ", b"    ", b"\t", b"        ", b" \t"]) + lines[i].lstrip(b" \t")
    return b"\n".join(lines)


def delete_bytes(rng, data):
    i = rng.randrange(len(data) + 1)
    return data[:i] + data[i + rng.randint(1, 8):]


def duplicate_bytes(rng, data):
    i = rng.randrange(len(data) + 1)
    return data[:i] + data[i:i + rng.randint(1, 16)] * 2 + data[i + 16:]


def swap_bytes(rng, data):
    if len(data) < 2:
        return data
    b = bytearray(data)
    i, j = rng.randrange(len(b)), rng.randrange(len(b))
    b[i], b[j] = b[j], b[i]
    return bytes(b)


def insert_token(rng, data):
    i = rng.randrange(len(data) + 1)
    return data[:i] + rng.choice(TOKENS) + data[i:]


def insert_random_bytes(rng, data):
    i = rng.randrange(len(data) + 1)
    return data[:i] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 6))) + data[i:]


def to_crlf(rng, data):
    return data.replace(b"\n", b"\r\n")


def to_tabs(rng, data):
    return data.replace(b"    ", b"\t")


def truncate(rng, data):
    return data[:rng.randrange(len(data) + 1)]


MUTATORS = [delete_line, duplicate_line, swap_lines, reindent_line, delete_bytes, duplicate_bytes, swap_bytes,
            insert_token, insert_token, insert_random_bytes, to_crlf, to_tabs, truncate]


def mutate(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 3)):
        data = rng.choice(MUTATORS)(rng, data)
    return data


# ------------------------------------------------------------------ the oracle
class Hang(Exception):
    pass


@contextmanager
def time_limit(seconds: float):
    def on_alarm(signum, frame):
        raise Hang(f"no result after {seconds} s")
    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def compile_ok_or_diagnosed(data: bytes, label: str) -> pipeline.Result:
    """The fuzz oracle: accepted, or compile errors that render; never internal, never a hang."""
    options = Options(cwd=str(REPO / "examples"), exe_dir="")
    with time_limit(TIME_LIMIT):
        result = pipeline.check_source(data, "fuzz.orus", options)
    assert not result.internal, f"{label}: {result.diagnostics[0].message} ({result.diagnostics[0].note})\n" \
                                f"input: {data[:400]!r}"
    for d in result.diagnostics:
        assert d.category in COMPILE_CATEGORIES and d.span is not None, f"{label}: {d}"
    render_all(result.diagnostics, result.sources)
    return result


SEEDS = source_seeds()


@pytest.mark.parametrize("name, data", SEEDS, ids=[name for name, _ in SEEDS])
def test_mutated_seed(name, data):
    rng = random.Random(zlib.crc32(name.encode()))
    for i in range(MUTATIONS_PER_SEED):
        compile_ok_or_diagnosed(mutate(rng, data), f"{name} mutation {i}")


def test_seed_programs_are_accepted():
    """The hand-written seeds and examples are valid programs."""
    for name, data in SEEDS:
        if not name.endswith(".test") and ":" not in name:
            result = compile_ok_or_diagnosed(data, name)
            assert result.ok, f"{name}: {[str(d.span) + ' ' + d.message for d in result.diagnostics]}"


def nested_ifs(depth: int) -> bytes:
    return b"".join(b" " * i + b"if true:\n" for i in range(depth)) + b" " * depth + b"print(1)\n"


EXTREMES = {
    "empty": b"",
    "newlines": b"\n" * 1000,
    "spaces": b"    \n  \t \n",
    "nul": b"\x00",
    "nul-in-code": b"x = 1\x00\nprint(x)\n",
    "nul-in-string": b'print("a\x00b")\n',
    "invalid-utf8-code": b"x = \xff\xfe\n",
    "invalid-utf8-string": b'print("\xc3\x28 \xa0\xa1")\n',
    "invalid-utf8-comment": b"// \xff\xff\nprint(1)\n",
    "truncated-utf8": b'print("\xe2\x82',
    "crlf": b"fn f(a: i32) -> i32:\r\n    return a\r\nprint(f(1))\r\n",
    "lone-cr": b"x = 1\rprint(x)\r",
    "mixed-tabs-spaces": b"if true:\n\tprint(1)\n    print(2)\n",
    "parens-5000": b"x = " + b"(" * 5000 + b"1" + b")" * 5000 + b"\n",
    "parens-open-5000": b"x = " + b"(" * 5000 + b"\n",
    "brackets-5000": b"x = " + b"[" * 5000 + b"1" + b"]" * 5000 + b"\n",
    "brackets-open-5000": b"[" * 5000,
    "braces-5000": b"x = " + b"{ " * 5000 + b"1" + b" }" * 5000 + b"\n",
    "calls-5000": b"fn f(a: i32) -> i32: a\nx = " + b"f(" * 5000 + b"1" + b")" * 5000 + b"\n",
    "unary-5000": b"x = " + b"-" * 5000 + b"1\n",
    "not-5000": b"x = " + b"not " * 5000 + b"true\n",
    "if-blocks-1500": nested_ifs(1500),
    "lambdas-2000": b"f = " + b"fn(): " * 2000 + b"1\n",
    "binary-chain-20000": b"x = " + b" + ".join([b"1"] * 20000) + b"\n",
    "index-chain-5000": b"xs = [1, 2, 3]\ny = xs" + b"[0]" * 5000 + b"\n",
    "field-chain-5000": b"y = a" + b".b" * 5000 + b"\n",
    "long-line-string": b'x = "' + b"a" * 100_000 + b'"\nprint(x)\n',
    "long-line-ident": b"a" * 100_000 + b" = 1\n",
    "long-line-number": b"x = " + b"9" * 100_000 + b"\n",
    "long-line-print": b"print(" + b"1, " * 33_000 + b"1)\n",
    "long-comment": b"// " + b"c" * 100_000 + b"\nprint(1)\n",
    "many-lines": b"x = 1\n" + b"x\n" * 20_000,
    "unterminated-comment": b"/* " + b"x" * 1000,
    "dedent-garbage": b"if true:\n        a = 1\n    b = 2\n  c = 3\n",
}


@pytest.mark.parametrize("name", list(EXTREMES))
def test_extreme_input(name):
    compile_ok_or_diagnosed(EXTREMES[name], name)


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.sampled_from(TOKENS), max_size=60), st.sampled_from([b" ", b"", b"\n", b"  "]))
def test_random_token_sequences(tokens, sep):
    compile_ok_or_diagnosed(sep.join(tokens), "token sequence")


def test_time_limit_catches_a_hanging_stage():
    """The oracle's hang detection works although stages run in a worker thread."""
    import time
    with pytest.raises(Hang):
        with time_limit(0.2):
            pipeline.guarded(pipeline.Result("x.orus", pipeline.SourceCache()), lambda r: time.sleep(1.0))
