/* debug.c: orus_gc_verify, the heap checker (gc.h's invariants, as far as they can be
 * seen from outside a collection), and orus_gc_verify_all_old (right after one).
 *
 * For every allocated object: its header is a plausible descriptor (aligned, not in
 * the heap, a kind that has a layout, a size that fits the slot), and every reference
 * it holds, as the collector would scan it, is NULL, static data (outside the heap),
 * or the start of an allocated object (an array's data: just past the header of an
 * allocated element block big enough for cap elements); and the generational
 * invariant: a marked (old) object references only marked objects (an array: its
 * block and elements), which a pointer store without its write barrier breaks.
 * Tests call it after collections; ORUS_GC_VERIFY=1 makes the collector call both
 * after each one.
 */
#include <inttypes.h>
#include <stdio.h>

#include "gc.h"

typedef struct Check {
    int64_t errors;
} Check;

static void report(Check *c, const void *obj, const char *what, const void *p) {
    if (c->errors < 20)
        fprintf(stderr, "orus_gc_verify: object %p: %s (%p)\n", obj, what, p);
    c->errors++;
}

/* Whether the allocated object starting at `obj` is marked (old, gc.h invariant 4). */
static int is_old(const void *obj) {
    uintptr_t p = (uintptr_t)obj;
    Page *pg = orus_gc_page_at(p & ~PAGE_MASK);
    if (pg) {
        uint32_t idx = slot_of(pg, p & PAGE_MASK);
        return (int)(pg->mark[idx / 64] >> (idx % 64) & 1);
    }
    Large *l = orus_gc_large_at(p);
    return l && l->marked;
}

static int remembered(const void *obj) {
    for (size_t i = 0; i < orus_heap.nremembered; i++)
        if (orus_heap.remembered[i] == obj)
            return 1;
    return 0;
}

/* A field value `p` of a live object must be NULL, static, or an object start; when
 * the object is old (`old`), an old one: the generational invariant, which a pointer
 * store into the object without its write barrier breaks. */
static void check_ref(Check *c, const void *obj, const void *p, int old) {
    if (!p || !orus_gc_owns(p))
        return;
    const void *start = orus_gc_find(p, NULL);
    if (!start)
        report(c, obj, "reference to freed memory", p);
    else if (start != p)
        report(c, obj, "reference into the middle of an object", p);
    else if (old && !is_old(start))
        report(c, obj, "old object references a young one (missing write barrier?)", p);
}

static void check_fields(Check *c, const char *obj, size_t size, const OrusField *f, uint32_t n) {
    int old = is_old(obj);
    for (uint32_t i = 0; i < n; i++) {
        if (f[i].offset + orus_ty_elem_size(f[i].type) > size) {
            report(c, obj, "field beyond the object", f[i].type);
            continue;
        }
        if (orus_ty_is_ref(f[i].type))
            check_ref(c, obj, *(void *const *)(obj + f[i].offset), old);
    }
}

static void check_array(Check *c, const OrusArray *a) {
    if (a->len < 0 || a->cap < a->len) {
        report(c, a, "array length outside 0..cap", a->data);
        return;
    }
    if (!a->data) {
        if (a->cap)
            report(c, a, "array with capacity but no data", NULL);
        return;
    }
    size_t bsize = 0;
    const char *blk = orus_gc_find(a->data, &bsize);
    if (!blk || blk + sizeof(void *) != (const char *)a->data) {
        report(c, a, "array data is not an element block", a->data);
        return;
    }
    if (*(const OrusTy *const *)blk != &orus_ty_buf)
        report(c, a, "array data block has the wrong header", blk);
    int old = is_old(a);
    if (old && !is_old(blk)) {
        /* a block the barrier remembered is rescanned itself: its elements may be young */
        if (!remembered(blk))
            report(c, a, "old array's data block is young (missing write barrier?)", blk);
        old = 0;
    }
    if ((size_t)a->cap * orus_ty_elem_size(a->ty->elem) + sizeof(void *) > bsize)
        report(c, a, "array data block smaller than cap", blk);
    if (orus_ty_is_ref(a->ty->elem))
        for (int32_t i = 0; i < a->len; i++)
            check_ref(c, a, ((void *const *)a->data)[i], old);
}

