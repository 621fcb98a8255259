/* str.c: Orus strings (byte strings): concatenation, indexing, slices, comparison,
 * and the `x as string` texts of scalars (orus_str_new itself is in types.c).
 *
 * A string is OrusStr { ty, len, data[len + 1] } with a NUL after the bytes (the
 * bytes themselves may contain NULs). Strings are immutable, so nothing here
 * distinguishes identity: `s[i]` returns one of 256 shared one-byte strings that
 * live outside the collected heap (orus_rt.h allows static objects; the collector
 * ignores pointers not into its heap, and these point only at orus_ty_str).
 *
 * Messages and check order are tier 0's: backend/interp/errors.py (STRING_NEG,
 * STRING_OOB) and backend/interp/emit.py (_slice with what = "String").
 *
 * GC discipline: an allocation may collect; the argument strings stay alive
 * because they are in this frame (the stack is scanned conservatively).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "gc.h"
#include "internal.h"

/* A new string object of `len` bytes, NUL-terminated; the caller writes every byte
 * (the block is not cleared, see orus_gc_alloc_data). Owner: the heap. May GC. */
static OrusStr *str_alloc(int64_t len) {
    OrusStr *s = orus_gc_alloc_data(&orus_ty_str, sizeof(OrusStr) + (size_t)len + 1);
    s->len = len;
    s->data[len] = 0;
    return s;
}

/* a + b. Owner: the heap. May GC. */
OrusStr *orus_str_concat(OrusStr *a, OrusStr *b) {
    OrusStr *s = str_alloc(a->len + b->len);
    memcpy(s->data, a->data, (size_t)a->len);
    memcpy(s->data + a->len, b->data, (size_t)b->len);
    return s;
}

/* Appending in place (orus_rt.h). A string grows by doubling, so a loop of appends
 * copies each byte O(1) times; a static string (a literal: outside the heap) or one
 * without room is copied into a new block first. */
OrusStr *orus_str_reserve(OrusStr *s, int64_t extra) {
    size_t block = 0;
    int64_t need = s->len + extra;
    if (orus_gc_find(s, &block) == (void *)s && (int64_t)sizeof(OrusStr) + need + 1 <= (int64_t)block)
        return s;
    int64_t room = need < 24 ? 24 : 2 * need;
    OrusStr *t = orus_gc_alloc_data(&orus_ty_str, sizeof(OrusStr) + (size_t)room + 1);
    t->len = s->len;
    memcpy(t->data, s->data, (size_t)s->len);
    return t;
}

/* The 256 one-byte strings, each in a 24-byte slot {ty, len = 1, byte, NUL}.
 * malloc'd memory (not a static char array) so that using it as OrusStr objects
 * is plain C; built once per process (pthread_once: oroutines may run on several
 * threads) and kept for its life, since compiled code may hold on to them across
 * runs of orus_rt_init. */
#define BYTE_SLOT 24
static char *one_bytes;
static pthread_once_t one_bytes_once = PTHREAD_ONCE_INIT;

static void make_one_bytes(void) {
    char *t = calloc(256, BYTE_SLOT);
    if (t == NULL) {
        orus_buf_out_of_memory();
    }
    for (int k = 0; k < 256; k++) {
        OrusStr *s = (OrusStr *)(void *)(t + k * BYTE_SLOT);
        s->ty = &orus_ty_str;
        s->len = 1;
        s->data[0] = (char)k;
    }
    __atomic_store_n(&one_bytes, t, __ATOMIC_RELEASE);
}

/* The table once built is read without pthread_once (a call per `s[i]`, measured). */
static OrusStr *one_byte(unsigned char c) {
    char *t = __atomic_load_n(&one_bytes, __ATOMIC_ACQUIRE);
    if (t == NULL) {
        pthread_once(&one_bytes_once, make_one_bytes);
        t = __atomic_load_n(&one_bytes, __ATOMIC_ACQUIRE);
    }
    return (OrusStr *)(void *)(t + c * BYTE_SLOT);
}

/* s[i] as a one-byte string (shared, never freed). Fails with a type error for a
 * negative index and an index error past the end, as tier 0. May GC only when it
 * fails (the error object). */
OrusStr *orus_str_get(OrusStr *s, int64_t i) {
    if (i < 0) {
        orus_fail(ORUS_ERR_TYPE, "String index must be a non-negative integer");
        return NULL;
    }
    if (i >= s->len) {
        orus_fail(ORUS_ERR_INDEX, "String index out of bounds");
        return NULL;
    }
    return one_byte((unsigned char)s->data[i]);
}

/* s[lo..hi..step] (hi included when inclusive), spec 4.6, checks in emit._slice's
 * order. Owner: the heap. May GC, may fail. */
OrusStr *orus_str_slice(OrusStr *s, int64_t lo, int64_t hi, int64_t step, int32_t inclusive) {
    int64_t count = orus_slice_count("String", s->len, lo, hi, step, inclusive);
    if (count < 0)
        return NULL;
    OrusStr *r = str_alloc(count);
    if (step == 1) {
        memcpy(r->data, s->data + lo, (size_t)count);
    } else {
        for (int64_t k = 0; k < count; k++)
            r->data[k] = s->data[lo + k * step];
    }
    return r;
}

/* 1 when a and b hold the same bytes. No GC. */
int32_t orus_str_eq(OrusStr *a, OrusStr *b) {
    if (a == b)
        return 1;
    return a->len == b->len && memcmp(a->data, b->data, (size_t)a->len) == 0;
}

/* Bytewise order, a proper prefix first: -1, 0 or 1. No GC. */
int32_t orus_str_cmp(OrusStr *a, OrusStr *b) {
    int64_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->data, b->data, (size_t)n) : 0;
    if (c != 0)
        return c < 0 ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
}

/* The text in b as a new string; frees b. Owner: the heap. May GC. */
static OrusStr *from_buf(OrusBuf *b) {
    OrusStr *s = str_alloc((int64_t)b->len);
    if (b->len)
        memcpy(s->data, b->data, b->len);
    orus_buf_free(b);
    return s;
}

/* `x as string` (casts._to_string) for each scalar: decimal integers, print's f64
 * text (floatfmt.format_f64), true/false. Owner: the heap. May GC. */
OrusStr *orus_str_from_i64(int64_t v) {
    OrusBuf b;
    orus_buf_init(&b);
    orus_fmt_i64(&b, v);
    return from_buf(&b);
}

OrusStr *orus_str_from_u64(uint64_t v) {
    OrusBuf b;
    orus_buf_init(&b);
    orus_fmt_u64(&b, v);
    return from_buf(&b);
}

OrusStr *orus_str_from_f64(double v) {
    OrusBuf b;
    orus_buf_init(&b);
    orus_fmt_f64(&b, v);
    return from_buf(&b);
}

OrusStr *orus_str_from_bool(int32_t v) {
    return v ? orus_str_new("true", 4) : orus_str_new("false", 5);
}
