"""Verifier negatives: one small broken function per rule, asserting the exact error.

Most cases are written in IR text (the reader accepts ill-typed IR as long as it
can compute result types); the rest are built by hand because the reader
refuses them (undefined blocks, duplicate definitions).
"""

import pytest

from orus.ir import types as T
from orus.ir.builder import Builder, new_function
from orus.ir.func import Block, Function, Instr, Module, Value
from orus.ir.opdefs import OP_BY_NAME
from orus.ir.reader import parse_module
from orus.ir.verify import IRVerifyError, assert_valid, check_function, check_module

DECLS = """\
struct %P { x: i32, y: str }
enum %E "E" { A(i32), B() }
global @g: i32
"""


def errors(text: str) -> list[str]:
    return [e.message for e in check_module(parse_module(DECLS + text))]


def body(lines: str, sig: str = "(v0: i32, v1: bool) -> void") -> list[str]:
    """Errors of a one-block function `@f` with the given instruction lines."""
    return errors(f"fn @f{sig} {{\nb0:\n{lines}\n}}\n")


def test_valid_function_has_no_errors():
    assert body("  v2 = add.i32 v0, v0 !1:1\n  ret") == []


# ---------------------------------------------------------------- structure
def test_function_without_blocks():
    m = Module()
    fn = m.add(Function("f", [], T.VOID))
    assert [e.message for e in check_function(fn, m)] == ["function has no blocks"]


def test_block_must_end_with_terminator():
    assert body("  v2 = not v1") == ["b0 does not end with a terminator"]


def test_terminator_must_be_last():
    assert body("  ret\n  v2 = not v1\n  ret") == ["terminator ret is not the last instruction of b0"]


def test_target_must_be_in_function():
    m = Module()
    fn = new_function(m, "f", [], T.VOID)
    other = Block(7)
    Builder(m, fn).jmp(other)
    assert [e.message for e in check_function(fn, m)] == ["target b7 is not a block of this function"]


def test_entry_block_has_no_predecessors():
    assert errors("fn @f() -> void {\nb0:\n  jmp b1\nb1:\n  jmp b0\n}\n") == [
        "entry block b0 has predecessors b1"]


def test_params_are_entry_params():
    m = Module()
    fn = new_function(m, "f", [T.I32], T.VOID)
    Builder(m, fn).ret()
    fn.params = [Value(9, T.I32)]
    assert [e.message for e in check_function(fn, m)] == [
        "the function's params are not its entry block's params"]


def test_instr_block_field_must_be_its_block():
    m = parse_module("fn @f() -> void {\nb0:\n  jmp b1\nb1:\n  ret\n}\n")
    fn = m.functions["f"]
    fn.blocks[1].instrs[0].block = fn.blocks[0]
    assert [e.message for e in check_module(m)] == [
        "instruction's block field is b0, but it is in b1"]


# ---------------------------------------------------------------- definitions and dominance
def _two_consts() -> tuple[Module, Function, Instr]:
    m = parse_module("fn @f() -> void {\nb0:\n  v0 = const.i32 1\n  v1 = const.i32 2\n  ret\n}\n")
    fn = m.functions["f"]
    return m, fn, fn.blocks[0].instrs[1]


def test_value_defined_twice():
    m, fn, second = _two_consts()
    second.result = fn.blocks[0].instrs[0].result
    assert [e.message for e in check_module(m)] == ["v0 is defined more than once"]


def test_two_values_with_one_number():
    m, fn, second = _two_consts()
    second.result = Value(0, T.I32, second)
    assert [e.message for e in check_module(m)] == ["v0 is defined more than once"]


def test_operand_must_be_defined_in_function():
    m, fn, second = _two_consts()
    fn.blocks[0].instrs.insert(2, Instr(OP_BY_NAME["not"], [Value(5, T.BOOL)], Value(6, T.BOOL),
                                        block=fn.blocks[0]))
    assert [e.message for e in check_module(m)] == ["operand v5 is not defined in this function"]


def test_use_before_definition_in_block():
    assert body("  v2 = not v3\n  v3 = not v1\n  ret") == ["v3 does not dominate its use"]


