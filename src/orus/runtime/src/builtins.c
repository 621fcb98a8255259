/* builtins.c: the builtin functions that are not about text: `==` on enums,
 * assert_eq, sorted, range iterators, input and timestamp (spec 5.4-5.9).
 *
 * Tier 0 is the oracle (backend/interp/builtins.py, printing.py's Equality,
 * values.py's RangeIter, semantics/ints.py's range_args); each function below names
 * the piece it mirrors. Values arrive as uint64_t bits plus the descriptor of their
 * static type (orus_rt.h), so every function dispatches on the descriptor's kind.
 */
#ifndef _GNU_SOURCE
#define _POSIX_C_SOURCE 200809L     /* clock_gettime */
#endif
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

static const char NOT_COMPARABLE[] = "sorted() requires an array of comparable elements";
static const char BAD_RANGE[] = "Invalid arguments provided to range()";
static const char EOF_MESSAGE[] = "input() reached end of file";

/* ---------------------------------------------------------------- equality
 * Two relations share one walker (printing.py's Equality):
 *   eq-op (deep = 0): the IR `eq` of a static type. Scalars by value (f64 by IEEE ==,
 *     so NaN != NaN even for one object), str by bytes, enums structurally (same tag,
 *     payloads equal by this same relation), every other reference by identity.
 *   deep (deep = 1, assert_eq): as above, but arrays and structs compare member-wise.
 *     A pair of objects already being compared further out counts as equal, which is
 *     what makes cyclic structures terminate (Equality._pairwise/_fields).
 * Enums are immutable and built bottom-up, so they cannot form cycles by themselves;
 * only array/struct pairs are recorded.
 *
 * Native stack: the walk recurses into every member but the last, which it follows
 * in a loop, so linked chains (`Cons(x, rest)`, a struct whose last field is the next
 * node, an array whose last element nests further) cost no stack however long. A
 * pair stays active until the loop that entered it ends, exactly as with recursion.
 * Deep nesting through other members recurses; past orus_stack_limit (set inside
 * orus_rt_run) it stops with `Stack overflow`, which tier 0 reports as well. */

typedef uintptr_t Pair[2];

typedef struct EqState {
    Pair *slots;                /* the active pairs: open addressing, linear probing; */
    size_t cap, count;          /* slot[0] == 0 is empty (compared objects are never NULL) */
    Pair *trail;                /* the active pairs in the order they were entered */
    size_t trail_len, trail_cap;
    int deep;
    int overflow;               /* the stack ran out: Stack overflow is pending */
} EqState;

/* malloc'd scratch memory ran out: the same exit as the heap's (gc.c). */
static void out_of_memory(void) {
    orus_rt_flush();
    fputs("orus: out of memory\n", stderr);
    exit(70);
}

static void *grow_or_die(void *p, size_t n, size_t size) {
    void *q = realloc(p, n * size);
    if (!q)
        out_of_memory();
    return q;
}

static size_t pair_hash(uintptr_t a, uintptr_t b, size_t mask) {
    uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15u ^ ((uint64_t)b + 0x632BE59BD9B4E019u) * 0xC2B2AE3D27D4EB4Fu;
    return (size_t)(h ^ (h >> 29)) & mask;
}

static size_t pair_find(const EqState *s, uintptr_t a, uintptr_t b) {
    size_t mask = s->cap - 1, i = pair_hash(a, b, mask);
    while (s->slots[i][0] && !(s->slots[i][0] == a && s->slots[i][1] == b))
        i = (i + 1) & mask;
    return i;
}

static int pair_active(const EqState *s, uintptr_t a, uintptr_t b) {
    return s->count && s->slots[pair_find(s, a, b)][0] != 0;
}

static void set_insert(EqState *s, uintptr_t a, uintptr_t b) {
    size_t i = pair_find(s, a, b);
    s->slots[i][0] = a;
    s->slots[i][1] = b;
    s->count++;
}

