"""Per-op-family emitters: each turns one IR instruction into Python source lines.

`EMITTERS` maps every op of `opdefs.OPS` to its family's emitter (a test checks
that none is missing). An emitter gets the function context `cx` and the
instruction and returns lines of Python (nested lines indented by 4 spaces
relative to the first). Control ops (`jmp`, `br`) also get the structurer's
`jump(target) -> lines` callback, so the same emitters serve the structured
and the block-dispatch layouts of structure.py.

Cheap ops are inlined with the checks the spec needs (`v3 = v1 + v2` followed
by an i32 range check; `& 0xFFFFFFFF` for u32); rare or complex ops call
helpers bound in the module namespace (`cx.bind`). Some checks are left to
CPython: an inlined `a[i]` raises IndexError, a float `/` ZeroDivisionError, a
call RecursionError; errors.to_orus translates them using the instruction of
the failing line. So every instruction that may fail starts its own line.

Cheaper code where facts allow it: `cx.bounds` holds intervals known at emit
time (constants, `rem`/`div` results, checked results, loop facts from
structure.py); a check they make redundant is left out, and a one-sided one
tests one side. A value that can neither fail nor have an effect and has one
use later in its block is written at that use (`FnCtx.define`), and a chain
of concatenations is one `b''.join` (`_concat`).
"""

from __future__ import annotations

import functools
import math
from typing import Callable

from orus import rtabi
from orus.ir import types as T
from orus.ir.func import Instr
from orus.semantics import casts, floats, ints
from orus.semantics.errors import INDEX_ERROR, RUNTIME_ERROR, TYPE_ERROR, VALUE_ERROR, Trap
from orus.semantics.printfmt import parse_format, render

from orus.backend.interp import errors as E
from orus.backend.interp.builtins import HANDLERS
from orus.backend.interp.printing import type_name

Lines = list[str]
_MASK = {"u32": "0xFFFFFFFF", "u64": "0xFFFFFFFFFFFFFFFF"}


def _bounds(ty: T.Type) -> tuple[int, int]:
    return ints.bounds(ty.name)


# ---------------------------------------------------------------- helpers bound into generated code
def _raise_overflow():
    raise Trap(VALUE_ERROR, ints.OVERFLOW)


def _raise_neg_index():
    raise Trap(TYPE_ERROR, E.ARRAY_NEG)


def _raise_str_neg():
    raise Trap(TYPE_ERROR, E.STRING_NEG)


BYTES1 = tuple(bytes([k]) for k in range(256))      # byte value -> one-byte string (for `s[i]`)


def _slice(what: str, inclusive: bool):
    """The slice helper of spec 4.6 for arrays (`Array`) or strings (`String`)."""
    def cut(seq, a, b, k):
        if inclusive:
            b += 1
        n = len(seq)
        if a < 0:
            raise Trap(TYPE_ERROR, f"{what} slice start must be a non-negative integer")
        if a > n:
            raise Trap(INDEX_ERROR, f"{what} slice start out of bounds")
        if b > n:
            raise Trap(INDEX_ERROR, f"{what} slice end out of bounds")
        if b < a:
            raise Trap(INDEX_ERROR, f"{what} slice end before start")
        if k <= 0:
            raise Trap(VALUE_ERROR, f"{what} slice step must be positive")
        return seq[a:b:k]
    return cut


def _repeat(a: list, n: int) -> list:
    if n < 0 or len(a) * n > 2147483647:
        raise Trap(RUNTIME_ERROR, E.BAD_REPEAT)
    return a * n if a else []           # `[] * n` fails in CPython for n beyond sys.maxsize


def _fill(v, n: int) -> list:
    if n < 0 or n > 2147483647:
        raise Trap(RUNTIME_ERROR, E.BAD_REPEAT)
    return [v] * n


def _uninitialized(name: str):
    raise Trap(RUNTIME_ERROR, f"Variable '{name}' is used before its declaration has run")


