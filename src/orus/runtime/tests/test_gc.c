/* test_gc.c: the allocator and collector on hand-built object graphs: reachability
 * through every descriptor kind, roots (registered slots, stack locals, interior
 * pointers), large objects, a million-long list, stress mode, triggers, page
 * release, statistics, and the heap checker itself. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE      /* mmap flags, pthread_getattr_np, pread, setenv under -std=c11 */
#endif
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "gc.h"
#include "node.h"

/* The same layout with `next` declared as an integer: the collector does not follow it. */
static const OrusField opaque_fields[] = {
    {"next", &orus_ty_i64, 8}, {"name", &orus_ty_str, 16}, {"n", &orus_ty_i64, 24}};
static const OrusTy opaque_ty = {ORUS_T_STRUCT, sizeof(Node), "Opaque", NULL, 3, 0, opaque_fields, NULL};

static const OrusTy i32_array_ty = {ORUS_T_ARRAY, 0, NULL, &orus_ty_i32, 0, 0, NULL, NULL};

/* enum Opt { None, Some(str, i64) } */
static const OrusField some_fields[] = {{NULL, &orus_ty_str, 16}, {NULL, &orus_ty_i64, 24}};
static const OrusVariant opt_variants[] = {{"None", 16, 0, NULL}, {"Some", 32, 2, some_fields}};
static const OrusTy opt_ty = {ORUS_T_ENUM, 0, "Opt", NULL, 0, 2, NULL, opt_variants};
/* enum Small { A(i32) }: the payload shares the tag's word, the object is 16 bytes */
static const OrusField small_fields[] = {{NULL, &orus_ty_i32, 12}};
static const OrusVariant small_variants[] = {{"A", 16, 1, small_fields}};
static const OrusTy small_ty = {ORUS_T_ENUM, 0, "Small", NULL, 0, 1, NULL, small_variants};

static const OrusField cell_fields[] = {{NULL, &orus_ty_str, 8}};
static const OrusTy cell_ty = {ORUS_T_CELL, 16, NULL, &orus_ty_str, 1, 0, cell_fields, NULL};

/* a closure { ty; code; Node *capture; i64 } */
static const OrusField clo_fields[] = {{NULL, &node_ty, 16}, {NULL, &orus_ty_i64, 24}};
static const OrusTy clo_ty = {ORUS_T_CLOSURE, 32, NULL, NULL, 2, 0, clo_fields, NULL};

static int alive(const void *p) {
    return orus_gc_find(p, NULL) == p;
}

static OrusStr *str(const char *s) {
    return orus_str_new(s, (int64_t)strlen(s));
}

static Node *node(Node *next, const char *name, int64_t n) {
    Node *x = orus_gc_alloc(&node_ty, sizeof(Node));
    x->next = next;
    x->n = n;
    OrusStr *s = name ? str(name) : NULL;    /* may collect: x is a local */
    x->name = s;
    orus_gc_write_barrier(x);               /* x may be old after that collection */
    return x;
}

static OrusArray *array(const OrusTy *ty, int32_t len) {
    OrusArray *a = orus_gc_alloc(ty, sizeof(OrusArray));
    if (len) {
        char *blk = orus_gc_alloc_buf((size_t)len * orus_ty_elem_size(ty->elem));
        a->data = blk + sizeof(void *);
        a->len = a->cap = len;
        orus_gc_write_barrier(a);           /* the block's allocation may have collected */
    }
    return a;
}

static OrusGcStats stats(void) {
    OrusGcStats s;
    orus_gc_stats(&s);
    return s;
}

__attribute__((noinline)) static void make_garbage(int n) {
    for (int i = 0; i < n; i++)
        node(NULL, "garbage", i);
}

/* Overwrite dead stack below the caller so stale pointers do not pin objects
 * (uninstrumented: ASan redzones around `junk` would leave stale words). */
__attribute__((noinline, no_sanitize_address)) static void clear_stack(void) {
    volatile uintptr_t junk[4096];
    for (int i = 0; i < 4096; i++)
        junk[i] = 0;
    __asm__ volatile("" : : "r"(junk) : "memory");
}

