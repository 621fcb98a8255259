/* gc_collect.c: the collector proper: generational mark and sweep with sticky mark
 * bits, the write barrier, and the trigger policy (gc.h states the heap's invariants;
 * gc.c allocates).
 *
 * Generations (gc.h invariant 4): mark bits are not cleared after a collection, so a
 * marked object is old (it survived one) and an object allocated since is young. A
 * minor collection marks from the roots plus the remembered objects and never
 * descends into a marked object, then frees the unmarked ones: its cost is the young
 * survivors, the roots and the sweep, not the old data (string_build's table of 5,000
 * strings is no longer re-marked 10,000 times). A major collection clears every bit
 * first and marks everything, as a plain mark-sweep would. Objects never move.
 *
 * Write barrier: a minor collection relies on "old objects reference only old
 * objects". A pointer store into an existing object is followed by
 * orus_gc_write_barrier(obj): when obj is marked, the barrier clears its bit (which
 * doubles as the "already remembered" flag: later barriers on it return at once) and
 * appends it to the remembered list; the next minor collection marks and rescans it.
 * For array elements the barrier object is the array (rescanned precisely, len
 * elements); an element block passed instead is rescanned word by word. Stores into an
 * object allocated with no allocation since need no barrier (it is still young).
 *
 * Marking starts from the roots (registered slots, the pending error, and the
 * native stack scanned conservatively, with the registers spilled onto it by
 * __builtin_unwind_init and setjmp) and uses an explicit mark stack, so a million-
 * long linked list costs no C recursion. Objects are scanned precisely through their
 * descriptors (scan_object). An array element block reached from the stack rather
 * than through its array is scanned conservatively: runtime code may hold a fresh
 * block in a local before storing it into its array, and the block's elements must
 * survive that window.
 *
 * Marking is bound by cache misses on object headers, so marked objects are
 * prefetched when pushed and pass through a small FIFO before being scanned.
 *
 * Sweeping frees every unmarked slot by bitmap arithmetic alone (alloc &= mark; the
 * freed memory is not touched), frees dead large objects, and returns empty pages to the
 * OS beyond a reserve of twice what a cycle may allocate (the allowance A below, at
 * least RESERVE_PAGES): allocations spread over several size classes, so a cycle empties
 * more pages than the threshold alone, and unmapping them only to fault fresh pages in
 * again cost string_build a third of its time in the kernel.
 *
 * Policy (plan_next, checked by gc.c at each allocation). A major collection that
 * leaves L live bytes sets the heap's budget until the next major, old_limit = L + A
 * with A = max(MIN_THRESHOLD, L * (GROWTH - 1)), GROWTH = 2: the bound a plain
 * mark-sweep collecting every A bytes had, so the heap stays within about 2x live
 * (binary_trees: peak heap 2.8x the most live data). Between majors, minor collections
 * run every A - A / OLD_SLACK allocated bytes; their survivors (and old garbage) stay
 * in the heap, so once a full nursery would take the heap past old_limit, the next
 * collection is major and is triggered at old_limit (after at least A / OLD_SLACK
 * bytes). A program whose young objects die (string_build) thus runs minors almost
 * only; one that keeps what it allocates does a major at most every A / OLD_SLACK
 * bytes. The first collection of a run is major (nothing is old yet, and it measures
 * the live data exactly); a minor's "live" includes old garbage, so the statistic
 * live_peak_bytes is updated by major collections only. ORUS_GC_STRESS=1 collects at
 * every allocation instead, every STRESS_MAJOR-th collection being major;
 * ORUS_GC_VERIFY=1 runs orus_gc_verify (including the generational invariant) and
 * orus_gc_verify_all_old after each collection and aborts on a violation, so a
 * missing barrier fails the stress runs. orus_gc_collect() is always major.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE      /* mmap flags, pthread_getattr_np, pread, setenv under -std=c11 */
#endif
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "gc.h"

#define H orus_heap

/* ---------------------------------------------------------------- marking */