def _no_oroutines(*args):
    raise E.InternalError("oroutines (spawn) are not supported yet in tier 0")


def _unreachable():
    raise E.InternalError("reached an `unreachable` instruction")


# ---------------------------------------------------------------- constants
def _const(cx, i: Instr) -> Lines:
    v, ty = i.attrs["value"], i.attrs["type"]
    cx.const_values[i.result] = v.encode("utf-8") if isinstance(v, str) else v
    if ty == T.F64:
        v = float(v)
        text = repr(v) if v >= 0 else f"({v!r})"
        cx.consts[i.result] = text if math.isfinite(v) else cx.bind(v, "f")
    elif ty == T.STR and isinstance(v, str):
        cx.consts[i.result] = repr(v.encode("utf-8"))
    else:
        cx.consts[i.result] = f"({v!r})" if isinstance(v, int) and v < 0 else repr(v)
        if T.is_int(ty):
            cx.bounds[i.result] = (v, v)
    return []


# ---------------------------------------------------------------- arithmetic
def _range_check(cx, ty: T.Type, r: str, known=None) -> Lines:
    """Trap unless lo <= r <= hi; a side the result's `known` interval already satisfies is not tested."""
    lo, hi = _bounds(ty)
    tests = ([] if known and known[1] <= hi else [f"{r} > {hi}"]) + \
        ([] if known and known[0] >= lo else [f"{r} < {lo}"])
    return [f"if {' or '.join(tests)}: {cx.bind(_raise_overflow, 'ovf')}()"]


_PY_OP = {"add": "+", "sub": "-", "mul": "*", "band": "&", "bor": "|", "bxor": "^"}


_INTERVAL = {
    "add": lambda a, b: (a[0] + b[0], a[1] + b[1]),
    "sub": lambda a, b: (a[0] - b[1], a[1] - b[0]),
    "mul": lambda a, b: (min(x * y for x in a for y in b), max(x * y for x in a for y in b)),
}


def _result_bounds(cx, i: Instr):
    """The interval of an add/sub/mul result when both operands' intervals are known, else None."""
    a, b = cx.bounds.get(i.args[0]), cx.bounds.get(i.args[1])
    return _INTERVAL[i.name](a, b) if a and b else None


def _arith(cx, i: Instr) -> Lines:
    ty, r = i.attrs["type"], cx.res(i)
    a, b = cx.val(i.args[0]), cx.val(i.args[1])
    expr = f"{a} {_PY_OP[i.name]} {b}"
    if ty == T.F64:
        return cx.define(i, expr)
    if not T.is_signed(ty):
        return cx.define(i, f"({expr}) & {_MASK[ty.name]}")
    known = _result_bounds(cx, i)
    lo, hi = _bounds(ty)
    if known and lo <= known[0] and known[1] <= hi:     # cannot overflow: no check
        cx.bounds[i.result] = known
        return cx.define(i, expr)
    if known and max(lo, known[0]) <= min(hi, known[1]):  # past the check, the result is in both
        cx.bounds[i.result] = (max(lo, known[0]), min(hi, known[1]))
    return [f"{r} = {expr}"] + _range_check(cx, ty, r, known)


def _bitwise(cx, i: Instr) -> Lines:
    return cx.define(i, f"{cx.val(i.args[0])} {_PY_OP[i.name]} {cx.val(i.args[1])}")


def _bnot(cx, i: Instr) -> Lines:
    ty, a = i.attrs["type"], cx.val(i.args[0])
    expr = f"~{a}" if T.is_signed(ty) else f"{a} ^ {_MASK[ty.name]}"
    return [f"{cx.res(i)} = {expr}"]


