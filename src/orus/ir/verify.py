"""The IR verifier: Go's `checkFunc`, translated to this IR (STYLE.md section 5).

`check_function(fn, module)` and `check_module(module)` return a list of
`IRError`s (empty when valid); `assert_valid(fn_or_module, after=...)` raises
`IRVerifyError` showing the printed function with each error at the end of
the line of the op, block or header it concerns.

Algorithm, per function (each step linear in the function's size, except the
dominator computation, which is near-linear in practice):
  1. Definitions: every value (block parameter or result) is defined once and
     has a unique number; each instruction's `block` field is its block.
  2. Blocks: exactly one terminator, last; targets are blocks of this function
     with matching argument counts and types; a handler is a block of this
     function with one `error` parameter; the entry has no predecessors.
  3. Dominance: operands are defined in the function and dominate their use.
     Each block is split into a *start* node (its parameters) and a *body*
     node (its instructions): start -> body, start -> handler (an error can
     leave the block before any of its instructions defined anything) and
     body -> targets. A value defined by an instruction lives in the body
     node, a parameter in the start node. An edge argument must dominate the
     end of its source block. Uses in unreachable blocks are not checked.
  4. Ops: arity, targets and attributes per `opdefs`, the per-family type
     rules in `_FAMILY` (one checker per op, asserted complete at import),
     the result against the op's result rule, and a location on every
     instruction that may fail.
Runtime calls (`call.rt`) are not checked against `rtabi`: `ir` may not
import it (STYLE.md section 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from orus.ir import opdefs as O
from orus.ir import types as T
from orus.ir.dominance import DomTree
from orus.ir.func import Block, Function, Instr, Module, Value
from orus.ir.printer import format_block_header, format_function, format_instr

_UNSIGNED_OF = {T.I32: T.U32, T.I64: T.U64}
_CASTABLE = {T.Prim(n) for n in T.PRIM_NAMES if n != "void"}
_INT_RANGES = {"i32": (-2**31, 2**31), "i64": (-2**63, 2**63), "u32": (0, 2**32), "u64": (0, 2**64)}


@dataclass(repr=False)
class IRError:
    fn: Optional[Function]
    where: object                 # the Instr, Block or Function the error is about (None: module)
    message: str

    def __str__(self) -> str:
        if isinstance(self.where, Instr):
            place = f"{self.where.block}: {format_instr(self.where)}"
        elif isinstance(self.where, Block):
            place = format_block_header(self.where)
        else:
            place = "header"
        return f"@{self.fn.name} {place}: {self.message}" if self.fn else self.message

    def __repr__(self) -> str:
        return f"IRError({str(self)!r})"


class IRVerifyError(AssertionError):
    pass


# ---------------------------------------------------------------- entry points
def check_module(module: Module) -> list[IRError]:
    errors = _check_decls(module)
    for name, fn in module.functions.items():
        if fn.name != name:
            errors.append(IRError(fn, fn, f"function @{fn.name} is registered as @{name}"))
        errors.extend(check_function(fn, module))
    return errors


def check_function(fn: Function, module: Module) -> list[IRError]:
    return _Checker(fn, module).run()


def assert_valid(obj: Function | Module, after: str = "", module: Optional[Module] = None) -> None:
    """Raise IRVerifyError unless `obj` is valid; a Function needs its `module`."""
    if isinstance(obj, Module):
        module, errors = obj, check_module(obj)
    else:
        if module is None:
            raise TypeError("assert_valid(function) needs module=")
        errors = check_function(obj, module)
    if errors:
        raise IRVerifyError(format_errors(errors, after))


def format_errors(errors: list[IRError], after: str = "") -> str:
    """The message of IRVerifyError: a summary, then each failing function with its errors."""
    when = f" after {after}" if after else ""
    lines = [f"invalid IR{when}: {len(errors)} error{'s' if len(errors) != 1 else ''}"]
    lines.extend(e.message for e in errors if e.fn is None)
    by_fn: dict = {}
    for e in errors:
        if e.fn is not None:
            by_fn.setdefault(e.fn, {}).setdefault(e.where, []).append(e.message)
    for fn, notes in by_fn.items():
        lines.append(format_function(fn, notes).rstrip("\n"))
        shown = {fn, *fn.blocks, *fn.instructions()}
        lines.extend(f"; ERROR in @{fn.name}: {m}" for where, msgs in notes.items()
                     if where not in shown for m in msgs)
    return "\n".join(lines)


def _check_decls(module: Module) -> list[IRError]:
    types = _TypeChecker(module)
    msgs: list[str] = []
    for s in module.structs.values():
        for _, ty in s.fields:
            msgs.extend(f"struct %{s.name}: {m}" for m in types.problems(ty))
    for e in module.enums.values():
        for _, payload in e.variants:
            for ty in payload:
                msgs.extend(f"enum %{e.name}: {m}" for m in types.problems(ty))
    for g in module.globals.values():
        msgs.extend(f"global @{g.name}: {m}" for m in types.problems(g.type))
        if g.type == T.VOID:
            msgs.append(f"global @{g.name}: a global cannot be void")
    return [IRError(None, None, m) for m in msgs]


class _TypeChecker:
    """Checks that a type is well formed and names only declared structs and enums."""

    def __init__(self, module: Module):
        self.module = module
        self.good: set[T.Type] = set()

    def problems(self, ty) -> list[str]:
        if ty in self.good:
            return []
        found: list[str] = []
        self._walk(ty, found)
        if not found:
            self.good.add(ty)
        return found

    def _walk(self, ty, found: list[str]) -> None:
        if isinstance(ty, T.Struct) and ty.name not in self.module.structs:
            found.append(f"unknown struct %{ty.name}")
        elif isinstance(ty, T.Enum) and ty.name not in self.module.enums:
            found.append(f"unknown enum %{ty.name}")
        elif isinstance(ty, T.Array):
            self._walk(ty.elem, found)
        elif isinstance(ty, T.Fn):
            for p in ty.params + (ty.ret,):
                self._walk(p, found)
        elif isinstance(ty, T.Opaque) and ty.arg is not None:
            self._walk(ty.arg, found)
        elif not isinstance(ty, T.Type):
            found.append(f"{ty!r} is not a type")


# ---------------------------------------------------------------- the checker
class _Checker:
    def __init__(self, fn: Function, module: Module):
        self.fn, self.module = fn, module
        self.errors: list[IRError] = []
        self.types = _TypeChecker(module)
        self.index: dict[Block, int] = {}
        self.defs: dict[Value, tuple[int, int]] = {}      # value -> (block index, position; -1 = param)

    def err(self, where, message: str) -> None:
        self.errors.append(IRError(self.fn, where, message))

    def run(self) -> list[IRError]:
        if not self.fn.blocks:
            self.err(self.fn, "function has no blocks")
            return self.errors
        self._check_header()
        self._collect_definitions()
        for b in self.fn.blocks:
            self._check_block(b)
        self._check_entry()
        self._check_uses()
        for b in self.fn.blocks:
            for instr in b.instrs:
                self._check_instr(instr)
        return self.errors

    # ------------------------------------------------------------ steps 1 and 2
    def _check_header(self) -> None:
        fn = self.fn
        if fn.params is not fn.entry.params and list(fn.params) != list(fn.entry.params):
            self.err(fn, "the function's params are not its entry block's params")
        if not 0 <= fn.n_captures <= len(fn.params):
            self.err(fn, f"captures {fn.n_captures} but has {len(fn.params)} params")
        for m in self.types.problems(fn.ret):
            self.err(fn, m)

    def _collect_definitions(self) -> None:
        ids: dict[int, Value] = {}
        block_ids: set[int] = set()
        for bi, b in enumerate(self.fn.blocks):
            if b in self.index:
                self.err(b, f"{b} appears twice in the block list")
            elif b.id in block_ids:
                self.err(b, f"two blocks are numbered {b}")
            block_ids.add(b.id)
            self.index.setdefault(b, bi)
            for v in b.params:
                self._define(v, b, bi, -1, ids)
            for pos, instr in enumerate(b.instrs):
                if instr.block is not b:
                    self.err(instr, f"instruction's block field is {instr.block}, but it is in {b}")
                if instr.result is not None:
                    self._define(instr.result, instr, bi, pos, ids)

    def _define(self, v: Value, where, bi: int, pos: int, ids: dict[int, Value]) -> None:
        if v in self.defs or ids.get(v.id, v) is not v:
            self.err(where, f"{v} is defined more than once")
            return
        ids[v.id] = v
        self.defs[v] = (bi, pos)
        for m in self.types.problems(v.type):
            self.err(where, f"{v}: {m}")
        if v.type == T.VOID:
            self.err(where, f"{v} has type void")

    def _check_block(self, b: Block) -> None:
        term = b.terminator
        if term is None:
            self.err(b, f"{b} does not end with a terminator")
        for instr in b.instrs[:-1]:
            if instr.op.is_terminator:
                self.err(instr, f"terminator {instr.op.name} is not the last instruction of {b}")
        for instr in b.instrs:
            for t in instr.targets:
                self._check_target(instr, t)
        h = b.handler
        if h is not None and h not in self.index:
            self.err(b, f"handler {h} is not a block of this function")
        elif h is not None and (len(h.params) != 1 or h.params[0].type != T.ERROR):
            self.err(b, f"handler {h} must have exactly one parameter, of type error")

    def _check_target(self, instr: Instr, t) -> None:
        if t.block not in self.index:
            self.err(instr, f"target {t.block} is not a block of this function")
            return
        params = t.block.params
        if len(t.args) != len(params):
            self.err(instr, f"{t.block} takes {len(params)} arguments, got {len(t.args)}")
            return
        for k, (a, p) in enumerate(zip(t.args, params)):
            if isinstance(a, Value) and a.type != p.type:
                self.err(instr, f"argument {k} to {t.block} ({a}) is {a.type}, expected {p.type}")

    def _check_entry(self) -> None:
        entry = self.fn.entry
        preds = [b for b in self.fn.blocks if entry in b.successors()]
        if preds:
            self.err(entry, f"entry block {entry} has predecessors {', '.join(map(str, preds))}")

    # ------------------------------------------------------------ step 3
    def _dom_tree(self) -> DomTree:
        blocks, index = self.fn.blocks, self.index

        def succs(node: int) -> list[int]:
            b = blocks[node >> 1]
            if node & 1 == 0:
                h = b.handler
                return [node | 1] + ([2 * index[h]] if h in index else [])
            term = b.terminator
            return [2 * index[t.block] for t in term.targets if t.block in index] if term else []

        return DomTree(0, succs)

    def _check_uses(self) -> None:
        dom = self._dom_tree()
        for bi, b in enumerate(self.fn.blocks):
            if self.index.get(b) != bi or not dom.reachable(2 * bi + 1):
                continue
            for pos, instr in enumerate(b.instrs):
                for v in instr.args:
                    if not self._dominates(dom, v, bi, pos, instr):
                        self.err(instr, f"{v} does not dominate its use")
                for t in instr.targets:
                    for v in t.args:
                        if not self._dominates(dom, v, bi, pos, instr):
                            self.err(instr, f"{v} passed to {t.block} does not dominate the end of {b}")

    def _dominates(self, dom: DomTree, v, bi: int, pos: int, instr: Instr) -> bool:
        """Whether v's definition dominates position `pos` of block `bi` (undefined: reported, True)."""
        site = self.defs.get(v) if isinstance(v, Value) else None
        if site is None:
            self.err(instr, f"operand {v} is not defined in this function")
            return True
        dbi, dpos = site
        if dbi == bi:
            return dpos < pos
        return dom.dominates(2 * dbi + (dpos >= 0), 2 * bi + 1)

    # ------------------------------------------------------------ step 4
    def _check_instr(self, instr: Instr) -> None:
        op = instr.op
        n_errors = len(self.errors)
        if op.arity != O.VARIADIC and len(instr.args) != op.arity:
            self.err(instr, f"{op.name} takes {op.arity} operands, got {len(instr.args)}")
        if len(instr.targets) != op.n_targets:
            self.err(instr, f"{op.name} takes {op.n_targets} targets, got {len(instr.targets)}")
        if any(not isinstance(a, Value) for a in instr.args):
            self.err(instr, "an operand is not a value")
        self._check_attrs(instr)
        # An operand of a malformed type is reported where it is defined; no rule can run on it.
        runnable = len(self.errors) == n_errors and not any(self.types.problems(a.type) for a in instr.args)
        self._check_loc(instr)
        if not runnable:
            return
        n_errors = len(self.errors)
        _FAMILY[op.name](self, instr)
        if len(self.errors) == n_errors:
            self._check_result(instr)

    def _check_attrs(self, instr: Instr) -> None:
        op, attrs = instr.op, instr.attrs
        for name in attrs.keys() - {n for n, _ in op.attrs}:
            self.err(instr, f"{op.name} has unknown attribute {name}")
        for name, kind in op.attrs:
            if name not in attrs:
                if kind != O.FLAG:
                    self.err(instr, f"{op.name} is missing attribute {name}")
                continue
            problem = _ATTR_KINDS[kind](self, attrs[name])
            if problem:
                self.err(instr, f"attribute {name} of {op.name} {problem}")

    def _check_result(self, instr: Instr) -> None:
        op, res = instr.op, instr.result
        if op.result is None:
            if res is not None:
                self.err(instr, f"{op.name} has no result, but defines {res}")
            return
        want = op.result(instr, self.module)
        if want == T.VOID and res is not None:
            self.err(instr, f"{op.name} produces no value here, but defines {res}")
        elif want != T.VOID and res is None:
            self.err(instr, f"{op.name} produces a {want} value, but has no result")
        elif res is not None and res.type != want:
            self.err(instr, f"{res} is {res.type}, but {op.name} produces {want}")

    def _check_loc(self, instr: Instr) -> None:
        loc = instr.loc
        if loc is None:
            if self._fails(instr):
                self.err(instr, f"{instr.op.name} may fail but has no source location")
        elif not (isinstance(loc, tuple) and len(loc) == 2 and all(isinstance(x, int) for x in loc)):
            self.err(instr, f"location {loc!r} is not (line, col)")

    @staticmethod
    def _fails(instr: Instr) -> bool:
        try:
            return instr.op.may_fail(instr)
        except (KeyError, AttributeError, TypeError):
            return False          # malformed attributes or operands are reported elsewhere

    # ------------------------------------------------------------ helpers for the family rules
    def want(self, instr: Instr, k: int, ok: Callable[[T.Type], bool] | T.Type, expected: str = "") -> bool:
        """Report unless operand k's type is `ok` (a type) or satisfies `ok` (a predicate)."""
        ty = instr.args[k].type
        good = ok(ty) if callable(ok) else ty == ok
        if not good:
            self.err(instr, f"operand {k} ({instr.args[k]}) is {ty}, expected {expected or ok}")
        return good

    def want_args(self, instr: Instr, first: int, types: list, what: str) -> None:
        args = instr.args[first:]
        if len(args) != len(types):
            self.err(instr, f"{what} takes {len(types)} values, got {len(args)}")
            return
        for k, ty in enumerate(types):
            self.want(instr, first + k, ty)

    def suffix(self, instr: Instr, ok: Callable[[T.Type], bool], expected: str) -> Optional[T.Type]:
        ty = instr.attrs["type"]
        if not ok(ty):
            self.err(instr, f"{instr.op.name} needs {expected} suffix, got {ty}")
            return None
        return ty


