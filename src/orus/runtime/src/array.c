/* array.c: Orus arrays [T]: creation, growth (push/pop), slices, repetition.
 *
 * An array object is OrusArray { ty, len, cap, data } (orus_rt.h). Its elements live
 * unboxed in their memory form (bool 1 byte, i32/u32 4, everything else 8) in a
 * separate element block from orus_gc_alloc_buf; `data` points at the first element,
 * just past that block's header word, so the array keeps the block alive (the
 * collector treats interior pointers as references and scans the block through its
 * array). cap == 0 means no block and data == NULL.
 *
 * GC discipline: every allocation here may collect. An object referenced only from
 * a C local survives (the stack is scanned conservatively), so the rule is simply
 * that a fresh element block is stored into its array, or held in a local, before
 * the next allocation. Write barrier (gc.h invariant 4): the barrier object of an
 * element store is the array header (a minor collection rescans a remembered array's
 * elements precisely). new_array allocates the header last, so a fresh array is young
 * and its creator fills it without barriers (here, in builtins.c and in compiled
 * array literals); push and growth store into arrays that may be old and call it.
 *
 * Messages and check order are tier 0's (backend/interp/emit.py: _slice, _fill,
 * _repeat; errors.py: BAD_REPEAT, EMPTY_POP).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_LEN 2147483647      /* the longest array: len is an int32_t */

static const char BAD_REPEAT[] =
    "Array repetition requires a non-negative integer count and reasonable size";

/* A zeroed element block for `cap` elements of type `elem`, as the data pointer an
 * array stores (the block starts one header word earlier). NULL when cap == 0. */
static void *new_data(const OrusTy *elem, int64_t cap) {
    if (cap == 0)
        return NULL;
    char *block = orus_gc_alloc_buf((size_t)cap * orus_ty_elem_size(elem));
    return block + sizeof(void *);
}

/* An array of `len` elements with capacity `cap` (cap >= len >= 0), elements zeroed.
 * The header is the last allocation, so the caller may store elements into the new
 * array without write barriers until it allocates again. */
static OrusArray *new_array(const OrusTy *ty, int64_t len, int64_t cap) {
    /* the block is only in this frame while the header is allocated: the stack scan
     * keeps it (and scans it, zeroed, conservatively) */
    void *data = new_data(ty->elem, cap);
    OrusArray *a = orus_gc_alloc(ty, sizeof(OrusArray));
    a->data = data;             /* a is young: no barrier */
    a->len = (int32_t)len;
    a->cap = (int32_t)cap;
    return a;
}

/* Owner: the heap. Elements are zero bits (0, 0.0, false, NULL). Precondition len >= 0
 * (compiled code passes the element count of a literal). May GC. */
OrusArray *orus_array_new(const OrusTy *ty, int32_t len) {
    if (len < 0)
        len = 0;
    return new_array(ty, len, len);
}

/* The fill literal [value, n] (spec 4.6, IR array.fill): n copies of one value. May GC;
 * fails (runtime error) when n < 0 or n > 2**31 - 1, like tier 0's _fill. */
OrusArray *orus_array_fill(const OrusTy *ty, uint64_t value, int64_t n) {
    if (n < 0 || n > MAX_LEN) {
        orus_fail(ORUS_ERR_RUNTIME, "%s", BAD_REPEAT);
        return NULL;
    }
    OrusArray *a = new_array(ty, n, n);    /* young: stores need no barrier */
    if (value != 0)             /* the block is already zeroed */
        for (int64_t i = 0; i < n; i++)
            orus_array_store(a, i, value);
    return a;
}

/* The array cannot grow further. Treated like running out of memory (tier 0 has no
 * catchable error for a push, and 2**31 elements exceed any realistic heap anyway). */
static void too_long(void) {
    orus_rt_flush();
    fputs("orus: out of memory (an array holds at most 2147483647 elements)\n", stderr);
    exit(70);
}