def _divrem(cx, i: Instr) -> Lines:
    ty, r = i.attrs["type"], cx.res(i)
    a, b = cx.val(i.args[0]), cx.val(i.args[1])
    if ty == T.F64:
        if i.name == "div":     # CPython's `/` is IEEE's but raises ZeroDivisionError on 0.0 (floats.fdiv)
            return [f"{r} = {a} / {b}"]
        return [f"{r} = {cx.bind(floats.fmod, 'fmod')}({a}, {b})"]
    pyop = "//" if i.name == "div" else "%"
    if not T.is_signed(ty):     # both operands >= 0: Python's // and % are C's; 0 raises ZeroDivisionError
        return [f"{r} = {a} {pyop} {b}"]
    slow = cx.bind(cx.env.partial(ints.div if i.name == "div" else ints.mod, ty.name), f"{i.name}_{ty.name}")
    (alo, ahi), (blo, bhi) = interval(cx, i.args[0]), interval(cx, i.args[1])
    if blo > 0 and i.name == "rem":             # |a % b| < max(b) whatever the sign of a
        cx.bounds[i.result] = (1 - bhi, bhi - 1) if alo < 0 else (0, bhi - 1)
    if blo > 0 and i.name == "div":             # truncating a / b with b >= 1 lies between 0 and a
        cx.bounds[i.result] = (ints.div(ty.name, alo, blo) if alo < 0 else 0,
                               ints.div(ty.name, ahi, blo) if ahi > 0 else 0)
    # a >= 0 and b > 0: Python's floor division and modulo are C's truncating ones
    tests = ([] if alo >= 0 else [f"{a} >= 0"]) + ([] if blo > 0 else [f"{b} > 0"])
    if not tests:
        return [f"{r} = {a} {pyop} {b}"]
    return [f"{r} = {a} {pyop} {b} if {' and '.join(tests)} else {slow}({a}, {b})"]


def _neg(cx, i: Instr) -> Lines:
    ty, r, a = i.attrs["type"], cx.res(i), cx.val(i.args[0])
    src = i.args[0].type
    if ty == T.F64:
        return cx.define(i, f"-{a}")
    if src != ty:   # unsigned operand: the signed result of the same width, modulo 2**width
        return [f"{r} = {cx.bind(cx.env.partial(ints.wrap, ty.name), 'wrap_' + ty.name)}(-{a})"]
    return [f"{r} = -{a}", f"if {r} == {-_bounds(ty)[0]}: {cx.bind(_raise_overflow, 'ovf')}()"]


def _shift(cx, i: Instr) -> Lines:
    ty, r = i.attrs["type"], cx.res(i)
    a, b = cx.val(i.args[0]), cx.val(i.args[1])
    width = ints.INT_TYPES[ty.name][0]
    if i.name == "shr" and 0 <= interval(cx, i.args[1])[0] and interval(cx, i.args[1])[1] < width:
        return [f"{r} = {a} >> {b}"]
    fn = ints.shl if i.name == "shl" else ints.shr
    return [f"{r} = {cx.bind(cx.env.partial(fn, ty.name), i.name + '_' + ty.name)}({a}, {b})"]


def _not(cx, i: Instr) -> Lines:
    return cx.define(i, f"not {cx.val(i.args[0])}")


# ---------------------------------------------------------------- comparisons
_CMP = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def _compare(cx, i: Instr) -> Lines:
    ta, tb = i.args[0].type, i.args[1].type
    a, b = cx.val(i.args[0]), cx.val(i.args[1])
    op = _CMP[i.name]
    if T.is_numeric(ta) and T.is_numeric(tb) and (ta == T.F64) != (tb == T.F64):
        a, b = (a, f"float({b})") if ta == T.F64 else (f"float({a})", b)
    elif isinstance(ta, T.Enum):
        eq = cx.bind(cx.env.equality.eq_op(ta), "enum_eq")
        return cx.define(i, f"{'' if op == '==' else 'not '}{eq}({a}, {b}, None)")
    elif T.is_reference(ta) and ta != T.STR:
        op = "is" if op == "==" else "is not"
    return cx.define(i, f"{a} {op} {b}")