# ---------------------------------------------------------------- attribute kinds
def _attr_type(c: _Checker, v) -> str:
    if not isinstance(v, T.Type):
        return f"must be a type, got {v!r}"
    return "; ".join(c.types.problems(v))


def _attr_func(c: _Checker, v) -> str:
    return "" if v in c.module.functions else f"names unknown function @{v}"


def _attr_global(c: _Checker, v) -> str:
    return "" if v in c.module.globals else f"names unknown global @{v}"


def _attr_name(c: _Checker, v) -> str:
    return "" if isinstance(v, str) and v else f"must be a name, got {v!r}"


def _attr_int(c: _Checker, v) -> str:
    return "" if isinstance(v, int) else f"must be an integer, got {v!r}"


def _attr_str(c: _Checker, v) -> str:
    return "" if isinstance(v, str) else f"must be a string, got {v!r}"


def _attr_flag(c: _Checker, v) -> str:
    return "" if isinstance(v, bool) else f"must be a bool, got {v!r}"


def _attr_lit(c: _Checker, v) -> str:
    return ""                     # checked against the suffix type by the const rule


_ATTR_KINDS = {O.TYPE: _attr_type, O.FUNC: _attr_func, O.GLOBAL: _attr_global, O.NAME: _attr_name,
               O.INT: _attr_int, O.STR: _attr_str, O.FLAG: _attr_flag, O.LIT: _attr_lit}