def test_operand_must_dominate_use():
    assert errors("""fn @f(v0: bool) -> void {
b0(v0: bool):
  br v0, b1, b2
b1:
  v1 = not v0
  jmp b2
b2:
  v2 = not v1
  ret
}
""") == ["v1 does not dominate its use"]


def test_edge_argument_must_dominate_end_of_source():
    assert errors("""fn @f(v0: bool) -> void {
b0(v0: bool):
  br v0, b1, b2(v0)
b1:
  jmp b2(v3)
b2(v2: bool):
  v3 = not v2
  ret
}
""") == ["v3 passed to b2 does not dominate the end of b1"]


def test_values_of_try_block_do_not_reach_handler():
    assert errors("""fn @f(v0: i32) -> i32 {
b0(v0: i32):
  jmp b1(v0)
b1(v1: i32) handler b2:
  v2 = add.i32 v1, v1 !1:1
  ret v2
b2(v3: error):
  v4 = add.i32 v1, v1 !2:1
  v5 = add.i32 v4, v2 !2:2
  ret v5
}
""") == ["v2 does not dominate its use"]


def test_uses_in_unreachable_blocks_are_not_checked():
    assert errors("""fn @f() -> void {
b0:
  ret
b1:
  v0 = not v1
  jmp b2
b2:
  v1 = const.bool true
  ret
}
""") == []


# ---------------------------------------------------------------- targets and handlers
def test_target_argument_count():
    assert errors("fn @f() -> void {\nb0:\n  jmp b1\nb1(v0: i32):\n  ret\n}\n") == [
        "b1 takes 1 arguments, got 0"]


def test_target_argument_type():
    assert errors("fn @f(v0: i64) -> void {\nb0(v0: i64):\n  jmp b1(v0)\nb1(v1: i32):\n  ret\n}\n") == [
        "argument 0 to b1 (v0) is i64, expected i32"]


def test_handler_needs_one_error_param():
    assert errors("fn @f() -> void {\nb0:\n  jmp b1\nb1 handler b2:\n  ret\nb2(v0: i32):\n  ret\n}\n") == [
        "handler b2 must have exactly one parameter, of type error"]


def test_handler_must_be_in_function():
    m = Module()
    fn = new_function(m, "f", [], T.VOID)
    fn.entry.handler = Block(4, [Value(9, T.ERROR)])
    Builder(m, fn).ret()
    assert [e.message for e in check_function(fn, m)] == ["handler b4 is not a block of this function"]


def test_target_count():
    assert errors("fn @f(v0: bool) -> void {\nb0(v0: bool):\n  br v0, b1, b1, b1\nb1:\n  ret\n}\n") == [
        "br takes 2 targets, got 3"]


# ---------------------------------------------------------------- op table: arity, attributes, result
def test_arity():
    assert body("  v2 = not v1, v1\n  ret") == ["not takes 1 operands, got 2"]


def test_missing_attribute():
    m, fn, second = _two_consts()
    del second.attrs["value"]
    assert [e.message for e in check_module(m)] == ["const is missing attribute value"]


def test_unknown_attribute():
    m, fn, second = _two_consts()
    second.attrs["color"] = 3
    assert [e.message for e in check_module(m)] == ["const has unknown attribute color"]


def test_attribute_kind():
    m, fn, second = _two_consts()
    second.attrs["type"] = "i32"
    assert [e.message for e in check_module(m)] == ["attribute type of const must be a type, got 'i32'"]


def test_callee_must_exist():
    m = parse_module("fn @g() -> void {\nb0:\n  call @g !1:1\n  ret\n}\n")
    m.functions["g"].blocks[0].instrs[0].attrs["callee"] = "h"
    assert [e.message for e in check_module(m)] == ["attribute callee of call names unknown function @h"]


def test_global_must_exist():
    m = parse_module(DECLS + "fn @f() -> void {\nb0:\n  v0 = gget @g\n  ret\n}\n")
    m.functions["f"].blocks[0].instrs[0].attrs["global"] = "nope"
    assert [e.message for e in check_module(m)] == ["attribute global of gget names unknown global @nope"]


