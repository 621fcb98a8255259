"""The type checker: entry point, function contexts, declarations and check order.

`check_program` runs after the resolver. It walks every module's top-level code in order
(modules dependencies first) and checks each function when it is first needed: top-level
functions and methods are grouped into strongly connected components of the call graph
(`callgraph.py`) and each group is checked once, callees first, a recursive group
together (spec 3.5). Nested functions and lambdas are checked where they stand.

The checking rules themselves live in the mixins: expressions (`check_expr.py`), calls
(`check_call.py`), statements and function bodies (`check_stmt.py`), match and matches
(`check_match.py`), flexible literals (`literals.py`), per-instantiation checks of generic
functions (`check_generic.py`) and constant expressions (`check_const.py`).

Invariants:
  * Every expression gets `.ty` exactly once per visit; errors yield `types.BAD`, which
    every rule accepts silently (no cascades).
  * `self.ctx` is the function (or top-level code) being checked; its `level` is the
    type-variable level of its body, so generalisation is by levels.
"""

from __future__ import annotations

from typing import Any, Optional

from orus import diag
from orus.diag import DiagnosticSink
from orus.sema import types as T
from orus.sema.callgraph import function_groups
from orus.sema.check_call import CallChecker
from orus.sema.check_const import ConstChecker
from orus.sema.check_expr import ExprChecker
from orus.sema.check_flow import FlowChecker
from orus.sema.check_generic import GenericChecker
from orus.sema.check_match import MatchChecker
from orus.sema.check_stmt import StmtChecker
from orus.sema.literals import LiteralChecker
from orus.sema.program import Program
from orus.sema.scopes import ERROR_SYM, SymKind, TypeParamRef
from orus.sema.typed import FnInfo, TypedProgram
from orus.syntax import ast


class Ctx:
    """The function (or top-level code, fn=None) whose body is being checked."""

    __slots__ = ("fn", "info", "level", "ret", "declared", "deferred", "bare_return",
                 "group_calls", "parent", "generic", "value_return")

    def __init__(self, fn, info, level: int, ret: T.Type, declared: bool, parent):
        self.fn, self.info, self.level, self.ret = fn, info, level, ret
        self.declared = declared            # the return type was written (`-> T`)
        self.deferred: list = []            # checks waiting for type variables
        self.bare_return = False            # a `return` without value was seen
        self.group_calls: list = []         # (callee fn, callee node) inside a recursive group
        self.parent = parent
        self.generic = False
        self.value_return = False           # a `return e` with a value was seen


def check_program(program: Program, sink: DiagnosticSink) -> TypedProgram:
    checker = Checker(program, sink)
    checker.run()
    return checker.typed


