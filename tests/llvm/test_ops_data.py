"""The LLVM handlers of the data ops (backend/llvm/ops_data.py) against tier 0.

Each program in tests/llvm/data_ops/ drives the data ops into their edge cases
(u64 and negative i64 indexes, slice bounds beyond the i64 range, bool and u64
elements and payloads, payload-less enum values, cells, every call.rt builtin
with its failures, input with and without a prompt). It runs through the CLI in
tier 1 (native) and tier 0 (the oracle); stdout, stderr and the exit code must be
identical byte for byte. A second run collects at every allocation
(ORUS_GC_STRESS=1), so an object the emitted code holds only in a register or a
stack slot must survive collections.

The in-process tests check properties of the emitted IR that output cannot show.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

llvm = pytest.importorskip("llvmlite.binding")

from orus.backend.llvm.emit import emit_module  # noqa: E402
from orus.backend.llvm.ops_data import HANDLERS  # noqa: E402
from orus.ir.reader import parse_module  # noqa: E402

HERE = Path(__file__).resolve().parent / "data_ops"
PROGRAMS = sorted(HERE.glob("*.orus"))
UNAVAILABLE = "native engine unavailable"


def _run(program: Path, tier: int, env: dict | None = None) -> subprocess.CompletedProcess:
    stdin = program.with_suffix(".in")
    data = stdin.read_bytes() if stdin.exists() else b""
    return subprocess.run([sys.executable, "-m", "orus", "run", "--no-color", f"--tier={tier}", program.name],
                          input=data, capture_output=True, cwd=program.parent, timeout=120,
                          env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def tier0() -> dict[str, subprocess.CompletedProcess]:
    return {p.name: _run(p, 0) for p in PROGRAMS}


@pytest.mark.parametrize("stress", [False, True], ids=["plain", "gc-stress"])
@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_native_matches_tier0(program: Path, stress: bool, tier0):
    native = _run(program, 1, {"ORUS_GC_STRESS": "1"} if stress else None)
    if UNAVAILABLE in native.stderr.decode(errors="replace"):
        pytest.skip(native.stderr.decode(errors="replace").strip())
    ref = tier0[program.name]
    assert ref.returncode in (0, 70), ref.stderr.decode(errors="replace")
    assert native.stdout == ref.stdout
    assert native.stderr.decode(errors="replace") == ref.stderr.decode(errors="replace")
    assert native.returncode == ref.returncode


# ---------------------------------------------------------------- emitted IR
_IR = '''
struct %P { a: bool, n: i64 }
enum %E "E" { Some(bool, u64), Nothing() }
fn @main() -> void {
b0:
  v0 = enum.new.%E 1
  v1 = const.bool true
  v2 = const.u64 7
  v3 = enum.new.%E 0 v1, v2
  v4 = enum.tag v3
  v5 = enum.get 0 1 v3
  v10 = const.i64 7
  v6 = new.%P v1, v10
  v7 = fget 0 v6
  v8 = array.new.[bool] v1, v7
  v9 = array.get v8, v2 !3:4
  print 0 v0, v4, v5, v9
  ret
}
'''


def test_every_data_op_has_a_handler():
    assert set(HANDLERS) == {
        "new", "fget", "fset", "enum.new", "enum.tag", "enum.get", "array.new", "array.fill", "array.len",
        "array.get", "array.set", "array.push", "array.pop", "array.slice", "array.repeat", "str.concat",
        "str.len", "str.get", "str.slice", "print", "cell.new", "cell.get", "cell.set", "call.rt"}


def test_emitted_ir_shape():
    text = str(emit_module(parse_module(_IR)))
    llvm.parse_assembly(text).verify()
    main = text[text.index('define internal void @"orus.fn.main"'):]
    main = main[:main.index("\n}\n")]
    # one allocation for the payload variant, one for the struct; the payload-less value is static
    assert main.count('@"orus_gc_alloc"(') == 2
    assert "orus.enumval." in main
    # bool elements and fields are one byte in memory
    assert "store i8" in main and "load i8" in main
    # a u64 index is never negative: one unsigned bound check, no type-error branch for it
    assert main.count("icmp uge i64") == 1 and "icmp slt i64" not in main and "orus_trap" in main
    assert '@"orus_print"(i32 4' in main


_CONCAT_IR = '''
fn @main() -> void {
b0:
  v0 = const.str "a"
  v1 = const.str "bc"
  v2 = str.concat v0, v1
  v3 = str.concat v2, v0
  v4 = str.concat v3, v1
  v5 = str.concat v0, v1
  v6 = str.concat v5, v0
  jmp b1
b1:
  v7 = str.concat v6, v1
  print 0 v4, v5, v7
  ret
}
'''


def test_concat_chain_is_one_allocation():
    text = str(emit_module(parse_module(_CONCAT_IR)))
    llvm.parse_assembly(text).verify()
    main = text[text.index('define internal void @"orus.fn.main"'):]
    main = main[:main.index("\n}\n")]
    # v2 -> v3 -> v4 is one string of 4 pieces; v5 has two uses and v6's user is in another
    # block; v6 is used only as v7's head, so v7 writes after v6's bytes (concat_plan.py)
    assert main.count('@"orus_gc_alloc_data"(') == 1
    assert main.count('@"orus_str_concat"(') == 2
    assert main.count('@"orus_str_reserve"(') == 1
    assert main.count('@"llvm.memcpy.p0.p0.i64"(') == 4 + 1


def test_alias_classes_are_distinct_tags():
    import re
    text = str(emit_module(parse_module(_IR)))
    main = text[text.index('define internal void @"orus.fn.main"'):]
    lines = main[:main.index("\n}\n")].splitlines()
    tag = re.compile(r"!tbaa (!\d+)")
    # the array's length and data pointer (header) versus its bool elements
    header = {tag.search(ln).group(1) for ln in lines if re.search(r"= load (i32|ptr), ptr", ln)}
    elems = {tag.search(ln).group(1) for ln in lines if re.search(r"(= load i8, ptr %\S+|store i8 %\S+, ptr)", ln)}
    # i32/ptr loads: enum tag, array header; i8: bool payload, bool field, bool elements
    assert len(header) == 2 and len(elems) == 3 and not header & elems
    # every object access is tagged (print's stack slots are not objects)
    objects = [ln for ln in lines if re.search(r"(= load |store )", ln) and "i64*" not in ln and "@" not in ln]
    assert objects and all("!tbaa" in ln for ln in objects)