/* orus_ty_is_ref, inlined for the marking loop: scalars and void hold no pointer. */
#define SCALAR_KINDS (1u << ORUS_T_I32 | 1u << ORUS_T_I64 | 1u << ORUS_T_U32 | \
                      1u << ORUS_T_U64 | 1u << ORUS_T_F64 | 1u << ORUS_T_BOOL | 1u << ORUS_T_VOID)

static inline int holds_ref(const OrusTy *t) {
    return !(SCALAR_KINDS >> t->kind & 1);
}

/* Objects of these kinds hold no pointer: one reached through a field or element of
 * that static type is only marked, never queued, which saves reading its header (a
 * cache miss) when it would leave the queue (a table of 5,000 strings was most of
 * string_build's marking). */
#define LEAF_KINDS (1u << ORUS_T_STR | 1u << ORUS_T_RANGE)

static inline int leaf(const OrusTy *t) {
    return LEAF_KINDS >> t->kind & 1;
}

#define CONSERVATIVE ((uintptr_t)1)  /* mark stack tag: scan this block word by word */

static void push(uintptr_t entry) {
    if (H.sp == H.stack_cap) {
        H.stack_cap = H.stack_cap ? 2 * H.stack_cap : 4096;
        H.stack = orus_gc_realloc(H.stack, H.stack_cap * sizeof *H.stack);
    }
    H.stack[H.sp++] = (void *)entry;
}

/* Mark the allocated object containing address p, if any, and queue it for scanning.
 * Its header is not read here: marking is bound by cache misses on headers, so the
 * object is prefetched now and examined later (drain). An object reached from the
 * stack is tagged: if it is an element block it gets a conservative scan (see the
 * file comment); reached through its array a block needs none. A leaf (is_leaf: its
 * static type holds no pointer) is marked but not queued. */
static void mark_as(uintptr_t p, int from_stack, int is_leaf) {
    if (p < H.lo || p >= H.hi)
        return;
    char *obj;
    Page *pg = orus_gc_page_at(p & ~PAGE_MASK);
    if (pg) {
        if (!pg->nobjs)
            return;
        uint32_t idx = slot_of(pg, p & PAGE_MASK);
        uint64_t bit = (uint64_t)1 << (idx % 64);
        if (idx >= pg->nobjs || !(pg->alloc[idx / 64] & bit) || (pg->mark[idx / 64] & bit))
            return;
        pg->mark[idx / 64] |= bit;
        obj = pg->base + (size_t)idx * pg->objsize;
    } else {
        Large *l = orus_gc_large_at(p);
        if (!l || l->marked)
            return;
        l->marked = 1;
        obj = l->start;
    }
    if (is_leaf)
        return;
    __builtin_prefetch(obj);    /* its header is read when it leaves the queue */
    push((uintptr_t)obj | (from_stack ? CONSERVATIVE : 0));
}

static inline void mark(uintptr_t p, int from_stack) {
    mark_as(p, from_stack, 0);
}

/* A reference of static type t (a field or element). */
static inline void mark_typed(uintptr_t p, const OrusTy *t) {
    mark_as(p, 0, leaf(t));
}

static void mark_fields(const char *obj, const OrusField *fields, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        if (holds_ref(fields[i].type))
            mark_typed(*(const uintptr_t *)(obj + fields[i].offset), fields[i].type);
}

/* Mark what one object references, precisely, from its descriptor. */
static void scan_object(char *obj) {
    const OrusTy *ty = *(const OrusTy **)obj;
    switch (ty->kind) {
    case ORUS_T_ARRAY: {
        OrusArray *a = (OrusArray *)obj;
        if (!a->data)
            return;
        mark((uintptr_t)a->data, 0);
        if (holds_ref(ty->elem))
            for (int32_t i = 0; i < a->len; i++)
                mark_typed(((const uintptr_t *)a->data)[i], ty->elem);
        return;
    }
    case ORUS_T_STRUCT:
    case ORUS_T_CLOSURE:
        mark_fields(obj, ty->fields, ty->nfields);
        return;
    case ORUS_T_ENUM: {
        int32_t tag = *(const int32_t *)(obj + 8);
        if (tag >= 0 && (uint32_t)tag < ty->nvariants)
            mark_fields(obj, ty->variants[tag].fields, ty->variants[tag].nfields);
        return;
    }
    case ORUS_T_CELL:
        if (holds_ref(ty->elem))
            mark(*(const uintptr_t *)(obj + 8), 0);
        return;
    case ORUS_T_ERROR:
        mark((uintptr_t)((OrusError *)obj)->kind, 0);
        mark((uintptr_t)((OrusError *)obj)->message, 0);
        return;
    default:
        return;
    }
}

