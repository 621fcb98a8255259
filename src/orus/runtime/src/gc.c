/* gc.c: the allocator: size-class pages, large objects, the page set, lookups, and
 * the heap's public entry points. gc.h states the invariants; gc_collect.c marks and
 * sweeps.
 *
 * Allocation: sizes up to MAX_SMALL round up to one of NCLASSES size classes; each
 * class hands out the clear bits of its current page's alloc bitmap, one 64-slot word
 * at a time (the free slots of the word are cached in the class, so the fast path is
 * a count-trailing-zeros), then moves on to the next page with room, then a reserve
 * page, then a fresh 64 KiB mapping (aligned by mapping twice the size and trimming).
 * Larger objects are malloc'd one by one (see alloc_large). Every object is zeroed
 * before it is returned, except through orus_gc_alloc_data (pointer-free objects whose
 * caller writes every byte). Before each allocation the trigger is checked
 * (gc_collect.c).
 *
 * The page set is an open-addressed hash table keyed by page base: the conservative
 * stack scan tests arbitrary words, so "is this our page?" must be cheap. Large
 * objects are found by binary search in their address-sorted table (sorted lazily:
 * lookups happen only during collections, checks and rare write barriers; a collection
 * leaves the table sorted, so only the entries added since are sorted, then merged).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE      /* mmap flags, pthread_getattr_np, pread, setenv under -std=c11 */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <malloc.h>
#include <string.h>
#include <sys/mman.h>

#include "gc.h"

static const uint32_t CLASS_SIZE[] = {
    16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512,
    640, 768, 896, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096,
    5120, 6144, 7168, 8192,
};
_Static_assert(sizeof CLASS_SIZE / sizeof CLASS_SIZE[0] == NCLASSES, "NCLASSES");
_Static_assert(MAX_SMALL == 8192, "the largest class is MAX_SMALL");

Heap orus_heap;
#define H orus_heap

/* ---------------------------------------------------------------- failures */

_Noreturn void orus_gc_out_of_memory(void) {
    orus_rt_flush();
    fputs("orus: out of memory\n", stderr);
    exit(70);
}

void *orus_gc_realloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (!q)
        orus_gc_out_of_memory();
    return q;
}

/* ---------------------------------------------------------------- the page set */

static void table_put(Page *pg) {
    if (2 * (H.table_len + 1) > H.table_cap) {
        size_t old_cap = H.table_cap;
        Page **old = H.table;
        H.table_cap = old_cap ? 2 * old_cap : 64;
        H.table = calloc(H.table_cap, sizeof *H.table);
        if (!H.table)
            orus_gc_out_of_memory();
        H.table_len = 0;
        for (size_t i = 0; i < old_cap; i++)
            if (old[i])
                table_put(old[i]);
        free(old);
    }
    size_t i = orus_gc_hash((uintptr_t)pg->base, H.table_cap);
    while (H.table[i])
        i = (i + 1) & (H.table_cap - 1);
    H.table[i] = pg;
    H.table_len++;
}

/* Linear probing deletion by backward shift: no tombstones to slow lookups. */
static void table_remove(Page *pg) {
    size_t mask = H.table_cap - 1, i = orus_gc_hash((uintptr_t)pg->base, H.table_cap);
    while (H.table[i] != pg)
        i = (i + 1) & mask;
    H.table[i] = NULL;
    H.table_len--;
    for (size_t j = (i + 1) & mask; H.table[j]; j = (j + 1) & mask) {
        size_t home = orus_gc_hash((uintptr_t)H.table[j]->base, H.table_cap);
        /* move j back into the hole when its home is not cyclically in (i, j] */
        if (((j - home) & mask) >= ((j - i) & mask)) {
            H.table[i] = H.table[j];
            H.table[j] = NULL;
            i = j;
        }
    }
}

void orus_gc_widen(uintptr_t start, size_t n) {
    if (!H.lo || start < H.lo)
        H.lo = start;
    if (start + n > H.hi)
        H.hi = start + n;
}