TEST(alloc_is_zeroed_with_header) {
    Node *x = orus_gc_alloc(&node_ty, sizeof(Node));
    CHECK(x->ty == &node_ty && x->next == NULL && x->name == NULL && x->n == 0);
    char *blk = orus_gc_alloc_buf(100);
    CHECK(*(const OrusTy **)blk == &orus_ty_buf);
    int zero = 1;
    for (int i = 8; i < 108; i++)
        zero &= blk[i] == 0;
    CHECK(zero);
    OrusStr *s = str("hello");
    CHECK_STR(s->data, s->len, "hello");
    CHECK(s->data[5] == 0);
    OrusGcStats st = stats();
    CHECK_EQ_I64(st.objects_allocated, 3);
    CHECK(st.bytes_allocated >= (int64_t)(sizeof(Node) + 108 + sizeof(OrusStr) + 6));
    CHECK_EQ_I64(st.collections, 0);
}

TEST(unreachable_objects_are_freed) {
    make_garbage(1000);
    clear_stack();
    OrusGcStats before = stats();
    orus_gc_collect();
    OrusGcStats after = stats();
    CHECK_EQ_I64(after.collections, before.collections + 1);
    /* 2000 objects of 32 bytes (nodes) + 32 (strings): nearly all must go */
    CHECK(after.bytes_freed - before.bytes_freed >= 1990 * 32);
    CHECK(after.live_bytes <= 10 * 32);
    CHECK_EQ_I64(orus_gc_verify(), 0);
}

static void *root_slots[3];

__attribute__((noinline)) static void build_rooted(void) {
    root_slots[0] = node(node(NULL, "tail", 2), "head", 1);
    root_slots[2] = str("second root");
}

__attribute__((noinline)) static void check_rooted(void) {
    Node *h = root_slots[0];
    CHECK(alive(h) && alive(h->next) && alive(h->name) && alive(h->next->name));
    CHECK_STR(h->name->data, h->name->len, "head");
    CHECK_STR(h->next->name->data, h->next->name->len, "tail");
    CHECK_EQ_I64(h->n + h->next->n, 3);
    CHECK(alive(root_slots[2]));
}

TEST(registered_roots_keep_graphs) {
    orus_gc_add_roots(root_slots, 3);
    build_rooted();
    make_garbage(500);
    clear_stack();
    orus_gc_collect();
    check_rooted();
    CHECK_EQ_I64(stats().live_bytes, 5 * 32);
    root_slots[0] = NULL;
    clear_stack();
    orus_gc_collect();
    CHECK_EQ_I64(stats().live_bytes, 32);
    root_slots[2] = NULL;
    clear_stack();
    orus_gc_collect();
    CHECK_EQ_I64(stats().live_bytes, 0);
}

TEST(stack_locals_and_interior_pointers_are_roots) {
    Node *local = node(NULL, "on the stack", 7);
    OrusStr *s = str("only an interior pointer is kept");
    char *inner = s->data + 10;
    s = NULL;
    make_garbage(300);
    orus_gc_collect();
    CHECK(alive(local) && alive(local->name));
    CHECK_STR(local->name->data, local->name->len, "on the stack");
    OrusStr *back = (OrusStr *)(inner - 10 - offsetof(OrusStr, data));
    CHECK(alive(back));
    CHECK_STR(back->data, back->len, "only an interior pointer is kept");
    CHECK_EQ_I64(orus_gc_verify(), 0);
}

static void *array_slot[1];

/* Roots the array in array_slot; no pointer to it or its block stays in registers. */
__attribute__((noinline)) static void build_node_array(void) {
    OrusArray *a = array(&node_array_ty, 100);
    array_slot[0] = a;
    for (int i = 0; i < 100; i++) {
        Node *x = node(NULL, "elem", i);
        ((Node **)a->data)[i] = x;
        orus_gc_write_barrier(a);
    }
    a->len = 60;                /* elements 60..99 are beyond len: not referenced */
}

__attribute__((noinline)) static int check_node_array(void) {
    OrusArray *a = array_slot[0];
    int ok = alive(a) && alive((char *)a->data - 8);
    for (int i = 0; i < 100; i++) {
        Node *x = ((Node **)a->data)[i];
        ok &= i < 60 ? alive(x) && alive(x->name) && x->n == i : !alive(x);
    }
    memset((Node **)a->data + 60, 0, 40 * sizeof(Node *));
    return ok;
}