/* Every aligned word in [lo, hi) may be a pointer. Reads stack words that ASan
 * considers poisoned (other frames' redzones), hence no_sanitize. */
__attribute__((no_sanitize_address)) static void scan_words(const char *lo, const char *hi) {
    uintptr_t a = ((uintptr_t)lo + 7) & ~(uintptr_t)7;
    for (; a + sizeof(uintptr_t) <= (uintptr_t)hi; a += sizeof(uintptr_t))
        mark(*(const uintptr_t *)a, 1);
}

__attribute__((noinline)) static void scan_stack(void) {
    char *lo = __builtin_frame_address(0);
    if (H.stack_top && lo < H.stack_top)
        scan_words(lo, H.stack_top + sizeof(void *));
}

/* Zero the stack just below the caller's frame: the collector's own calls before
 * the stack scan (sorting the large-object table, on a lookup) leave object addresses
 * in dead frames there, which mark_stack's frames reuse without overwriting every
 * word, and the conservative scan would take them for references (an ASan build kept
 * 100 KB strings alive so). */
__attribute__((noinline, no_sanitize_address)) static void scrub_stack(void) {
    volatile uintptr_t junk[1024];
    for (int i = 0; i < 1024; i++)
        junk[i] = 0;
    __asm__ volatile("" : : "r"(junk) : "memory");
}

/* Spill the callee-saved registers into this frame (unwind_init saves them in the
 * prologue; setjmp copies them into a local) so scan_stack, called from here, sees
 * pointers the mutator held only in registers. */
__attribute__((noinline)) static void mark_stack(void) {
    jmp_buf regs;
    __builtin_unwind_init();
    if (setjmp(regs) == 0)
        scan_stack();
    __asm__ volatile("" : : "r"(&regs) : "memory");   /* keep regs alive to here */
}

static void mark_roots(void) {
    for (int32_t r = 0; r < H.nroots; r++)
        for (int32_t i = 0; i < H.roots[r].n; i++)
            mark((uintptr_t)H.roots[r].slots[i], 0);
    mark((uintptr_t)orus_err_pending(), 0);
    scrub_stack();
    mark_stack();
}

static void process(uintptr_t e) {
    char *obj = (char *)(e & ~CONSERVATIVE);
    const OrusTy *ty = *(const OrusTy **)obj;
    if (!ty)
        return;
    if (ty->kind != ORUS_T_BUF) {
        scan_object(obj);
    } else if (e & CONSERVATIVE) {
        size_t size = 0;
        orus_gc_find(obj, &size);
        scan_words(obj + sizeof(void *), obj + size);
    }
}

/* Pop the mark stack through a small FIFO so each object's prefetch has time to
 * land before its header is read: many misses are in flight at once. */
#define FIFO 16

static void drain(void) {
    uintptr_t fifo[FIFO];
    unsigned head = 0, n = 0;
    while (H.sp || n) {
        while (n < FIFO && H.sp) {
            uintptr_t e = (uintptr_t)H.stack[--H.sp];
            __builtin_prefetch((void *)(e & ~CONSERVATIVE));
            fifo[(head + n++) % FIFO] = e;
        }
        uintptr_t e = fifo[head];
        head = (head + 1) % FIFO;
        n--;
        process(e);
    }
}

/* ---------------------------------------------------------------- sweeping */

/* Free the page's unmarked slots: bitmap arithmetic only, the freed memory is not
 * touched. The marks stay (they are sticky: the survivors are now old), so afterwards
 * alloc == mark. Returns the number of live slots. */
