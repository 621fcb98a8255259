"""Module -> Python: one generated Python function per IR function, compiled once with `compile()`.

Algorithm:
  1. `Env` holds what generated code needs at run time: the output writer,
     stdin, formatters, equality, and every helper object, bound into one
     namespace dict under unique names (`bind`). IR functions become names
     `F_<name>`, globals `G_<name>` (initially `UNSET`).
  2. For each function, `FnCtx` renders values (`v12`, or a literal for a
     constant) and `structure.Structurer` lays the blocks out as structured
     Python; if that raises `Unstructured`, or CPython rejects the result
     (too deeply nested), the dispatch layout is used instead.
  3. The source is compiled under the file name `<orus @NAME #SERIAL>` and its
     line table (Python line -> IR instruction) is registered for errors.to_orus.
Calls between functions load `F_<name>` from the namespace at each call, so
that name is the function's entry slot: rebinding it retargets every caller.
Compilation happens once per function per run; nothing is cached on disk.

Debugging: with the environment variable ORUS_DUMP_PY=1, each function's
generated Python source is printed to stderr as it is compiled.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import sys
from typing import Callable, Optional

from orus.ir.dominance import reverse_postorder
from orus.ir.func import Function, Instr, Module
from orus.ir.opdefs import PURE

from orus.backend.interp import errors as E
from orus.backend.interp.printing import Equality, ValueText
from orus.backend.interp.structure import Structurer, Unstructured, dispatch_layout, ends_flow

_IDENT = re.compile(r"[^A-Za-z0-9_]")
_SERIAL = itertools.count(1)         # makes every compiled code's file name unique


class Env:
    """Per-run state shared by all generated functions of a module."""

    def __init__(self, module: Module, stdin, write: Callable[[bytes], None]):
        self.module, self.stdin, self.write = module, stdin, write
        self.text, self.equality = ValueText(module), Equality(module)
        self.unset = _Unset()
        self.to_orus = E.to_orus
        self.ns: dict = {"__builtins__": __builtins__}
        self._bound: dict[int, str] = {}
        self._format_types: dict[str, Callable] = {}
        self._partials: dict[tuple, Callable] = {}
        self.code_names: list[str] = []         # registered with errors.register_code
        self.fn_names = {name: self._fresh("F_" + name) for name in module.functions}
        self.global_names = {name: self._fresh("G_" + name) for name in module.globals}
        for g in self.global_names.values():
            self.ns[g] = self.unset

    def _fresh(self, hint: str) -> str:
        base = "_" + _IDENT.sub("_", hint)
        name, k = base, 1
        while name in self.ns:
            name, k = f"{base}_{k}", k + 1
        self.ns[name] = None
        return name

    def bind(self, obj, hint: str) -> str:
        """The namespace name of a helper object (bound once per object)."""
        key = id(obj)
        if key not in self._bound:
            name = self._fresh(hint)
            self.ns[name] = obj
            self._bound[key] = name
        return self._bound[key]

    def partial(self, fn: Callable, *args):
        """functools.partial(fn, *args), one object per distinct (fn, args) so helpers are bound once."""
        key = (fn, args)
        if key not in self._partials:
            self._partials[key] = functools.partial(fn, *args)
        return self._partials[key]

    def register_type(self, name: str, ty) -> None:
        """Remember the IR type behind a type name passed to printfmt.render."""
        self._format_types.setdefault(name, self.text.show(ty))

    def default_format(self, name: str, value) -> bytes:
        return self._format_types[name](value, set())


class _Unset:
    """The value of a global whose declaration has not run yet."""

    __slots__ = ()


def _users(fn: Function) -> dict:
    """Value -> the instructions using it (once per use; a jump argument counts for its jump)."""
    users: dict = {}
    for instr in fn.instructions():
        for v in instr.args + [a for t in instr.targets for a in t.args]:
            users.setdefault(v, []).append(instr)
    return users


def _branch_only_values(fn: Function, users: dict) -> set:
    """Pure values used exactly once, as the condition of their own block's `br`."""
    uses = {v: len(u) for v, u in users.items()}
    found = set()
    for b in fn.blocks:
        term = b.terminator
        if term is not None and term.name == "br" and uses.get(term.args[0]) == 1:
            cond = term.args[0]
            if isinstance(cond.defn, Instr) and cond.defn.block is b and cond.defn.op.flags & PURE:
                found.add(cond)
    return found