/* Enter the pair (a, b): into the set (kept at most half full) and onto the trail. */
static void pair_enter(EqState *s, uintptr_t a, uintptr_t b) {
    if ((s->count + 1) * 2 > s->cap) {
        Pair *old = s->slots;
        size_t old_cap = s->cap;
        s->cap = old_cap ? old_cap * 2 : 64;
        s->slots = calloc(s->cap, sizeof *s->slots);
        if (!s->slots)
            out_of_memory();
        s->count = 0;
        for (size_t i = 0; i < old_cap; i++)
            if (old[i][0])
                set_insert(s, old[i][0], old[i][1]);
        free(old);
    }
    set_insert(s, a, b);
    if (s->trail_len == s->trail_cap) {
        s->trail_cap = s->trail_cap ? s->trail_cap * 2 : 64;
        s->trail = grow_or_die(s->trail, s->trail_cap, sizeof *s->trail);
    }
    s->trail[s->trail_len][0] = a;
    s->trail[s->trail_len][1] = b;
    s->trail_len++;
}

/* Leave the most recently entered pair. Backward-shift deletion: later members of
 * the probe run move into the hole unless their home slot lies cyclically in
 * (hole, j], so no tombstones accumulate. */
static void pair_leave(EqState *s) {
    s->trail_len--;
    size_t mask = s->cap - 1, hole = pair_find(s, s->trail[s->trail_len][0], s->trail[s->trail_len][1]);
    s->slots[hole][0] = 0;
    s->count--;
    for (size_t j = (hole + 1) & mask; s->slots[j][0]; j = (j + 1) & mask) {
        size_t home = pair_hash(s->slots[j][0], s->slots[j][1], mask);
        int stays = hole < j ? (hole < home && home <= j) : (hole < home || home <= j);
        if (!stays) {
            s->slots[hole][0] = s->slots[j][0];
            s->slots[hole][1] = s->slots[j][1];
            s->slots[j][0] = 0;
            hole = j;
        }
    }
}

/* True when the native stack is nearly exhausted (only inside orus_rt_run, which sets
 * the limit). */
static int stack_exhausted(void) {
    char here;
    return orus_stack_limit != NULL && (uintptr_t)&here < (uintptr_t)orus_stack_limit;
}

/* Member i of a compared object: an enum payload, array element or struct field. */
static uint64_t member(const OrusTy *ty, uint64_t obj, uint32_t i, const OrusTy **mty) {
    const void *p = (const void *)(uintptr_t)obj;
    const OrusField *f;
    switch (ty->kind) {
    case ORUS_T_ARRAY:
        *mty = ty->elem;
        return orus_array_load(p, i);
    case ORUS_T_ENUM:
        f = &ty->variants[*(const int32_t *)((const char *)p + sizeof(void *))].fields[i];
        break;
    default:
        f = &ty->fields[i];
        break;
    }
    *mty = f->type;
    return orus_field_load(p, f->offset, f->type);
}

static int values_equal(EqState *st, const OrusTy *ty, uint64_t a, uint64_t b);

enum { UNEQUAL = 0, EQUAL = 1, GO_ON = 2 };

/* One step of the walk on a pair of structured values: decides it (EQUAL, UNEQUAL)
 * or compares all members but the last and hands that one back (GO_ON). */
static int structured_step(EqState *st, const OrusTy **ty, uint64_t *a, uint64_t *b) {
    const OrusTy *t = *ty;
    uint32_t n;
    if (t->kind == ORUS_T_ENUM) {
        int32_t tag = *(const int32_t *)((const char *)(uintptr_t)*a + sizeof(void *));
        if (tag != *(const int32_t *)((const char *)(uintptr_t)*b + sizeof(void *)))
            return UNEQUAL;
        n = t->variants[tag].nfields;
    } else {
        if (*a == *b)
            return EQUAL;
        if (t->kind == ORUS_T_ARRAY) {
            n = (uint32_t)((const OrusArray *)(uintptr_t)*a)->len;
            if ((int32_t)n != ((const OrusArray *)(uintptr_t)*b)->len)
                return UNEQUAL;
        } else {
            n = t->nfields;
        }
        if (pair_active(st, (uintptr_t)*a, (uintptr_t)*b))
            return EQUAL;
        pair_enter(st, (uintptr_t)*a, (uintptr_t)*b);
    }
    if (n == 0)
        return EQUAL;
    const OrusTy *mty;
    for (uint32_t i = 0; i + 1 < n; i++) {
        uint64_t x = member(t, *a, i, &mty), y = member(t, *b, i, &mty);
        if (!values_equal(st, mty, x, y))
            return UNEQUAL;
    }
    uint64_t x = member(t, *a, n - 1, &mty), y = member(t, *b, n - 1, &mty);
    *ty = mty;
    *a = x;
    *b = y;
    return GO_ON;
}