class Checker(ExprChecker, CallChecker, StmtChecker, MatchChecker, LiteralChecker,
              GenericChecker, FlowChecker, ConstChecker):
    def __init__(self, program: Program, sink: DiagnosticSink):
        self.program = program
        self.sink = sink
        self.typed = TypedProgram(program)
        self.ctx: Optional[Ctx] = None
        self.state: dict = {}               # fn node -> "busy" | "done"
        self.groups = function_groups(program)
        self.schemes = self.typed.generalised   # Symbol -> FnInfo of a generalised variable
        self.struct_fields: dict = {}       # STRUCT Symbol -> {name: Type}
        self.flex_cache: dict = {}
        self.recording: list = []           # Instances whose deferred checks are running
        self.final: list = []               # leftover checks of non-generic code
        self.const_busy: set = set()
        self.pending_uses: dict = {}        # use node -> fresh mapping of its instantiation
        self.exhaustive_matches: set = set()

    # ------------------------------------------------------------ driver
    def run(self) -> None:
        top = Ctx(None, None, 0, T.VOID, False, None)
        self.type_declarations()
        for module in self.program.modules:
            self.ctx = top
            self.check_stmts(module.tree.body, None)
        self.ctx = top
        self.flush(top.deferred, force=True)
        self.flush(self.final, force=True)

    def type_declarations(self) -> None:
        """Symbol.ty of every struct and enum: the type its name denotes."""
        for module in self.program.modules:
            for st in module.tree.body:
                k = type(st)
                if (k is ast.StructDecl or k is ast.EnumDecl) and st.sym is not None \
                        and st.sym is not ERROR_SYM:
                    n = len(st.type_params) if k is ast.EnumDecl else 0
                    st.sym.ty = T.StructT(st.sym) if k is ast.StructDecl else \
                        T.EnumT(st.sym, [T.TVar(0) for _ in range(n)])

    def report(self, d: diag.Diagnostic) -> None:
        self.sink.report(d)

    def mismatch(self, found: T.Type, required, span) -> None:
        """Report ``this is a `found`, but `required` was expected`` unless either is BAD."""
        if T.has_bad(found) or (isinstance(required, T.Type) and T.has_bad(required)):
            return
        req = required if isinstance(required, str) else T.show(required)
        self.report(diag.mismatch(T.show(found), req, span))

    def fresh(self) -> T.TVar:
        return T.TVar(self.ctx.level if self.ctx else 0)

    # ------------------------------------------------------------ annotations
    def type_of(self, te: Optional[ast.TypeExpr], targs: tuple = ()) -> T.Type:
        """The type an annotation denotes; `targs` are a generic enum's arguments."""
        if te is None:
            return self.fresh()
        kind = type(te)
        if kind is ast.ArrayType:
            if te.size is not None and te.size.ty is None:
                self.expr(te.size)          # `[T, N]`: N is not enforced (spec 3.1)
            return T.ArrayT(self.type_of(te.elem, targs))
        if kind is ast.FnType:
            ret = T.VOID if te.ret is None else self.type_of(te.ret, targs)
            return T.FnT([self.type_of(p, targs) for p in te.params], ret)
        return self.named_type(te, targs)

    def named_type(self, te: ast.NamedType, targs: tuple) -> T.Type:
        sym = te.sym
        args = [self.type_of(a, targs) for a in te.args]
        if sym is None:
            name = te.path[-1]
            if name in ("Task", "Channel"):
                elem = args[0] if args else self.fresh()
                return T.TaskT(elem) if name == "Task" else T.ChanT(elem)
            return T.PRIM_BY_NAME.get(name, T.BAD)
        if isinstance(sym, TypeParamRef):
            return targs[sym.index] if sym.index < len(targs) else T.BAD
        if sym is ERROR_SYM:
            return T.BAD
        sym = T.canon(sym)
        if sym.ty is None and sym.kind is SymKind.ENUM:
            sym.ty = T.EnumT(sym, [T.TVar(0) for _ in sym.info.type_params])
        if sym.kind is SymKind.STRUCT:
            return T.StructT(sym)
        if sym.kind is SymKind.ENUM:
            want = len(sym.info.type_params) if sym.info else 0
            args = (args + [self.fresh() for _ in range(want)])[:want]
            return T.EnumT(sym, args)
        return T.BAD

    def is_bare_generic_enum(self, te) -> bool:
        return (type(te) is ast.NamedType and not te.args and te.sym is not None
                and not isinstance(te.sym, TypeParamRef) and te.sym is not ERROR_SYM
                and te.sym.kind is SymKind.ENUM and bool(te.sym.info and te.sym.info.type_params))

    def field_types(self, sym) -> dict:
        """Field name -> Type of a struct, computed once."""
        got = self.struct_fields.get(sym)
        if got is None:
            got = {}
            self.struct_fields[sym] = got
            for name, fd in sym.info.fields.items():
                got[name] = self.type_of(fd.type)
        return got

    def payload_types(self, enum_sym, vname: str, args: tuple) -> Optional[list]:
        info = enum_sym.info
        if enum_sym.ty is None:             # the built-in Result has no declaration
            enum_sym.ty = T.EnumT(enum_sym, [T.TVar(0) for _ in info.type_params])
        if info is None:
            return None
        variant = info.variants.get(vname)
        if variant is None:
            return None
        return [self.type_of(p.type, tuple(args)) for p in variant.payloads]

    def all_payloads(self, t: T.EnumT) -> list:
        """The payload types of every variant of an enum type (for `==` comparability)."""
        info = t.sym.info
        out: list = []
        for name in (info.variants if info else ()):
            out.extend(self.payload_types(t.sym, name, t.args) or ())
        return out

    # ------------------------------------------------------------ functions
    def ensure_checked(self, fn) -> None:
        """Check fn's recursive group now unless it is done or being checked."""
        if fn in self.state:
            return
        group = self.groups.get(fn, [fn])
        saved = self.ctx
        self.ctx = None
        try:
            self.check_group(group)
        finally:
            self.ctx = saved

    def check_group(self, group: list) -> None:
        level = 1
        outer = self.ctx
        ctxs = []
        for fn in group:
            self.state[fn] = "busy"
            ctxs.append(self.open_function(fn, level))
        for c in ctxs:
            self.ctx = c
            self.check_function_body(c)
        # the group's checks that are not its own go to the surroundings, not to itself
        self.ctx = outer
        self.close_group(ctxs, level - 1)
        for fn in group:
            self.state[fn] = "done"

    def open_function(self, fn, level: int) -> Ctx:
        """Make the FnInfo and context of a named function or lambda (parameters typed)."""
        saved = self.ctx
        probe = Ctx(fn, None, level, T.VOID, False, saved)
        self.ctx = probe
        params = [self.param_type(fn, p) for p in fn.params]
        declared = fn.ret is not None
        ret = self.type_of(fn.ret) if declared else T.TVar(level)
        self.ctx = saved
        sig = T.FnT(params, ret)
        info = FnInfo(fn, sig)
        self.typed.functions[fn] = info
        for p, t in zip(fn.params, params):
            if p.sym is not None:
                p.sym.ty = t
        if type(fn) is ast.FnDecl and fn.sym is not None:
            fn.sym.ty = sig
        ctx = Ctx(fn, info, level, ret, declared, saved)
        ctx.generic = type(fn) is ast.FnDecl and self.is_generic_decl(fn)
        return ctx

    def param_type(self, fn, p: ast.Param) -> T.Type:
        if p.name == "self" and type(fn) is ast.FnDecl and fn.owner_struct is not None \
                and fn.params and fn.params[0] is p:
            return T.StructT(fn.owner_struct)
        return self.type_of(p.type)

    def is_generic_decl(self, fn: ast.FnDecl) -> bool:
        for i, p in enumerate(fn.params):
            if i == 0 and p.name == "self" and fn.owner_struct is not None:
                continue
            if p.type is None or self.is_bare_generic_enum(p.type):
                return True
        return False

    def check_nested_fn(self, fn: ast.FnDecl) -> None:
        """A function declared inside a body: checked where it stands (spec 2.15)."""
        saved = self.ctx
        self.state[fn] = "busy"
        c = self.open_function(fn, saved.level + 1)
        self.ctx = c
        self.check_function_body(c)
        self.ctx = saved
        self.close_group([c], saved.level)
        self.state[fn] = "done"

    def fn_info_of_sym(self, sym) -> Optional[FnInfo]:
        """The FnInfo a FUNC symbol or generalised variable stands for (checking it if needed)."""
        info = self.schemes.get(sym)
        if info is not None:
            return info
        if sym.kind is SymKind.FUNC and sym.decl is not None:
            self.ensure_checked(sym.decl)
            return self.typed.functions.get(sym.decl)
        return None

    def display_name(self, node: Any) -> str:
        if type(node) is ast.Name:
            return node.name
        if type(node) is ast.Field:
            return node.name
        return "function"