/* Grow a full array's block to twice its capacity (at least 4 elements). */
static void grow(OrusArray *a) {
    int64_t cap = a->cap ? (int64_t)a->cap * 2 : 4;
    if (cap > MAX_LEN)
        cap = MAX_LEN;
    if (cap <= a->cap)
        too_long();
    size_t esize = orus_ty_elem_size(a->ty->elem);
    void *data = new_data(a->ty->elem, cap);   /* may collect: a (an argument) is a root */
    if (a->len)
        memcpy(data, a->data, (size_t)a->len * esize);
    a->data = data;
    a->cap = (int32_t)cap;
    orus_gc_write_barrier(a);   /* new_data may have collected: a may be old */
}

/* Append one element (bits as in orus_rt.h). May GC (growth doubles the block; the
 * value, if a reference, stays reachable from this frame meanwhile). */
void orus_array_push(OrusArray *a, uint64_t value) {
    if (a->len == a->cap)
        grow(a);
    orus_array_store(a, a->len, value);
    a->len++;
    if (orus_ty_is_ref(a->ty->elem))
        orus_gc_write_barrier(a);
}

/* Remove and return the last element. Fails with a value error on an empty array
 * (tier 0 maps Python's IndexError from list.pop to EMPTY_POP). No GC except the
 * error object. The freed slot is cleared: a block the collector reaches through
 * the stack rather than its array is scanned whole, and must not keep the value alive. */
uint64_t orus_array_pop(OrusArray *a) {
    if (a->len == 0) {
        orus_fail(ORUS_ERR_VALUE, "Cannot pop from an empty array");
        return 0;
    }
    int64_t last = a->len - 1;
    uint64_t v = orus_array_load(a, last);
    orus_array_store(a, last, 0);   /* a NULL store needs no write barrier */
    a->len--;
    return v;
}

/* a[lo..hi..step] (spec 4.6) as a new array of the same type: elements lo, lo+step,
 * ... below the end (hi, or hi + 1 when inclusive). The checks run in tier 0's order
 * (emit.py _slice), each with its own kind. May GC, may fail. */
OrusArray *orus_array_slice(OrusArray *a, int64_t lo, int64_t hi, int64_t step, int32_t inclusive) {
    int64_t count = orus_slice_count("Array", a->len, lo, hi, step, inclusive);
    if (count < 0)
        return NULL;
    OrusArray *r = new_array(a->ty, count, count);    /* young: stores need no barrier */
    if (step == 1 && count) {
        size_t esize = orus_ty_elem_size(a->ty->elem);
        memcpy(r->data, (char *)a->data + (size_t)lo * esize, (size_t)count * esize);
    } else {
        for (int64_t i = 0; i < count; i++)
            orus_array_store(r, i, orus_array_load(a, lo + i * step));
    }
    return r;
}

/* a * n: a new array holding n copies of a's elements, in order. Fails (runtime
 * error) when n < 0 or the result would exceed 2**31 - 1 elements (tier 0's _repeat;
 * an empty array repeated any n >= 0 times is empty). May GC. */
OrusArray *orus_array_repeat(OrusArray *a, int64_t n) {
    int64_t len = a->len;
    if (n < 0 || (len != 0 && n > MAX_LEN / len)) {
        orus_fail(ORUS_ERR_RUNTIME, "%s", BAD_REPEAT);
        return NULL;
    }
    int64_t total = len * n;
    OrusArray *r = new_array(a->ty, total, total);    /* young: stores need no barrier */
    size_t bytes = (size_t)len * orus_ty_elem_size(a->ty->elem);
    if (bytes == 0)             /* nothing to copy, however large n is */
        return r;
    /* one copy of a, then the filled prefix doubles: O(log n) memcpy calls even when a
     * has one element (`[true] * 4000000`: one call per byte took a third of sieve) */
    size_t filled = bytes, all = bytes * (size_t)n;
    if (all == 0)
        return r;
    memcpy(r->data, a->data, bytes);
    while (filled < all) {
        size_t chunk = filled < all - filled ? filled : all - filled;
        memcpy((char *)r->data + filled, r->data, chunk);
        filled += chunk;
    }
    return r;
}

/* `x, y = a` (spec 2.19) needs exactly n elements: else a value error naming both
 * counts. No GC except the error object. */
void orus_destructure_check(OrusArray *a, int32_t n) {
    if (a->len != n)
        orus_fail(ORUS_ERR_VALUE, "Destructuring expected %d elements, got %d", (int)n, (int)a->len);
}