# ---------------------------------------------------------------- per-family type rules
def _none(c: _Checker, i: Instr) -> None:
    """Nothing beyond arity, attributes and the result rule."""


def _arith(c: _Checker, i: Instr) -> None:
    ty = c.suffix(i, T.is_numeric, "a numeric")
    if ty and c.want(i, 0, ty):
        c.want(i, 1, ty)


def _bitwise(c: _Checker, i: Instr) -> None:
    ty = c.suffix(i, T.is_int, "an integer")
    if ty:
        for k in range(len(i.args)):
            c.want(i, k, ty)


def _shift(c: _Checker, i: Instr) -> None:
    ty = c.suffix(i, T.is_int, "an integer")
    if ty and c.want(i, 0, ty):
        c.want(i, 1, T.is_int, "an integer type")


def _neg(c: _Checker, i: Instr) -> None:
    ty = c.suffix(i, T.is_numeric, "a numeric")
    if ty:
        allowed = (ty, _UNSIGNED_OF.get(ty, ty))
        c.want(i, 0, lambda t: t in allowed, " or ".join(map(str, dict.fromkeys(allowed))))


def _not(c: _Checker, i: Instr) -> None:
    c.want(i, 0, T.BOOL)


def _equality(c: _Checker, i: Instr) -> None:
    a, b = i.args[0].type, i.args[1].type
    if not (T.is_numeric(a) and T.is_numeric(b) or a == b):
        c.err(i, f"{i.op.name} cannot compare {a} with {b}")