# (true-branch relation of `a OP b` as bounds on a from b's interval, swapped op for b, negation)
_RELATION = {
    "lt": (lambda lo, hi: (None, hi - 1), "gt", "ge"), "le": (lambda lo, hi: (None, hi), "ge", "gt"),
    "gt": (lambda lo, hi: (lo + 1, None), "lt", "le"), "ge": (lambda lo, hi: (lo, None), "le", "lt"),
}


def interval(cx, v) -> tuple[int, int]:
    return cx.bounds.get(v) or _bounds(v.type)


def branch_bounds(cx, br: Instr, arm: int) -> dict:
    """Intervals the integer operands of br's compare must lie in on target `arm` (0: true).

    `lt a, b` taken means a <= max(b) - 1 and b >= min(a) + 1; not taken is `ge a, b`.
    These refine `cx.bounds` while the structurer emits the code that arm dominates.
    """
    cond = br.args[0].defn
    if not isinstance(cond, Instr) or cond.name not in _RELATION or not all(T.is_int(a.type) for a in cond.args):
        return {}
    op = cond.name if arm == 0 else _RELATION[cond.name][2]
    a, b = cond.args
    out = {}
    for this, other, rel in ((a, b, op), (b, a, _RELATION[op][1])):
        lo, hi = interval(cx, this)
        new_lo, new_hi = _RELATION[rel][0](*interval(cx, other))
        lo, hi = max(lo, new_lo) if new_lo is not None else lo, min(hi, new_hi) if new_hi is not None else hi
        if lo <= hi:
            out[this] = (lo, hi)
    return out


# ---------------------------------------------------------------- casts
def _cast(cx, i: Instr) -> Lines:
    src, dst = i.args[0].type, i.attrs["type"]
    a, r = cx.val(i.args[0]), cx.res(i)
    if src == dst:
        return _alias(cx, i)
    if dst == T.F64:
        return cx.define(i, f"float({a})")
    if dst == T.BOOL:
        return cx.define(i, f"{a} != 0")
    if T.is_int(src) and T.is_int(dst):
        slo, shi = interval(cx, i.args[0])      # a value known to fit needs neither check nor wrap
        dlo, dhi = _bounds(dst)
        if dlo <= slo and shi <= dhi:
            return _alias(cx, i)
        if not T.is_signed(dst):
            return [f"{r} = {a} & {_MASK[dst.name]}"] if not i.op.may_fail(i) else \
                [f"{r} = {cx.bind(_cast_fn(src, dst), 'cast')}({a})"]
    if T.is_int(src) and dst == T.STR:
        return [f"{r} = str({a}).encode()"]
    return [f"{r} = {cx.bind(_cast_fn(src, dst), 'cast')}({a})"]


def _alias(cx, i: Instr) -> Lines:
    """A cast that keeps the value: the result is another name for the operand (safe in SSA,
    since a reassigned block parameter's block dominates every path back to the cast)."""
    cx.consts[i.result] = cx.val(i.args[0])
    if i.args[0] in cx.bounds:
        cx.bounds[i.result] = cx.bounds[i.args[0]]
    return []


def _cast_fn(src: T.Type, dst: T.Type) -> Callable:
    s, d = type_name(src), type_name(dst)
    return lambda v: casts.cast(v, s, d)


# ---------------------------------------------------------------- control
def _jmp(cx, i: Instr, jump) -> Lines:
    return jump(i.targets[0])


def _br(cx, i: Instr, jump) -> Lines:
    t0, t1 = i.targets
    if t0.block is t1.block and [cx.val(a) for a in t0.args] == [cx.val(a) for a in t1.args]:
        return jump(t0)                     # both arms go to the same place
    then, other = jump(t0), jump(t1)
    lines = [f"if {cx.val(i.args[0])}:"] + indent(then or ["pass"])
    if not other:
        return lines
    if then and cx.ends_flow(then):
        return lines + other
    return lines + ["else:"] + indent(other)


