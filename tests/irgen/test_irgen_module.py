"""Module-level results of lowering: entry and init order, declarations of structs,
enum instances and globals, and which functions exist (spec 3.5, 7.4)."""

from __future__ import annotations

from orus.ir import types as I
from orus.ir.printer import format_decls

from test_irgen_data import lower_case

SRC = """use lib
enum Maybe<T>:
    Some(value: T)
    Nothing
struct P:
    x: i32
    tag: Maybe<string>
G = 1
fn read() -> i32:
    return G
fn twice(v):
    return v + v
fn never(v):
    return v
a = Maybe.Some(1)
p = P{x: twice(2), tag: Maybe.Some(twice("s"))}
print(read(), lib.K)
"""


def test_entry_calls_module_inits_dependencies_first(tmp_path):
    m = lower_case({"main.orus": SRC, "lib.orus": "pub K := 5\n"}, tmp_path)
    entry = m.functions[m.entry]
    assert m.entry == "main"
    assert [i.attrs["callee"] for i in entry.instructions() if i.name == "call"] == ["lib.$init", "$init"]


def test_declarations_one_enum_per_instance(tmp_path):
    m = lower_case({"main.orus": SRC, "lib.orus": "pub K := 5\n"}, tmp_path)
    assert set(m.enums) == {"Maybe<i32>", "Maybe<str>"}
    assert all(e.display == "Maybe" for e in m.enums.values())
    assert m.structs["P"].fields == [("x", I.I32), ("tag", I.Enum("Maybe<str>"))]
    assert "global @G: i32 checked" in format_decls(m)       # read inside a function
    assert "global @p: %P" in format_decls(m)                # only read at top level
    assert "global @K: i32 checked" in format_decls(m)       # read from another module


def test_one_function_per_instance_and_none_for_unused_generics(tmp_path):
    m = lower_case({"main.orus": SRC, "lib.orus": "pub K := 5\n"}, tmp_path)
    assert {"twice[i32]", "twice[str]", "read"} <= set(m.functions)
    assert not any(name.startswith("never") for name in m.functions)
    assert m.functions["read"].display_name == "read"
