"""The IR op table: the single source of truth for every op (STYLE.md section 5).

The verifier, printer, reader, tier-0 interpreter and LLVM emitter all read
this table; nothing keeps a parallel list.

Text form of an instruction (printer/reader):
    [vN =] NAME[.TYPE] ATTR... ARG, ARG... [TARGET, TARGET...] [!LINE:COL]
An op's `attrs` say which attributes it has, in printed order, and how each is
spelled: TYPE is the `.T` suffix, FUNC/GLOBAL `@name`, NAME a bare word, INT an
integer, STR a quoted string, LIT a constant of the suffix type, FLAG an optional
bare word (the attribute's name) present when the attribute is true.
A terminator's TARGETs (`bN`, or `bN(ARG, ...)` with arguments) follow the
value operands in the same comma-separated list; `n_targets` says how many.

Result rules are functions of (instruction, module) so the verifier can check
every result type; `None` means the op produces no value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from orus.ir import types as T

PURE, COMMUTATIVE, TERMINATOR, MAY_FAIL, MAY_GC = 1, 2, 4, 8, 16
VARIADIC = -1

# attribute kinds
TYPE, FUNC, GLOBAL, NAME, INT, STR, LIT = "type", "func", "global", "name", "int", "str", "lit"
FLAG = "flag"                                   # optional bool, absent means False


@dataclass(frozen=True)
class Op:
    name: str
    arity: int                                  # value operands; VARIADIC for any number
    result: Optional[Callable]                  # (instr, module) -> Type; None: no result
    flags: int = 0
    attrs: tuple[tuple[str, str], ...] = ()     # (attribute name, kind), printed in this order
    fails: Optional[Callable] = None            # refines MAY_FAIL per instruction
    doc: str = ""
    n_targets: int = 0                          # successor edges of a terminator

    @property
    def is_terminator(self) -> bool:
        return bool(self.flags & TERMINATOR)

    def may_fail(self, instr) -> bool:
        if not self.flags & MAY_FAIL:
            return False
        return self.fails(instr) if self.fails else True


# ---------------------------------------------------------------- result rules
def _attr_type(i, m):
    return i.attrs["type"]


def _arg0(i, m):
    return i.args[0].type


def _bool(i, m):
    return T.BOOL


def _i32(i, m):
    return T.I32


def _str(i, m):
    return T.STR


def _callee_ret(i, m):
    return m.functions[i.attrs["callee"]].ret


def _indirect_ret(i, m):
    return i.args[0].type.ret


def _closure_type(i, m):
    fn = m.functions[i.attrs["callee"]]
    return T.Fn(tuple(p.type for p in fn.params[fn.n_captures:]), fn.ret)


def _cell_of_arg0(i, m):
    return T.cell(i.args[0].type)


def _cell_content(i, m):
    return i.args[0].type.arg


def _global_type(i, m):
    return m.globals[i.attrs["global"]].type


def _field_type(i, m):
    return m.structs[i.args[0].type.name].fields[i.attrs["index"]][1]


def _payload_type(i, m):
    enum = m.enums[i.args[0].type.name]
    return enum.variants[i.attrs["variant"]][1][i.attrs["index"]]


def _elem(i, m):
    return i.args[0].type.elem


def _task_of_callee(i, m):
    return T.Opaque("task", m.functions[i.attrs["callee"]].ret)


def _task_of_indirect(i, m):
    return T.Opaque("task", i.args[0].type.ret)


# ---------------------------------------------------------------- failure rules
def _signed_result(i):
    return T.is_signed(i.attrs["type"])


def _global_checked(i):
    return i.attrs.get("checked", False)


def _cast_fails(i):
    src, dst = i.args[0].type, i.attrs["type"]
    return (src, dst) in _FALLIBLE_CASTS


_FALLIBLE_CASTS = {
    (T.I32, T.U64), (T.I64, T.U32), (T.I64, T.U64), (T.U64, T.I32), (T.U64, T.U32),
    (T.F64, T.U32), (T.F64, T.U64),
}

# ---------------------------------------------------------------- the table
_A = (("type", TYPE),)

OPS: list[Op] = [
    # constants
    Op("const", 0, _attr_type, PURE, (("type", TYPE), ("value", LIT)), doc="a literal of the suffix type"),
    # integer and float arithmetic: the suffix is the operand and result type
    Op("add", 2, _attr_type, PURE | COMMUTATIVE | MAY_FAIL, _A, _signed_result, "a0 + a1; i32/i64 trap on overflow, u32/u64 wrap"),
    Op("sub", 2, _attr_type, PURE | MAY_FAIL, _A, _signed_result, "a0 - a1; overflow as add"),
    Op("mul", 2, _attr_type, PURE | COMMUTATIVE | MAY_FAIL, _A, _signed_result, "a0 * a1; overflow as add"),
    Op("div", 2, _attr_type, PURE | MAY_FAIL, _A, None, "a0 / a1; truncating; traps on zero and MIN/-1"),
    Op("rem", 2, _attr_type, PURE | MAY_FAIL, _A, None, "a0 % a1; sign of dividend (fmod for f64); traps on zero"),
    Op("neg", 1, _attr_type, PURE | MAY_FAIL, _A, _signed_result, "-a0; unsigned a0 gives the signed type, modulo"),
    Op("band", 2, _attr_type, PURE | COMMUTATIVE, _A, doc="a0 & a1"),
    Op("bor", 2, _attr_type, PURE | COMMUTATIVE, _A, doc="a0 | a1"),
    Op("bxor", 2, _attr_type, PURE | COMMUTATIVE, _A, doc="a0 ^ a1"),
    Op("bnot", 1, _attr_type, PURE, _A, doc="~a0"),
    Op("shl", 2, _attr_type, PURE | MAY_FAIL, _A, doc="a0 << a1; a1 any int type; traps unless 0 <= a1 < width"),
    Op("shr", 2, _attr_type, PURE | MAY_FAIL, _A, doc="a0 >> a1; arithmetic if signed, logical if unsigned"),
    Op("not", 1, _bool, PURE, doc="logical not of a bool"),
    # comparisons: operand types may differ among numerics (exact mathematical comparison)
    Op("eq", 2, _bool, PURE | COMMUTATIVE, doc="a0 == a1; identity for arrays/structs/tasks/channels, structural for enums"),
    Op("ne", 2, _bool, PURE | COMMUTATIVE, doc="a0 != a1"),
    Op("lt", 2, _bool, PURE, doc="a0 < a1 (numbers, or strings byte-wise)"),
    Op("le", 2, _bool, PURE, doc="a0 <= a1"),
    Op("gt", 2, _bool, PURE, doc="a0 > a1"),
    Op("ge", 2, _bool, PURE, doc="a0 >= a1"),
    Op("cast", 1, _attr_type, PURE | MAY_FAIL, _A, _cast_fails, "a0 as TYPE, spec 3.6"),
    # control flow
    Op("jmp", 0, None, TERMINATOR, doc="go to the single target", n_targets=1),
    Op("br", 1, None, TERMINATOR, doc="a0 ? target0 : target1", n_targets=2),
    Op("ret", VARIADIC, None, TERMINATOR, doc="return a0 (no operand in a void function)"),
    Op("raise", 1, None, TERMINATOR | MAY_FAIL, doc="raise the error value a0 again"),
    Op("trap", 0, None, TERMINATOR | MAY_FAIL, (("kind", STR), ("message", STR)), doc="raise a new error"),
    Op("unreachable", 0, None, TERMINATOR, doc="control never gets here"),
    # calls and function values
    Op("call", VARIADIC, _callee_ret, MAY_FAIL | MAY_GC, (("callee", FUNC),), doc="direct call"),
    Op("call.ind", VARIADIC, _indirect_ret, MAY_FAIL | MAY_GC, doc="call the function value a0 with the rest"),
    Op("call.rt", VARIADIC, _attr_type, MAY_FAIL | MAY_GC, (("type", TYPE), ("fn", NAME)),
       doc="runtime builtin FN returning TYPE (void: no result); rtabi.py lists them"),
    Op("closure", VARIADIC, _closure_type, PURE | MAY_GC, (("callee", FUNC),), doc="function value capturing the operands"),
    Op("cell.new", 1, _cell_of_arg0, MAY_GC, doc="a shared variable cell holding a0"),
    Op("cell.get", 1, _cell_content, 0, doc="read a cell"),
    Op("cell.set", 2, None, 0, doc="write a1 into the cell a0"),
    Op("gget", 0, _global_type, MAY_FAIL, (("global", GLOBAL), ("checked", FLAG)), _global_checked, "read a global; checked ones trap before their declaration ran"),
    Op("gset", 1, None, 0, (("global", GLOBAL),), doc="write a global"),
    # structs and enums
    Op("new", VARIADIC, _attr_type, MAY_GC, _A, doc="struct of the suffix type from its field values"),
    Op("fget", 1, _field_type, 0, (("index", INT),), doc="read field INDEX"),
    Op("fset", 2, None, 0, (("index", INT),), doc="write a1 into field INDEX"),
    Op("enum.new", VARIADIC, _attr_type, PURE | MAY_GC, (("type", TYPE), ("variant", INT)), doc="enum value of variant INDEX"),
    Op("enum.tag", 1, _i32, PURE, doc="variant index of an enum value"),
    Op("enum.get", 1, _payload_type, PURE, (("variant", INT), ("index", INT)), doc="payload INDEX of a value known to be VARIANT"),
    # arrays
    Op("array.new", VARIADIC, _attr_type, MAY_GC, _A, doc="array of the suffix type holding the operands"),
    Op("array.fill", 2, _attr_type, MAY_GC | MAY_FAIL, _A, doc="a0 repeated a1 times"),
    Op("array.len", 1, _i32, 0, doc="length"),
    Op("array.get", 2, _elem, MAY_FAIL, doc="a0[a1], bounds-checked"),
    Op("array.set", 3, None, MAY_FAIL, doc="a0[a1] = a2, bounds-checked"),
    Op("array.push", 2, None, MAY_GC, doc="append a1"),
    Op("array.pop", 1, _elem, MAY_FAIL, doc="remove and return the last element"),
    Op("array.slice", 4, _arg0, MAY_GC | MAY_FAIL, (("inclusive", INT),), doc="copy of a0[a1..a2..a3], spec 4.6"),
    Op("array.repeat", 2, _arg0, MAY_GC | MAY_FAIL, doc="a0 repeated a1 times"),
    # strings
    Op("str.concat", 2, _str, PURE | MAY_GC, doc="a0 + a1"),
    Op("str.len", 1, _i32, PURE, doc="byte length"),
    Op("str.get", 2, _str, PURE | MAY_GC | MAY_FAIL, doc="one-byte string a0[a1]"),
    Op("str.slice", 4, _str, PURE | MAY_GC | MAY_FAIL, (("inclusive", INT),), doc="bytes a0[a1..a2..a3]"),
    # output and oroutines
    Op("print", VARIADIC, None, MAY_GC, (("format", INT),), doc="print the operands; FORMAT=1: a0 is a format string"),
    Op("yield", 0, None, MAY_GC, doc="let other oroutines run"),
    Op("spawn", VARIADIC, _task_of_callee, MAY_GC, (("callee", FUNC),), doc="start an oroutine running the call"),
    Op("spawn.ind", VARIADIC, _task_of_indirect, MAY_GC, doc="start an oroutine calling the function value a0"),
]

OP_BY_NAME: dict[str, Op] = {op.name: op for op in OPS}
assert len(OP_BY_NAME) == len(OPS), "duplicate op name"