def indent(lines: list) -> list:
    """Lines one level deeper; entries are str or (str, Instr) pairs (structure.py tags them)."""
    return [("    " + s[0], s[1]) if isinstance(s, tuple) else "    " + s for s in lines]


def _ret(cx, i: Instr) -> Lines:
    return [f"return {cx.val(i.args[0])}" if i.args else "return"]


def _raise(cx, i: Instr) -> Lines:
    return [f"raise {cx.val(i.args[0])}"]


def _trap(cx, i: Instr) -> Lines:
    kind, message = (_text(i.attrs["kind"]), _text(i.attrs["message"]))
    return [f"raise {cx.bind(Trap, 'Trap')}({kind!r}, {message!r})"]


def _text(v) -> str:
    return v.decode("utf-8", "surrogateescape") if isinstance(v, bytes) else v


def _unreachable_op(cx, i: Instr) -> Lines:
    return [f"{cx.bind(_unreachable, 'unreachable')}()"]


# ---------------------------------------------------------------- calls and function values
def _assign(cx, i: Instr, expr: str) -> Lines:
    return [f"{cx.res(i)} = {expr}" if i.result is not None else expr]


def _args(cx, values) -> str:
    return ", ".join(cx.val(v) for v in values)


def _call(cx, i: Instr) -> Lines:
    return _assign(cx, i, f"{cx.fn_name(i.attrs['callee'])}({_args(cx, i.args)})")


def _call_ind(cx, i: Instr) -> Lines:
    return _assign(cx, i, f"{cx.val(i.args[0])}({_args(cx, i.args[1:])})")


def _call_rt(cx, i: Instr) -> Lines:
    name = i.attrs["fn"]
    entry = rtabi.RUNTIME.get(name)
    if entry is None or name not in HANDLERS or not entry.min_args <= len(i.args) <= entry.max_args:
        raise E.InternalError(f"call.rt {name} with {len(i.args)} operands does not match rtabi")
    fn = HANDLERS[name](cx.env, [a.type for a in i.args], i.attrs["type"])
    return _assign(cx, i, f"{cx.bind(fn, 'rt_' + name)}({_args(cx, i.args)})")


def _closure(cx, i: Instr) -> Lines:
    callee = cx.fn_name(i.attrs["callee"])
    if not i.args:
        return [f"{cx.res(i)} = {callee}"]
    return [f"{cx.res(i)} = {cx.bind(functools.partial, 'partial')}({callee}, {_args(cx, i.args)})"]


def _cell_new(cx, i: Instr) -> Lines:
    return [f"{cx.res(i)} = [{cx.val(i.args[0])}]"]


def _cell_get(cx, i: Instr) -> Lines:
    return [f"{cx.res(i)} = {cx.val(i.args[0])}[0]"]


def _cell_set(cx, i: Instr) -> Lines:
    return [f"{cx.val(i.args[0])}[0] = {cx.val(i.args[1])}"]


def _gget(cx, i: Instr) -> Lines:
    name, r = i.attrs["global"], cx.res(i)
    lines = [f"{r} = {cx.global_name(name)}"]
    if i.attrs.get("checked"):
        lines.append(f"if {r} is {cx.bind(cx.env.unset, 'UNSET')}: "
                     f"{cx.bind(_uninitialized, 'uninit')}({cx.env.module.globals[name].shown!r})")
    return lines


def _gset(cx, i: Instr) -> Lines:
    g = cx.global_name(i.attrs["global"])
    cx.assigned_globals.add(g)
    return [f"{g} = {cx.val(i.args[0])}"]


# ---------------------------------------------------------------- structs and enums
def _new(cx, i: Instr) -> Lines:
    return [f"{cx.res(i)} = [{_args(cx, i.args)}]"]


def _fget(cx, i: Instr) -> Lines:
    return [f"{cx.res(i)} = {cx.val(i.args[0])}[{i.attrs['index']}]"]