def _ordering(c: _Checker, i: Instr) -> None:
    a, b = i.args[0].type, i.args[1].type
    if not (T.is_numeric(a) and T.is_numeric(b) or a == b == T.STR):
        c.err(i, f"{i.op.name} cannot order {a} and {b}")


def _cast(c: _Checker, i: Instr) -> None:
    src, dst = i.args[0].type, i.attrs["type"]
    if src not in _CASTABLE or dst not in _CASTABLE or src == T.STR and dst != T.STR:
        c.err(i, f"cannot cast {src} to {dst}")


def _const(c: _Checker, i: Instr) -> None:
    ty, value = i.attrs["type"], i.attrs["value"]
    name = ty.name if isinstance(ty, T.Prim) else ""
    if name in _INT_RANGES:
        lo, hi = _INT_RANGES[name]
        ok = isinstance(value, int) and not isinstance(value, bool) and lo <= value < hi
    elif name == "f64":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif name == "bool":
        ok = isinstance(value, bool)
    elif name == "str":
        ok = isinstance(value, bytes)
    else:
        c.err(i, f"const cannot have type {ty}")
        return
    if not ok:
        c.err(i, f"{value!r} is not a {ty} constant")


def _br(c: _Checker, i: Instr) -> None:
    c.want(i, 0, T.BOOL)