/* ---------------------------------------------------------------- pages */

/* A fresh PAGE_SIZE-aligned mapping: map twice the size and trim both ends. */
static char *map_page(void) {
    char *p = mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        orus_gc_out_of_memory();
    uintptr_t a = ((uintptr_t)p + PAGE_MASK) & ~PAGE_MASK;
    size_t head = a - (uintptr_t)p;
    if (head)
        munmap(p, head);
    munmap((char *)a + PAGE_SIZE, PAGE_SIZE - head);
    return (char *)a;
}

static Page *new_page(void) {
    Page *pg;
    if (H.reserve) {
        pg = H.reserve;
        H.reserve = pg->next;
        H.nreserve--;
        return pg;
    }
    pg = calloc(1, sizeof *pg);
    if (!pg)
        orus_gc_out_of_memory();
    pg->base = map_page();
    table_put(pg);
    orus_gc_widen((uintptr_t)pg->base, PAGE_SIZE);
    H.stats.heap_bytes += (int64_t)PAGE_SIZE;
    if (H.stats.heap_bytes > H.stats.heap_peak_bytes)
        H.stats.heap_peak_bytes = H.stats.heap_bytes;
    return pg;
}

static void unmap_page(Page *pg) {
    table_remove(pg);
    munmap(pg->base, PAGE_SIZE);
    H.stats.heap_bytes -= (int64_t)PAGE_SIZE;
    free(pg);
}

/* An empty page goes to the reserve (bitmaps clear, no class) until trimmed. */
void orus_gc_release_page(Page *pg) {
    pg->objsize = pg->nobjs = pg->live = pg->inv = 0;
    pg->next_avail = NULL;
    memset(pg->alloc, 0, sizeof pg->alloc);
    memset(pg->mark, 0, sizeof pg->mark);   /* the barrier reads them: nothing is old here */
    pg->next = H.reserve;
    H.reserve = pg;
    H.nreserve++;
}

void orus_gc_trim_reserve(size_t keep) {
    while ((size_t)H.nreserve > keep) {
        Page *pg = H.reserve;
        H.reserve = pg->next;
        H.nreserve--;
        unmap_page(pg);
    }
}

static Page *class_page(int cls) {
    SizeClass *c = &H.classes[cls];
    if (c->avail) {
        Page *pg = c->avail;
        c->avail = pg->next_avail;
        return pg;
    }
    Page *pg = new_page();
    pg->cls = (uint32_t)cls;
    pg->objsize = CLASS_SIZE[cls];
    pg->nobjs = (uint32_t)(PAGE_SIZE / pg->objsize);
    pg->inv = (uint32_t)((((uint64_t)1 << 32) + pg->objsize - 1) / pg->objsize);
    pg->next = c->pages;
    c->pages = pg;
    return pg;
}

/* Point the class's cursor at the next bitmap word with a free slot: in its current
 * page after the cursor, else in the next page with room (or a new page). */
static void refill(SizeClass *c, int cls) {
    for (;;) {
        Page *pg = c->cur;
        if (pg) {
            uint32_t words = (pg->nobjs + 63) / 64;
            while (++c->word < words) {
                uint64_t bits = ~pg->alloc[c->word];
                if (c->word == words - 1 && pg->nobjs % 64)
                    bits &= ((uint64_t)1 << (pg->nobjs % 64)) - 1;
                if (bits) {
                    c->bits = bits;
                    return;
                }
            }
        }
        c->cur = class_page(cls);
        c->word = UINT32_MAX;       /* ++ wraps to word 0 */
    }
}