def _fset(cx, i: Instr) -> Lines:
    return [f"{cx.val(i.args[0])}[{i.attrs['index']}] = {cx.val(i.args[1])}"]


def _enum_new(cx, i: Instr) -> Lines:
    return [f"{cx.res(i)} = ({i.attrs['variant']}, {_args(cx, i.args)})"]


def _enum_tag(cx, i: Instr) -> Lines:
    return [f"{cx.res(i)} = {cx.val(i.args[0])}[0]"]


def _enum_get(cx, i: Instr) -> Lines:
    return [f"{cx.res(i)} = {cx.val(i.args[0])}[{i.attrs['index'] + 1}]"]


# ---------------------------------------------------------------- arrays and strings
def _index_guard(cx, i: Instr) -> str:
    """An expression that is true when the (signed) index operand is negative, or '' if it cannot be."""
    idx = i.args[1]
    if interval(cx, idx)[0] >= 0:
        return ""
    return f"{cx.val(idx)} < 0"


def _array_new(cx, i: Instr) -> Lines:
    return [f"{cx.res(i)} = [{_args(cx, i.args)}]"]


def _array_fill(cx, i: Instr) -> Lines:
    return [f"{cx.res(i)} = {cx.bind(_fill, 'fill')}({cx.val(i.args[0])}, {cx.val(i.args[1])})"]


def _len(cx, i: Instr) -> Lines:
    return [f"{cx.res(i)} = len({cx.val(i.args[0])})"]


def _array_get(cx, i: Instr) -> Lines:
    a, k, r = cx.val(i.args[0]), cx.val(i.args[1]), cx.res(i)
    guard = _index_guard(cx, i)
    if not guard:
        return [f"{r} = {a}[{k}]"]
    return [f"{r} = {a}[{k}] if {k} >= 0 else {cx.bind(_raise_neg_index, 'neg_index')}()"]


def _array_set(cx, i: Instr) -> Lines:
    a, k, v = cx.val(i.args[0]), cx.val(i.args[1]), cx.val(i.args[2])
    guard = _index_guard(cx, i)
    lines = [f"if {guard}: {cx.bind(_raise_neg_index, 'neg_index')}()"] if guard else []
    return lines + [f"{a}[{k}] = {v}"]


def _array_push(cx, i: Instr) -> Lines:
    return [f"{cx.val(i.args[0])}.append({cx.val(i.args[1])})"]


def _array_pop(cx, i: Instr) -> Lines:
    return [f"{cx.res(i)} = {cx.val(i.args[0])}.pop()"]


def _slice_op(cx, i: Instr) -> Lines:
    what = "String" if i.name == "str.slice" else "Array"
    cut = cx.bind(_slice(what, bool(i.attrs["inclusive"])), "slice")
    return [f"{cx.res(i)} = {cut}({_args(cx, i.args)})"]


def _array_repeat(cx, i: Instr) -> Lines:
    return [f"{cx.res(i)} = {cx.bind(_repeat, 'repeat')}({_args(cx, i.args)})"]


def _concat(cx, i: Instr) -> Lines:
    """`a + b`; a chain `((s + x) + y) + z` of single-use results in one block is one `b''.join`.

    A concat whose only user is a later concat of its block is deferred (its
    operands are SSA values, so they still hold when the user runs), and the
    user copies every byte once instead of once per `+`.
    """
    pieces = [p for a in i.args for p in cx.pieces.pop(a, [cx.val(a)])]
    users = cx.users.get(i.result, [])
    if len(users) == 1 and users[0].name == "str.concat" and users[0].block is i.block:
        cx.pieces[i.result] = pieces
        return []
    if len(pieces) == 2:
        return [f"{cx.res(i)} = {pieces[0]} + {pieces[1]}"]
    return [f"{cx.res(i)} = b''.join(({', '.join(pieces)}))"]


