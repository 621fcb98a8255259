"""The backend's runtime declarations (rtdecls.py) agree with runtime/include/orus_rt.h,
and every IR op has exactly one LLVM handler."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("llvmlite")

from orus.backend.llvm.handlers import HANDLERS  # noqa: E402
from orus.backend.llvm.rtdecls import RUNTIME_FUNCTIONS, RUNTIME_GLOBALS  # noqa: E402
from orus.ir.opdefs import OPS  # noqa: E402

HEADER = Path(__file__).resolve().parents[2] / "src/orus/runtime/include/orus_rt.h"
_C_TYPES = {"void": "void", "double": "double", "int32_t": "i32", "uint32_t": "i32", "int64_t": "i64", "uint64_t": "i64",
            "size_t": "i64"}
_PROTO = re.compile(r"^([A-Za-z_][\w\s]*?\**)\s*\b(orus_\w+)\(([^)]*)\);", re.M)


def _llvm_type(c: str) -> str:
    c = c.replace("const", "").strip()
    if "*" in c:
        return "ptr"
    return _C_TYPES[c.split()[-1] if c.split() else c]


def _param_type(param: str) -> str:
    """`const OrusTy *ty` -> ptr, `int64_t n` -> i64 (the name is dropped)."""
    return "ptr" if "*" in param else _llvm_type(param.rsplit(None, 1)[0])


def header_prototypes() -> dict[str, tuple[str, tuple[str, ...]]]:
    """name -> (result, params) of every function prototype in orus_rt.h, in LLVM spelling."""
    text = re.sub(r"/\*.*?\*/", "", HEADER.read_text(), flags=re.S)
    protos = {}
    for m in _PROTO.finditer(text):
        result, name, params = m.group(1), m.group(2), m.group(3).strip()
        if "(*" in params:                      # a function-pointer parameter
            args = ["ptr"]
        else:
            args = [] if params in ("", "void") else [p.strip() for p in params.split(",")]
        protos[name] = (_llvm_type(result), tuple(_param_type(a) for a in args))
    return protos


def test_every_declaration_matches_the_header():
    protos = header_prototypes()
    assert "orus_print" in protos and "orus_gc_alloc" in protos
    for name, decl in RUNTIME_FUNCTIONS.items():
        assert name in protos, f"{name} is declared by the backend but not in orus_rt.h"
        assert protos[name] == decl, f"{name}: header {protos[name]} vs backend {decl}"


def test_every_global_is_in_the_header():
    text = HEADER.read_text()
    for name in RUNTIME_GLOBALS:
        assert re.search(rf"\b{name}\b", text), name


def test_every_op_has_one_handler():
    names = {op.name for op in OPS}
    assert names == set(HANDLERS), (names ^ set(HANDLERS))
