"""The checker's output contract (orus.sema.typed): every expression and symbol typed,
one instance per distinct parameter types of a generic function, per-instance call
targets (spec 3.5), match flags. Runs the whole front end through the driver."""

from __future__ import annotations

import pytest

from orus.driver import pipeline
from orus.driver.options import Options
from orus.sema import types as T
from orus.sema.callgraph import iter_children
from orus.syntax import ast


def front(src: str, tmp_path):
    (tmp_path / "main.orus").write_text(src)
    result = pipeline.check_file("main.orus", Options(cwd=str(tmp_path),
                                                      exe_dir=str(tmp_path / ".rt")))
    assert result.diagnostics == [], [d.message for d in result.diagnostics]
    return result


def nodes(tree):
    stack = [tree]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(iter_children(n))


def fn_named(result, name):
    for n in nodes(result.program.main.tree):
        if type(n) is ast.FnDecl and n.name == name:
            return result.typed.info(n)
    raise KeyError(name)


def shown(types):
    return sorted(",".join(T.show(p) for p in ts) for ts in types)


TWICE = """fn twice(v):
    return v + v
fn quad(v):
    return twice(v)
fn never(v):
    return v * v
a = twice(2)
b = twice(7)
c = twice("ab")
d = quad(1.5)
"""


def test_one_instance_per_distinct_parameter_types(tmp_path):
    r = front(TWICE, tmp_path)
    twice = fn_named(r, "twice")
    assert shown(i.params for i in twice.instances) == ["f64", "i32", "string"]
    assert fn_named(r, "never").instances == []
    assert fn_named(r, "never").is_generic


def test_call_sites_target_their_instance(tmp_path):
    r = front(TWICE, tmp_path)
    calls = [n for n in nodes(r.program.main.tree) if type(n) is ast.Call]
    by_arg = {}
    for c in calls:
        if type(c.callee) is ast.Name and c.callee.name == "twice" and \
                type(c.args[0]) is not ast.Name:
            by_arg[getattr(c.args[0], "value", None)] = r.typed.target(c.callee)
    assert by_arg[2] is by_arg[7]
    assert by_arg[2] is not by_arg[b"ab"]
    assert [T.show(p) for p in by_arg[b"ab"].params] == ["string"]


def test_calls_inside_generic_functions_are_keyed_per_instance(tmp_path):
    r = front(TWICE, tmp_path)
    quad = fn_named(r, "quad")
    (inst,) = quad.instances
    inner = next(n for n in nodes(quad.node.body) if type(n) is ast.Call)
    assert r.typed.target(inner.callee) is None          # depends on quad's instance
    target = r.typed.target(inner.callee, inst)
    assert [T.show(p) for p in target.params] == ["f64"]
    assert T.show(inst.resolve(inner.ty)) == "f64"


def test_instance_resolves_node_types(tmp_path):
    r = front(TWICE, tmp_path)
    twice = fn_named(r, "twice")
    plus = next(n for n in nodes(twice.node.body) if type(n) is ast.Binary)
    assert T.show(plus.ty) == "_"                          # a type variable of twice
    assert sorted(T.show(i.resolve(plus.ty)) for i in twice.instances) == ["f64", "i32", "string"]
    assert sorted(T.show(i.ret) for i in twice.instances if T.is_concrete(i.ret)) \
        == ["f64", "i32", "string"]


def test_every_expression_and_symbol_is_typed(tmp_path):
    src = """enum Maybe<T>:
    Some(value: T)
    Nothing
struct P:
    x: i32
impl P:
    fn get(self) -> i32:
        return self.x
fn pick(m: Maybe<i32>) -> i32:
    return match m:
        Maybe.Some(v) -> v
        Maybe.Nothing -> 0
xs = [1, 2, 3,]
p = P{x: 4}
f = fn(a: i32) -> i32: a * 2
for i in 0..len(xs):
    print(xs[i], p.get(), f(i), pick(Maybe.Some(i)), xs[0..1], -i, i as f64)
try:
    print(xs[9])
catch e:
    print(e)
print(Maybe.Some(1) matches Maybe.Some(_))
"""
    r = front(src, tmp_path)
    untyped = [(type(n).__name__, n.span.line) for n in nodes(r.program.main.tree)
               if isinstance(n, ast.Expr) and n.ty is None]
    assert untyped == []
    syms = [getattr(n, "sym", None) for n in nodes(r.program.main.tree)]
    for s in syms:
        if s is not None and hasattr(s, "kind") and s.kind.name in ("VAR", "PARAM", "CONST",
                                                                    "FUNC"):
            assert s.ty is not None, s.name


def test_match_used_as_value_flags(tmp_path):
    src = """fn name(n: i32) -> string:
    return match n:
        1 -> "one"
        _ -> "many"
n = 3
match n:
    1 -> print("one")
    _ -> print("many")
fn code(n: i32) -> i32:
    match n:
        1 -> 10
        _ -> 20
"""
    r = front(src, tmp_path)
    flags = [m.used_as_value for m in nodes(r.program.main.tree) if type(m) is ast.MatchExpr]
    assert sorted(flags) == [False, True, True]


