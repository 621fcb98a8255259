"""Resolution of declarations: hoisting, structs, enums, impl blocks, `use` and exports.

A mixin of `resolve.Resolver`. Hoisting (spec 2.15) declares every top-level
`fn`, `struct` and `enum` of a file before its first statement is resolved, and
attaches the methods of every `impl` of a struct declared in the same file to its
StructInfo, so `Vec2.make()` works above the `impl`. An `impl` whose type is not a
struct of this file is diagnosed where it stands, since only then are the file's
imports visible (spec 7.2).

Invariants:
  * A struct's methods from all its impl blocks share one namespace: a second
    method of the same name is `Function 'm' is already defined on line N` (D26)
    and keeps the first.
  * An imported name is bound to the exporting module's own Symbol, so
    mutability and identity are the module's (spec 7.1).
  * `exports` holds only the file's own `pub` declarations (imports are never
    re-exported, spec 7.1).
"""

from __future__ import annotations

from typing import Any

from orus import diag
from orus.sema.resolve_errors import foreign_impl, no_export, redeclared, unknown_type
from orus.sema.scopes import ERROR_SYM, EnumInfo, StructInfo, Symbol, SymKind, TypeParamRef
from orus.syntax import ast


class DeclResolver:
    # ------------------------------------------------------------ hoisting
    def members(self, items: list, word: str) -> dict:
        """Fields of a struct or variants of an enum by name; a repeated name is a
        redeclaration (the first one counts)."""
        out: dict = {}
        for item in items:
            first = out.get(item.name)
            if first is not None:
                self.report(redeclared(word, item.name, first.span.line, item.span))
            else:
                out[item.name] = item
        return out

    def hoist(self, body: list) -> None:
        """Declare the file's top-level fn/struct/enum, then register its impl methods."""
        for s in body:
            k = type(s)
            if k is ast.FnDecl:
                s.sym = self.declare(s.name, SymKind.FUNC, s.name_span, s, word="Function")
            elif k is ast.StructDecl:
                s.sym = self.declare(s.name, SymKind.STRUCT, s.name_span, s, word="Struct")
                s.sym.info = StructInfo(s, self.members(s.fields, "Field"))
            elif k is ast.EnumDecl:
                s.sym = self.declare(s.name, SymKind.ENUM, s.name_span, s, word="Enum")
                s.sym.info = EnumInfo(s, list(s.type_params), self.members(s.variants, "Variant"))
            else:
                continue
            s.sym.is_pub = s.is_pub
        for s in body:
            if type(s) is ast.ImplDecl and len(s.type_path) == 1:
                sym = self.module_scope.lookup_local(s.type_path[0])
                if sym is not None and sym.kind is SymKind.STRUCT:
                    s.sym = sym
                    self.add_methods(s, sym)

    def add_methods(self, impl: ast.ImplDecl, struct: Symbol) -> None:
        methods = struct.info.methods
        for m in impl.methods:
            m.owner_struct = struct
            m.sym = self.method_symbol(m)
            first = methods.get(m.name)
            if first is None:
                methods[m.name] = m
            else:
                self.report(redeclared("Function", m.name, first.name_span.line, m.name_span))

    def method_symbol(self, m: ast.FnDecl) -> Symbol:
        return Symbol(m.name, SymKind.FUNC, m.name_span, m, is_global=True, module=self.module,
                      is_pub=m.is_pub)

    # ------------------------------------------------------------ declarations in order
    def s_StructDecl(self, s: ast.StructDecl) -> None:
        for f in s.fields:
            self.type_expr(f.type)
            if f.default is not None:
                self.expr(f.default)

    def s_EnumDecl(self, s: ast.EnumDecl) -> None:
        saved = self.type_params
        self.type_params = {n: TypeParamRef(s.sym, i, n) for i, n in enumerate(s.type_params)}
        for v in s.variants:
            for p in v.payloads:
                self.type_expr(p.type)
        self.type_params = saved

    def s_ImplDecl(self, s: ast.ImplDecl) -> None:
        failed = s.sym is None
        if failed:
            s.sym = self.impl_target(s)
            for m in s.methods:
                m.sym = self.method_symbol(m)
        for m in s.methods:
            # In an impl that failed, `self` has no type: its uses must not report again.
            self.function(m, error_self=failed)

    def impl_target(self, s: ast.ImplDecl) -> Any:
        """Diagnose an impl that is not for a struct of this file (spec 2.11); ERROR_SYM."""
        path = s.type_path
        if len(path) == 1:
            sym = self.module_scope.lookup(path[0])
            if sym is None and path[0] == "Result":
                sym = self.result_enum
        elif len(path) == 2:
            sym = self.qualified_type(path, s.type_span)
        else:
            sym = None
        if sym is ERROR_SYM:
            return ERROR_SYM
        if sym is None or sym.kind not in (SymKind.STRUCT, SymKind.ENUM):
            self.report(unknown_type(".".join(path), s.type_span))
        elif sym.kind is SymKind.ENUM:
            self.report(diag.mismatch(sym.name, "struct", s.type_span))
        else:
            self.report(foreign_impl(sym.name, s.type_span))
        return ERROR_SYM

    # ------------------------------------------------------------ modules
    def s_Use(self, s: ast.Use) -> None:
        """Bind the namespace and/or the imported names at this line (spec 7.2)."""
        mod = s.module
        if mod is None:
            return
        if s.alias is not None or not s.names:
            ns = Symbol(s.alias or s.path[-1], SymKind.MODULE, s.span, s, is_global=True,
                        module=self.module, info=mod)
            self.bind_import(ns, ns.name, s.span)
        for un in s.names:
            target = mod.exports.get(un.name)
            if target is None:
                self.report(no_export(".".join(s.path), un.name, un.span))
                target = ERROR_SYM      # uses of the name are not reported again
            self.bind_import(target, un.alias or un.name, un.span)

    def bind_import(self, sym: Symbol, local: str, span) -> None:
        scope = self.module_scope
        existing = scope.lookup_local(local)
        if existing is None:
            scope.names[local] = sym
            self.top_lines[local] = span.line
            return
        same = existing is sym or (existing.kind is SymKind.MODULE and sym.kind is SymKind.MODULE
                                   and existing.info is sym.info)
        if not same and existing is not ERROR_SYM:
            self.report(redeclared("Variable", local, self.line_of(local, existing), span))

    def collect_exports(self, body: list) -> None:
        """SourceModule.exports: the file's own `pub` declarations (spec 7.1)."""
        exports = self.module.exports
        for s in body:
            if not getattr(s, "is_pub", False):
                continue
            if type(s) is ast.Assign:
                for t, declares in zip(s.targets, s.declares):
                    if declares:
                        exports.setdefault(t.name, t.sym)
            elif s.sym is not None and s.sym is not ERROR_SYM:
                exports.setdefault(s.name, s.sym)
