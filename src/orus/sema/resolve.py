"""Name resolution: scopes, declarations, mutability, labels and modules (spec 2, 7).

`resolve_program` runs after parsing and before the checker. For each module, in
load order (imports first), it
  1. hoists the file's top-level `fn`, `struct` and `enum` declarations and the
     methods of its `impl` blocks (spec 2.15), then
  2. walks the file top to bottom, resolving every statement *where it stands*:
     a top-level function body is resolved at its declaration, so it sees
     exactly the globals declared above it (globals are not hoisted), and a
     `use` binds its names at its own line (spec 7.2).
It sets the `sym`/`scope`/`target`/`kind`/`captures` annotations documented in
ast.py and scopes.py, and fills `SourceModule.scope` / `.exports`.

Invariants:
  * Every problem is reported once; a name whose resolution failed gets
    ERROR_SYM, which no later stage reports again.
  * A Name left with `sym` None is the callee of a builtin call (spec 1.5);
    builtins are not symbols, so any user declaration hides them.
  * Parameters and the top level of their body share one Scope (a
    redeclaration there is an error, spec 2.2); so do a catch name and its
    handler, and a match arm's bindings and its body. A `for` loop's variables
    live in a Scope around the body's.

The statement walk is here; expressions, types and patterns are in
`resolve_exprs.py`; hoisting, struct/enum/impl and `use` in `resolve_decls.py`;
the wording of every diagnostic in `resolve_errors.py`.
"""

from __future__ import annotations

from typing import Any, Optional

from orus import diag
from orus.diag import DiagnosticSink
from orus.sema.builtin_enums import make_result_enum
from orus.sema.program import Program, SourceModule
from orus.sema.resolve_decls import DeclResolver
from orus.sema.resolve_errors import immutable, redeclared, undefined
from orus.sema.resolve_exprs import NOT_VALUES, ExprResolver
from orus.sema.scopes import ERROR_SYM, Scope, Symbol, SymKind
from orus.syntax import ast

# Kinds that name something other than a variable: never assignable (spec 2.2).
NOT_VARIABLES = (SymKind.FUNC, SymKind.STRUCT, SymKind.ENUM, SymKind.MODULE, SymKind.CONST)


def resolve_program(program: Program, sink: DiagnosticSink) -> None:
    """Resolve every module of `program` in load order (spec 7.4), reporting into `sink`."""
    result = make_result_enum()
    for module in program.modules:
        Resolver(module, sink, result).run()