static uint32_t sweep_page(Page *pg, int64_t *freed) {
    uint32_t live = 0, dead = 0, words = (pg->nobjs + 63) / 64;
    for (uint32_t w = 0; w < words; w++) {
        dead += (uint32_t)__builtin_popcountll(pg->alloc[w] & ~pg->mark[w]);
        pg->alloc[w] &= pg->mark[w];
        live += (uint32_t)__builtin_popcountll(pg->alloc[w]);
    }
    *freed += (int64_t)dead * pg->objsize;
    pg->live = live;
    return live;
}

static void sweep_class(SizeClass *c, int64_t *freed, int64_t *live) {
    Page *keep = NULL, *next;
    c->avail = c->cur = NULL;
    c->bits = 0;
    for (Page *pg = c->pages; pg; pg = next) {
        next = pg->next;
        uint32_t n = sweep_page(pg, freed);
        if (n == 0) {
            orus_gc_release_page(pg);
            continue;
        }
        *live += (int64_t)n * pg->objsize;
        pg->next = keep;
        keep = pg;
        if (n < pg->nobjs) {
            pg->next_avail = c->avail;
            c->avail = pg;
        }
    }
    c->pages = keep;
}

/* Compaction keeps the order: the survivors of the sorted prefix stay a sorted prefix. */
static void sweep_large(int64_t *freed, int64_t *live) {
    size_t k = 0, sorted = 0;
    for (size_t i = 0; i < H.nlarge; i++) {
        Large *l = &H.large[i];
        if (l->marked) {
            *live += (int64_t)l->size;
            sorted += i < H.nsorted;
            H.large[k++] = *l;
        } else {
            *freed += (int64_t)l->size;
            H.stats.heap_bytes -= (int64_t)l->mapped;
            free(l->start);
        }
    }
    H.nlarge = k;
    H.nsorted = sorted;
    H.tail_scans = 0;           /* each cycle may scan the tail a few times */
}

/* Shrink [lo, hi) to the memory still held, so stale words are rejected early. */
static void recompute_bounds(void) {
    H.lo = H.hi = 0;
    for (size_t i = 0; i < H.table_cap; i++)
        if (H.table[i])
            orus_gc_widen((uintptr_t)H.table[i]->base, PAGE_SIZE);
    for (size_t i = 0; i < H.nlarge; i++)
        orus_gc_widen((uintptr_t)H.large[i].start, H.large[i].mapped);
}

/* ---------------------------------------------------------------- collection */

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Forget every mark (a major collection): all objects are young again, and the
 * remembered list is moot. */
static void clear_marks(void) {
    for (int c = 0; c < NCLASSES; c++)
        for (Page *pg = H.classes[c].pages; pg; pg = pg->next)
            memset(pg->mark, 0, (pg->nobjs + 63) / 64 * sizeof pg->mark[0]);
    for (size_t i = 0; i < H.nlarge; i++)
        H.large[i].marked = 0;
    H.nremembered = 0;
}

/* The remembered objects are roots of a minor collection: each is unmarked (the
 * barrier cleared its bit), so marking it queues it for a full scan. Tagged as if
 * from the stack: a remembered element block has no descriptor to scan it by, so it
 * is scanned word by word. */
static void mark_remembered(void) {
    for (size_t i = 0; i < H.nremembered; i++)
        mark((uintptr_t)H.remembered[i], 1);
    H.nremembered = 0;
}

/* The policy after a collection that left `live` bytes (see the file comment). */
static void plan_next(int major, size_t live) {
    if (major) {
        size_t allowance = live * (GROWTH - 1);
        if (allowance < MIN_THRESHOLD)
            allowance = MIN_THRESHOLD;
        H.live_major = live;
        H.old_limit = live + allowance;
        H.allowance = allowance;
    }
    size_t nursery = H.allowance - H.allowance / OLD_SLACK;
    size_t room = H.old_limit > live ? H.old_limit - live : 0;
    /* a full nursery would take the heap past old_limit: collect (major) at the limit,
     * but after at least 1/OLD_SLACK of the allowance */
    H.major_due = room < nursery;
    H.threshold = H.major_due ? room : nursery;
    if (H.threshold < H.allowance / OLD_SLACK)
        H.threshold = H.allowance / OLD_SLACK;
    size_t keep = 2 * H.allowance / PAGE_SIZE;  /* unmapping is costly: see above */
    orus_gc_trim_reserve(keep > RESERVE_PAGES ? keep : RESERVE_PAGES);
}