def test_generalised_alias_and_lambda_instances(tmp_path):
    src = """fn twice(v):
    return v + v
t = twice
print(t(2), t("ab"))
id = fn(x): x
print(id(1), id("s"))
"""
    r = front(src, tmp_path)
    assert shown(i.params for i in fn_named(r, "twice").instances) == ["i32", "string"]
    lam = next(n for n in nodes(r.program.main.tree) if type(n) is ast.Lambda)
    assert shown(i.params for i in r.typed.info(lam).instances) == ["i32", "string"]


def test_mutual_recursion_instances(tmp_path):
    src = """fn is_even(n):
    if n == 0:
        return true
    return is_odd(n - 1)
fn is_odd(n):
    if n == 0:
        return false
    return is_even(n - 1)
print(is_even(10))
"""
    r = front(src, tmp_path)
    even = fn_named(r, "is_even")
    assert even.sig is not None
    assert all(T.show(T.resolve(p)) == "i32" for p in even.sig.params)


@pytest.mark.parametrize("count", [2000])
def test_checking_a_big_program(tmp_path, count):
    # Its speed is measured by benchmarks, not here (timing never decides a test).
    parts = ["fn twice(v):\n    return v + v\n"]
    for i in range(count):
        parts.append(f"fn f{i}(a: i32) -> i32:\n    mut t = 0\n    for k in 0..a:\n"
                     f"        t += k * 2 + twice({i})\n    return t\nprint(f{i}(3))\n")
    src = "".join(parts)
    (tmp_path / "main.orus").write_text(src)
    from orus.driver.modules import parse_file
    from orus.diag import SourceCache, DiagnosticSink
    from orus.sema.program import Program, SourceModule
    from orus.sema.resolve import resolve_program
    from orus.sema.check import check_program
    tree = parse_file("main.orus", src.encode(), SourceCache())
    prog = Program([SourceModule("", "main.orus", str(tmp_path / "main.orus"), tree, True)])
    sink = DiagnosticSink()
    resolve_program(prog, sink)
    check_program(prog, sink)
    assert not sink


def test_value_use_of_generic_function_is_instantiated(tmp_path):
    src = """fn apply(f, v):
    return f(v)
fn twice(v):
    return v + v
print(apply(twice, 3))
"""
    r = front(src, tmp_path)
    use = next(n for n in nodes(r.program.main.tree)
               if type(n) is ast.Name and n.name == "twice")
    inst = r.typed.target(use)
    assert [T.show(p) for p in inst.params] == ["i32"]
    assert T.show(T.resolve(use.ty)) == "fn(i32) -> i32"


def test_generic_method_instances_keyed_by_field(tmp_path):
    src = """struct Box:
    v: i32
impl Box:
    fn with(self, x):
        return x
b = Box{v: 1}
s: string = b.with("s")
n: i32 = b.with(2)
"""
    r = front(src, tmp_path)
    fields = [n for n in nodes(r.program.main.tree) if type(n) is ast.Field and n.name == "with"]
    got = sorted(",".join(T.show(p) for p in r.typed.target(f).params) for f in fields)
    assert got == ["Box,i32", "Box,string"]


def test_plain_lambda_is_not_generic(tmp_path):
    src = """fn run(f: fn(i64) -> i64) -> i64:
    return f(2)
print(run(fn(x): x * 3))
"""
    r = front(src, tmp_path)
    lam = next(n for n in nodes(r.program.main.tree) if type(n) is ast.Lambda)
    info = r.typed.info(lam)
    assert not info.is_generic and info.instances == []
    assert T.show(T.resolve(info.sig)) == "fn(i64) -> i64"


def test_literal_types_follow_context(tmp_path):
    src = """x: f64 = 5
big: [i64] = [1, 2, 3]
mask: u64 = 1 << 40
"""
    r = front(src, tmp_path)
    lits = {(n.span.line, n.value): T.show(n.ty) for n in nodes(r.program.main.tree)
            if type(n) is ast.IntLit}
    assert lits[(1, 5)] == "f64"
    assert lits[(2, 1)] == lits[(2, 3)] == "i64"
    assert lits[(3, 1)] == "u64" and lits[(3, 40)] == "i32"


def test_recursive_group_calls_target_same_instantiation(tmp_path):
    src = """fn ping(v, n: i32):
    if n == 0:
        return v
    return pong(v, n - 1)
fn pong(v, n: i32):
    return ping(v, n)
print(ping("s", 3), ping(1, 2))
"""
    r = front(src, tmp_path)
    ping, pong = fn_named(r, "ping"), fn_named(r, "pong")
    assert shown(i.params for i in ping.instances) == ["i32,i32", "string,i32"]
    for inst in ping.instances:
        call = next(n for n in nodes(ping.node.body) if type(n) is ast.Call)
        target = r.typed.target(call.callee, inst)
        assert target in pong.instances
        assert target.params[0] is inst.params[0] or T.same(target.params[0], inst.params[0])
        back = next(n for n in nodes(pong.node.body) if type(n) is ast.Call)
        assert r.typed.target(back.callee, target) is inst


def test_fixed_parameters_make_a_function_non_generic(tmp_path):
    r = front("fn inc(a):\n    return a + 1\nprint(inc(2))\n", tmp_path)
    inc = fn_named(r, "inc")
    assert not inc.is_generic and inc.instances == []
    assert T.show(T.resolve(inc.sig)) == "fn(i32) -> i32"