/* The header must be a descriptor of an object layout; returns 0 when it is not
 * (then the object's contents cannot be checked). */
static int check_header(Check *c, const char *obj, size_t size) {
    const OrusTy *ty = *(const OrusTy *const *)obj;
    if (!ty || ((uintptr_t)ty & 7) || orus_gc_owns(ty)) {
        report(c, obj, "implausible header", ty);
        return 0;
    }
    switch (ty->kind) {
    case ORUS_T_STR:
        if (((const OrusStr *)obj)->len < 0 || sizeof(OrusStr) + (size_t)((const OrusStr *)obj)->len + 1 > size)
            report(c, obj, "string longer than its object", ty);
        return 1;
    case ORUS_T_STRUCT: case ORUS_T_CLOSURE: case ORUS_T_CELL:
        if (ty->size > size)
            report(c, obj, "descriptor size exceeds the object", ty);
        return 1;
    case ORUS_T_ARRAY: case ORUS_T_ENUM: case ORUS_T_RANGE: case ORUS_T_ERROR: case ORUS_T_BUF:
        return 1;
    default:
        report(c, obj, "header kind has no object layout", ty);
        return 0;
    }
}

static void check_object(void *objp, size_t size, void *ctx) {
    Check *c = ctx;
    const char *obj = objp;
    if (!check_header(c, obj, size))
        return;
    const OrusTy *ty = *(const OrusTy *const *)obj;
    switch (ty->kind) {
    case ORUS_T_ARRAY:
        check_array(c, (const OrusArray *)obj);
        break;
    case ORUS_T_STRUCT:
    case ORUS_T_CLOSURE:
        check_fields(c, obj, size, ty->fields, ty->nfields);
        break;
    case ORUS_T_ENUM: {
        int32_t tag = *(const int32_t *)(obj + 8);
        if (tag < 0 || (uint32_t)tag >= ty->nvariants)
            report(c, obj, "enum tag out of range", ty);
        else
            check_fields(c, obj, size, ty->variants[tag].fields, ty->variants[tag].nfields);
        break;
    }
    case ORUS_T_CELL:
        if (orus_ty_is_ref(ty->elem))
            check_ref(c, obj, *(void *const *)(obj + 8), is_old(obj));
        break;
    case ORUS_T_ERROR:
        check_ref(c, obj, ((const OrusError *)obj)->kind, is_old(obj));
        check_ref(c, obj, ((const OrusError *)obj)->message, is_old(obj));
        break;
    default:
        break;
    }
}

/* No GC. Every allocated object must be marked: run right after a collection. */
int64_t orus_gc_verify_all_old(void) {
    Check c = {0};
    for (int k = 0; k < NCLASSES; k++)
        for (Page *pg = orus_heap.classes[k].pages; pg; pg = pg->next)
            for (uint32_t i = 0; i < pg->nobjs; i++)
                if ((pg->alloc[i / 64] & ~pg->mark[i / 64]) >> (i % 64) & 1)
                    report(&c, pg->base + (size_t)i * pg->objsize, "unmarked after a collection", NULL);
    for (size_t i = 0; i < orus_heap.nlarge; i++)
        if (!orus_heap.large[i].marked)
            report(&c, orus_heap.large[i].start, "unmarked after a collection", NULL);
    return c.errors;
}

/* No GC. Returns the number of violations (the first 20 are printed to stderr). */
int64_t orus_gc_verify(void) {
    Check c = {0};
    orus_gc_each(check_object, &c);
    if (c.errors > 20)
        fprintf(stderr, "orus_gc_verify: %" PRId64 " violations in all\n", c.errors);
    return c.errors;
}
