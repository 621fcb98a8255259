"""Unit tests of the resolver's AST annotations (what the checker and irgen read).

The diagnostics themselves are covered by tests/data/check-names-*.test and
check-modules-names.test; here each test parses a small program, resolves it, and
inspects the `sym` / `scope` / `kind` / `captures` fields the spec's rules imply.
"""

from __future__ import annotations

from orus.diag import DiagnosticSink
from orus.sema.program import Program, SourceModule
from orus.sema.resolve import resolve_program
from orus.sema.scopes import ERROR_SYM, SymKind, TypeParamRef
from orus.syntax import ast
from orus.syntax.parser import parse


def resolve(src: str, **modules: str):
    """Resolve main `src` plus modules name -> source; returns (main SourceModule, sink, all)."""
    mods = {}
    for name, text in modules.items():
        mods[name] = SourceModule(name, f"{name}.orus", f"/x/{name}.orus",
                                  parse(text.encode(), f"{name}.orus"))
    main = SourceModule("", "main.orus", "/x/main.orus", parse(src.encode(), "main.orus"), True)
    for m in list(mods.values()) + [main]:
        for s in m.tree.body:
            if type(s) is ast.Use:
                s.module = mods.get(".".join(s.path))
    sink = DiagnosticSink()
    resolve_program(Program(list(mods.values()) + [main]), sink)
    return main, sink, mods


def ok(src: str, **modules: str):
    main, sink, mods = resolve(src, **modules)
    assert not sink.items, [d.message for d in sink.items]
    return main.tree.body, mods


def names(node, name: str) -> list:
    """Every ast.Name called `name` under `node`, in source order."""
    found = []

    def walk(n):
        if isinstance(n, ast.Name) and n.name == name:
            found.append(n)
        if isinstance(n, ast.Node):
            for slot in _slots(type(n)):
                walk(getattr(n, slot, None))
        elif isinstance(n, list):
            for x in n:
                walk(x)
    walk(node)
    found.sort(key=lambda n: (n.span.line, n.span.col))
    return found


def _slots(cls) -> list:
    out = []
    for c in cls.__mro__:
        out.extend(getattr(c, "__slots__", ()))
    return [s for s in out if s not in ("span", "sym", "scope", "ty", "kind", "target", "module",
                                        "captures", "owner_struct", "variant", "catch_sym")]


def test_declare_or_assign_sets_declares_and_symbols():
    body, _ = ok("mut a = 1\nb = 2\nc = a = b + 1\n")
    let, decl, chain = body
    assert decl.declares == [True]
    assert decl.targets[0].sym.kind is SymKind.VAR and not decl.targets[0].sym.mutable
    assert chain.declares == [True, False]
    assert chain.targets[1].sym is let.sym and let.sym.mutable
    assert chain.targets[0].sym.decl is chain and chain.targets[0].sym is not let.sym
    assert names(chain.value, "b")[0].sym is decl.targets[0].sym


def test_underscore_target_declares_nothing():
    body, _ = ok("_ = 1\n_ = 2\n")
    assert body[0].declares == [False] and body[0].targets[0].sym is None


def test_globals_and_locals():
    body, _ = ok("g = 1\nfn f(p: i32) -> i32:\n    x = p + g\n    return x\n")
    g = body[0].targets[0].sym
    fn = body[1]
    assert g.is_global and g.owner is None and g.module is not None
    x = fn.body.stmts[0].targets[0].sym
    assert not x.is_global and x.owner is fn
    assert fn.params[0].sym.kind is SymKind.PARAM and fn.params[0].sym.owner is fn
    assert fn.scope is fn.body.scope and fn.scope.lookup_local("p") is fn.params[0].sym
    assert fn.captures == [] and not g.captured


def test_lambda_captures_enclosing_local_through_nested_lambda():
    src = ("fn make() -> fn() -> i32:\n"
           "    mut count = 0\n"
           "    return fn() -> i32:\n"
           "        inner = fn() -> i32: count + 1\n"
           "        count += 1\n"
           "        return inner()\n")
    body, _ = ok(src)
    fn = body[0]
    count = fn.body.stmts[0].sym
    outer_lambda = fn.body.stmts[1].values[0]
    inner_lambda = outer_lambda.body.stmts[0].value
    assert count.captured and count.owner is fn
    assert outer_lambda.captures == [count]
    assert inner_lambda.captures == [count]
    assert fn.captures == []


def test_top_level_loop_variable_is_captured_not_global():
    body, _ = ok("for i in 0..3:\n    f = fn() -> i32: i * 10\n")
    loop = body[0]
    i = loop.targets[0].sym
    lam = loop.body.stmts[0].value
    assert i.mutable and not i.is_global and i.captured
    assert lam.captures == [i]
    assert loop.scope.lookup_local("i") is i and loop.body.scope.parent is loop.scope


def test_builtin_callee_has_no_symbol_and_user_function_hides_it():
    body, _ = ok("print(len([1]))\n")
    assert names(body, "len")[0].sym is None
    body, _ = ok("fn len(x: i32) -> i32:\n    return x\nprint(len(1))\n")
    assert names(body, "len")[0].sym is body[0].sym