TEST(array_of_references_scans_len_elements) {
    orus_gc_add_roots(array_slot, 1);
    /* Keep the element block off its page's first slot: an earlier test's stale stack
     * word may hold that address (pages are mapped at the same addresses each run), and
     * a block found on the stack is scanned whole. The dummy is in the block's class. */
    orus_gc_alloc_buf(100 * sizeof(void *));
    build_node_array();
    clear_stack();
    orus_gc_collect();
    CHECK(check_node_array());
    CHECK_EQ_I64(stats().live_bytes, 32 + 896 + 60 * 64);   /* array, block (class 896), nodes */
    CHECK_EQ_I64(stats().bytes_freed, 896 + 40 * 64);        /* the dummy, 40 nodes */
    CHECK_EQ_I64(orus_gc_verify(), 0);
}

__attribute__((noinline)) static uintptr_t disguised_node(void) {
    return (uintptr_t)node(NULL, NULL, 5) ^ 0x5a5a;      /* keep its address off the stack */
}

TEST(array_of_scalars_is_not_scanned) {
    OrusArray *a = array(&i32_array_ty, 4);
    ((int32_t *)a->data)[0] = 42;
    uintptr_t disguised = disguised_node();
    clear_stack();
    orus_gc_collect();
    CHECK(alive(a) && ((int32_t *)a->data)[0] == 42);
    CHECK(!alive((void *)(disguised ^ 0x5a5a)));
}

TEST(element_block_held_in_a_local_is_scanned) {
    char *blk = orus_gc_alloc_buf(2 * sizeof(void *));
    ((OrusStr **)(blk + 8))[1] = str("inside a fresh block");
    make_garbage(100);
    clear_stack();
    orus_gc_collect();
    OrusStr *s = ((OrusStr **)(blk + 8))[1];
    CHECK(alive(blk) && alive(s));
    CHECK_STR(s->data, s->len, "inside a fresh block");
}

TEST(enum_payloads_follow_the_tag) {
    char *some = orus_gc_alloc(&opt_ty, 32);
    *(int32_t *)(some + 8) = 1;
    *(OrusStr **)(some + 16) = str("payload");
    orus_gc_write_barrier(some);    /* str allocated: some may be old */
    *(int64_t *)(some + 24) = 99;
    char *none = orus_gc_alloc(&opt_ty, 16);
    char *small = orus_gc_alloc(&small_ty, 16);
    *(int32_t *)(small + 12) = -5;
    make_garbage(100);
    clear_stack();
    orus_gc_collect();
    OrusStr *p = *(OrusStr **)(some + 16);
    CHECK(alive(some) && alive(none) && alive(p));
    CHECK_STR(p->data, p->len, "payload");
    CHECK_EQ_I64(*(int64_t *)(some + 24), 99);
    CHECK(alive(small) && *(int32_t *)(small + 12) == -5);
    CHECK_EQ_I64(orus_gc_verify(), 0);
}

TEST(cells_closures_and_errors) {
    char *cell = orus_gc_alloc(&cell_ty, 16);
    *(OrusStr **)(cell + 8) = str("in a cell");
    orus_gc_write_barrier(cell);
    char *clo = orus_gc_alloc(&clo_ty, 32);
    *(Node **)(clo + 16) = node(NULL, "captured", 3);
    orus_gc_write_barrier(clo);
    orus_trap(NULL, ORUS_ERR_VALUE, "pending");
    OrusError *e = orus_err_take();
    make_garbage(200);
    clear_stack();
    orus_gc_collect();
    OrusStr *c = *(OrusStr **)(cell + 8);
    Node *n = *(Node **)(clo + 16);
    CHECK(alive(c) && alive(n) && alive(n->name));
    CHECK_STR(c->data, c->len, "in a cell");
    CHECK_STR(n->name->data, n->name->len, "captured");
    CHECK(alive(e) && alive(e->kind) && alive(e->message));
    CHECK_STR(e->message->data, e->message->len, "pending");
    CHECK_STR(e->kind->data, e->kind->len, "value error");
    CHECK_EQ_I64(orus_gc_verify(), 0);
}

static void *list_head[1];

/* Build the list with only the root slot holding it, so automatic collections
 * triggered by the allocation volume (about 64 MB) happen during the build. */
__attribute__((noinline)) static void build_list(int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        Node *x = orus_gc_alloc(&node_ty, sizeof(Node));
        x->n = i;
        x->next = list_head[0];
        list_head[0] = x;
        orus_str_new("garbage that churns the heap", 28);
    }
}

__attribute__((noinline)) static int64_t list_sum(int64_t *count) {
    int64_t sum = 0;
    *count = 0;
    for (Node *x = list_head[0]; x; x = x->next) {
        ++*count;
        sum += x->n;
    }
    return sum;
}

