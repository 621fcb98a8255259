/* gc.h: the heap's layout and invariants, shared by gc.c (allocator), gc_collect.c
 * (mark and sweep) and debug.c (orus_gc_verify); the runtime's C tests include it to
 * look objects up. Nothing else does.
 *
 * Invariants:
 * 1. Every heap object starts with its header word, the descriptor pointer, set at
 *    allocation before any other code sees the object. Descriptors are static data,
 *    never inside the heap.
 * 2. Small objects (at most MAX_SMALL bytes) live in PAGE_SIZE pages aligned to
 *    PAGE_SIZE; a page holds objects of one size class only, so the object holding
 *    any address inside a page is found by masking (the page), a hash lookup (our
 *    page?) and one division (the slot). A slot is allocated exactly when its bit in
 *    the page's `alloc` bitmap is set (allocation searches that bitmap for a clear bit,
 *    so sweeping never touches freed memory); free slots are never treated as
 *    objects (a stale pointer to one marks nothing).
 * 3. Large objects are malloc'd individually and listed in `large`: a prefix sorted by
 *    address (binary search) and the entries added since it was sorted, which a lookup
 *    scans linearly until there have been enough lookups to pay for sorting and
 *    merging them (orus_gc_large_at, orus_gc_sort_large).
 * 4. Mark bits live in side bitmaps (pages) or the large entry, never in objects. They
 *    are sticky (generational collection, gc_collect.c): a set bit means "old", i.e.
 *    the object survived a collection; an object allocated since the last collection
 *    is young and unmarked. Right after a collection every allocated object is marked
 *    and every reference field of a marked object points to a marked object or outside
 *    the heap. Between collections the write barrier keeps that true: a pointer store
 *    into an old object is followed by orus_gc_write_barrier, which clears the object's
 *    bit and lists it in `remembered` (so an unmarked object is young or remembered,
 *    and only unmarked objects may point to young ones; an old array whose element
 *    block was remembered counts as remembered). A minor collection marks from
 *    the roots and the remembered objects without descending into marked ones; a major
 *    one clears every bit first and forgets the remembered list.
 * 5. The collector never moves objects. A pointer to any byte of an allocated object
 *    (interior pointers included) keeps the whole object alive; a pointer that is not
 *    into an allocated object of this heap (static data, NULL, integers) is ignored.
 * 6. After a major collection every allocated object is reachable from the roots as
 *    scanned at that moment: registered slots, the pending error, and every aligned
 *    word of the native stack between the collector's frame and the recorded stack top
 *    (the registers spilled onto it first). After a minor one, every object that was
 *    young is reachable from those roots or from a remembered object; old objects stay
 *    until the next major collection. Reference fields of reachable objects are
 *    found precisely from their descriptors; only the stack (and element blocks found
 *    from the stack, see gc_collect.c) is scanned conservatively.
 * 7. Collections happen only inside orus_gc_alloc (or orus_gc_collect): code that does
 *    not allocate may hold pointers anywhere. There is one mutator thread. A store into
 *    an object allocated with no allocation since needs no barrier (the object is
 *    still young); any other pointer store into a heap object needs one.
 */
#ifndef ORUS_GC_H
#define ORUS_GC_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

#define PAGE_SIZE ((size_t)65536)
#define PAGE_MASK ((uintptr_t)(PAGE_SIZE - 1))
#define MIN_OBJECT 16                       /* the smallest size class */
#define MAX_SMALL 8192                      /* larger objects are mapped one by one */
#define PAGE_SLOTS (PAGE_SIZE / MIN_OBJECT) /* most slots a page can have */
#define PAGE_WORDS (PAGE_SLOTS / 64)        /* bitmap words per page */

/* The metadata of one small-object page (malloc'd; the page itself holds only objects). */
typedef struct Page {
    char *base;                 /* PAGE_SIZE-aligned start of the page's memory */
    uint32_t objsize;           /* slot size; 0 while the page is an empty reserve page */
    uint32_t nobjs;             /* slots in the page (0 for a reserve page) */
    uint32_t inv;               /* ceil(2^32 / objsize): slot index by multiplication */
    uint32_t cls;               /* size class index */
    uint32_t live;              /* allocated slots after the last sweep */
    struct Page *next;          /* every page of the class, or the reserve list */
    struct Page *next_avail;    /* pages of the class with a free slot */
    uint64_t alloc[PAGE_WORDS];
    uint64_t mark[PAGE_WORDS];
} Page;

/* A large object: its own malloc'd block of `mapped` bytes, `size` of them the object. */
typedef struct Large {
    char *start;
    size_t size;
    size_t mapped;
    int marked;
} Large;

/* Collection policy (gc_collect.c documents the reasons). */
#define GROWTH 2                            /* heap may grow to GROWTH x live data */
#define MIN_THRESHOLD ((size_t)4 << 20)     /* never collect more often than per 4 MiB */
#define OLD_SLACK 8                         /* 1/8 of the allowance is for promotions */
#define STRESS_MAJOR 8                      /* under stress, every 8th collection is major */
#define RESERVE_PAGES 8                     /* empty pages always kept (see gc_collect.c) */
#define NPAUSES 4096                        /* pause durations remembered */
#define MAX_OBJECT ((size_t)1 << 46)        /* larger requests are out of memory */
#define NCLASSES 32                         /* small size classes (gc.c CLASS_SIZE) */

