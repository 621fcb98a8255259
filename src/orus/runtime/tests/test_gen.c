/* test_gen.c: generational collection (sticky mark bits, gc.h invariant 4) on
 * hand-built graphs: minor collections keep old objects without rescanning them and
 * free young garbage; the write barrier remembers an old object once and makes a
 * minor collection see its new young referents (fields, array elements through the
 * array or its element block, small and large objects); a store without the barrier
 * is what orus_gc_verify reports, and what a minor collection then frees; major
 * collections free old garbage; the policy and stress mode interleave both kinds.
 *
 * The tests drive the collector's kinds directly (orus_gc_collect_kind), so they set
 * stress off and, where they break the invariant on purpose, verification too (the
 * runtime tests also run every file with ORUS_GC_STRESS=1 ORUS_GC_VERIFY=1).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE      /* mmap flags, pthread_getattr_np, pread, setenv under -std=c11 */
#endif
#include "harness.h"
#include "gc.h"
#include "node.h"


/* A struct of 1100 reference fields: bigger than MAX_SMALL, so a large object. */
#define WIDE_FIELDS 1100
static OrusField wide_fields[WIDE_FIELDS];
static OrusTy wide_ty = {ORUS_T_STRUCT, 8 + 8 * WIDE_FIELDS, "Wide", NULL, WIDE_FIELDS, 0, NULL, NULL};

static void *slot[4];           /* registered roots, set per test */

static void quiet(void) {       /* the tests pick each collection's kind themselves */
    orus_gc_set_stress(0);
    orus_gc_add_roots(slot, 4);
    memset(slot, 0, sizeof slot);
}

static int alive(const void *p) {
    return orus_gc_find(p, NULL) == p;
}

static int old(const void *p) {
    uintptr_t a = (uintptr_t)p;
    Page *pg = orus_gc_page_at(a & ~PAGE_MASK);
    if (pg) {
        uint32_t idx = slot_of(pg, a & PAGE_MASK);
        return (int)(pg->mark[idx / 64] >> (idx % 64) & 1);
    }
    Large *l = orus_gc_large_at(a);
    return l && l->marked;
}

static OrusGcStats stats(void) {
    OrusGcStats s;
    orus_gc_stats(&s);
    return s;
}

/* The young objects made here are referenced from nowhere but returned disguised,
 * so the conservative stack scan cannot keep them. */
__attribute__((noinline)) static uintptr_t young_node(int64_t n) {
    Node *x = orus_gc_alloc(&node_ty, sizeof(Node));
    x->n = n;
    return (uintptr_t)x ^ 0x5a5a;
}

static Node *undisguise(uintptr_t d) {
    return (Node *)(d ^ 0x5a5a);
}

/* alive() and old() of a disguised object, without its address in the test's frame. */
__attribute__((noinline)) static int alive_d(uintptr_t d) {
    return alive(undisguise(d));
}

__attribute__((noinline)) static int old_d(uintptr_t d) {
    return old(undisguise(d));
}

__attribute__((noinline, no_sanitize_address)) static void clear_stack(void) {
    volatile uintptr_t junk[4096];
    for (int i = 0; i < 4096; i++)
        junk[i] = 0;
    __asm__ volatile("" : : "r"(junk) : "memory");
}

/* holder: a rooted object made old by a major collection. */
static Node *old_holder(void) {
    Node *h = orus_gc_alloc(&node_ty, sizeof(Node));
    slot[0] = h;
    orus_gc_collect();
    return h;
}

TEST(survivors_are_old_and_new_objects_young) {
    quiet();
    Node *h = old_holder();
    CHECK(old(h));
    uintptr_t y = young_node(1);
    CHECK(!old_d(y));
    CHECK_EQ_I64(orus_gc_verify_all_old(), 1);     /* exactly the young one */
    clear_stack();
    orus_gc_collect_kind(0);
    CHECK(alive(h) && old(h));
    CHECK(!alive_d(y));                             /* young garbage: freed by a minor */
    CHECK_EQ_I64(orus_gc_verify_all_old(), 0);
    CHECK_EQ_I64(stats().major_collections, 1);
    CHECK_EQ_I64(stats().collections, 2);
}

TEST(barrier_remembers_an_old_object_once) {
    quiet();
    Node *h = old_holder();
    CHECK_EQ_I64(orus_heap.nremembered, 0);
    orus_gc_write_barrier(h);
    CHECK(!old(h) && orus_heap.nremembered == 1 && orus_heap.remembered[0] == h);
    orus_gc_write_barrier(h);                       /* already remembered: cheap path */
    orus_gc_write_barrier(&h->n);                   /* an interior address: the same object */
    CHECK_EQ_I64(orus_heap.nremembered, 1);
    Node *y = orus_gc_alloc(&node_ty, sizeof(Node));
    orus_gc_write_barrier(y);                       /* young: nothing to remember */
    static const Node stat = {&node_ty, NULL, NULL, 0};
    orus_gc_write_barrier((void *)&stat);           /* outside the heap: ignored */
    orus_gc_write_barrier(NULL);
    CHECK_EQ_I64(orus_heap.nremembered, 1);
    orus_gc_collect_kind(0);
    CHECK(old(h) && orus_heap.nremembered == 0);
}

