"""Program -> IR module: one init function per source module, one IR function per
top-level function and method (per instance when generic), per lambda and nested
function that lowering reaches (per enclosing generic copy), and the entry.

Algorithm:
  1. Find the variables that some try body assigns (they live in cells, func.py).
  2. Create `main` (the entry), each module's init function (its top-level
     code) and every top-level function and method (each instance of a generic
     one); `main` calls the inits in load order, dependencies first (spec 7.4),
     so each runs once.
  3. Lowering a body requests the IR functions it calls or turns into values
     (`function_for`): each request creates the function's header at once and
     queues its body, keyed by (AST node, instance chain). A generic function gets
     one function per `Instance` it is called with; nested functions and lambdas
     inside a generic copy get one per enclosing copy (their types differ).
  4. Lower queued bodies until the queue is empty.
Closures: a lambda's or nested function's IR function takes its captured
variables first (`n_captures`): the cells of boxed variables, the values of the
others; a nested function's own name inside its body is rebuilt as a closure of
itself from those parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orus.ir import types as I
from orus.ir.builder import Builder, new_function
from orus.ir.func import Function, Global, Module
from orus.irgen.irtypes import TypeLowering
from orus.irgen.names import NameTable, qualified
from orus.sema import types as T
from orus.sema.callgraph import iter_children
from orus.sema.program import Program
from orus.sema.scopes import SymKind
from orus.sema.typed import TypedProgram
from orus.syntax import ast

ENTRY = "main"


@dataclass(eq=False)
class Job:
    node: Any                        # FnDecl / Lambda, None for a module's top-level code
    chain: tuple                     # generic Instances whose substitutions apply, innermost first
    source: Any                      # SourceModule
    fn: Function
    captures: list = field(default_factory=list)    # variable keys, in parameter order
    self_key: Any = None             # a nested function's own name inside its body


class ModuleLowering:
    def __init__(self, program: Program, typed: TypedProgram):
        self.program, self.typed = program, typed
        self.module = Module(entry=ENTRY)
        self.names = NameTable()              # functions
        self.names.reserve(ENTRY)
        self.global_names = NameTable()
        self.types = TypeLowering(self.module, NameTable())
        self.functions: dict = {}            # (node, chain) -> Function
        self.jobs_by_fn: dict = {}           # IR function name -> Job
        self.queue: list = []
        self.globals: dict = {}              # Symbol -> IR global name
        self.try_assigned = assigned_in_try(program)

    # ------------------------------------------------------------ driver
    def run(self) -> Module:
        entry = new_function(self.module, ENTRY, [], I.VOID, self.program.main.display_path)
        inits = [self.init_function(m) for m in self.program.modules]
        for m in self.program.modules:
            self.declared_functions(m)
        b = Builder(self.module, entry)
        for fn in inits:
            b.emit("call", [], loc=(1, 1), callee=fn.name)
        b.ret()
        self.drain()
        return self.module

    def init_function(self, source) -> Function:
        name = self.names.unique(qualified(source, "$init"))
        fn = new_function(self.module, name, [], I.VOID, source.display_path)
        self.enqueue(Job(None, (), source, fn))
        return fn

    def declared_functions(self, source) -> None:
        """Every top-level function and method, once per instance when generic."""
        for st in source.tree.body:
            fns = st.methods if type(st) is ast.ImplDecl else [st] if type(st) is ast.FnDecl else []
            for fn in fns:
                info = self.typed.functions.get(fn)
                if info is None:
                    continue
                for inst in (info.instances if info.is_generic else [None]):
                    self.function_for(fn, (inst,) if inst else ())

    def enqueue(self, job: Job) -> None:
        self.jobs_by_fn[job.fn.name] = job
        self.queue.append(job)

    def drain(self) -> None:
        from orus.irgen.func import FnLowering
        while self.queue:
            FnLowering(self, self.queue.pop(0)).run()

    # ------------------------------------------------------------ functions
    def function_for(self, node, chain: tuple, where=None) -> Function:
        """The IR function of `node` under `chain`, created (and queued) on first request;
        `where` is the FnLowering that makes its closure (for the capture types)."""
        key = (node, chain)
        fn = self.functions.get(key)
        if fn is not None:
            return fn
        info = self.typed.functions[node]
        own = chain[0] if chain and chain[0].fn is node else None
        resolve = _resolver(chain)
        params = [self.types.lower(resolve(p)) for p in (own.params if own else info.sig.params)]
        ret = self.types.lower(resolve(info.sig.ret))
        if type(node) is ast.FnDecl and node.sym is not None and node.sym.module is not None:
            source = node.sym.module
        else:
            source = where.source
        captures, self_key = self.captures_of(node, own, where)
        cap_types = [where.capture_type(k) for k in captures]
        name = self.names.unique(self.function_name(node, own, source))
        display = node.name if type(node) is ast.FnDecl else None
        fn = new_function(self.module, name, cap_types + params, ret, source.display_path,
                          len(cap_types), display)
        self.functions[key] = fn
        self.enqueue(Job(node, chain, source, fn, captures, self_key))
        return fn

    def function_name(self, node, own, source) -> str:
        if type(node) is ast.Lambda:
            base = "lambda"
        elif node.owner_struct is not None:
            base = f"{node.owner_struct.name}.{node.name}"
        else:
            base = node.name
        if own is not None:
            base += "[" + ",".join(str(self.types.lower(T.resolve(p))) for p in own.params) + "]"
        return qualified(source, base)

    def captures_of(self, node, own, where) -> tuple[list, Any]:
        self_sym = node.sym if type(node) is ast.FnDecl else None
        keys: list = []
        for sym in node.captures:
            if sym is self_sym:
                continue
            keys.extend(self.keys_of(sym))
        self_key = None
        if self_sym is not None and not self_sym.is_global:
            self_key = self_sym if own is None else (self_sym, own)
        return keys, self_key

    def keys_of(self, sym) -> list:
        """The variable keys a captured Symbol stands for (one per instance when generic)."""
        info = self.typed.generalised.get(sym)
        if info is not None and info.is_generic:
            if type(info.node) is ast.FnDecl:
                return [] if info.node.sym.is_global else self.keys_of(info.node.sym)
            return [(sym, inst) for inst in info.instances]
        if sym.kind is SymKind.FUNC:
            info = self.typed.functions.get(sym.decl)
            if info is not None and info.is_generic:
                return [(sym, inst) for inst in info.instances]
        return [sym]

    def value_type_of(self, key, where) -> I.Type:
        """The type of a per-instance variable (sym, inst): the closure type of that copy."""
        sym, inst = key
        info = self.typed.generalised.get(sym)
        node = info.node if info is not None else sym.decl
        fn = self.function_for(node, (inst,) + where.insts, where)
        return I.Fn(tuple(p.type for p in fn.params[fn.n_captures:]), fn.ret)

    # ------------------------------------------------------------ globals
    def global_for(self, sym) -> str:
        name = self.globals.get(sym)
        if name is None:
            name = self.global_names.unique(sym.name)
            self.globals[sym] = name
            ty = self.types.lower(T.resolve(sym.ty))
            self.module.globals[name] = Global(name, ty, display=sym.name if name != sym.name else "")
        return name


def _resolver(chain: tuple):
    def resolve(t):
        for inst in chain:
            t = T.substitute(t, inst.subst)
        return T.resolve(t)
    return resolve


def assigned_in_try(program: Program) -> set:
    """Symbols that an assignment inside some try body (at any depth) writes."""
    found: set = set()

    def walk(node, inside: bool) -> None:
        k = type(node)
        if inside and k is ast.Assign:
            for t, d in zip(node.targets, node.declares or [False] * len(node.targets)):
                if type(t) is ast.Name and not d and t.sym is not None:
                    found.add(t.sym)
        elif inside and k is ast.Destructure:
            found.update(t.sym for t in node.targets if not t.declares and t.sym is not None)
        if k is ast.Try:
            walk(node.body, True)
            walk(node.handler, inside)
            return
        for child in iter_children(node):
            walk(child, inside)

    for m in program.modules:
        walk(m.tree, False)
    return found


def lower_program(program: Program, typed: TypedProgram) -> Module:
    """The IR module of a checked program (see the module docstring)."""
    return ModuleLowering(program, typed).run()