typedef struct SizeClass {
    Page *pages;                /* every page of the class */
    Page *avail;                /* pages with free slots (not including cur) */
    Page *cur;                  /* the page allocations come from */
    uint32_t word;              /* cur's alloc word the cursor is in */
    uint64_t bits;              /* free slots of that word not handed out yet */
} SizeClass;

typedef struct RootSet {
    void **slots;
    int32_t n;
} RootSet;

/* The whole heap state: one per process, reset by orus_gc_init. */
typedef struct Heap {
    int ready;
    SizeClass classes[NCLASSES];
    uint8_t class_of[MAX_SMALL / 16 + 1];   /* (size + 15) / 16 -> class */
    Page *reserve;              /* empty pages kept for reuse */
    int nreserve;
    Page **table;               /* open-addressed set of pages, keyed by base */
    size_t table_cap, table_len;
    Large *large;
    size_t nlarge, large_cap;
    size_t nsorted;             /* large[0..nsorted) is sorted by address */
    size_t tail_scans;          /* linear lookups in large[nsorted..) since it grew */
    Large *merge_buf;           /* scratch for orus_gc_sort_large */
    size_t merge_cap;
    uintptr_t lo, hi;           /* every heap address is in [lo, hi) */
    RootSet *roots;
    int32_t nroots, roots_cap;
    void **stack;               /* the mark stack */
    size_t sp, stack_cap;
    char *stack_top;            /* conservative scan bound; NULL: no stack scan */
    int stress, verify;
    size_t since;               /* bytes allocated since the last collection */
    size_t threshold;           /* collect when `since` reaches this (the nursery) */
    void **remembered;          /* old objects the write barrier unmarked (invariant 4) */
    size_t nremembered, remembered_cap;
    void *barrier_last;         /* the barrier's last argument: unmarked until a collection */
    size_t live_major;          /* bytes live after the last major collection */
    size_t old_limit;           /* the heap's budget until the next major collection */
    size_t allowance;           /* old_limit - live_major */
    int major_due;              /* the next collection is major */
    uint32_t stress_count;      /* collections under stress, to interleave majors */
    OrusGcStats stats;
    int64_t pauses[NPAUSES];
} Heap;

extern Heap orus_heap;

/* gc.c helpers for gc_collect.c. No GC. */
_Noreturn void orus_gc_out_of_memory(void);   /* flush output, message, exit(70) */
void *orus_gc_realloc(void *p, size_t n);     /* realloc or out of memory */
Large *orus_gc_large_at(uintptr_t p);         /* the large object containing p */
void orus_gc_sort_large(void);                /* sort the whole table now */
void orus_gc_release_page(Page *pg);          /* an empty page joins the reserve */
void orus_gc_trim_reserve(size_t keep);       /* unmap reserve pages beyond keep */
void orus_gc_widen(uintptr_t start, size_t n);   /* extend [lo, hi) */
/* gc_collect.c: collect now, minor (major = 0: young objects only) or major (all), or
 * the kind the policy picks (the allocation trigger and stress mode). May GC. */
void orus_gc_collect_kind(int major);
void orus_gc_collect_due(void);

static inline size_t orus_gc_hash(uintptr_t base, size_t cap) {
    uint64_t h = (uint64_t)(base >> 16) * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32) & (cap - 1);
}

/* Our page at a PAGE_SIZE-aligned base, or NULL (inline: the marker's hot path). */
static inline Page *orus_gc_page_at(uintptr_t base) {
    if (!orus_heap.table_cap)
        return NULL;
    for (size_t i = orus_gc_hash(base, orus_heap.table_cap);; i = (i + 1) & (orus_heap.table_cap - 1)) {
        Page *pg = orus_heap.table[i];
        if (!pg || (uintptr_t)pg->base == base)
            return pg;
    }
}

/* The slot index of in-page offset `off` (< PAGE_SIZE): exact for objsize <= 2^13,
 * since the rounding error of inv times off stays below 2^16 / 2^32 < 1 / objsize. */
static inline uint32_t slot_of(const Page *pg, uintptr_t off) {
    return (uint32_t)(((uint64_t)off * pg->inv) >> 32);
}

/* The allocated object containing address p, or NULL; its size in *size. No GC. */
void *orus_gc_find(const void *p, size_t *size);
/* Nonzero when p is inside memory of this heap (allocated or free). No GC. */
int orus_gc_owns(const void *p);
/* Right after a collection every allocated object is marked (invariant 4): returns the
 * number of allocated objects that are not, printing the first ones. No GC. */
int64_t orus_gc_verify_all_old(void);
/* Call fn on every allocated object (in no particular order). No GC; fn must not
 * allocate. */
void orus_gc_each(void (*fn)(void *obj, size_t size, void *ctx), void *ctx);

#endif /* ORUS_GC_H */