def test_result_type_must_match_rule():
    m, fn, second = _two_consts()
    second.result.type = T.I64
    assert [e.message for e in check_module(m)] == ["v1 is i64, but const produces i32"]


def test_no_result_for_op_without_one():
    m = parse_module("fn @f(v0: cell<i32>, v1: i32) -> void {\nb0:\n  cell.set v0, v1\n  ret\n}\n")
    instr = m.functions["f"].blocks[0].instrs[0]
    instr.result = Value(5, T.I32, instr)
    assert [e.message for e in check_module(m)] == ["cell.set has no result, but defines v5"]


def test_void_call_has_no_result():
    m = parse_module("fn @g() -> void {\nb0:\n  call @g !1:1\n  ret\n}\n")
    instr = m.functions["g"].blocks[0].instrs[0]
    instr.result = Value(5, T.I32, instr)
    assert [e.message for e in check_module(m)] == ["call produces no value here, but defines v5"]


def test_missing_result():
    m, fn, second = _two_consts()
    second.result = None
    assert [e.message for e in check_module(m)] == ["const produces a i32 value, but has no result"]


def test_may_fail_needs_location():
    assert body("  v2 = add.i32 v0, v0\n  ret") == ["add may fail but has no source location"]


def test_unsigned_add_cannot_fail():
    assert body("  v2 = cast.u32 v0\n  v3 = add.u32 v2, v2\n  ret") == []


def test_unknown_struct_type():
    m = Module()
    fn = new_function(m, "f", [T.Struct("Nope")], T.VOID)
    Builder(m, fn).ret()
    assert [e.message for e in check_function(fn, m)] == ["v0: unknown struct %Nope"]


# ---------------------------------------------------------------- per-family type rules
@pytest.mark.parametrize("lines, expected", [
    ("v2 = add.bool v1, v1 !1:1", "add needs a numeric suffix, got bool"),
    ("v2 = sub.i64 v0, v0 !1:1", "operand 0 (v0) is i32, expected i64"),
    ("v2 = const.f64 1.0\n  v3 = band.f64 v2, v2", "band needs an integer suffix, got f64"),
    ("v2 = bnot.i32 v1", "operand 0 (v1) is bool, expected i32"),
    ("v2 = shl.i32 v0, v1 !1:1", "operand 1 (v1) is bool, expected an integer type"),
    ("v2 = const.i64 1\n  v3 = neg.i32 v2 !1:1", "operand 0 (v2) is i64, expected i32 or u32"),
    ("v2 = not v0", "operand 0 (v0) is i32, expected bool"),
    ("v2 = eq v0, v1", "eq cannot compare i32 with bool"),
    ("v2 = lt v1, v1", "lt cannot order bool and bool"),
    ("v2 = const.str \"a\"\n  v3 = cast.i32 v2 !1:1", "cannot cast str to i32"),
    ("v2 = array.new.[i32]\n  v3 = cast.str v2", "cannot cast [i32] to str"),
])
def test_arithmetic_compare_cast_rules(lines, expected):
    assert body(f"  {lines}\n  ret") == [expected]


@pytest.mark.parametrize("lines", [
    "v2 = shl.i64 v3, v0 !1:1",                    # shift count of another int type
    "v2 = cast.u32 v0\n  v4 = neg.i32 v2 !1:1",     # neg of the unsigned counterpart
    "v2 = const.f64 1.5\n  v4 = ge v0, v2",         # mixed numeric comparison
    "v2 = const.str \"a\"\n  v4 = le v2, v2",       # strings are ordered
    "v2 = eq v1, v1",                               # bools compare for equality
    "v2 = cast.str v1",
])
def test_family_rules_accept(lines):
    assert body(f"  v3 = cast.i64 v0\n  {lines}\n  ret") == []


@pytest.mark.parametrize("lines, expected", [
    ("v2 = const.i32 2147483648", "2147483648 is not a i32 constant"),
    ("v2 = const.u32 -1", "-1 is not a u32 constant"),
])
def test_const_range(lines, expected):
    assert body(f"  {lines}\n  ret") == [expected]