class FnCtx:
    """What emitters need while rendering one function."""

    def __init__(self, env: Env, fn: Function):
        self.env, self.fn = env, fn
        self.consts: dict = {}
        self.const_values: dict = {}
        self.assigned_globals: set[str] = set()
        self.users = _users(fn)
        self.branch_only = _branch_only_values(fn, self.users)
        self.skip: set = set()          # instructions not to emit (a counted loop's step, structure.py)
        self.pieces: dict = {}          # deferred str.concat result -> the strings it joins (emit._concat)
        self.bounds: dict = {}          # Value -> (lo, hi) known at emit time (constants, `rem` results)

    def val(self, v) -> str:
        return self.consts.get(v) or f"v{v.id}"

    def define(self, instr, expr: str) -> list[str]:
        """`vN = expr`, or nothing when the value's one use is later in its block: the
        expression is then written at the use. Only for expressions that can neither fail
        nor have an effect, so moving them changes no result and no error location."""
        users = self.users.get(instr.result, ())
        if instr.result in self.branch_only or len(users) == 1 and users[0].block is instr.block:
            self.consts[instr.result] = f"({expr})"
            return []
        return [f"{self.res(instr)} = {expr}"]

    def res(self, instr) -> str:
        return f"v{instr.result.id}"

    def bind(self, obj, hint: str) -> str:
        return self.env.bind(obj, hint)

    def fn_name(self, name: str) -> str:
        return self.env.fn_names[name]

    def global_name(self, name: str) -> str:
        return self.env.global_names[name]

    @staticmethod
    def ends_flow(lines: list) -> bool:
        return ends_flow(lines)


def _source(cx: FnCtx, fn: Function, body: list) -> tuple[str, dict]:
    """The `def` text and its line table (1-based Python line -> Instr)."""
    params = ", ".join(cx.val(p) for p in fn.params)
    lines = [f"def {cx.fn_name(fn.name)}({params}):"]
    if cx.assigned_globals:
        lines.append(f"    global {', '.join(sorted(cx.assigned_globals))}")
    table = {}
    for entry in body:
        text, instr = entry if isinstance(entry, tuple) else (entry, None)
        lines.append("    " + text)
        if instr is not None:
            table[len(lines)] = instr
    return "\n".join(lines) + "\n", table


def _layouts(env: Env, fn: Function, force_dispatch: bool):
    """Candidate (FnCtx, tagged lines) layouts: structured first, dispatch always last."""
    if not force_dispatch:
        cx = FnCtx(env, fn)
        try:
            yield cx, Structurer(cx, fn).layout()
        except Unstructured:
            pass
    cx = FnCtx(env, fn)
    reachable = set(reverse_postorder(fn.entry, lambda b: b.successors()))
    yield cx, dispatch_layout(cx, fn, [b for b in fn.blocks if b in reachable])


def compile_function(env: Env, fn: Function, force_dispatch: bool = False) -> str:
    """Compile one IR function into env.ns; returns the generated source (for debugging)."""
    last_error: Optional[Exception] = None
    for cx, body in _layouts(env, fn, force_dispatch):
        src, table = _source(cx, fn, body)
        filename = f"<orus @{fn.name} #{next(_SERIAL)}>"
        try:
            code = compile(src, filename, "exec")
        except (SyntaxError, RecursionError, MemoryError) as e:   # nesting beyond CPython's limits
            last_error = e
            continue
        if os.environ.get("ORUS_DUMP_PY"):
            sys.stderr.write(f"# {filename}\n{src}\n")
        E.register_code(filename, fn.file, table)
        env.code_names.append(filename)
        exec(code, env.ns)
        env.ns[cx.fn_name(fn.name)].orus_name = fn.display_name
        return src
    raise E.InternalError(f"cannot compile @{fn.name}: {last_error}")


def compile_module(module: Module, stdin, write, force_dispatch: bool = False) -> Env:
    env = Env(module, stdin, write)
    for fn in module.functions.values():
        compile_function(env, fn, force_dispatch)
    return env