def _str_get_op(cx, i: Instr) -> Lines:
    """`s[k]` is BYTES1[s[k]]: CPython raises IndexError past the end; a negative k is tested."""
    s, k, r = cx.val(i.args[0]), cx.val(i.args[1]), cx.res(i)
    expr = f"{cx.bind(BYTES1, 'bytes1')}[{s}[{k}]]"
    if not _index_guard(cx, i):
        return [f"{r} = {expr}"]
    return [f"{r} = {expr} if {k} >= 0 else {cx.bind(_raise_str_neg, 'str_neg')}()"]


# ---------------------------------------------------------------- output and oroutines
def _print(cx, i: Instr) -> Lines:
    env = cx.env
    if not i.attrs["format"]:
        parts = [repr(cx.const_values[a]) if a.type == T.STR and a in cx.const_values else
                 f"{cx.bind(env.text.show(a.type), 'show')}({cx.val(a)}, {_active(a.type)})" for a in i.args]
        joined = " + b' ' + ".join(parts) if parts else "b''"
        return [f"{cx.bind(env.write, 'write')}({joined} + b'\\n')"]
    fmt = i.args[0]
    names = [type_name(a.type) for a in i.args[1:]]
    pieces = cx.bind(parse_format(cx.const_values[fmt]), "fmt") if fmt in cx.const_values else \
        f"{cx.bind(parse_format, 'parse_format')}({cx.val(fmt)})"
    default = cx.bind(env.default_format, "default_format")
    pairs = ", ".join(f"({n!r}, {cx.val(a)})" for n, a in zip(names, i.args[1:]))
    for n, a in zip(names, i.args[1:]):
        env.register_type(n, a.type)
    return [f"{cx.bind(env.write, 'write')}({cx.bind(render, 'render')}({pieces}, [{pairs}], {default}) + b'\\n')"]


def _active(ty: T.Type) -> str:
    """The `active` argument of a formatter: a fresh set where cycles are possible."""
    return "set()" if isinstance(ty, (T.Array, T.Struct, T.Enum)) else "None"


def _yield(cx, i: Instr) -> Lines:
    return ["pass"]


def _spawn(cx, i: Instr) -> Lines:
    return _assign(cx, i, f"{cx.bind(_no_oroutines, 'no_oroutines')}()")


# ---------------------------------------------------------------- the table
EMITTERS: dict[str, Callable] = {"const": _const, "not": _not, "cast": _cast, "neg": _neg, "bnot": _bnot}
for _names, _emitter in [
    (("add", "sub", "mul"), _arith), (("band", "bor", "bxor"), _bitwise), (("div", "rem"), _divrem),
    (("shl", "shr"), _shift), (tuple(_CMP), _compare),
    (("jmp",), _jmp), (("br",), _br), (("ret",), _ret), (("raise",), _raise), (("trap",), _trap),
    (("unreachable",), _unreachable_op),
    (("call",), _call), (("call.ind",), _call_ind), (("call.rt",), _call_rt), (("closure",), _closure),
    (("cell.new",), _cell_new), (("cell.get",), _cell_get), (("cell.set",), _cell_set),
    (("gget",), _gget), (("gset",), _gset),
    (("new",), _new), (("fget",), _fget), (("fset",), _fset),
    (("enum.new",), _enum_new), (("enum.tag",), _enum_tag), (("enum.get",), _enum_get),
    (("array.new",), _array_new), (("array.fill",), _array_fill), (("array.len", "str.len"), _len),
    (("array.get",), _array_get), (("array.set",), _array_set), (("array.push",), _array_push),
    (("array.pop",), _array_pop), (("array.slice", "str.slice"), _slice_op),
    (("array.repeat",), _array_repeat), (("str.concat",), _concat), (("str.get",), _str_get_op),
    (("print",), _print), (("yield",), _yield), (("spawn", "spawn.ind"), _spawn),
]:
    for _name in _names:
        EMITTERS[_name] = _emitter
CONTROL = {"jmp", "br"}          # emitters that also take the structurer's jump callback