def test_const_str_is_bytes_and_const_type_is_primitive():
    m, fn, second = _two_consts()
    second.attrs.update(type=T.STR, value="text")
    second.result.type = T.STR
    assert [e.message for e in check_module(m)] == ["'text' is not a str constant"]
    second.attrs["type"] = second.result.type = T.Array(T.I32)
    assert [e.message for e in check_module(m)] == ["const cannot have type [i32]"]


@pytest.mark.parametrize("lines, sig, expected", [
    ("br v0, b1, b1\nb1:\n  ret", "(v0: i32) -> void", "operand 0 (v0) is i32, expected bool"),
    ("ret", "(v0: i32) -> i32", "ret in a function returning i32 takes 1 values, got 0"),
    ("ret v0", "(v0: i32) -> void", "ret in a function returning void takes 0 values, got 1"),
    ("ret v0", "(v0: i32) -> i64", "operand 0 (v0) is i32, expected i64"),
    ("raise v0 !1:1", "(v0: i32) -> void", "operand 0 (v0) is i32, expected error"),
])
def test_terminator_rules(lines, sig, expected):
    found = body(f"  {lines}", sig)
    assert found[0] == expected


@pytest.mark.parametrize("lines, expected", [
    ("v2 = call @h v0 !1:1", "@h takes 2 values, got 1"),
    ("v2 = call @h v1, v1 !1:1", "operand 0 (v1) is bool, expected i32"),
    ("v2 = closure @h v0\n  v3 = call.ind v2, v0 !1:1", "operand 1 (v0) is i32, expected bool"),
    ("v2 = closure @h v1", "operand 0 (v1) is bool, expected i32"),
    ("v2 = spawn @h v0", "@h takes 2 values, got 1"),
    ("v2 = cell.new v0\n  cell.set v2, v1", "operand 1 (v1) is bool, expected i32"),
    ("gset @g v1", "operand 0 (v1) is bool, expected i32"),
])
def test_call_cell_global_rules(lines, expected):
    decl = "fn @h(v0: i32, v1: bool) -> i32 captures 1 {\nb0:\n  ret v0\n}\n"
    found = errors(decl + f"fn @f(v0: i32, v1: bool) -> void {{\nb0:\n  {lines}\n  ret\n}}\n")
    assert found == [expected]


@pytest.mark.parametrize("lines, expected", [
    ("v3 = new.%P v0, v0", "operand 1 (v0) is i32, expected str"),
    ("v3 = new.i32 v0", "new needs a struct suffix, got i32"),
    ("fset 1 v2, v0", "operand 1 (v0) is i32, expected str"),
    ("v3 = enum.new.%E 0 v1", "operand 0 (v1) is bool, expected i32"),
    ("v3 = enum.new.%E 2", "variant 2 out of range for %E"),
    ("v3 = enum.tag v2", "operand 0 (v2) is %P, expected an enum"),
])
def test_struct_enum_rules(lines, expected):
    found = errors(f"fn @f(v0: i32, v1: bool, v2: %P) -> void {{\nb0:\n  {lines}\n  ret\n}}\n")
    assert found == [expected]


@pytest.mark.parametrize("lines, expected", [
    ("v3 = array.new.[i32] v0, v1", "operand 1 (v1) is bool, expected i32"),
    ("v3 = array.fill.[bool] v1, v1 !1:1", "operand 1 (v1) is bool, expected an integer type"),
    ("v3 = array.len v0", "operand 0 (v0) is i32, expected an array"),
    ("v3 = array.get v2, v1 !1:1", "operand 1 (v1) is bool, expected an integer type"),
    ("array.set v2, v0, v1 !1:1", "operand 2 (v1) is bool, expected i32"),
    ("array.push v2, v1", "operand 1 (v1) is bool, expected i32"),
    ("v3 = array.slice 0 v2, v0, v1, v0 !1:1", "operand 2 (v1) is bool, expected an integer type"),
    ("v3 = str.concat v0, v0", "operand 0 (v0) is i32, expected str; operand 1 (v0) is i32, expected str"),
    ("v3 = str.get v0, v0 !1:1", "operand 0 (v0) is i32, expected str"),
    ("v3 = cast.str v0\n  v4 = str.slice 1 v3, v0, v0, v1 !1:1", "operand 3 (v1) is bool, expected an integer type"),
    ("print 1 v0", "operand 0 (v0) is i32, expected str"),
    ("print 1", "print with a format needs the format string as operand 0"),
])
def test_array_string_print_rules(lines, expected):
    found = errors(f"fn @f(v0: i32, v1: bool, v2: [i32]) -> void {{\nb0:\n  {lines}\n  ret\n}}\n")
    assert found == expected.split("; ")