def _ret(c: _Checker, i: Instr) -> None:
    want = [] if c.fn.ret == T.VOID else [c.fn.ret]
    c.want_args(i, 0, want, f"ret in a function returning {c.fn.ret}")


def _raise(c: _Checker, i: Instr) -> None:
    c.want(i, 0, T.ERROR)


def _call(c: _Checker, i: Instr) -> None:
    callee = c.module.functions[i.attrs["callee"]]
    c.want_args(i, 0, [p.type for p in callee.params], f"@{callee.name}")


def _call_ind(c: _Checker, i: Instr) -> None:
    if not i.args:
        c.err(i, f"{i.op.name} needs the function value as operand 0")
    elif c.want(i, 0, lambda t: isinstance(t, T.Fn), "a function type"):
        c.want_args(i, 1, list(i.args[0].type.params), str(i.args[0].type))


def _closure(c: _Checker, i: Instr) -> None:
    callee = c.module.functions[i.attrs["callee"]]
    captured = [p.type for p in callee.params[:callee.n_captures]]
    c.want_args(i, 0, captured, f"the environment of @{callee.name}")


def _is_cell(t: T.Type) -> bool:
    return isinstance(t, T.Opaque) and t.name == "cell"


def _cell_get(c: _Checker, i: Instr) -> None:
    c.want(i, 0, _is_cell, "a cell")


def _cell_set(c: _Checker, i: Instr) -> None:
    if c.want(i, 0, _is_cell, "a cell"):
        c.want(i, 1, i.args[0].type.arg)


def _gset(c: _Checker, i: Instr) -> None:
    c.want(i, 0, c.module.globals[i.attrs["global"]].type)


def _is_struct(t: T.Type) -> bool:
    return isinstance(t, T.Struct)


def _new(c: _Checker, i: Instr) -> None:
    if c.suffix(i, _is_struct, "a struct"):
        sdef = c.module.structs[i.attrs["type"].name]
        c.want_args(i, 0, [t for _, t in sdef.fields], f"%{sdef.name}")


def _field(c: _Checker, i: Instr) -> None:
    if not c.want(i, 0, _is_struct, "a struct"):
        return
    sdef, index = c.module.structs[i.args[0].type.name], i.attrs["index"]
    if not 0 <= index < len(sdef.fields):
        c.err(i, f"field index {index} out of range for %{sdef.name}")
    elif len(i.args) == 2:
        c.want(i, 1, sdef.fields[index][1])


def _is_enum(t: T.Type) -> bool:
    return isinstance(t, T.Enum)