def test_hoisting_links_call_to_later_function():
    body, _ = ok("print(f())\nfn f() -> i32:\n    return 1\n")
    assert names(body, "f")[0].sym is body[1].sym and body[1].sym.kind is SymKind.FUNC


def test_break_and_continue_targets():
    src = "'outer: for i in 0..3:\n    while true:\n        break 'outer\n        continue\n"
    body, _ = ok(src)
    loop = body[0]
    inner = loop.body.stmts[0]
    assert inner.body.stmts[0].target is loop
    assert inner.body.stmts[1].target is inner


def test_innermost_same_label_wins():
    body, _ = ok("'a: for i in 0..2:\n    'a: for j in 0..2:\n        break 'a\n")
    inner = body[0].body.stmts[0]
    assert inner.body.stmts[0].target is inner


def test_struct_info_methods_and_field_kinds():
    src = ("struct V:\n    x: i32\n"
           "impl V:\n    fn make() -> V:\n        return V{x: 1}\n"
           "impl V:\n    fn get(self) -> i32:\n        return self.x\n"
           "v = V.make()\nprint(v.get())\n")
    body, _ = ok(src)
    struct = body[0].sym
    assert struct.kind is SymKind.STRUCT and set(struct.info.methods) == {"make", "get"}
    assert list(struct.info.fields) == ["x"]
    make = body[1].methods[0]
    assert make.owner_struct is struct and make.sym.kind is SymKind.FUNC
    assert not struct.info.is_instance_method("make") and struct.info.is_instance_method("get")
    call = body[3].value
    assert call.callee.kind == ("static", struct, "make")
    get = body[4].args[0].callee
    assert get.kind == ("value",)
    assert make.body.stmts[0].values[0].sym is struct
    assert body[1].sym is struct and body[2].sym is struct


def test_enum_variants_patterns_and_type_params():
    src = ("enum Maybe<T>:\n    Some(value: T)\n    Nothing\n"
           "m = Maybe.Some(1)\n"
           "match m:\n    Maybe.Some(v) -> print(v)\n    Maybe.Nothing -> pass\n")
    body, _ = ok(src)
    enum = body[0].sym
    assert enum.kind is SymKind.ENUM and enum.info.type_params == ["T"]
    assert list(enum.info.variants) == ["Some", "Nothing"]
    payload_type = body[0].variants[0].payloads[0].type
    assert payload_type.sym == TypeParamRef(enum, 0, "T")
    assert body[1].value.callee.kind == ("variant", enum, "Some")
    arm = body[2].expr.arms[0]
    assert arm.pattern.variant == (enum, "Some")
    v = arm.pattern.bindings[0].sym
    assert v.kind is SymKind.VAR and not v.mutable
    assert arm.body.scope.lookup_local("v") is v
    assert names(arm.body, "v")[0].sym is v


def test_builtin_result_and_builtin_type_names():
    body, _ = ok("r: Result<i32> = Result.Ok(1)\nx: i64 = 2\nh: [Task<void>] = []\n")
    rsym = body[0].type.sym
    assert rsym.kind is SymKind.ENUM and rsym.name == "Result" and rsym.info.decl is None
    assert set(rsym.info.variants) == {"Ok", "Err"}
    assert body[0].value.callee.kind == ("variant", rsym, "Ok")
    assert body[0].type.args[0].sym is None and body[1].type.sym is None
    assert body[2].type.elem.sym is None


def test_user_result_hides_builtin():
    body, _ = ok("enum Result:\n    Good\nr: Result = Result.Good\n")
    assert body[1].type.sym is body[0].sym


def test_catch_symbol():
    body, _ = ok("try:\n    pass\ncatch e:\n    print(e)\n")
    t = body[0]
    assert t.catch_sym.kind is SymKind.VAR and not t.catch_sym.mutable
    assert names(t.handler, "e")[0].sym is t.catch_sym


def test_errors_leave_error_symbol():
    main, sink, _ = resolve("print(nope)\nx = 1\nx = 2\n")
    assert len(sink.items) == 2
    assert names(main.tree.body, "nope")[0].sym is ERROR_SYM
    assert main.tree.body[2].targets[0].sym is ERROR_SYM


def test_module_exports_and_imported_symbol_identity():
    lib = "pub mut counter: i32 = 0\nsecret = 1\npub fn f() -> i32:\n    return counter\n"
    body, mods = ok("use lib: counter as c\nuse lib\nc += 1\nlib.counter = 2\n", lib=lib)
    m = mods["lib"]
    assert set(m.exports) == {"counter", "f"}
    counter = m.exports["counter"]
    assert counter.module is m and counter.mutable and counter.is_pub
    assert body[2].targets[0].sym is counter
    ns = body[3].targets[0].obj.sym
    assert ns.kind is SymKind.MODULE and ns.info is m
    assert body[3].targets[0].kind == ("member", counter)


def test_reexports_are_not_exports():
    _, mods = ok("use b\n", a="pub x = 1\n", b="use a: x\npub y = x\n")
    assert set(mods["b"].exports) == {"y"}