def raw(name: str, args: list[int], result: T.Type | None, **attrs) -> list[str]:
    """Errors after inserting an instruction the reader could not type into
    `@f(v0: i32, v1: bool, v2: %P, v3: %E)`; `args` index its params."""
    m = parse_module(DECLS + "fn @f(v0: i32, v1: bool, v2: %P, v3: %E) -> void {\nb0:\n  ret\n}\n")
    fn = m.functions["f"]
    instr = Instr(OP_BY_NAME[name], [fn.params[k] for k in args], None, attrs, loc=(1, 1), block=fn.entry)
    instr.result = result and Value(9, result, instr)
    fn.entry.instrs.insert(0, instr)
    return [e.message for e in check_module(m)]


@pytest.mark.parametrize("name, args, attrs, expected", [
    ("call.ind", [0], {}, "operand 0 (v0) is i32, expected a function type"),
    ("cell.get", [0], {}, "operand 0 (v0) is i32, expected a cell"),
    ("fget", [0], {"index": 0}, "operand 0 (v0) is i32, expected a struct"),
    ("fget", [2], {"index": 2}, "field index 2 out of range for %P"),
    ("fset", [2, 0], {"index": -1}, "field index -1 out of range for %P"),
    ("enum.get", [3], {"variant": 1, "index": 0}, "payload index 0 out of range for variant 1"),
    ("enum.get", [3], {"variant": 5, "index": 0}, "variant 5 out of range for %E"),
    ("array.pop", [1], {}, "operand 0 (v1) is bool, expected an array"),
    ("spawn.ind", [0], {}, "operand 0 (v0) is i32, expected a function type"),
])
def test_rules_on_untypeable_instructions(name, args, attrs, expected):
    assert raw(name, args, T.I32 if name != "fset" else None, **attrs) == [expected]


# ---------------------------------------------------------------- module level and assert_valid
def test_module_level_errors():
    m = parse_module("struct %S { a: i32 }\nglobal @v: void\n")
    m.structs["S"].fields.append(("b", T.Enum("Gone")))
    fn = m.add(Function("f", [], T.VOID))
    m.functions["renamed"] = fn
    assert [e.message for e in check_module(m)] == [
        "struct %S: unknown enum %Gone", "global @v: a global cannot be void",
        "function has no blocks", "function @f is registered as @renamed", "function has no blocks"]


def test_assert_valid_places_errors_next_to_ops():
    m = parse_module("fn @f(v0: i32) -> i32 {\nb0(v0: i32):\n  v1 = div.i32 v0, v0\n  v2 = not v0\n  ret v1\n}\n")
    with pytest.raises(IRVerifyError) as info:
        assert_valid(m, after="const-fold")
    assert str(info.value) == """\
invalid IR after const-fold: 2 errors
fn @f(v0: i32) -> i32 {
b0(v0: i32):
  v1 = div.i32 v0, v0  ; ERROR: div may fail but has no source location
  v2 = not v0  ; ERROR: operand 0 (v0) is i32, expected bool
  ret v1
}"""


def test_assert_valid_on_function_needs_module():
    m = parse_module("fn @f() -> void {\nb0:\n  ret\n}\n")
    assert_valid(m.functions["f"], module=m)
    with pytest.raises(TypeError):
        assert_valid(m.functions["f"])