/* One step on any pair of values (see structured_step). */
static int step(EqState *st, const OrusTy **ty, uint64_t *a, uint64_t *b) {
    const OrusTy *t = *ty;
    switch (t->kind) {
    case ORUS_T_I32: case ORUS_T_I64: case ORUS_T_U32: case ORUS_T_U64: case ORUS_T_BOOL:
        return *a == *b;
    case ORUS_T_F64: {
        double x, y;
        memcpy(&x, a, sizeof x);
        memcpy(&y, b, sizeof y);
        return x == y;
    }
    case ORUS_T_STR:
        return *a == *b || (*a && *b && orus_str_eq((OrusStr *)(uintptr_t)*a, (OrusStr *)(uintptr_t)*b));
    default:
        break;
    }
    int structured = t->kind == ORUS_T_ENUM ||
        (st->deep && (t->kind == ORUS_T_ARRAY || t->kind == ORUS_T_STRUCT));
    if (!structured || !*a || !*b)  /* identity; a missing object only equals itself */
        return *a == *b;
    if (st->overflow)               /* a deeper comparison already failed */
        return UNEQUAL;
    if (stack_exhausted()) {
        st->overflow = 1;
        orus_trap_stack_overflow();
        return UNEQUAL;
    }
    return structured_step(st, ty, a, b);
}

/* 1 when equal. On a stack overflow the error is pending and the answer is 0. */
static int values_equal(EqState *st, const OrusTy *ty, uint64_t a, uint64_t b) {
    size_t mark = st->trail_len;
    int r;
    while ((r = step(st, &ty, &a, &b)) == GO_ON)
        continue;
    while (st->trail_len > mark)
        pair_leave(st);
    return r;
}

/* The IR `eq` op on two values of static type ty (see above). No GC. The eq op is
 * not a failing op, so nothing checks for an error after it; only an enum nested
 * beyond the native stack in a non-last payload could raise Stack overflow here
 * (reported at the next checked call), which beats crashing. */
int32_t orus_equal(const OrusTy *ty, uint64_t a, uint64_t b) {
    EqState st = {0};               /* eq-op never enters pairs: nothing to free */
    return values_equal(&st, ty, a, b);
}

/* assert_eq(label, actual, expected) (5.8): 1 when deeply equal, else fails with
 * a runtime error quoting both values in assert_eq's form (printing.py repr):
 *   assert_eq failed (LABEL)\n  expected: E\n  actual:   A
 * The message buffer is malloc'd and freed here. May GC (creating the error). */
int32_t orus_assert_eq(OrusStr *label, const OrusTy *ty, uint64_t actual, uint64_t expected) {
    EqState st = {0};
    st.deep = 1;
    int equal = values_equal(&st, ty, actual, expected);
    free(st.slots);
    free(st.trail);
    if (equal)
        return 1;
    if (st.overflow)                /* Stack overflow is pending instead */
        return 0;
    OrusBuf b;
    orus_buf_init(&b);
    orus_buf_puts(&b, "assert_eq failed (");
    orus_buf_put(&b, label->data, (size_t)label->len);
    orus_buf_puts(&b, ")\n  expected: ");
    orus_text_value(&b, ty, expected, 1);
    orus_buf_puts(&b, "\n  actual:   ");
    orus_text_value(&b, ty, actual, 1);
    orus_fail_bytes(ORUS_ERR_RUNTIME, b.data, (int64_t)b.len);
    orus_buf_free(&b);
    return 0;
}

/* ---------------------------------------------------------------- sorted
 * A stable bottom-up merge sort over the elements as uint64_t bits, with the order
 * of the element type: signed or unsigned integers, false < true, strings bytewise
 * (shorter first on a common prefix), f64 ascending with every NaN after all numbers
 * (tier 0 sorts by the key (isnan, x); equal keys such as -0.0 and 0.0, or two NaNs,
 * keep their order). */

typedef int (*Less)(uint64_t, uint64_t);

static inline int less_signed(uint64_t a, uint64_t b) { return (int64_t)a < (int64_t)b; }
static inline int less_unsigned(uint64_t a, uint64_t b) { return a < b; }