static void *alloc_small(size_t size, int zero) {
    int cls = H.class_of[(size + 15) / 16];
    SizeClass *c = &H.classes[cls];
    if (!c->bits)
        refill(c, cls);
    uint32_t bit = (uint32_t)__builtin_ctzll(c->bits);
    c->bits &= c->bits - 1;
    Page *pg = c->cur;
    pg->alloc[c->word] |= (uint64_t)1 << bit;
    uint32_t objsize = pg->objsize;
    char *obj = pg->base + (size_t)(c->word * 64 + bit) * objsize;
    if (objsize == 32) {            /* the commonest sizes, without a call */
        uint64_t *w = (uint64_t *)obj;
        w[0] = w[1] = w[2] = w[3] = 0;
    } else if (objsize == 16) {
        uint64_t *w = (uint64_t *)obj;
        w[0] = w[1] = 0;
    } else if (zero) {
        memset(obj, 0, objsize);
    }
    H.since += objsize;
    H.stats.bytes_allocated += objsize;
    H.stats.live_bytes += objsize;
    return obj;
}

/* Large objects come from malloc, not from a mapping of their own: a program that
 * builds and drops big strings (s = s + piece) then reuses the same freed blocks, which
 * are still in cache, instead of faulting in and zeroing fresh pages from the kernel
 * at every allocation (measured: string_build spent most of its time in the kernel). */
static void *alloc_large(size_t size, int zero) {
    size_t mapped = (size + 15) & ~(size_t)15;
    /* Two explicit calls: gcc turns `malloc; if (zero) memset` into an unconditional
     * calloc, which cleared every big string (a tenth of string_build's time). */
    char *p = zero ? calloc(1, mapped) : malloc(mapped);
    if (!p)
        orus_gc_out_of_memory();
    if (H.nlarge == H.large_cap) {
        H.large_cap = H.large_cap ? 2 * H.large_cap : 64;
        H.large = orus_gc_realloc(H.large, H.large_cap * sizeof *H.large);
    }
    if (H.nsorted == H.nlarge && (!H.nlarge || H.large[H.nlarge - 1].start < p))
        H.nsorted++;            /* still sorted */
    H.large[H.nlarge++] = (Large){p, size, mapped, 0};
    orus_gc_widen((uintptr_t)p, mapped);
    H.since += size;
    H.stats.heap_bytes += (int64_t)mapped;
    if (H.stats.heap_bytes > H.stats.heap_peak_bytes)
        H.stats.heap_peak_bytes = H.stats.heap_bytes;
    H.stats.bytes_allocated += (int64_t)size;
    H.stats.live_bytes += (int64_t)size;
    return p;
}

/* ---------------------------------------------------------------- lookups */

/* Quicksort (Hoare partition, median-of-three pivot) down to short runs, then an
 * insertion sort: inlined comparisons, several times faster than qsort here. */
