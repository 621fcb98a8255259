"""Descriptors and static objects (backend/llvm/descriptors.py) as the C runtime sees them.

The emitted globals are compiled to an object file with llvmlite and linked by gcc
with a C program that includes orus_rt.h, walks the descriptors through the C
structs and prints them, together with `offsetof`/`sizeof` of hand-written C
structs equivalent to the IR structs. So a layout that disagrees with the C
compiler (field order, padding, OrusField's size, a variant's object size) fails
here, not in the collector.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

llvm = pytest.importorskip("llvmlite.binding")

from llvmlite import ir  # noqa: E402

from orus.backend.llvm import datamodel as D  # noqa: E402
from orus.backend.llvm.emit import ModuleEmitter  # noqa: E402
from orus.ir import types as T  # noqa: E402
from orus.ir.reader import parse_module  # noqa: E402

INCLUDE = Path(__file__).resolve().parents[2] / "src/orus/runtime/include"

IR = '''
struct %Node { val: i32, kids: [%Node], ok: bool, name: str, w: f64 }
struct %Mixed { a: bool, b: i64, c: bool, d: i32, e: u32, f: bool }
struct %Pt$2 "Pt" { x: i32 }
enum %List<i32> "List" { Cons(i32, %List<i32>), Nil() }
enum %Flag "Flag" { On(bool, i64, bool), Off() }
fn @main() -> void {
b0:
  ret
}
fn @inner(v0: i32, v1: cell<str>, v2: bool, v3: f64) -> i32 captures 3 name "inner" {
b0:
  ret v0
}
fn @lam(v0: bool) -> bool {
b0:
  ret v0
}
'''

# The C side: the runtime's scalar descriptors, C equivalents of the IR structs, a walker.
C_MAIN = r'''
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include "orus_rt.h"

const OrusTy orus_ty_i32 = {ORUS_T_I32, 0, "i32", 0, 0, 0, 0, 0};
const OrusTy orus_ty_i64 = {ORUS_T_I64, 0, "i64", 0, 0, 0, 0, 0};
const OrusTy orus_ty_u32 = {ORUS_T_U32, 0, "u32", 0, 0, 0, 0, 0};
const OrusTy orus_ty_u64 = {ORUS_T_U64, 0, "u64", 0, 0, 0, 0, 0};
const OrusTy orus_ty_f64 = {ORUS_T_F64, 0, "f64", 0, 0, 0, 0, 0};
const OrusTy orus_ty_bool = {ORUS_T_BOOL, 0, "bool", 0, 0, 0, 0, 0};
const OrusTy orus_ty_str = {ORUS_T_STR, 0, "str", 0, 0, 0, 0, 0};
const OrusTy orus_ty_range = {ORUS_T_RANGE, 0, "range", 0, 0, 0, 0, 0};
const OrusTy orus_ty_error = {ORUS_T_ERROR, 0, "error", 0, 0, 0, 0, 0};

struct Node { const OrusTy *ty; int32_t val; OrusArray *kids; int8_t ok; OrusStr *name; double w; };
struct Mixed { const OrusTy *ty; int8_t a; int64_t b; int8_t c; int32_t d; uint32_t e; int8_t f; };
struct Cons { const OrusTy *ty; int32_t tag; int32_t head; void *tail; };
struct Nil { const OrusTy *ty; int32_t tag; };
struct On { const OrusTy *ty; int32_t tag; int8_t a; int64_t b; int8_t c; };
struct Inner { const OrusTy *ty; void *code; int32_t v0; void *v1; int8_t v2; };
struct CellB { const OrusTy *ty; int8_t v; };

extern const OrusTy *const test_descs[];
extern const int32_t test_ndescs;
extern const OrusStr test_str;
extern const OrusSite test_site;
extern const struct Nil test_nil;
extern const struct { const OrusTy *ty; void *code; } test_fnval;
extern int32_t test_code(void *self, int32_t x);

static const char *nm(const char *s) { return s ? s : "NULL"; }

static void ref(const OrusTy *t) {
    for (int32_t i = 0; i < test_ndescs; i++)
        if (test_descs[i] == t) { printf("#%d", i); return; }
    if (t->kind == ORUS_T_ARRAY) { printf("["); ref(t->elem); printf("]"); return; }
    printf("%s", nm(t->name));
}

static void dump(const OrusTy *t) {
    printf("kind=%u size=%u name=%s elem=", t->kind, t->size, nm(t->name));
    if (t->elem) ref(t->elem); else printf("NULL");
    printf(" nfields=%u nvariants=%u\n", t->nfields, t->nvariants);
    for (uint32_t k = 0; k < t->nfields; k++) {
        printf("  field %s ", nm(t->fields[k].name));
        ref(t->fields[k].type);
        printf(" @%u\n", t->fields[k].offset);
    }
    for (uint32_t v = 0; v < t->nvariants; v++) {
        const OrusVariant *var = &t->variants[v];
        printf("  variant %s size=%u nfields=%u%s\n", var->name, var->size, var->nfields,
               var->nfields == 0 && var->fields == NULL ? " fields=NULL" : "");
        for (uint32_t k = 0; k < var->nfields; k++) {
            printf("    payload %s ", nm(var->fields[k].name));
            ref(var->fields[k].type);
            printf(" @%u\n", var->fields[k].offset);
        }
    }
}

int main(void) {
    for (int32_t i = 0; i < test_ndescs; i++) { printf("#%d ", i); dump(test_descs[i]); }
    printf("C Node %zu %zu %zu %zu %zu %zu\n", offsetof(struct Node, val), offsetof(struct Node, kids),
           offsetof(struct Node, ok), offsetof(struct Node, name), offsetof(struct Node, w), sizeof(struct Node));
    printf("C Mixed %zu %zu %zu %zu %zu %zu %zu\n", offsetof(struct Mixed, a), offsetof(struct Mixed, b),
           offsetof(struct Mixed, c), offsetof(struct Mixed, d), offsetof(struct Mixed, e),
           offsetof(struct Mixed, f), sizeof(struct Mixed));
    printf("C Cons %zu %zu %zu\n", offsetof(struct Cons, head), offsetof(struct Cons, tail), sizeof(struct Cons));
    printf("C Nil %zu\n", sizeof(struct Nil));
    printf("C On %zu %zu %zu %zu\n", offsetof(struct On, a), offsetof(struct On, b), offsetof(struct On, c),
           sizeof(struct On));
    printf("C Inner %zu %zu %zu %zu\n", offsetof(struct Inner, v0), offsetof(struct Inner, v1),
           offsetof(struct Inner, v2), sizeof(struct Inner));
    printf("C CellB %zu %zu\n", offsetof(struct CellB, v), sizeof(struct CellB));
    printf("str ty=%s len=%lld bytes=", test_str.ty == &orus_ty_str ? "str" : "?", (long long)test_str.len);
    for (int64_t k = 0; k <= test_str.len; k++) printf("%02x", (unsigned char)test_str.data[k]);
    printf("\nsite %s %d %d %s\n", test_site.file, test_site.line, test_site.col, test_site.op);
    printf("nil ");
    ref(test_nil.ty);
    printf(" tag=%d\n", test_nil.tag);
    printf("fnval ");
    ref(test_fnval.ty);
    printf(" code=%s\n", test_fnval.code == (void *)test_code ? "test_code" : "?");
    return 0;
}
'''


class _Alias(ir.GlobalValue):
    """`@name = alias i8, ptr @target`: an external name the C side can declare with the
    object's C type (the descriptors' own globals stay internal)."""

    def __init__(self, llmod: ir.Module, name: str, target: ir.Constant):
        super().__init__(llmod, D.PTR, name)
        self.target = target
        llmod.add_global(self)

    def descr(self, buf):
        buf.append(f"alias i8, ptr {self.target.get_reference()}\n")


def _export(llmod: ir.Module, name: str, value: ir.Constant) -> None:
    _Alias(llmod, name, value)


def _build():
    mod = parse_module(IR)
    m = ModuleEmitter(mod)
    d = m.desc
    node, lst = T.Struct("Node"), T.Enum("List<i32>")
    wanted = [d.ty(node), d.ty(T.Struct("Mixed")), d.ty(lst), d.ty(T.Array(node)), d.ty(T.Enum("Flag")),
              d.closure_layout(mod.functions["inner"]), d.closure_layout(mod.functions["lam"]),
              d.cell_layout(T.BOOL), d.ty(T.cell(T.STR)), d.ty(T.Fn((T.I32,), T.BOOL)),
              d.ty(T.Array(T.Array(T.I64))), d.ty(T.Struct("Pt$2"))]
    table_t = ir.ArrayType(D.PTR, len(wanted))
    table = ir.GlobalVariable(m.llmod, table_t, "test_descs")
    table.global_constant = True
    table.initializer = ir.Constant(table_t, wanted)
    count = ir.GlobalVariable(m.llmod, D.I32, "test_ndescs")
    count.global_constant = True
    count.initializer = ir.Constant(D.I32, len(wanted))
    code = ir.Function(m.llmod, ir.FunctionType(D.I32, [D.PTR, D.I32]), "test_code")
    ir.IRBuilder(code.append_basic_block()).ret(code.args[1])
    _export(m.llmod, "test_str", d.str_const(b"a\x00b\n"))
    _export(m.llmod, "test_site", d.site("dir/f.orus", 12, 7, "array.get"))
    _export(m.llmod, "test_nil", d.enum_static("List<i32>", 1))
    _export(m.llmod, "test_fnval", d.fn_static(mod.functions["lam"], code))
    return m, wanted


@pytest.fixture(scope="module")
def c_output(tmp_path_factory) -> list[str]:
    if shutil.which("gcc") is None:
        pytest.skip("gcc is needed to compare layouts with C")
    m, _ = _build()
    parsed = llvm.parse_assembly(str(m.llmod))
    parsed.verify()
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    tm = llvm.Target.from_default_triple().create_target_machine(reloc="pic", codemodel="default")
    tmp = tmp_path_factory.mktemp("desc")
    (tmp / "descs.o").write_bytes(tm.emit_object(parsed))
    (tmp / "main.c").write_text(C_MAIN)
    exe = tmp / "walk"
    subprocess.run(["gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", f"-I{INCLUDE}", str(tmp / "main.c"),
                    str(tmp / "descs.o"), "-o", str(exe)], check=True, capture_output=True)
    return subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.splitlines()


def _c_numbers(lines: list[str], name: str) -> list[int]:
    return [int(x) for x in next(ln for ln in lines if ln.startswith(f"C {name} ")).split()[2:]]


def test_descriptors_verify_and_are_cached():
    m, wanted = _build()
    llvm.parse_assembly(str(m.llmod)).verify()
    d = m.desc
    assert d.ty(T.Struct("Node")) is wanted[0]
    assert d.ty(T.I32) is m.rt.glob("orus_ty_i32")
    assert d.ty(T.Opaque("task", T.I32)) is m.rt.glob("orus_ty_task")
    assert d.ty(T.Opaque("chan", T.STR)) is m.rt.glob("orus_ty_chan")
    assert d.ty(T.cell(T.BOOL)) is d.cell_layout(T.BOOL)
    assert d.str_const(b"x") is d.str_const(b"x") and d.str_const(b"x") is not d.str_const(b"y")
    assert d.site("f", 1, 2, "div") is d.site("f", 1, 2, "div")
    assert d.site("f", 1, 2, "div") is not d.site("f", 1, 2, "rem")
    assert d.cstring("ab") is d.cstring(b"ab")
    kinds = ("ty", "fields", "variants", "closure", "cell", "cstr", "str", "site", "enumval", "fnval")
    for g in m.llmod.global_values:
        if g.name.split(".")[:2] in [["orus", k] for k in kinds]:
            assert g.linkage == "internal" and g.unnamed_addr and g.global_constant, g.name


def test_struct_descriptors_match_c(c_output):
    lines = c_output
    node = lines.index(next(ln for ln in lines if ln.startswith("#0 ")))
    val, kids, ok, name, w, size = _c_numbers(lines, "Node")
    assert lines[node:node + 6] == [
        f"#0 kind=8 size={size} name=Node elem=NULL nfields=5 nvariants=0",
        f"  field val i32 @{val}", f"  field kids #3 @{kids}", f"  field ok bool @{ok}",
        f"  field name str @{name}", f"  field w f64 @{w}"]
    a, b, c, dd, e, f, size = _c_numbers(lines, "Mixed")
    i = lines.index(next(ln for ln in lines if ln.startswith("#1 ")))
    assert lines[i:i + 7] == [
        f"#1 kind=8 size={size} name=Mixed elem=NULL nfields=6 nvariants=0",
        f"  field a bool @{a}", f"  field b i64 @{b}", f"  field c bool @{c}", f"  field d i32 @{dd}",
        f"  field e u32 @{e}", f"  field f bool @{f}"]
    assert "#3 kind=7 size=0 name=NULL elem=#0 nfields=0 nvariants=0" in lines


def test_enum_descriptors_match_c(c_output):
    lines = c_output
    head, tail, cons_size = _c_numbers(lines, "Cons")
    (nil_size,) = _c_numbers(lines, "Nil")
    i = lines.index(next(ln for ln in lines if ln.startswith("#2 ")))
    assert lines[i:i + 6] == [
        "#2 kind=9 size=0 name=List elem=NULL nfields=0 nvariants=2",
        f"  variant Cons size={cons_size} nfields=2", f"    payload NULL i32 @{head}",
        f"    payload NULL #2 @{tail}", f"  variant Nil size={nil_size} nfields=0 fields=NULL",
        next(ln for ln in lines if ln.startswith("#3 "))]
    a, b, c, on_size = _c_numbers(lines, "On")
    i = lines.index(next(ln for ln in lines if ln.startswith("#4 ")))
    assert lines[i:i + 6] == [
        "#4 kind=9 size=0 name=Flag elem=NULL nfields=0 nvariants=2",
        f"  variant On size={on_size} nfields=3", f"    payload NULL bool @{a}",
        f"    payload NULL i64 @{b}", f"    payload NULL bool @{c}",
        "  variant Off size=16 nfields=0 fields=NULL"]
    assert "nil #2 tag=1" in lines


def test_closure_cell_and_fn_descriptors_match_c(c_output):
    lines = c_output
    v0, v1, v2, size = _c_numbers(lines, "Inner")
    i = lines.index(next(ln for ln in lines if ln.startswith("#5 ")))
    assert lines[i:i + 4] == [
        f"#5 kind=11 size={size} name=inner elem=NULL nfields=3 nvariants=0",
        f"  field NULL i32 @{v0}", f"  field NULL #8 @{v1}", f"  field NULL bool @{v2}"]
    assert "#6 kind=11 size=16 name=NULL elem=NULL nfields=0 nvariants=0" in lines
    off, size = _c_numbers(lines, "CellB")
    i = lines.index(next(ln for ln in lines if ln.startswith("#7 ")))
    assert lines[i:i + 2] == [f"#7 kind=12 size={size} name=NULL elem=bool nfields=1 nvariants=0",
                              f"  field NULL bool @{off}"]
    i = lines.index(next(ln for ln in lines if ln.startswith("#8 ")))
    assert lines[i:i + 2] == ["#8 kind=12 size=16 name=NULL elem=str nfields=1 nvariants=0",
                              "  field NULL str @8"]
    assert "#9 kind=10 size=0 name=NULL elem=NULL nfields=0 nvariants=0" in lines
    i = lines.index(next(ln for ln in lines if ln.startswith("#10 ")))
    assert lines[i] == "#10 kind=7 size=0 name=NULL elem=[i64] nfields=0 nvariants=0"
    assert "fnval #6 code=test_code" in lines
    assert "#11 kind=8 size=16 name=Pt elem=NULL nfields=1 nvariants=0" in lines


def test_static_string_and_site(c_output):
    assert "str ty=str len=4 bytes=6100620a00" in c_output
    assert "site dir/f.orus 12 7 array.get" in c_output