def _variant(c: _Checker, i: Instr, ty: T.Type) -> Optional[list]:
    edef, variant = c.module.enums[ty.name], i.attrs["variant"]
    if not 0 <= variant < len(edef.variants):
        c.err(i, f"variant {variant} out of range for %{edef.name}")
        return None
    return edef.variants[variant][1]


def _enum_new(c: _Checker, i: Instr) -> None:
    if c.suffix(i, _is_enum, "an enum"):
        payload = _variant(c, i, i.attrs["type"])
        if payload is not None:
            c.want_args(i, 0, payload, f"variant {i.attrs['variant']} of {i.attrs['type']}")


def _enum_tag(c: _Checker, i: Instr) -> None:
    c.want(i, 0, _is_enum, "an enum")


def _enum_get(c: _Checker, i: Instr) -> None:
    if c.want(i, 0, _is_enum, "an enum"):
        payload = _variant(c, i, i.args[0].type)
        if payload is not None and not 0 <= i.attrs["index"] < len(payload):
            c.err(i, f"payload index {i.attrs['index']} out of range for variant {i.attrs['variant']}")


def _is_array(t: T.Type) -> bool:
    return isinstance(t, T.Array)


def _array_new(c: _Checker, i: Instr) -> None:
    ty = c.suffix(i, _is_array, "an array")
    if ty:
        for k in range(len(i.args)):
            c.want(i, k, ty.elem)


def _array_fill(c: _Checker, i: Instr) -> None:
    ty = c.suffix(i, _is_array, "an array")
    if ty and c.want(i, 0, ty.elem):
        c.want(i, 1, T.is_int, "an integer type")


def _array_ops(*rest: str) -> Callable[[_Checker, Instr], None]:
    """Operand 0 an array; the others ('int' or 'elem') an integer or the element type."""
    def check(c: _Checker, i: Instr) -> None:
        if not c.want(i, 0, _is_array, "an array"):
            return
        for k, kind in enumerate(rest, 1):
            ok = T.is_int if kind == "int" else i.args[0].type.elem
            if not c.want(i, k, ok, "an integer type" if kind == "int" else ""):
                return
    return check


def _str_ops(n_ints: int, n_strs: int = 1) -> Callable[[_Checker, Instr], None]:
    """`n_strs` string operands, then `n_ints` integer operands."""
    def check(c: _Checker, i: Instr) -> None:
        for k in range(n_strs):
            c.want(i, k, T.STR)
        for k in range(n_strs, n_strs + n_ints):
            c.want(i, k, T.is_int, "an integer type")
    return check


def _print(c: _Checker, i: Instr) -> None:
    if not i.attrs["format"]:
        return
    if i.args:
        c.want(i, 0, T.STR)
    else:
        c.err(i, "print with a format needs the format string as operand 0")


_FAMILY: dict[str, Callable[[_Checker, Instr], None]] = {
    "const": _const,
    "add": _arith, "sub": _arith, "mul": _arith, "div": _arith, "rem": _arith, "neg": _neg,
    "band": _bitwise, "bor": _bitwise, "bxor": _bitwise, "bnot": _bitwise, "shl": _shift, "shr": _shift,
    "not": _not, "eq": _equality, "ne": _equality,
    "lt": _ordering, "le": _ordering, "gt": _ordering, "ge": _ordering, "cast": _cast,
    "jmp": _none, "br": _br, "ret": _ret, "raise": _raise, "trap": _none, "unreachable": _none,
    "call": _call, "call.ind": _call_ind, "call.rt": _none, "closure": _closure,
    "cell.new": _none, "cell.get": _cell_get, "cell.set": _cell_set, "gget": _none, "gset": _gset,
    "new": _new, "fget": _field, "fset": _field,
    "enum.new": _enum_new, "enum.tag": _enum_tag, "enum.get": _enum_get,
    "array.new": _array_new, "array.fill": _array_fill, "array.len": _array_ops(),
    "array.get": _array_ops("int"), "array.set": _array_ops("int", "elem"),
    "array.push": _array_ops("elem"), "array.pop": _array_ops(),
    "array.slice": _array_ops("int", "int", "int"), "array.repeat": _array_ops("int"),
    "str.concat": _str_ops(0, 2), "str.len": _str_ops(0), "str.get": _str_ops(1),
    "str.slice": _str_ops(3), "print": _print, "yield": _none,
    "spawn": _call, "spawn.ind": _call_ind,
}
assert set(_FAMILY) == set(O.OP_BY_NAME), "every op needs a type rule"