static void sort_run(Large *a, ptrdiff_t n) {
    while (n > 16) {
        char *x = a[0].start, *y = a[n / 2].start, *z = a[n - 1].start;
        char *pv = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        ptrdiff_t i = -1, j = n;
        for (;;) {
            do i++; while (a[i].start < pv);
            do j--; while (a[j].start > pv);
            if (i >= j)
                break;
            Large t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        /* a[0..j] <= pv <= a[j+1..n): recurse on the shorter side, loop on the longer */
        if (j + 1 < n - j - 1) {
            sort_run(a, j + 1);
            a += j + 1;
            n -= j + 1;
        } else {
            sort_run(a + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    for (ptrdiff_t i = 1; i < n; i++) {
        Large t = a[i];
        ptrdiff_t k = i;
        for (; k > 0 && a[k - 1].start > t.start; k--)
            a[k] = a[k - 1];
        a[k] = t;
    }
}

/* The table is a sorted prefix (every collection leaves it sorted: sweeping keeps the
 * order) plus the objects allocated since, in malloc's order: sort those and merge. */
void orus_gc_sort_large(void) {
    size_t k = H.nsorted, n = H.nlarge, m = n - k;
    if (k == n)
        return;
    sort_run(H.large + k, (ptrdiff_t)m);
    if (k && H.large[k - 1].start > H.large[k].start) {
        if (m > H.merge_cap) {
            H.merge_cap = m;
            H.merge_buf = orus_gc_realloc(H.merge_buf, m * sizeof *H.merge_buf);
        }
        memcpy(H.merge_buf, H.large + k, m * sizeof *H.merge_buf);
        size_t i = k, j = m, out = n;      /* merge from the back */
        while (j) {
            if (i && H.large[i - 1].start > H.merge_buf[j - 1].start)
                H.large[--out] = H.large[--i];
            else
                H.large[--out] = H.merge_buf[--j];
        }
    }
    H.nsorted = n;
    H.tail_scans = 0;
}

/* The last entry of large[0..n) (sorted) starting at or below p, or NULL. */
static Large *floor_in(size_t n, uintptr_t p) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((uintptr_t)H.large[mid].start <= p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? &H.large[lo - 1] : NULL;
}

static Large *large_floor(uintptr_t p) {
    orus_gc_sort_large();
    return floor_in(H.nlarge, p);
}

/* A collection typically looks up a few large objects (stack words) while the entries
 * added since the last one are many (string_build: ~170 per cycle, and sorting them
 * was a third of a minor collection). So the first TAIL_SCANS lookups of a cycle scan
 * that unsorted tail linearly (besides a binary search of the sorted prefix); more
 * lookups, or a tail longer than TAIL_MAX, sort it: at most about twice the cost of
 * sorting at once. */
#define TAIL_SCANS 8
#define TAIL_MAX 1024

Large *orus_gc_large_at(uintptr_t p) {
    size_t tail = H.nlarge - H.nsorted;
    if (tail && (tail > TAIL_MAX || ++H.tail_scans > TAIL_SCANS))
        orus_gc_sort_large();
    Large *l = floor_in(H.nsorted, p);
    if (l && p < (uintptr_t)l->start + l->size)
        return l;
    for (Large *t = H.large + H.nsorted, *end = H.large + H.nlarge; t < end; t++)
        if (p - (uintptr_t)t->start < t->size)
            return t;
    return NULL;
}

void *orus_gc_find(const void *ptr, size_t *size) {
    uintptr_t p = (uintptr_t)ptr;
    if (p < H.lo || p >= H.hi)
        return NULL;
    Page *pg = orus_gc_page_at(p & ~PAGE_MASK);
    if (pg) {
        uint32_t idx = slot_of(pg, p & PAGE_MASK);
        if (idx >= pg->nobjs || !(pg->alloc[idx / 64] >> (idx % 64) & 1))
            return NULL;
        if (size)
            *size = pg->objsize;
        return pg->base + (size_t)idx * pg->objsize;
    }
    Large *l = orus_gc_large_at(p);
    if (!l)
        return NULL;
    if (size)
        *size = l->size;
    return l->start;
}

int orus_gc_owns(const void *ptr) {
    uintptr_t p = (uintptr_t)ptr;
    if (p < H.lo || p >= H.hi)
        return 0;
    if (orus_gc_page_at(p & ~PAGE_MASK))
        return 1;
    Large *l = large_floor(p);
    return l && p < (uintptr_t)l->start + l->mapped;
}

void orus_gc_each(void (*fn)(void *obj, size_t size, void *ctx), void *ctx) {
    for (int c = 0; c < NCLASSES; c++)
        for (Page *pg = H.classes[c].pages; pg; pg = pg->next)
            for (uint32_t i = 0; i < pg->nobjs; i++)
                if (pg->alloc[i / 64] >> (i % 64) & 1)
                    fn(pg->base + (size_t)i * pg->objsize, pg->objsize, ctx);
    for (size_t i = 0; i < H.nlarge; i++)
        fn(H.large[i].start, H.large[i].size, ctx);
}

/* ---------------------------------------------------------------- public API */

static int env_on(const char *name) {
    const char *v = getenv(name);
    return v && strcmp(v, "1") == 0;
}

void orus_gc_init(void) {
    orus_gc_shutdown();
    for (size_t s = 0, c = 0; s <= MAX_SMALL / 16; s++) {
        while (CLASS_SIZE[c] < s * 16)
            c++;
        H.class_of[s] = (uint8_t)c;
    }
    H.threshold = MIN_THRESHOLD;
    H.allowance = H.old_limit = MIN_THRESHOLD;
    H.major_due = 1;            /* nothing is old yet: the first collection is a full one */
    H.stress = env_on("ORUS_GC_STRESS");
    H.verify = env_on("ORUS_GC_VERIFY");
    H.ready = 1;
#ifdef M_TRIM_THRESHOLD
    /* A collection frees many large blocks at once; glibc would then give the top of
     * its heap back to the kernel and fault it in again during the next cycle (most of
     * string_build's time went to the kernel). Keep up to 64 MiB of freed heap. */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
#ifdef M_MMAP_THRESHOLD
    /* Setting the trim threshold turns off glibc's dynamic mmap threshold, so every block
     * of 128 KiB or more would get a mapping of its own and be unmapped when freed: each
     * big array a program builds again (sieve: 4 MB per round) would fault in fresh zero
     * pages. Served from the heap, a freed big block is reused instead. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

void orus_gc_shutdown(void) {
    for (int c = 0; c < NCLASSES; c++) {
        Page *next;
        for (Page *pg = H.classes[c].pages; pg; pg = next) {
            next = pg->next;
            munmap(pg->base, PAGE_SIZE);
            free(pg);
        }
    }
    Page *next;
    for (Page *pg = H.reserve; pg; pg = next) {
        next = pg->next;
        munmap(pg->base, PAGE_SIZE);
        free(pg);
    }
    for (size_t i = 0; i < H.nlarge; i++)
        free(H.large[i].start);
    free(H.large);
    free(H.merge_buf);
    free(H.table);
    free(H.roots);
    free(H.stack);
    free(H.remembered);
    memset(&H, 0, sizeof H);
}

static void *alloc(const OrusTy *ty, size_t size, int zero) {
    if (!H.ready)
        orus_gc_init();
    if (size > MAX_OBJECT)
        orus_gc_out_of_memory();
    if (size < MIN_OBJECT)
        size = MIN_OBJECT;
    if (H.stress || H.since >= H.threshold)
        orus_gc_collect_due();
    void *obj = size <= MAX_SMALL ? alloc_small(size, zero) : alloc_large(size, zero);
    *(const OrusTy **)obj = ty;
    H.stats.objects_allocated++;
    return obj;
}

/* Owner of the returned object: the heap (collected when unreachable). May GC. */
void *orus_gc_alloc(const OrusTy *ty, size_t size) {
    return alloc(ty, size, 1);
}

/* As orus_gc_alloc, but the object's bytes after the header are left as they are:
 * only for objects without pointer fields whose caller writes every byte (strings),
 * which saves clearing memory that is overwritten at once. May GC. */
void *orus_gc_alloc_data(const OrusTy *ty, size_t size) {
    return alloc(ty, size, 0);
}

/* The block starts with its header (&orus_ty_buf); the n bytes follow it. May GC. */
void *orus_gc_alloc_buf(size_t n) {
    if (n > MAX_OBJECT)
        orus_gc_out_of_memory();
    return orus_gc_alloc(&orus_ty_buf, sizeof(void *) + n);
}

/* The slots stay owned by the caller and must stay valid until orus_rt_init. */
void orus_gc_add_roots(void **slots, int32_t n) {
    if (n <= 0)
        return;
    if (H.nroots == H.roots_cap) {
        H.roots_cap = H.roots_cap ? 2 * H.roots_cap : 16;
        H.roots = orus_gc_realloc(H.roots, (size_t)H.roots_cap * sizeof *H.roots);
    }
    H.roots[H.nroots++] = (RootSet){slots, n};
}

void orus_gc_set_stack_top(void *top) {
    H.stack_top = top;
}

void orus_gc_set_stress(int32_t on) {
    H.stress = on != 0;
}

void orus_gc_stats(OrusGcStats *out) {
    *out = H.stats;
}

int64_t orus_gc_pause_ns(int64_t i) {
    if (i < 0 || i >= H.stats.collections || i < H.stats.collections - NPAUSES)
        return 0;
    return H.pauses[i % NPAUSES];
}