TEST(million_long_list) {
    orus_gc_add_roots(list_head, 1);
    build_list(1000000);
    CHECK(stats().collections >= 3);
    clear_stack();
    orus_gc_collect();
    int64_t count = 0;
    CHECK_EQ_I64(list_sum(&count), 1000000LL * 999999 / 2);
    CHECK_EQ_I64(count, 1000000);
    /* the list, plus at most a few objects pinned by stale stack words */
    CHECK(stats().live_bytes >= 1000000LL * 32 && stats().live_bytes <= 1000000LL * 32 + 1024);
    CHECK_EQ_I64(orus_gc_verify(), 0);
    list_head[0] = NULL;
    clear_stack();
    orus_gc_collect();
    CHECK(stats().live_bytes < 1000);
    /* empty pages went back to the OS, but for a reserve of twice the threshold (8 MiB) */
    CHECK(stats().heap_bytes <= (8 << 20) + 2 * 65536);
}

TEST(large_objects) {
    OrusStr *big = orus_str_new(NULL, 0);
    big = orus_gc_alloc(&orus_ty_str, sizeof(OrusStr) + 1000001);
    big->len = 1000000;
    memset(big->data, 'x', 1000000);
    char *mid = big->data + 500000;
    big = NULL;
    for (int i = 0; i < 20; i++)
        orus_gc_alloc(&orus_ty_str, sizeof(OrusStr) + 100000 + (size_t)i);
    clear_stack();
    int64_t heap_before = stats().heap_bytes;
    orus_gc_collect();
    OrusGcStats st = stats();
    CHECK(heap_before - st.heap_bytes >= 20 * 100000);
    OrusStr *back = (OrusStr *)(mid - 500000 - offsetof(OrusStr, data));
    CHECK(alive(back) && back->len == 1000000 && back->data[999999] == 'x');
    CHECK(orus_gc_find(mid, NULL) == back);
    CHECK_EQ_I64(orus_gc_verify(), 0);
}

TEST(stress_mode_collects_every_allocation) {
    orus_gc_set_stress(1);
    Node *list = NULL;
    for (int i = 0; i < 300; i++)
        list = node(list, i % 2 ? "odd" : "even", i);
    OrusGcStats st = stats();
    CHECK(st.collections >= 600);
    int ok = 1, n = 300;
    for (Node *x = list; x; x = x->next) {
        n--;
        ok &= x->n == n && alive(x->name) && x->name->len == (n % 2 ? 3 : 4);
    }
    CHECK(ok && n == 0);
    CHECK_EQ_I64(orus_gc_verify(), 0);
    orus_gc_set_stress(0);
}

TEST(threshold_triggers_and_churn_stays_small) {
    for (int i = 0; i < 1000000; i++)        /* 64 MB of short-lived objects */
        node(NULL, "churn", i);
    OrusGcStats st = stats();
    CHECK(st.collections >= 10);
    CHECK(st.heap_bytes <= 12 << 20);        /* the 4 MiB threshold, twice, plus slack */
    CHECK(st.bytes_freed >= st.bytes_allocated - (8 << 20));
}

TEST(freed_slots_are_reused) {
    make_garbage(5000);
    clear_stack();
    orus_gc_collect();
    int64_t heap = stats().heap_bytes;
    make_garbage(5000);
    CHECK_EQ_I64(stats().heap_bytes, heap);
}

TEST(pauses_are_recorded) {
    for (int i = 0; i < 5; i++) {
        make_garbage(100);
        orus_gc_collect();
    }
    OrusGcStats st = stats();
    CHECK_EQ_I64(st.collections, 5);
    int64_t total = 0;
    for (int i = 0; i < 5; i++) {
        CHECK(orus_gc_pause_ns(i) > 0);
        total += orus_gc_pause_ns(i);
    }
    CHECK_EQ_I64(total, st.pause_total_ns);
    CHECK(st.pause_max_ns > 0 && st.pause_max_ns <= total);
    CHECK_EQ_I64(orus_gc_pause_ns(5), 0);
    CHECK_EQ_I64(orus_gc_pause_ns(-1), 0);
}