/* For f64 without NaNs (sort_f64 moves those out first): -0.0 and 0.0 are equal. */
static inline int less_f64(uint64_t a, uint64_t b) {
    double x, y;
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    return x < y;
}

static inline int less_str(uint64_t a, uint64_t b) {
    return orus_str_cmp((OrusStr *)(uintptr_t)a, (OrusStr *)(uintptr_t)b) < 0;
}

/* The sort is written once over a `less` parameter and forced inline into one small
 * function per order (SORT_BY), so each copy compares with an inlined test rather
 * than an indirect call: about three times faster on large arrays. */
#define INLINE static inline __attribute__((always_inline))
#define RUN 16      /* runs this short are insertion-sorted before merging */

INLINE void insertion_sort(uint64_t *v, int64_t n, Less less) {
    for (int64_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        int64_t j = i;
        for (; j > 0 && less(x, v[j - 1]); j--)   /* strict: equal keys stay behind */
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Merge src[lo, mid) and src[mid, hi) into dst; the left run wins ties (stability). */
INLINE void merge(const uint64_t *src, uint64_t *dst, int64_t lo, int64_t mid, int64_t hi, Less less) {
    int64_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {     /* branch-free: random data mispredicts half the time */
        int right = less(src[j], src[i]) != 0;
        dst[k++] = right ? src[j] : src[i];
        j += right;
        i += !right;
    }
    while (i < mid)
        dst[k++] = src[i++];
    while (j < hi)
        dst[k++] = src[j++];
}

/* Sort v[0, n) using tmp[0, n) as scratch. */
INLINE void merge_sort(uint64_t *v, uint64_t *tmp, int64_t n, Less less) {
    for (int64_t lo = 0; lo < n; lo += RUN)
        insertion_sort(v + lo, n - lo < RUN ? n - lo : RUN, less);
    uint64_t *src = v, *dst = tmp;
    for (int64_t w = RUN; w < n; w *= 2) {
        for (int64_t lo = 0; lo < n; lo += 2 * w) {
            int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            merge(src, dst, lo, mid, hi, less);
        }
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != v)
        memcpy(v, src, (size_t)n * sizeof *v);
}

typedef void (*Sorter)(uint64_t *v, uint64_t *tmp, int64_t n);

#define SORT_BY(less) \
    static void sort_##less(uint64_t *v, uint64_t *tmp, int64_t n) { merge_sort(v, tmp, n, less); }
SORT_BY(less_signed)
SORT_BY(less_unsigned)
SORT_BY(less_f64)
SORT_BY(less_str)

/* f64: NaNs go last in their input order (a stable partition), the rest by `<`. */
static void sort_f64(uint64_t *v, uint64_t *tmp, int64_t n) {
    int64_t numbers = 0, nans = 0;
    for (int64_t i = 0; i < n; i++) {
        double x;
        memcpy(&x, &v[i], sizeof x);
        if (isnan(x))
            tmp[nans++] = v[i];
        else
            v[numbers++] = v[i];
    }
    memcpy(v + numbers, tmp, (size_t)nans * sizeof *v);
    sort_less_f64(v, tmp, numbers);
}

/* The sort for elements of kind `kind`, or NULL when they are not comparable. */
static Sorter sorter_of(uint32_t kind) {
    switch (kind) {
    case ORUS_T_I32: case ORUS_T_I64: return sort_less_signed;
    case ORUS_T_U32: case ORUS_T_U64: case ORUS_T_BOOL: return sort_less_unsigned;
    case ORUS_T_F64: return sort_f64;
    case ORUS_T_STR: return sort_less_str;
    default: return NULL;
    }
}

/* sorted(a) (5.4): a new ascending array of a's type; `a` is unchanged. Elements must
 * be i32 i64 u32 u64 f64 bool or str, else a runtime error, but only for a non-empty
 * array (builtins.py _sorted returns [] for an empty one). May GC, may fail. The
 * scratch buffer is malloc'd: no allocation happens while it holds pointers. */
OrusArray *orus_sorted(OrusArray *a) {
    Sorter sort = sorter_of(a->ty->elem->kind);
    if (!sort && a->len) {
        orus_fail(ORUS_ERR_RUNTIME, "%s", NOT_COMPARABLE);
        return NULL;
    }
    int64_t n = a->len;
    OrusArray *r = orus_array_new(a->ty, (int32_t)n);
    if (n < 2) {
        if (n == 1)
            orus_array_store(r, 0, orus_array_load(a, 0));
        return r;
    }
    /* r is the last heap allocation (malloc does not collect): r is young, so the
     * stores below need no write barrier */
    uint64_t *v = malloc((size_t)n * 2 * sizeof *v);
    if (!v)
        out_of_memory();
    for (int64_t i = 0; i < n; i++)
        v[i] = orus_array_load(a, i);
    sort(v, v + n, n);
    for (int64_t i = 0; i < n; i++)
        orus_array_store(r, i, v[i]);
    free(v);
    return r;
}

/* ---------------------------------------------------------------- range
 * range(stop) / range(start, stop) / range(start, stop, step) (5.5, ints.range_args):
 * every argument an integer of any type whose value fits i64, and step != 0; else
 * the argument error. Returns a new iterator (owner: the heap). May GC, may fail. */
OrusRange *orus_range(int32_t n, const OrusTy *const *tys, const uint64_t *vals) {
    int64_t v[3] = {0, 0, 1};
    for (int32_t i = 0; i < n && i < 3; i++) {
        uint32_t k = tys[i]->kind;
        int is_int = k == ORUS_T_I32 || k == ORUS_T_I64 || k == ORUS_T_U32 || k == ORUS_T_U64;
        if (!is_int || (k == ORUS_T_U64 && vals[i] > (uint64_t)INT64_MAX)) {
            orus_fail(ORUS_ERR_ARGUMENT, "%s", BAD_RANGE);
            return NULL;
        }
        v[i] = (int64_t)vals[i];        /* signed kinds arrive sign-extended */
    }
    if (n < 1 || n > 3 || (n == 3 && v[2] == 0)) {
        orus_fail(ORUS_ERR_ARGUMENT, "%s", BAD_RANGE);
        return NULL;
    }
    int64_t start = n == 1 ? 0 : v[0], stop = n == 1 ? v[0] : v[1], step = n == 3 ? v[2] : 1;
    OrusRange *r = orus_gc_alloc(&orus_ty_range, sizeof(OrusRange));
    r->cur = start;
    r->end = stop;
    r->step = step;
    return r;
}

/* Whether the iterator has a next value (RangeIter.has_next: cur < end for a positive
 * step, cur > end for a negative one). No GC, cannot fail. */
int32_t orus_range_has(OrusRange *r) {
    return r->step > 0 ? r->cur < r->end : r->cur > r->end;
}

/* The next value; advances the iterator. Only called when orus_range_has is true.
 * When cur + step leaves i64 the true value lies beyond `end` anyway (end fits i64),
 * so the iterator parks at `end`, where orus_range_has is false. No GC. */
int64_t orus_range_next(OrusRange *r) {
    int64_t v = r->cur, next;
    r->cur = __builtin_add_overflow(v, r->step, &next) ? r->end : next;
    return v;
}

/* ---------------------------------------------------------------- input, timestamp
 * input() / input(prompt) (5.6, builtins.py _input): a prompt is written in print's
 * default text to the program output and flushed; without one, "input> " goes to
 * stderr only for an interactive session. Then one line is read without its
 * terminator (\n, \r\n or a lone \r). End of file with nothing read is a runtime
 * error. Returns a new string (owner: the heap). May GC, may fail. */
OrusStr *orus_input(const OrusTy *ty, uint64_t prompt) {
    OrusBuf b;
    orus_buf_init(&b);
    if (ty) {
        orus_text_value(&b, ty, prompt, 0);
        if (b.len)
            orus_out_write(b.data, b.len);
        orus_rt_flush();
        b.len = 0;
    } else if (orus_in_is_interactive()) {
        orus_rt_flush();            /* earlier output first, as tier 0 flushes every write */
        fputs("input> ", stderr);
        fflush(stderr);
    }
    OrusStr *line = NULL;
    if (orus_in_read_line(&b))
        line = orus_str_new(b.data, (int64_t)b.len);
    else
        orus_fail(ORUS_ERR_RUNTIME, "%s", EOF_MESSAGE);
    orus_buf_free(&b);
    return line;
}

/* Monotonic seconds (5.9), as tier 0's time.monotonic. No GC, cannot fail. */
double orus_timestamp(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
