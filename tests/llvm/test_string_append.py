"""Appending to a string in place (backend/llvm/concat_plan.py, runtime orus_str_reserve).

Plan: which concatenation chains of a lowered program may write after their head's
bytes - the accumulating loops of string_build do; every pattern in which something
else still refers to the head's string (an alias read later, an array element, a
caller's argument, a try block's handler, a second append to the same string) does not.
Behaviour: programs full of those patterns print byte for byte what tier 0 prints, run
natively, also with the collector running at every allocation.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("llvmlite.binding")

from orus.backend.llvm.concat_plan import ConcatPlan  # noqa: E402
from orus.driver import pipeline  # noqa: E402
from orus.driver.options import Options  # noqa: E402

UNAVAILABLE = "native engine unavailable"


def _in_place(source: str, tmp_path: Path) -> dict[str, list[bool]]:
    """fn name -> for each chain (in block order), whether it appends in place."""
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "p.orus").write_text(source.lstrip())
    options = Options(cwd=str(tmp_path), exe_dir=str(tmp_path))
    result = pipeline.check_file("p.orus", options)
    assert result.ok, result.diagnostics
    module = pipeline.lower(result, options)
    out = {}
    for name, fn in module.functions.items():
        plan = ConcatPlan(fn)
        out[name] = [plan.appends_in_place(i) for b in fn.blocks for i in b.instrs if id(i) in plan.pieces]
    return out


def _fn(plans: dict[str, list[bool]], name: str) -> list[bool]:
    return next(v for k, v in plans.items() if k.endswith(name))


def test_accumulating_loops_append_in_place(tmp_path: Path):
    plans = _in_place('''
fn build(table: [string], n: i32) -> i32:
    mut s = ""
    for i in 0..n:
        if i % 4 == 0:
            s = s + "[" + table[i % 3] + "]"
        else:
            s = s + table[i % 3] + ","
    mut seps = 0
    for k in 0..len(s):
        if s[k] == ",":
            seps += 1
    return seps
fn twice(n: i32) -> string:
    mut s = "ab" + (n as string)
    for i in 0..n:
        s = s + s
    return s
print(build(["a", "bb", "ccc"], 10), twice(3))
''', tmp_path)
    assert _fn(plans, "build") == [True, True]
    assert _fn(plans, "twice") == [False, True]        # the first chain's head is a literal


def test_strings_referred_to_elsewhere_are_copied(tmp_path: Path):
    plans = _in_place('''
fn alias_read_after(n: i32) -> string:
    mut s = "x"
    mut keep = ""
    for i in 0..n:
        keep = s
        s = s + "y"
    return keep + s
fn stored(n: i32) -> [string]:
    mut s = ""
    mut parts: [string] = []
    for i in 0..n:
        s = s + (i as string)
        push(parts, s)
    return parts
fn from_caller(prefix: string) -> string:
    mut s = prefix
    for i in 0..3:
        s = s + "-"
    return s
fn two_appends(n: i32) -> string:
    mut s = ""
    for i in 0..n:
        s = s + "a"
    t = s + "b"
    u = s + "c"
    print(t)
    return u
print(alias_read_after(2), stored(2), from_caller("p"), two_appends(2))
''', tmp_path)
    assert _fn(plans, "alias_read_after") == [False, False]
    assert _fn(plans, "stored") == [False]
    assert _fn(plans, "from_caller") == [False]
    assert _fn(plans, "two_appends") == [False, False, False]


# Loops run inside functions: top-level variables are globals, which never append in place.
PROGRAMS = {
    "accumulate": '''
fn build(n: i32) -> string:
    mut s = ""
    for i in 0..n:
        if i % 3 == 0:
            s = s + "[" + (i as string) + "]"
        else:
            s = s + (i as string)
    return s
fn main():
    b = build(40)
    print(b, len(b))
    mut big = ""
    for i in 0..3000:
        big = big + (i as string) + ","
    print(len(big), big[0], big[len(big) - 1], big[9000])
    mut all = ""
    for i in 0..30:
        mut line = ""
        for j in 0..i:
            line = line + "*"
        all = all + line + "|"
    print(len(all), all == all + "", all < all + "x")
    mut d = "ab"
    for i in 0..10:
        d = d + d
    print(len(d), d[1023], d[2047])
main()
''',
    "aliases": '''
struct Box:
    name: string
fn g(prefix: string) -> string:
    mut r = prefix
    for i in 0..3:
        r = r + "-"
    return r
fn make() -> fn() -> string:
    mut acc = ""
    fn step() -> string:
        acc = acc + "!"
        return acc
    return step
fn main():
    mut s = "a"
    mut keep = ""
    for i in 0..5:
        keep = s
        s = s + "b"
    print(keep, s)
    mut t = ""
    mut parts: [string] = []
    for i in 0..4:
        t = t + (i as string)
        push(parts, t)
    print(parts)
    mut u = "x"
    for i in 0..3:
        v = u
        u = u + "y"
        print(v, u)
    mut w = ""
    for i in 0..3:
        w = w + "a"
    x = w
    w = w + "b"
    print(x, w)
    p = "a" + "b"
    print(g(p), p)
    bx = Box{ name: "n" }
    for i in 0..3:
        bx.name = bx.name + (i as string)
    print(bx.name)
    f = make()
    first = f()
    second = f()
    print(first, second, f())
    mut y = ""
    for i in 0..4:
        y = y + (i as string)
    print(y)
main()
''',
    "handlers": '''
fn risky(n: i32) -> string:
    mut acc = "r"
    for i in 0..n:
        try:
            acc = acc + ((10 / (2 - i)) as string)
        catch e:
            acc = acc + "?"
    return acc
fn main():
    mut s = "start"
    try:
        for i in 0..5:
            s = s + "."
            if i == 3:
                print([1][5])
    catch e:
        print(s, e)
    print(s)
    mut t = "t"
    for i in 0..3:
        t = t + "."
    try:
        for i in 0..3:
            t = t + "+"
            print([1][i])
    catch e:
        print(t, e)
    print(risky(4), t)
    mut q = ""
    for i in 0..3:
        q = q + "q"
    try:
        print(q, [1][7])
    catch e:
        print(q, e)
    mut z = ""
    for i in 0..3:
        z = z + "z"
    try:
        w = z + "w"
        print(w, [1][7])
    catch e:
        print(z, e)
main()
''',
}


def _run(path: Path, tier: int, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orus", "run", "--no-color", f"--tier={tier}", path.name],
                          capture_output=True, cwd=path.parent, timeout=300,
                          env={**os.environ, "ORUS_NO_CACHE": "1", **(env or {})})


@pytest.mark.parametrize("stress", [False, True], ids=["plain", "gc-stress"])
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_native_matches_tier0(name: str, stress: bool, tmp_path: Path):
    path = tmp_path / f"{name}.orus"
    path.write_text(PROGRAMS[name].lstrip())
    assert any(any(v) for v in _in_place(PROGRAMS[name], tmp_path / "plan").values())   # it appends in place
    native = _run(path, 2, {"ORUS_GC_STRESS": "1", "ORUS_GC_VERIFY": "1"} if stress else None)
    if UNAVAILABLE in native.stderr.decode(errors="replace"):
        pytest.skip(native.stderr.decode(errors="replace").strip())
    ref = _run(path, 0)
    assert ref.returncode == 0, ref.stderr.decode(errors="replace")
    assert native.stdout == ref.stdout
    assert (native.returncode, native.stderr) == (ref.returncode, ref.stderr)
