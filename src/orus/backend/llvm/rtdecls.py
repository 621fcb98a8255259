"""Declarations of the C runtime's entry points and globals, as compiled code sees them.

`RUNTIME_FUNCTIONS` mirrors the prototypes of runtime/include/orus_rt.h that compiled
code calls (tests/llvm/test_rtdecls.py parses the header and checks every entry
against it). `RuntimeDecls(llmod).fn(name)` declares one on first use, so a module
mentions only the runtime functions it needs; `glob(name)` declares an extern
global (`orus_status`, `orus_ty_i32`, ...).

Types are spelled as in LLVM: ptr i32 i64 double void (size_t is i64 here; the
runtime is only built for 64-bit targets).
"""

from __future__ import annotations

from llvmlite import ir

from orus.backend.llvm.datamodel import F64, I32, I64, PTR, VOID

_T = {"ptr": PTR, "i32": I32, "i64": I64, "double": F64, "void": VOID}

# name -> (result, params)
RUNTIME_FUNCTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    # errors
    "orus_trap": ("void", ("ptr", "i32", "ptr")),
    "orus_trap_stack_overflow": ("void", ()),
    "orus_err_locate": ("void", ("ptr",)),
    "orus_err_take": ("ptr", ()),
    "orus_err_raise": ("void", ("ptr",)),
    # memory
    "orus_gc_alloc": ("ptr", ("ptr", "i64")),
    "orus_gc_alloc_data": ("ptr", ("ptr", "i64")),
    "orus_gc_add_roots": ("void", ("ptr", "i32")),
    "orus_gc_write_barrier": ("void", ("ptr",)),
    # strings
    "orus_str_concat": ("ptr", ("ptr", "ptr")),
    "orus_str_reserve": ("ptr", ("ptr", "i64")),
    "orus_str_get": ("ptr", ("ptr", "i64")),
    "orus_str_slice": ("ptr", ("ptr", "i64", "i64", "i64", "i32")),
    "orus_str_eq": ("i32", ("ptr", "ptr")),
    "orus_str_cmp": ("i32", ("ptr", "ptr")),
    "orus_str_from_i64": ("ptr", ("i64",)),
    "orus_str_from_u64": ("ptr", ("i64",)),
    "orus_str_from_f64": ("ptr", ("double",)),
    "orus_str_from_bool": ("ptr", ("i32",)),
    # arrays
    "orus_array_new": ("ptr", ("ptr", "i32")),
    "orus_array_fill": ("ptr", ("ptr", "i64", "i64")),
    "orus_array_push": ("void", ("ptr", "i64")),
    "orus_array_pop": ("i64", ("ptr",)),
    "orus_array_slice": ("ptr", ("ptr", "i64", "i64", "i64", "i32")),
    "orus_array_repeat": ("ptr", ("ptr", "i64")),
    # print and builtins
    "orus_print": ("void", ("i32", "ptr", "ptr", "i32")),
    "orus_equal": ("i32", ("ptr", "i64", "i64")),
    "orus_sorted": ("ptr", ("ptr",)),
    "orus_range": ("ptr", ("i32", "ptr", "ptr")),
    "orus_range_has": ("i32", ("ptr",)),
    "orus_range_next": ("i64", ("ptr",)),
    "orus_input": ("ptr", ("ptr", "i64")),
    "orus_int": ("i32", ("ptr", "i64")),
    "orus_float": ("double", ("ptr", "i64")),
    "orus_typeof": ("ptr", ("ptr", "i64")),
    "orus_istype": ("i32", ("ptr", "i64", "ptr")),
    "orus_assert_eq": ("i32", ("ptr", "ptr", "i64", "i64")),
    "orus_timestamp": ("double", ()),
    "orus_destructure_check": ("void", ("ptr", "i32")),
}

# Globals compiled code reads: name -> LLVM type of the variable.
RUNTIME_GLOBALS: dict[str, str] = {
    "orus_status": "i32",
    "orus_stack_limit": "ptr",
    **{f"orus_ty_{n}": "ptr" for n in ("i32", "i64", "u32", "u64", "f64", "bool", "str", "range",
                                       "error", "void", "task", "chan")},
}
# Descriptors are structs in C; compiled code only takes their address, so their LLVM
# type is irrelevant (declared as an opaque i8 here).


class RuntimeDecls:
    """Declares runtime functions and globals in one LLVM module on first use."""

    def __init__(self, llmod: ir.Module):
        self.llmod = llmod
        self._fns: dict[str, ir.Function] = {}
        self._globals: dict[str, ir.GlobalVariable] = {}

    def fn(self, name: str) -> ir.Function:
        if name not in self._fns:
            result, params = RUNTIME_FUNCTIONS[name]
            fnty = ir.FunctionType(_T[result], [_T[p] for p in params])
            f = ir.Function(self.llmod, fnty, name)
            f.attributes.add("nounwind")
            self._fns[name] = f
        return self._fns[name]

    def glob(self, name: str) -> ir.GlobalVariable:
        if name not in self._globals:
            kind = RUNTIME_GLOBALS[name]
            ty = ir.IntType(8) if name.startswith("orus_ty_") else _T[kind]
            g = ir.GlobalVariable(self.llmod, ty, name)
            g.linkage = "external"
            self._globals[name] = g
        return self._globals[name]