TEST(shutdown_then_init_again) {
    Node *x = node(NULL, "before", 1);
    CHECK(alive(x));
    orus_rt_shutdown();
    CHECK(stats().heap_bytes == 0 && stats().objects_allocated == 0);
    orus_rt_init();
    orus_gc_set_stack_top(__builtin_frame_address(0));
    x = node(NULL, "after", 2);
    orus_gc_collect();
    CHECK(alive(x) && alive(x->name));
    CHECK_STR(x->name->data, x->name->len, "after");
    CHECK_EQ_I64(stats().collections, 1);
}

static void *holder_slot[1];

__attribute__((noinline)) static void build_holder(void) {
    Node *holder = orus_gc_alloc(&opaque_ty, sizeof(Node));
    holder_slot[0] = holder;
    holder->next = orus_gc_alloc(&node_ty, sizeof(Node));
    orus_gc_write_barrier(holder);
}

/* A field the collector does not follow (declared i64) lets its target be freed;
 * relabelling the holder as a struct with a reference field there is then a
 * dangling reference that the checker must report. */
TEST(verify_reports_dangling_references) {
    orus_gc_add_roots(holder_slot, 1);
    build_holder();
    clear_stack();
    orus_gc_collect();
    Node *holder = holder_slot[0];
    CHECK(!alive(holder->next));
    CHECK_EQ_I64(orus_gc_verify(), 0);
    holder->ty = &node_ty;
    CHECK(orus_gc_verify() >= 1);
    holder->ty = &opaque_ty;
    holder->next = NULL;
}

TEST(static_objects_are_ignored) {
    static struct { const OrusTy *ty; int64_t len; char data[4]; } lit = {&orus_ty_str, 3, "abc"};
    Node *x = node(NULL, NULL, 0);
    x->name = (OrusStr *)&lit;
    orus_gc_collect();
    CHECK(alive(x) && x->name == (OrusStr *)&lit);
    CHECK(!orus_gc_find(&lit, NULL));
    CHECK_EQ_I64(orus_gc_verify(), 0);
}

TEST(stress_and_verify_from_the_environment) {
    setenv("ORUS_GC_STRESS", "1", 1);
    setenv("ORUS_GC_VERIFY", "1", 1);
    orus_rt_init();
    orus_gc_set_stack_top(__builtin_frame_address(0));
    unsetenv("ORUS_GC_STRESS");
    unsetenv("ORUS_GC_VERIFY");
    Node *list = NULL;
    for (int i = 0; i < 50; i++)
        list = node(list, "x", i);
    CHECK_EQ_I64(stats().collections, 100);     /* one per allocation, each verified */
    int n = 0;
    for (Node *x = list; x; x = x->next)
        n += alive(x) && alive(x->name);
    CHECK_EQ_I64(n, 50);
    orus_rt_init();                              /* the environment is read at init */
    orus_gc_set_stack_top(__builtin_frame_address(0));
    node(NULL, "y", 0);
    CHECK_EQ_I64(stats().collections, 0);
}

TEST(huge_blocks_are_large_objects) {
    char *blk = orus_gc_alloc_buf((size_t)64 << 20);
    CHECK(blk != NULL && *(const OrusTy **)blk == &orus_ty_buf);
    CHECK(blk[(64 << 20) + 7] == 0);
    CHECK(stats().heap_bytes >= (64 << 20));
}

TEST(pause_ring_keeps_the_last_4096) {
    for (int i = 0; i < 4100; i++)
        orus_gc_collect();
    CHECK_EQ_I64(stats().collections, 4100);
    CHECK_EQ_I64(orus_gc_pause_ns(3), 0);        /* overwritten */
    CHECK(orus_gc_pause_ns(4) > 0);
    CHECK(orus_gc_pause_ns(4099) > 0);
    CHECK_EQ_I64(orus_gc_pause_ns(4100), 0);
}

/* In a child process: buffered output is flushed, then the message, then exit 70. */
TEST(out_of_memory_exits_70) {
    int out[2], err[2];
    CHECK(pipe(out) == 0 && pipe(err) == 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(err[1], 2);
        orus_rt_set_output_fd(1);
        orus_out_write("before", 6);
        orus_gc_alloc(&orus_ty_str, (size_t)1 << 50);
        _exit(0);
    }
    close(out[1]);
    close(err[1]);
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 70);
    char buf[256];
    ssize_t n = read(out[0], buf, sizeof buf);
    CHECK_STR(buf, n, "before");
    n = read(err[0], buf, sizeof buf);
    CHECK_STR(buf, n, "orus: out of memory\n");
    close(out[0]);
    close(err[0]);
}