class Resolver(ExprResolver, DeclResolver):
    """Resolves one SourceModule. Statement visitors are `s_<Node>`, expressions `x_<Node>`."""

    def __init__(self, module: SourceModule, sink: DiagnosticSink, result_enum: Symbol):
        self.module = module
        self.sink = sink
        self.result_enum = result_enum
        self.module_scope = Scope(None, None, is_module=True)
        self.scope = self.module_scope
        self.fns: list[Any] = []          # enclosing FnDecl/Lambda nodes, innermost last
        self.loops: list[tuple] = []      # (label, loop node) of the current function, innermost last
        self.type_params: dict = {}       # name -> TypeParamRef inside a generic enum declaration
        self.top_lines: dict[str, int] = {}   # line of each module-scope binding made in this file

    def report(self, d: diag.Diagnostic) -> None:
        self.sink.report(d)

    def run(self) -> None:
        self.module.scope = self.module_scope
        body = self.module.tree.body
        self.hoist(body)
        self.stmts(body)
        self.collect_exports(body)

    # ------------------------------------------------------------ scopes
    def current_fn(self) -> Any:
        return self.fns[-1] if self.fns else None

    def push_scope(self) -> Scope:
        self.scope = Scope(self.scope, self.current_fn())
        return self.scope

    def new_symbol(self, name: str, kind: SymKind, span, decl, mutable: bool = False) -> Symbol:
        return Symbol(name, kind, span, decl, mutable=mutable, is_global=self.scope.is_module,
                      module=self.module, owner=self.current_fn())

    def bind(self, sym: Symbol, word: str = "Variable") -> Symbol:
        """Bind `sym` in the current scope, or report the redeclaration (spec 2.2, 2.15).

        A redeclared variable is replaced, so later uses see the newest declaration;
        a function, struct, enum or namespace keeps its binding (its uses stay valid)."""
        scope = self.scope
        existing = scope.lookup_local(sym.name)
        if existing is not None:
            if existing is not ERROR_SYM:
                self.report(redeclared(word, sym.name, self.line_of(sym.name, existing), sym.span))
            if existing.kind in NOT_VALUES or existing.kind is SymKind.FUNC:
                return sym
        scope.names[sym.name] = sym
        if scope.is_module:
            self.top_lines[sym.name] = sym.line
        return sym

    def line_of(self, name: str, sym: Symbol) -> int:
        """The line where `name` was bound to sym in this file (an import's `use` line, spec 7.2)."""
        if self.scope.is_module:
            return self.top_lines.get(name, sym.line)
        return sym.line

    def declare(self, name: str, kind: SymKind, span, decl, mutable: bool = False,
                word: str = "Variable") -> Symbol:
        return self.bind(self.new_symbol(name, kind, span, decl, mutable), word)

    def use_symbol(self, sym: Symbol) -> None:
        """Record that the current function uses `sym`: a capture when an enclosing body owns it."""
        if sym.is_global or sym.kind in NOT_VALUES or sym is ERROR_SYM:
            return
        if sym.owner is self.current_fn():
            return
        sym.captured = True
        for fn in reversed(self.fns):
            if fn is sym.owner:
                break
            if sym not in fn.captures:
                fn.captures.append(sym)

    # ------------------------------------------------------------ statements
    def stmts(self, stmts: list) -> None:
        for s in stmts:
            getattr(self, "s_" + type(s).__name__)(s)

    def block(self, b: ast.Block, scope: Optional[Scope] = None) -> None:
        """Resolve a body in a new scope (or in `scope`, already holding its bindings)."""
        saved = self.scope
        self.scope = scope if scope is not None else Scope(saved, self.current_fn())
        b.scope = self.scope
        self.stmts(b.stmts)
        self.scope = saved

    def s_ExprStmt(self, s: ast.ExprStmt) -> None:
        self.expr(s.expr)

    def s_Pass(self, s) -> None:
        pass

    s_YieldStmt = s_Pass

    def s_Print(self, s: ast.Print) -> None:
        for a in s.args:
            self.expr(a)

    def s_Return(self, s: ast.Return) -> None:
        for v in s.values:
            self.expr(v)

    def s_Let(self, s: ast.Let) -> None:
        if s.type is not None:
            self.type_expr(s.type)
        self.expr(s.value)
        s.sym = self.declare(s.name, SymKind.VAR, s.name_span, s, mutable=s.mutable)
        s.sym.is_pub = s.is_pub

    def s_ConstDecl(self, s: ast.ConstDecl) -> None:
        if s.type is not None:
            self.type_expr(s.type)
        self.expr(s.value)
        s.sym = self.declare(s.name, SymKind.CONST, s.name_span, s)
        s.sym.is_pub = s.is_pub

    def s_Assign(self, s: ast.Assign) -> None:
        for t in s.targets:
            if type(t) is not ast.Name:
                self.expr(t)
        self.expr(s.value)
        last = len(s.targets) - 1
        s.declares = [self.assign_target(t, s, i == last and s.op != "=")
                      for i, t in enumerate(s.targets)]

    def assign_target(self, t, s: ast.Assign, compound: bool) -> bool:
        """Declare-or-assign one target (spec 2.2, 2.4); True when it declares."""
        if type(t) is not ast.Name:
            self.check_place(t)
            return False
        if t.name == "_" and not compound:
            t.sym = None
            return False
        sym = self.scope.lookup(t.name)
        if sym is None:
            if compound or t.name == "_":
                self.report(undefined(t.name, t.span))
                t.sym = ERROR_SYM
                return False
            t.sym = self.declare(t.name, SymKind.VAR, t.span, s)
            t.sym.is_pub = s.is_pub
            return True
        t.sym = self.assigned(sym, t.name, t.span)
        return False

    def assigned(self, sym: Symbol, name: str, span) -> Symbol:
        """The symbol an assignment to a visible name writes, after the mutability check."""
        if sym is ERROR_SYM:
            return sym
        if sym.kind in NOT_VARIABLES or not sym.mutable:
            self.report(immutable(name, span))
            return ERROR_SYM        # the assignment is not type-checked: no follow-up errors
        self.use_symbol(sym)
        return sym

    def check_place(self, t) -> None:
        """`ns.x = e` assigns the module's variable itself (spec 7.1); `E.V = e` assigns nothing."""
        if type(t) is not ast.Field or not t.kind:
            return
        tag = t.kind[0]
        if tag in ("static", "variant") or (tag == "member"
                                            and self.assigned(t.kind[1], t.name, t.span) is ERROR_SYM):
            if tag != "member":
                self.report(immutable(t.name, t.span))
            t.kind = ("error",)

    def s_Destructure(self, s: ast.Destructure) -> None:
        self.expr(s.value)
        for t in s.targets:
            if t.name == "_":
                continue
            if t.mutable:
                t.sym = self.declare(t.name, SymKind.VAR, t.span, t, mutable=True)
                t.declares = True
                continue
            sym = self.scope.lookup(t.name)
            if sym is None:
                t.sym = self.declare(t.name, SymKind.VAR, t.span, t)
                t.declares = True
            else:
                t.sym = self.assigned(sym, t.name, t.span)

    def s_If(self, s: ast.If) -> None:
        for br in s.branches:
            self.expr(br.cond)
            self.block(br.body)
        if s.else_body is not None:
            self.block(s.else_body)

    def s_While(self, s: ast.While) -> None:
        self.expr(s.cond)
        self.loops.append((s.label, s))
        self.block(s.body)
        self.loops.pop()

    def s_For(self, s: ast.For) -> None:
        it = s.iterable
        if type(it) is ast.RangeSpec:
            for part in (it.start, it.end, it.step):
                if part is not None:
                    self.expr(part)
        else:
            self.expr(it)
        saved = self.scope
        s.scope = self.push_scope()
        for t in s.targets:
            if t.name != "_":
                t.sym = self.declare(t.name, SymKind.VAR, t.span, t, mutable=True)
        self.loops.append((s.label, s))
        self.block(s.body)
        self.loops.pop()
        self.scope = saved

    def s_Break(self, s) -> None:
        s.target = self.loop_target(s, "break")

    def s_Continue(self, s) -> None:
        s.target = self.loop_target(s, "continue")

    def loop_target(self, s, word: str) -> Any:
        """The loop a break/continue leaves (spec 2.7): innermost, or innermost with the label."""
        for label, loop in reversed(self.loops):
            if s.label is None or label == s.label:
                return loop
        if s.label is None:
            self.report(diag.syntax_error(f"'{word}' can only be used inside a loop", s.span))
        else:
            self.report(diag.syntax_error(f"Label '{s.label}' not found for {word} statement", s.span))
        return None

    def s_Try(self, s: ast.Try) -> None:
        self.block(s.body)
        scope = Scope(self.scope, self.current_fn())
        if s.catch_name is not None and s.catch_name != "_":
            saved, self.scope = self.scope, scope
            s.catch_sym = self.declare(s.catch_name, SymKind.VAR, s.catch_span, s)
            self.scope = saved
        self.block(s.handler, scope)

    # ------------------------------------------------------------ functions
    def s_FnDecl(self, s: ast.FnDecl) -> None:
        if not self.scope.is_module:
            s.sym = self.declare(s.name, SymKind.FUNC, s.name_span, s, word="Function")
        self.function(s)

    def function(self, fn, error_self: bool = False) -> None:
        """Resolve a FnDecl's or Lambda's signature and body (spec 2.15, 2.16).

        `error_self`: a method of a failed impl, whose `self` reads as ERROR_SYM."""
        for p in fn.params:
            if p.type is not None:
                self.type_expr(p.type)
        if fn.ret is not None:
            self.type_expr(fn.ret)
        saved_scope, saved_loops = self.scope, self.loops
        self.fns.append(fn)
        self.loops = []
        scope = self.push_scope()
        fn.scope = scope
        for p in fn.params:
            if p.name != "_":
                p.sym = self.declare(p.name, SymKind.PARAM, p.span, p)
        if error_self and "self" in scope.names:
            scope.names["self"] = ERROR_SYM
        self.block(fn.body, scope)
        self.fns.pop()
        self.scope, self.loops = saved_scope, saved_loops

    def x_Lambda(self, e: ast.Lambda) -> None:
        self.function(e)