TEST(old_to_young_store_with_barrier_survives_a_minor) {
    quiet();
    Node *h = old_holder();
    h->next = undisguise(young_node(7));
    orus_gc_write_barrier(h);
    h->name = orus_str_new("young name", 10);       /* h is remembered: no barrier needed */
    CHECK_EQ_I64(orus_gc_verify(), 0);
    clear_stack();
    orus_gc_collect_kind(0);
    CHECK(alive(h->next) && h->next->n == 7 && old(h->next));
    CHECK(alive(h->name) && h->name->len == 10 && old(h->name));
    CHECK_EQ_I64(orus_gc_verify(), 0);
    CHECK_EQ_I64(orus_gc_verify_all_old(), 0);
}

/* The young node's address stays out of the test's frame. */
__attribute__((noinline)) static void store_without_barrier(Node *h) {
    h->next = undisguise(young_node(8));
}

TEST(old_to_young_store_without_barrier_is_reported_and_freed) {
    quiet();
    int verify = orus_heap.verify;
    orus_heap.verify = 0;                           /* the collector must not abort here */
    Node *h = old_holder();
    store_without_barrier(h);                       /* the bug under test */
    CHECK(orus_gc_verify() >= 1);                   /* old object references a young one */
    clear_stack();
    orus_gc_collect_kind(0);
    CHECK(!alive_d((uintptr_t)h->next ^ 0x5a5a));   /* the minor did not see it */
    CHECK(orus_gc_verify() >= 1);                   /* now a reference to freed memory */
    h->next = NULL;
    CHECK_EQ_I64(orus_gc_verify(), 0);
    orus_heap.verify = verify;
}

__attribute__((noinline)) static uintptr_t old_garbage(void) {
    uintptr_t d = (uintptr_t)old_holder() ^ 0x5a5a;
    slot[0] = NULL;
    return d;
}

TEST(minor_does_not_free_old_garbage_major_does) {
    quiet();
    uintptr_t h = old_garbage();
    clear_stack();
    orus_gc_collect_kind(0);
    CHECK(alive_d(h));                              /* old: a minor keeps it */
    clear_stack();
    orus_gc_collect_kind(1);
    CHECK(!alive_d(h));
}

TEST(live_peak_counts_major_collections_only) {
    quiet();
    Node *list = NULL;
    for (int i = 0; i < 1000; i++) {
        Node *x = orus_gc_alloc(&node_ty, sizeof(Node));
        x->next = list;
        list = x;
    }
    slot[1] = list;
    orus_gc_collect_kind(1);
    int64_t peak = stats().live_peak_bytes;
    CHECK(peak >= 1000 * 32);
    slot[1] = NULL;                                 /* old garbage now */
    list = NULL;
    for (int i = 0; i < 1000; i++)
        slot[2] = orus_gc_alloc(&node_ty, sizeof(Node));
    orus_gc_collect_kind(0);
    CHECK(stats().live_bytes > peak);               /* a minor's live includes old garbage */
    CHECK_EQ_I64(stats().live_peak_bytes, peak);
    clear_stack();
    orus_gc_collect_kind(1);
    CHECK(stats().live_bytes < 1000 * 32);
}

/* Elements: the barrier object is the array (orus_array_push calls it; compiled code
 * does after array.set); growth replaces the block of an old array. */
TEST(array_elements_through_push_and_growth) {
    quiet();
    OrusArray *a = orus_array_new(&node_array_ty, 0);
    slot[1] = a;
    orus_gc_collect();
    for (int i = 0; i < 100; i++) {                 /* grows 4, 8, ... 128: old a, new blocks */
        orus_array_push(a, P(undisguise(young_node(i))));
        clear_stack();
        orus_gc_collect_kind(0);
        CHECK(old(a) && old((char *)a->data - 8));
    }
    int ok = 1;
    for (int i = 0; i < 100; i++)
        ok &= alive(((Node **)a->data)[i]) && ((Node **)a->data)[i]->n == i;
    CHECK(ok);
    ((Node **)a->data)[5] = undisguise(young_node(500));
    orus_gc_write_barrier(a);                       /* what array.set does */
    clear_stack();
    orus_gc_collect_kind(0);
    CHECK(alive(((Node **)a->data)[5]) && ((Node **)a->data)[5]->n == 500);
    CHECK_EQ_I64(orus_gc_verify(), 0);
}

/* The element block itself may be the barrier object (scanned word by word), small
 * or large (a large object is found by address search, not by page). */