/* Inlined into each entry point, so the collector's frames are what they were with a
 * single entry point (a thin wrapper frame left a stale word of the caller's old
 * frames for the conservative scan to find; test_gc clears only below its frame). */
static inline __attribute__((always_inline)) void collect(int major) {
    int64_t t0 = now_ns();
    H.barrier_last = NULL;      /* marking may make it old again */
    if (major)
        clear_marks();
    else
        mark_remembered();
    mark_roots();
    drain();
    int64_t freed = 0, live = 0;
    for (int c = 0; c < NCLASSES; c++)
        sweep_class(&H.classes[c], &freed, &live);
    sweep_large(&freed, &live);
    recompute_bounds();
    H.stats.bytes_freed += freed;
    H.stats.live_bytes = live;
    /* a minor collection's live data includes old garbage: only a major one measures */
    if (major && live > H.stats.live_peak_bytes)
        H.stats.live_peak_bytes = live;
    H.since = 0;
    plan_next(major, (size_t)live);
    int64_t pause = now_ns() - t0;
    H.pauses[H.stats.collections % NPAUSES] = pause;
    H.stats.collections++;
    H.stats.major_collections += major != 0;
    H.stats.pause_total_ns += pause;
    if (pause > H.stats.pause_max_ns)
        H.stats.pause_max_ns = pause;
    if (H.verify && (orus_gc_verify() != 0 || orus_gc_verify_all_old() != 0)) {
        orus_rt_flush();
        fputs("orus: heap verification failed after a collection\n", stderr);
        abort();
    }
}

/* An explicit collection is major: callers (tests, tools) expect every unreachable
 * object to be freed. May GC. */
void orus_gc_collect(void) {
    collect(1);
}

void orus_gc_collect_kind(int major) {
    collect(major);
}

/* The allocation trigger: minor unless the old generation outgrew its limit; under
 * stress (a collection at every allocation) every STRESS_MAJOR-th is major, so both
 * kinds, and every missing write barrier, are exercised. May GC. */
void orus_gc_collect_due(void) {
    collect(H.stress ? ++H.stress_count % STRESS_MAJOR == 0 : H.major_due);
}

/* ---------------------------------------------------------------- the write barrier */

static void remember(void *obj) {
    if (H.nremembered == H.remembered_cap) {
        H.remembered_cap = H.remembered_cap ? 2 * H.remembered_cap : 256;
        H.remembered = orus_gc_realloc(H.remembered, H.remembered_cap * sizeof *H.remembered);
    }
    H.remembered[H.nremembered++] = obj;
}

/* After a pointer was stored into the heap object containing `obj` (any address inside
 * it): if the object is old (marked), unmark it and remember it, so the next minor
 * collection scans it again and marks what it now references. An unmarked object is
 * young or already remembered: nothing to do (the common, cheap path). Addresses
 * outside the heap (static objects) are ignored. Never GCs (the list is malloc'd). */
void orus_gc_write_barrier(void *obj) {
    if (obj == H.barrier_last)          /* stores into one object in a row (push loops) */
        return;
    uintptr_t p = (uintptr_t)obj;
    if (p - H.lo >= H.hi - H.lo)        /* also p < lo, by wrap-around */
        return;
    Page *pg = orus_gc_page_at(p & ~PAGE_MASK);
    if (pg) {
        uint32_t idx = slot_of(pg, p & PAGE_MASK);
        uint64_t bit = (uint64_t)1 << (idx % 64);
        H.barrier_last = obj;           /* unmarked from here to the next collection */
        if (!(pg->mark[idx / 64] & bit))
            return;
        pg->mark[idx / 64] &= ~bit;
        remember(pg->base + (size_t)idx * pg->objsize);
        return;
    }
    Large *l = orus_gc_large_at(p);
    if (!l)
        return;
    H.barrier_last = obj;
    if (!l->marked)
        return;
    l->marked = 0;
    remember(l->start);
}