def test_large_function_is_checked_quickly():
    """A 3000-block chain: no recursion limit, and linear-ish work."""
    m = Module()
    fn = new_function(m, "f", [T.I32], T.I32)
    b = Builder(m, fn)
    v = fn.params[0]
    for _ in range(3000):
        nxt = b.new_block(T.I32)
        b.jmp(nxt, b.emit("band", [v, v], type=T.I32))
        b.position_at(nxt)
        v = nxt.params[0]
    b.ret(v)
    assert check_module(m) == []


# ---------------------------------------------------------------- remaining structural rules
def test_block_listed_twice_and_block_numbers_unique():
    m = parse_module("fn @f() -> void {\nb0:\n  jmp b1\nb1:\n  ret\n}\n")
    fn = m.functions["f"]
    fn.blocks.append(fn.blocks[1])
    assert "b1 appears twice in the block list" in [e.message for e in check_module(m)]
    fn.blocks[2] = Block(1, [], [Instr(OP_BY_NAME["ret"], [])])
    fn.blocks[2].instrs[0].block = fn.blocks[2]
    assert [e.message for e in check_module(m)] == ["two blocks are numbered b1"]


def test_location_shape():
    m = parse_module("fn @f(v0: i32) -> void {\nb0:\n  v1 = neg.i32 v0 !1:2\n  ret\n}\n")
    m.functions["f"].entry.instrs[0].loc = (1, "2")
    assert [e.message for e in check_module(m)] == ["location (1, '2') is not (line, col)"]


def test_operand_must_be_a_value():
    m, fn, second = _two_consts()
    fn.entry.instrs.insert(2, Instr(OP_BY_NAME["not"], [None], Value(7, T.BOOL), block=fn.entry))
    assert [e.message for e in check_module(m)] == [
        "operand None is not defined in this function", "an operand is not a value"]


def test_flag_attribute_is_bool():
    m = parse_module(DECLS + "fn @f() -> void {\nb0:\n  v0 = gget @g !1:1\n  ret\n}\n")
    m.functions["f"].entry.instrs[0].attrs["checked"] = 1
    assert [e.message for e in check_module(m)] == ["attribute checked of gget must be a bool, got 1"]


def test_checked_gget_may_fail():
    assert errors("global @h: i32 checked\nfn @f() -> void {\nb0:\n  v0 = gget @h checked\n  ret\n}\n") == [
        "gget may fail but has no source location"]


def test_captures_within_params():
    m = parse_module("fn @f(v0: i32) -> void captures 2 {\nb0:\n  ret\n}\n")
    assert [e.message for e in check_module(m)] == ["captures 2 but has 1 params"]


def test_void_value():
    m, fn, second = _two_consts()
    fn.entry.params.append(Value(8, T.VOID, fn.entry))
    fn.params = fn.entry.params
    assert [e.message for e in check_module(m)] == ["v8 has type void"]


def test_broken_instruction_still_prints():
    m, fn, second = _two_consts()
    del second.attrs["value"]
    with pytest.raises(IRVerifyError) as info:
        assert_valid(fn, module=m)
    assert "  v1 = const.i32 ?value  ; ERROR: const is missing attribute value\n" in str(info.value)


@pytest.mark.parametrize("lines, expected", [
    ("v3 = array.repeat v2, v1 !1:1", "operand 1 (v1) is bool, expected an integer type"),
    ("v3 = array.fill.i32 v0, v0 !1:1", "array.fill needs an array suffix, got i32"),
    ("v3 = str.len v2", "operand 0 (v2) is [i32], expected str"),
    ("v3 = enum.new.[i32] 0", "enum.new needs an enum suffix, got [i32]"),
    ("v3 = const.i32 1\n  v4 = shr.u32 v3, v3 !1:1", "operand 0 (v3) is i32, expected u32"),
])
def test_more_family_rules(lines, expected):
    found = errors(f"fn @f(v0: i32, v1: bool, v2: [i32]) -> void {{\nb0:\n  {lines}\n  ret\n}}\n")
    assert found == [expected]
