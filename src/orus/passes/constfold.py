"""Fold pure operations whose operands are all constants.

Needs: valid SSA. Keeps: dominance (an instruction becomes a `const` defining the
same value). Every result is computed by `orus.semantics`, the functions the
tier-0 interpreter and the C runtime follow, so a folded value is the one the
program would compute. An operation that would trap (overflow, division by
zero, a bad shift, a failing cast) raises `Trap` there and is left alone: it
must fail at run time, at its own location. Only exact IEEE arithmetic is done
on f64 (no algebraic rewrites), so -0.0 and NaN come out as at run time.
Blocks are visited in reverse postorder, so operands are folded before their uses.

    v0 = const.i32 2147483647              v0 = const.i32 2147483647
    v1 = const.i32 1               =>      v1 = const.i32 1
    v2 = sub.i32 v0, v1 !3:5               v2 = const.i32 2147483646
    v3 = add.i32 v0, v1 !3:9               v3 = add.i32 v0, v1 !3:9   (overflows: kept)
"""

from __future__ import annotations

from typing import Callable, Optional

from orus.analysis.cfg import reachable
from orus.ir import types as T
from orus.ir.func import Function, Instr, Value
from orus.passes.rewrite import make_const
from orus.semantics import casts, floats, ints
from orus.semantics.errors import Trap

MAX_STR = 4096          # longer folded strings would bloat the IR more than they save

_INT_ARITH = {"add": ints.add, "sub": ints.sub, "mul": ints.mul, "div": ints.div, "rem": ints.mod,
              "band": ints.bit_and, "bor": ints.bit_or, "bxor": ints.bit_xor,
              "shl": ints.shl, "shr": ints.shr}
_F64_ARITH = {"add": floats.fadd, "sub": floats.fsub, "mul": floats.fmul, "div": floats.fdiv,
              "rem": floats.fmod}
_CMP = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def _name(ty: T.Type) -> str:
    """The semantics package's spelling of a primitive type (`string`, not `str`)."""
    return "string" if ty == T.STR else ty.name


def _binary(i: Instr, a, b):
    ty = i.attrs["type"]
    if ty == T.F64:
        return _F64_ARITH[i.name](a, b) if i.name in _F64_ARITH else None
    return _INT_ARITH[i.name](ty.name, a, b)


def _neg(i: Instr, a):
    src = i.args[0].type
    if src == T.F64:
        return floats.neg(a)
    return ints.neg(src.name, a)[1]        # [0] is the result type, the suffix already says it


def _compare(i: Instr, a, b):
    ta, tb = i.args[0].type, i.args[1].type
    if T.is_numeric(ta) and T.is_numeric(tb):
        return ints.compare(_CMP[i.name], ta.name, a, tb.name, b)
    if ta == tb and (ta == T.STR or i.name in ("eq", "ne")):
        return ints.COMPARISONS[_CMP[i.name]](a, b)     # bools, or strings byte-wise
    return None


def _concat(i: Instr, a, b):
    return a + b if len(a) + len(b) <= MAX_STR else None


FOLDERS: dict[str, Callable] = {
    **{name: _binary for name in _INT_ARITH},
    **{name: _compare for name in _CMP},
    "neg": _neg,
    "bnot": lambda i, a: ints.bit_not(i.attrs["type"].name, a),
    "not": lambda i, a: not a,
    "cast": lambda i, a: casts.cast(a, _name(i.args[0].type), _name(i.attrs["type"])),
    "str.concat": _concat,
    "str.len": lambda i, a: len(a),
}


def constant_of(v: Value):
    """(True, value) when v is defined by a `const`, values normalised (f64 as float); else (False, None)."""
    d = v.defn
    if not isinstance(d, Instr) or d.name != "const":
        return False, None
    value = d.attrs["value"]
    if v.type == T.F64:
        value = float(value)
    elif v.type == T.STR and isinstance(value, str):
        value = value.encode("utf-8")
    return True, value


def fold(i: Instr) -> tuple[bool, object]:
    """(True, result) when `i` has a folder, constant operands, and does not trap."""
    folder = FOLDERS.get(i.name)
    if folder is None or i.result is None:
        return False, None
    values = []
    for a in i.args:
        known, value = constant_of(a)
        if not known:
            return False, None
        values.append(value)
    try:
        result: Optional[object] = folder(i, *values)
    except Trap:
        return False, None
    return result is not None, result


def fold_constants(fn: Function, ctx) -> bool:
    changed = False
    for b in reachable(fn):
        for i in b.instrs:
            ok, value = fold(i)
            if ok:
                make_const(i, value)
                changed = True
    return changed