TEST(element_block_as_barrier_object) {
    quiet();
    int32_t sizes[] = {10, 2000};                   /* an 88-byte block, a 16 KB one */
    for (int k = 0; k < 2; k++) {
        OrusArray *a = orus_array_new(&node_array_ty, sizes[k]);
        slot[1] = a;
        orus_gc_collect();
        char *blk = (char *)a->data - 8;
        CHECK(old(a) && old(blk));
        ((Node **)a->data)[sizes[k] - 1] = undisguise(young_node(k));
        orus_gc_write_barrier(a->data);
        CHECK(old(a) && !old(blk));
        CHECK_EQ_I64(orus_gc_verify(), 0);          /* a remembered block is no violation */
        clear_stack();
        orus_gc_collect_kind(0);
        Node *e = ((Node **)a->data)[sizes[k] - 1];
        CHECK(alive(e) && e->n == k && old(blk));
        CHECK_EQ_I64(orus_gc_verify(), 0);
    }
}

TEST(large_object_barrier) {
    quiet();
    for (int i = 0; i < WIDE_FIELDS; i++)
        wide_fields[i] = (OrusField){NULL, &node_ty, 8 + 8 * (uint32_t)i};
    wide_ty.fields = wide_fields;
    Node **w = orus_gc_alloc(&wide_ty, wide_ty.size);
    slot[1] = w;
    orus_gc_collect();
    CHECK(old(w) && orus_gc_large_at((uintptr_t)w) != NULL);
    w[WIDE_FIELDS] = undisguise(young_node(42));    /* the last field */
    orus_gc_write_barrier(&w[WIDE_FIELDS]);
    CHECK(!old(w) && orus_heap.nremembered == 1);
    clear_stack();
    orus_gc_collect_kind(0);
    CHECK(alive(w[WIDE_FIELDS]) && w[WIDE_FIELDS]->n == 42 && old(w));
    CHECK_EQ_I64(orus_gc_verify(), 0);
}

TEST(policy_runs_minors_and_a_major_when_the_old_generation_grows) {
    quiet();
    Node *list = NULL;
    for (int64_t i = 0; i < 400000; i++) {          /* 12.8 MB kept, 12.8 MB of garbage */
        Node *x = orus_gc_alloc(&node_ty, sizeof(Node));
        x->next = list;
        x->n = i;
        list = x;
        slot[1] = list;
        orus_gc_alloc(&node_ty, sizeof(Node));
    }
    OrusGcStats st = stats();
    CHECK(st.collections >= 4);
    CHECK(st.major_collections >= 1 && st.major_collections < st.collections);
    int64_t n = 0, ok = 1;
    for (Node *x = list; x; x = x->next)
        ok &= x->n == 399999 - n++;
    CHECK(ok && n == 400000);
    CHECK_EQ_I64(orus_gc_verify(), 0);
}

TEST(stress_interleaves_majors) {
    quiet();
    orus_gc_set_stress(1);
    Node *list = NULL;
    for (int i = 0; i < 64; i++) {
        Node *x = orus_gc_alloc(&node_ty, sizeof(Node));
        x->next = list;
        list = x;
        x->name = orus_str_new("s", 1);             /* x may be old after this */
        orus_gc_write_barrier(x);
    }
    orus_gc_set_stress(0);
    OrusGcStats st = stats();
    CHECK_EQ_I64(st.collections, 128);
    CHECK_EQ_I64(st.major_collections, 128 / STRESS_MAJOR);
    int ok = 1, n = 0;
    for (Node *x = list; x; x = x->next, n++)
        ok &= alive(x->name) && x->name->len == 1;
    CHECK(ok && n == 64);
    CHECK_EQ_I64(orus_gc_verify(), 0);
}

/* The large-object table: a sorted prefix from the last collection plus entries added
 * since in malloc's order, sorted and merged before lookups (orus_gc_sort_large). */
TEST(large_table_stays_searchable_across_collections) {
    quiet();
    static const OrusTy str_array_ty = {ORUS_T_ARRAY, 0, NULL, &orus_ty_str, 0, 0, NULL, NULL};
    OrusArray *keep = orus_array_new(&str_array_ty, 0);
    slot[1] = keep;
    for (int round = 0; round < 6; round++) {
        for (int i = 0; i < 60; i++) {
            size_t n = 9000 + (size_t)((i * 7919 + round * 104729) % 20000);
            OrusStr *s = orus_gc_alloc_data(&orus_ty_str, sizeof(OrusStr) + n + 1);
            s->len = (int64_t)n;
            memset(s->data, 'a' + round, n + 1);
            if (i % 3 == 0)
                orus_array_push(keep, P(s));
        }
        orus_gc_sort_large();
        int ok = 1;
        for (size_t i = 1; i < orus_heap.nlarge; i++)
            ok &= orus_heap.large[i - 1].start < orus_heap.large[i].start;
        CHECK(ok && orus_heap.nsorted == orus_heap.nlarge);
        orus_gc_collect_kind(round % 2);
    }
    CHECK_EQ_I64(keep->len, 120);
    int ok = 1;
    for (int32_t i = 0; i < keep->len; i++) {
        OrusStr *s = ((OrusStr **)keep->data)[i];
        ok &= orus_gc_find(s->data + s->len / 2, NULL) == s && s->data[0] == 'a' + i / 20;
    }
    CHECK(ok);
    CHECK_EQ_I64(orus_gc_verify(), 0);
}
