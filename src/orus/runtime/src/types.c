/* types.c: the built-in type descriptors and the loads/stores of values in memory.
 *
 * A value's memory form depends only on its type (orus_rt.h "Values"): bool is one
 * byte, i32/u32 four, every other type eight (i64/u64/f64 bits or an object pointer).
 * Generic runtime code moves values as uint64_t bits: signed integers sign-extended,
 * unsigned zero-extended, bool 0/1. The descriptor names are typeof's texts
 * (backend/interp/printing.py typeof_name), so print.c may show them directly.
 */
#include <string.h>

#include "internal.h"

#define SCALAR(id, k, nm) const OrusTy id = { .kind = (k), .name = (nm) }

SCALAR(orus_ty_i32, ORUS_T_I32, "i32");
SCALAR(orus_ty_i64, ORUS_T_I64, "i64");
SCALAR(orus_ty_u32, ORUS_T_U32, "u32");
SCALAR(orus_ty_u64, ORUS_T_U64, "u64");
SCALAR(orus_ty_f64, ORUS_T_F64, "f64");
SCALAR(orus_ty_bool, ORUS_T_BOOL, "bool");
SCALAR(orus_ty_str, ORUS_T_STR, "string");
SCALAR(orus_ty_range, ORUS_T_RANGE, "range_iterator");
SCALAR(orus_ty_error, ORUS_T_ERROR, "error");
SCALAR(orus_ty_buf, ORUS_T_BUF, "buf");
SCALAR(orus_ty_void, ORUS_T_VOID, "void");
SCALAR(orus_ty_task, ORUS_T_TASK, "Task");
SCALAR(orus_ty_chan, ORUS_T_CHAN, "Channel");

/* The checks of spec 4.6 in tier 0's order (emit.py _slice), each with its own kind.
 * The exclusive end is hi + 1 when inclusive; hi == INT64_MAX must not overflow, so
 * the end-out-of-bounds test is written on hi itself. No GC but the error object. */
int64_t orus_slice_count(const char *what, int64_t n, int64_t lo, int64_t hi, int64_t step,
                         int32_t inclusive) {
    if (lo < 0) {
        orus_fail(ORUS_ERR_TYPE, "%s slice start must be a non-negative integer", what);
        return -1;
    }
    if (lo > n) {
        orus_fail(ORUS_ERR_INDEX, "%s slice start out of bounds", what);
        return -1;
    }
    if (inclusive ? hi >= n : hi > n) {
        orus_fail(ORUS_ERR_INDEX, "%s slice end out of bounds", what);
        return -1;
    }
    int64_t end = inclusive ? hi + 1 : hi;       /* now end <= n: no overflow */
    if (end < lo) {
        orus_fail(ORUS_ERR_INDEX, "%s slice end before start", what);
        return -1;
    }
    if (step <= 0) {
        orus_fail(ORUS_ERR_VALUE, "%s slice step must be positive", what);
        return -1;
    }
    return end > lo ? (end - lo - 1) / step + 1 : 0;
}

uint32_t orus_ty_elem_size(const OrusTy *t) {
    switch (t->kind) {
    case ORUS_T_BOOL:
        return 1;
    case ORUS_T_I32:
    case ORUS_T_U32:
        return 4;
    default:
        return 8;
    }
}

int32_t orus_ty_is_ref(const OrusTy *t) {
    switch (t->kind) {
    case ORUS_T_I32: case ORUS_T_I64: case ORUS_T_U32: case ORUS_T_U64:
    case ORUS_T_F64: case ORUS_T_BOOL: case ORUS_T_VOID:
        return 0;
    default:
        return 1;
    }
}

/* The bits of the value of type t stored at p. memcpy: p may be unaligned for
 * its type only in hand-built test layouts, and it costs nothing when aligned. */
static uint64_t load(const char *p, const OrusTy *t) {
    switch (t->kind) {
    case ORUS_T_BOOL:
        return *(const uint8_t *)p != 0;
    case ORUS_T_I32: {
        int32_t v;
        memcpy(&v, p, 4);
        return (uint64_t)(int64_t)v;
    }
    case ORUS_T_U32: {
        uint32_t v;
        memcpy(&v, p, 4);
        return v;
    }
    default: {
        uint64_t v;
        memcpy(&v, p, 8);
        return v;
    }
    }
}

static void store(char *p, const OrusTy *t, uint64_t v) {
    switch (t->kind) {
    case ORUS_T_BOOL:
        *(uint8_t *)p = v != 0;
        break;
    case ORUS_T_I32:
    case ORUS_T_U32: {
        uint32_t w = (uint32_t)v;
        memcpy(p, &w, 4);
        break;
    }
    default:
        memcpy(p, &v, 8);
        break;
    }
}

uint64_t orus_array_load(const OrusArray *a, int64_t i) {
    const OrusTy *elem = a->ty->elem;
    return load((const char *)a->data + i * orus_ty_elem_size(elem), elem);
}

void orus_array_store(OrusArray *a, int64_t i, uint64_t v) {
    const OrusTy *elem = a->ty->elem;
    store((char *)a->data + i * orus_ty_elem_size(elem), elem, v);
}

uint64_t orus_field_load(const void *obj, uint32_t offset, const OrusTy *t) {
    return load((const char *)obj + offset, t);
}

void orus_field_store(void *obj, uint32_t offset, const OrusTy *t, uint64_t v) {
    store((char *)obj + offset, t, v);
}

/* Owner: the heap. May GC. The string is NUL-terminated after its len bytes. */
OrusStr *orus_str_new(const char *data, int64_t len) {
    OrusStr *s = orus_gc_alloc_data(&orus_ty_str, sizeof(OrusStr) + (size_t)len + 1);
    s->len = len;
    if (len > 0)
        memcpy(s->data, data, (size_t)len);
    s->data[len] = 0;
    return s;
}
