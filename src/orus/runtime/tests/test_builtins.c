/* test_builtins.c: builtins.c: enum `==`, assert_eq (deep equality, cycles, the exact
 * failure message), sorted (every comparable type, NaN/-0.0 order, stability, the
 * non-comparable error), range (argument errors, iteration both ways, i64 edges),
 * input (line terminators, prompts, end of file) and timestamp. */
#include <math.h>
#include <time.h>

#include "harness.h"

/* ---------------------------------------------------------------- descriptors
 * enum Opt { None, Some(i64) }
 * enum Shape { Circle(f64), Label(str, Opt), Flag(bool, i32), Wrap([i64]) }
 * enum List { Nil, Cons(i64, List) }
 * struct Node { val: i64, kids: [Node] }
 * Offsets follow datamodel.py: payloads after the int32 tag, natural alignment. */
static const OrusTy arr_i64 = {.kind = ORUS_T_ARRAY, .name = "array", .elem = &orus_ty_i64};
static const OrusTy arr_arr_i64 = {.kind = ORUS_T_ARRAY, .name = "array", .elem = &arr_i64};

static const OrusField some_f[] = {{NULL, &orus_ty_i64, 16}};
static const OrusVariant opt_v[] = {{"None", 16, 0, NULL}, {"Some", 24, 1, some_f}};
static const OrusTy opt_ty = {.kind = ORUS_T_ENUM, .name = "Opt", .nvariants = 2, .variants = opt_v};

static const OrusField circle_f[] = {{NULL, &orus_ty_f64, 16}};
static const OrusField label_f[] = {{NULL, &orus_ty_str, 16}, {NULL, &opt_ty, 24}};
static const OrusField flag_f[] = {{NULL, &orus_ty_bool, 12}, {NULL, &orus_ty_i32, 16}};
static const OrusField wrap_f[] = {{NULL, &arr_i64, 16}};
static const OrusVariant shape_v[] = {
    {"Circle", 24, 1, circle_f}, {"Label", 32, 2, label_f}, {"Flag", 24, 2, flag_f}, {"Wrap", 24, 1, wrap_f},
};
static const OrusTy shape_ty = {.kind = ORUS_T_ENUM, .name = "Shape", .nvariants = 4, .variants = shape_v};

static const OrusTy list_ty;
static const OrusField cons_f[] = {{NULL, &orus_ty_i64, 16}, {NULL, &list_ty, 24}};
static const OrusVariant list_v[] = {{"Nil", 16, 0, NULL}, {"Cons", 32, 2, cons_f}};
static const OrusTy list_ty = {.kind = ORUS_T_ENUM, .name = "List", .nvariants = 2, .variants = list_v};

static const OrusTy node_ty;
static const OrusTy arr_node = {.kind = ORUS_T_ARRAY, .name = "array", .elem = &node_ty};
static const OrusField node_f[] = {{"val", &orus_ty_i64, 8}, {"kids", &arr_node, 16}};
static const OrusTy node_ty = {.kind = ORUS_T_STRUCT, .size = 24, .name = "Node", .nfields = 2, .fields = node_f};

/* A static payload-less value, as compiled code emits it outside the heap. */
static struct { const OrusTy *ty; int32_t tag; int32_t pad; } static_none = {&opt_ty, 0, 0};

/* Sizes of the long-structure tests: ORUS_GC_STRESS=1 collects at every allocation,
 * which makes building them quadratic, so the stress run uses a hundredth. */
static int64_t big(int64_t n) {
    const char *s = getenv("ORUS_GC_STRESS");
    return s && strcmp(s, "1") == 0 ? n / 100 : n;
}

static double bits_f64(uint64_t u) {
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* A new enum value of variant `tag` with payload bits p0, p1. */
static void *mk(const OrusTy *ty, int32_t tag, uint64_t p0, uint64_t p1) {
    const OrusVariant *v = &ty->variants[tag];
    char *obj = orus_gc_alloc(ty, v->size);
    memcpy(obj + 8, &tag, sizeof tag);
    uint64_t p[2] = {p0, p1};
    for (uint32_t i = 0; i < v->nfields && i < 2; i++)
        orus_field_store(obj, v->fields[i].offset, v->fields[i].type, p[i]);
    return obj;
}


static OrusArray *arr_of(const OrusTy *ty, int n, const uint64_t *v) {
    OrusArray *a = orus_array_new(ty, n);
    for (int i = 0; i < n; i++)
        orus_array_store(a, i, v[i]);
    return a;
}

static void *node(int64_t val) {
    char *n = orus_gc_alloc(&node_ty, 24);
    orus_field_store(n, 8, &orus_ty_i64, (uint64_t)val);
    orus_field_store(n, 16, &arr_node, P(orus_array_new(&arr_node, 0)));
    orus_gc_write_barrier(n);       /* the array's allocation may have made n old */
    return n;
}

static OrusArray *kids(void *n) { return (OrusArray *)(uintptr_t)orus_field_load(n, 16, &arr_node); }

/* ---------------------------------------------------------------- orus_equal */

TEST(equal_scalars_and_identity) {
    CHECK(orus_equal(&orus_ty_i64, 5, 5));
    CHECK(!orus_equal(&orus_ty_i64, 5, (uint64_t)-5));
    double nan = NAN;
    CHECK(!orus_equal(&orus_ty_f64, F(nan), F(nan)));
    CHECK(orus_equal(&orus_ty_f64, F(-0.0), F(0.0)));
    CHECK(orus_equal(&orus_ty_str, P(S("ab")), P(S("ab"))));
    CHECK(!orus_equal(&orus_ty_str, P(S("ab")), P(S("abc"))));
    uint64_t v[] = {1, 2};
    OrusArray *a = arr_of(&arr_i64, 2, v), *b = arr_of(&arr_i64, 2, v);
    CHECK(orus_equal(&arr_i64, P(a), P(a)));
    CHECK(!orus_equal(&arr_i64, P(a), P(b)));       /* `==` on arrays is identity */
    void *n = node(1), *m = node(1);
    CHECK(!orus_equal(&node_ty, P(n), P(m)));
    CHECK(orus_equal(&node_ty, P(n), P(n)));
    CHECK(orus_status == 0);
}

TEST(equal_enums_structural) {
    CHECK(orus_equal(&opt_ty, P(mk(&opt_ty, 1, 5, 0)), P(mk(&opt_ty, 1, 5, 0))));
    CHECK(!orus_equal(&opt_ty, P(mk(&opt_ty, 1, 5, 0)), P(mk(&opt_ty, 1, 6, 0))));
    CHECK(orus_equal(&opt_ty, P(&static_none), P(mk(&opt_ty, 0, 0, 0))));
    CHECK(!orus_equal(&opt_ty, P(&static_none), P(mk(&opt_ty, 1, 0, 0))));
    /* nested: Label(str, Opt) compares the string's bytes and the inner enum */
    void *l1 = mk(&shape_ty, 1, P(S("x")), P(mk(&opt_ty, 1, 1, 0)));
    void *l2 = mk(&shape_ty, 1, P(S("x")), P(mk(&opt_ty, 1, 1, 0)));
    void *l3 = mk(&shape_ty, 1, P(S("x")), P(mk(&opt_ty, 1, 2, 0)));
    void *l4 = mk(&shape_ty, 1, P(S("y")), P(mk(&opt_ty, 1, 1, 0)));
    void *l5 = mk(&shape_ty, 1, P(S("x")), P(&static_none));
    CHECK(orus_equal(&shape_ty, P(l1), P(l2)));
    CHECK(!orus_equal(&shape_ty, P(l1), P(l3)));
    CHECK(!orus_equal(&shape_ty, P(l1), P(l4)));
    CHECK(!orus_equal(&shape_ty, P(l1), P(l5)));
    /* f64 payloads by IEEE ==: a NaN payload makes a value unequal even to itself */
    void *c = mk(&shape_ty, 0, F(NAN), 0);
    CHECK(!orus_equal(&shape_ty, P(c), P(c)));
    CHECK(orus_equal(&shape_ty, P(mk(&shape_ty, 0, F(-0.0), 0)), P(mk(&shape_ty, 0, F(0.0), 0))));
    /* bool and i32 payloads (i32 sign-extended bits) */
    CHECK(orus_equal(&shape_ty, P(mk(&shape_ty, 2, 1, (uint64_t)-3)), P(mk(&shape_ty, 2, 1, (uint64_t)-3))));
    CHECK(!orus_equal(&shape_ty, P(mk(&shape_ty, 2, 1, 3)), P(mk(&shape_ty, 2, 0, 3))));
    /* an array payload compares by identity for `==` */
    uint64_t v[] = {1, 2};
    OrusArray *a = arr_of(&arr_i64, 2, v), *b = arr_of(&arr_i64, 2, v);
    CHECK(orus_equal(&shape_ty, P(mk(&shape_ty, 3, P(a), 0)), P(mk(&shape_ty, 3, P(a), 0))));
    CHECK(!orus_equal(&shape_ty, P(mk(&shape_ty, 3, P(a), 0)), P(mk(&shape_ty, 3, P(b), 0))));
    CHECK(!orus_equal(&shape_ty, P(l1), P(c)));       /* different variants */
    CHECK(orus_status == 0);
}

/* Cons(0, Cons(1, ... Nil)) of n elements, the last value replaced by `last`. */
static void *long_list(int64_t n, int64_t last) {
    void *l = mk(&list_ty, 0, 0, 0);
    for (int64_t i = n - 1; i >= 0; i--)
        l = mk(&list_ty, 1, (uint64_t)(i == n - 1 ? last : i), P(l));
    return l;
}

TEST(equal_long_enum_chain_needs_no_stack) {
    void *a = long_list(big(300000), 7), *b = long_list(big(300000), 7), *c = long_list(big(300000), 8);
    CHECK(orus_equal(&list_ty, P(a), P(b)));
    CHECK(!orus_equal(&list_ty, P(a), P(c)));
    CHECK(orus_assert_eq(S("list"), &list_ty, P(a), P(b)) == 1);
    CHECK(orus_status == 0);
}

/* ---------------------------------------------------------------- assert_eq */

TEST(assert_eq_success_is_deep) {
    CHECK(orus_assert_eq(S("n"), &orus_ty_i64, 3, 3) == 1);
    CHECK(orus_assert_eq(S("s"), &orus_ty_str, P(S("hé")), P(S("hé"))) == 1);
    CHECK(orus_assert_eq(S("z"), &orus_ty_f64, F(-0.0), F(0.0)) == 1);
    uint64_t r1[] = {1, 2, 3}, r2[] = {4, 5};
    uint64_t rows_a[] = {P(arr_of(&arr_i64, 3, r1)), P(arr_of(&arr_i64, 2, r2))};
    uint64_t rows_b[] = {P(arr_of(&arr_i64, 3, r1)), P(arr_of(&arr_i64, 2, r2))};
    OrusArray *a = arr_of(&arr_arr_i64, 2, rows_a), *b = arr_of(&arr_arr_i64, 2, rows_b);
    orus_gc_collect();
    CHECK(orus_assert_eq(S("grid"), &arr_arr_i64, P(a), P(b)) == 1);
    /* an enum whose array payloads are distinct but equal: deep here, unlike `==` */
    CHECK(orus_assert_eq(S("w"), &shape_ty, P(mk(&shape_ty, 3, rows_a[0], 0)), P(mk(&shape_ty, 3, rows_b[0], 0))) == 1);
    CHECK(orus_status == 0);
}

TEST(assert_eq_cycles_count_as_equal) {
    void *a = node(1), *b = node(1);
    orus_array_push(kids(a), P(a));          /* a.kids = [a], b.kids = [b] */
    orus_array_push(kids(b), P(b));
    CHECK(orus_assert_eq(S("cyc"), &node_ty, P(a), P(b)) == 1);
    void *c = node(1), *d = node(1), *g = node(1);  /* c.kids = [c, c], d.kids = [d, g], g.kids = [g, g] */
    orus_array_push(kids(c), P(c));
    orus_array_push(kids(c), P(c));
    orus_array_push(kids(d), P(d));
    orus_array_push(kids(d), P(g));
    orus_array_push(kids(g), P(g));
    orus_array_push(kids(g), P(g));
    CHECK(orus_assert_eq(S("cyc2"), &node_ty, P(c), P(d)) == 1);
    orus_array_pop(kids(g));                 /* now (c, g) differ in length further down */
    CHECK(orus_assert_eq(S("cyc2"), &node_ty, P(c), P(d)) == 0);
    CHECK(orus_err_take() != NULL);
    void *e = node(1), *f = node(1);        /* e.kids = [e], f.kids = [node(2)] */
    orus_array_push(kids(e), P(e));
    orus_array_push(kids(f), P(node(2)));
    CHECK(orus_assert_eq(S("cyc3"), &node_ty, P(e), P(f)) == 0);
    CHECK_ERR("runtime error",
              "assert_eq failed (cyc3)\n  expected: Node{val: 1, kids: [Node{val: 2, kids: []}]}\n"
              "  actual:   Node{val: 1, kids: [...]}");
}

/* Two equal chains of n nodes linked through kids; *tail_b gets b's last node. */
static void chains(int64_t n, void **a, void **b, void **tail_b) {
    void *ta, *tb;
    *a = ta = node(0);
    *b = tb = node(0);
    for (int64_t i = 1; i < n; i++) {
        void *na = node(i), *nb = node(i);
        orus_array_push(kids(ta), P(na));
        orus_array_push(kids(tb), P(nb));
        ta = na;
        tb = nb;
    }
    *tail_b = tb;
}

TEST(assert_eq_long_struct_chain) {
    void *a, *b, *tb;
    chains(big(100000), &a, &b, &tb);       /* the last member is followed in a loop: no stack */
    CHECK(orus_assert_eq(S("chain"), &node_ty, P(a), P(b)) == 1);
    chains(300, &a, &b, &tb);           /* short enough for the message's printer */
    orus_field_store(tb, 8, &orus_ty_i64, 5);
    CHECK(orus_assert_eq(S("chain"), &node_ty, P(a), P(b)) == 0);
    CHECK(orus_status == 1);
    orus_err_take();
    CHECK(orus_equal(&node_ty, P(a), P(a)) && !orus_equal(&node_ty, P(a), P(b)));
}

/* Nesting through a non-last member recurses: past orus_stack_limit the comparison
 * stops with `Stack overflow` (tier 0's RecursionError) instead of crashing. */
TEST(assert_eq_deep_nesting_overflows_cleanly) {
    void *a = node(0), *b = node(0), *ta = a, *tb = b;
    for (int64_t i = 1; i < big(200000); i++) {     /* kids = [next, leaf]: next is not last */
        void *na = node(i), *nb = node(i);
        orus_array_push(kids(ta), P(na));
        orus_array_push(kids(ta), P(node(-1)));
        orus_array_push(kids(tb), P(nb));
        orus_array_push(kids(tb), P(node(-1)));
        ta = na;
        tb = nb;
    }
    orus_stack_limit = (char *)((uintptr_t)__builtin_frame_address(0) - 64 * 1024);
    CHECK(orus_assert_eq(S("deep"), &node_ty, P(a), P(b)) == 0);
    CHECK_ERR("runtime error", "Stack overflow");
    orus_stack_limit = NULL;
}

/* The failure message, read the way the driver reads an escaped error. */
#define CHECK_ASSERT_MSG(lit)                                                   \
    do {                                                                        \
        int64_t len_ = -1;                                                      \
        const char *msg_ = orus_rt_error_message(&len_);                        \
        CHECK(msg_ != NULL);                                                    \
        if (msg_)                                                               \
            CHECK_STR(msg_, len_, lit);                                         \
        const char *kind_ = orus_rt_error_kind();                               \
        CHECK(kind_ && strcmp(kind_, "runtime error") == 0);                    \
        CHECK(orus_err_take() != NULL);                                         \
    } while (0)

TEST(assert_eq_failure_messages) {
    CHECK(orus_assert_eq(S("sum"), &orus_ty_i64, 2, 3) == 0);
    CHECK_ASSERT_MSG("assert_eq failed (sum)\n  expected: 3\n  actual:   2");
    orus_assert_eq(S("s"), &orus_ty_str, P(S("a\"b\n\t\\")), P(S("x")));
    CHECK_ASSERT_MSG("assert_eq failed (s)\n  expected: \"x\"\n  actual:   \"a\\\"b\\n\\t\\\\\"");
    orus_assert_eq(S("f"), &orus_ty_f64, F(NAN), F(NAN));
    CHECK_ASSERT_MSG("assert_eq failed (f)\n  expected: nan\n  actual:   nan");
    orus_assert_eq(S("third"), &orus_ty_f64, F(1.0 / 3.0), F(0.1));
    CHECK_ASSERT_MSG("assert_eq failed (third)\n  expected: 0.1\n  actual:   0.333333");
    uint64_t x[] = {1, 2}, y[] = {1, 3}, z[] = {1, 2, 3};
    orus_assert_eq(S("arr"), &arr_i64, P(arr_of(&arr_i64, 2, x)), P(arr_of(&arr_i64, 2, y)));
    CHECK_ASSERT_MSG("assert_eq failed (arr)\n  expected: [1, 3]\n  actual:   [1, 2]");
    orus_assert_eq(S("len"), &arr_i64, P(arr_of(&arr_i64, 2, x)), P(arr_of(&arr_i64, 3, z)));
    CHECK_ASSERT_MSG("assert_eq failed (len)\n  expected: [1, 2, 3]\n  actual:   [1, 2]");
    orus_assert_eq(S("opt"), &opt_ty, P(mk(&opt_ty, 1, 1, 0)), P(&static_none));
    CHECK_ASSERT_MSG("assert_eq failed (opt)\n  expected: Opt.None\n  actual:   Opt.Some(1)");
    orus_assert_eq(S("lbl"), &shape_ty, P(mk(&shape_ty, 1, P(S("q")), P(&static_none))),
                   P(mk(&shape_ty, 1, P(S("q")), P(mk(&opt_ty, 1, (uint64_t)-4, 0)))));
    CHECK_ASSERT_MSG("assert_eq failed (lbl)\n  expected: Shape.Label(\"q\", Opt.Some(-4))\n"
                     "  actual:   Shape.Label(\"q\", Opt.None)");
    OrusStr *odd = orus_str_new("a\0b", 3);            /* label bytes are copied as they are */
    orus_assert_eq(odd, &orus_ty_bool, 1, 0);
    CHECK_ASSERT_MSG("assert_eq failed (a\0b)\n  expected: false\n  actual:   true");
    CHECK(orus_status == 0);
}

/* ---------------------------------------------------------------- sorted */

static const OrusTy arr_i32 = {.kind = ORUS_T_ARRAY, .name = "array", .elem = &orus_ty_i32};
static const OrusTy arr_u32 = {.kind = ORUS_T_ARRAY, .name = "array", .elem = &orus_ty_u32};
static const OrusTy arr_u64 = {.kind = ORUS_T_ARRAY, .name = "array", .elem = &orus_ty_u64};
static const OrusTy arr_f64 = {.kind = ORUS_T_ARRAY, .name = "array", .elem = &orus_ty_f64};
static const OrusTy arr_bool = {.kind = ORUS_T_ARRAY, .name = "array", .elem = &orus_ty_bool};
static const OrusTy arr_str = {.kind = ORUS_T_ARRAY, .name = "array", .elem = &orus_ty_str};

/* a's elements equal want[0..n) as bits. */
static int same_bits(OrusArray *a, int n, const uint64_t *want) {
    if (a == NULL || a->len != n)
        return 0;
    for (int i = 0; i < n; i++)
        if (orus_array_load(a, i) != want[i])
            return 0;
    return 1;
}

TEST(sorted_integers_and_bools) {
    uint64_t in[] = {5, (uint64_t)-3, 9, 0, (uint64_t)-3, (uint64_t)INT64_MIN, (uint64_t)INT64_MAX};
    uint64_t out[] = {(uint64_t)INT64_MIN, (uint64_t)-3, (uint64_t)-3, 0, 5, 9, (uint64_t)INT64_MAX};
    OrusArray *a = arr_of(&arr_i64, 7, in);
    OrusArray *r = orus_sorted(a);
    CHECK(same_bits(r, 7, out));
    CHECK(r != a && r->ty == &arr_i64);
    CHECK(same_bits(a, 7, in));                         /* input unchanged */
    uint64_t i32in[] = {(uint64_t)-1, 7, (uint64_t)(int64_t)INT32_MIN, 2};
    uint64_t i32out[] = {(uint64_t)(int64_t)INT32_MIN, (uint64_t)-1, 2, 7};
    CHECK(same_bits(orus_sorted(arr_of(&arr_i32, 4, i32in)), 4, i32out));
    uint64_t u32in[] = {4000000000u, 1, 2147483648u};
    uint64_t u32out[] = {1, 2147483648u, 4000000000u};
    CHECK(same_bits(orus_sorted(arr_of(&arr_u32, 3, u32in)), 3, u32out));
    uint64_t u64in[] = {UINT64_MAX, 0, 1ULL << 63, 5};
    uint64_t u64out[] = {0, 5, 1ULL << 63, UINT64_MAX};
    CHECK(same_bits(orus_sorted(arr_of(&arr_u64, 4, u64in)), 4, u64out));
    uint64_t bin[] = {1, 0, 1, 0, 0};
    uint64_t bout[] = {0, 0, 0, 1, 1};
    CHECK(same_bits(orus_sorted(arr_of(&arr_bool, 5, bin)), 5, bout));
    CHECK(same_bits(orus_sorted(arr_of(&arr_i64, 1, in)), 1, in));
    OrusArray *e = orus_array_new(&arr_i64, 0), *se = orus_sorted(e);
    CHECK(se != NULL && se != e && se->len == 0);
    CHECK(orus_status == 0);
}

TEST(sorted_floats_nan_last_and_stable) {
    uint64_t nan1 = 0x7ff8000000000001ULL, nan2 = 0xfff8000000000002ULL;  /* distinguishable NaNs */
    uint64_t in[] = {F(3.0), nan1, F(1.0), F(-0.0), F(0.0),
                     F(-INFINITY), nan2, F(0.0), F(-0.0), F(INFINITY)};
    uint64_t out[] = {F(-INFINITY), F(-0.0), F(0.0), F(0.0), F(-0.0),
                      F(1.0), F(3.0), F(INFINITY), nan1, nan2};
    CHECK(same_bits(orus_sorted(arr_of(&arr_f64, 10, in)), 10, out));
}

/* The definition, slowly: stable insertion by the key (isnan, x). */
static int key_less(uint64_t a, uint64_t b) {
    double x = bits_f64(a), y = bits_f64(b);
    return isnan(x) ? 0 : isnan(y) || x < y;
}

/* Long arrays (several merge passes): f64 with many ties against the definition,
 * bit for bit (zero signs and numbered NaN payloads show the order of equal keys);
 * random i64 against an insertion sort too. */
TEST(sorted_long_arrays) {
    enum { N = 5000 };
    static uint64_t in[N], want[N], ints[N], iwant[N];
    uint64_t seed = 12345;
    for (int i = 0; i < N; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        int k = (int)(seed >> 33) % 7;
        in[i] = k == 0 ? F(-0.0) : k == 1 ? F(0.0)
              : k == 2 ? 0x7ff8000000000000ULL + (uint64_t)i
              : F((double)((int)(seed >> 40) % 50) - 25.0);
        ints[i] = seed;
    }
    for (int i = 0; i < N; i++) {
        int j = i;
        for (; j > 0 && key_less(in[i], want[j - 1]); j--)
            want[j] = want[j - 1];
        want[j] = in[i];
        for (j = i; j > 0 && (int64_t)ints[i] < (int64_t)iwant[j - 1]; j--)
            iwant[j] = iwant[j - 1];
        iwant[j] = ints[i];
    }
    CHECK(same_bits(orus_sorted(arr_of(&arr_f64, N, in)), N, want));
    CHECK(same_bits(orus_sorted(arr_of(&arr_i64, N, ints)), N, iwant));
}

TEST(sorted_strings_bytewise) {
    const char *words[] = {"pear", "apple", "app", "", "b", "apple", "\xff", "z", "B"};
    uint64_t in[9];
    for (int i = 0; i < 9; i++)
        in[i] = P(S(words[i]));
    OrusArray *a = arr_of(&arr_str, 9, in);
    OrusArray *r = orus_sorted(a);
    orus_gc_collect();
    const char *want[] = {"", "B", "app", "apple", "apple", "b", "pear", "z", "\xff"};
    for (int i = 0; i < 9; i++) {
        OrusStr *s = (OrusStr *)(uintptr_t)orus_array_load(r, i);
        CHECK(s->len == (int64_t)strlen(want[i]) && memcmp(s->data, want[i], strlen(want[i])) == 0);
    }
    CHECK(orus_array_load(r, 3) == in[1] && orus_array_load(r, 4) == in[5]);   /* stable */
    uint64_t nul[] = {P(orus_str_new("a\0b", 3)), P(S("a"))};
    OrusArray *rn = orus_sorted(arr_of(&arr_str, 2, nul));
    CHECK(orus_array_load(rn, 0) == nul[1] && orus_array_load(rn, 1) == nul[0]);
}

TEST(sorted_non_comparable) {
    uint64_t v[] = {1};
    uint64_t rows[] = {P(arr_of(&arr_i64, 1, v))};
    CHECK(orus_sorted(arr_of(&arr_arr_i64, 1, rows)) == NULL);
    CHECK_ERR("runtime error", "sorted() requires an array of comparable elements");
    static const OrusTy arr_opt = {.kind = ORUS_T_ARRAY, .name = "array", .elem = &opt_ty};
    uint64_t opts[] = {P(&static_none), P(&static_none)};
    orus_sorted(arr_of(&arr_opt, 2, opts));
    CHECK_ERR("runtime error", "sorted() requires an array of comparable elements");
    OrusArray *e = orus_array_new(&arr_arr_i64, 0);      /* empty: no error, a new [] */
    OrusArray *r = orus_sorted(e);
    CHECK(orus_status == 0 && r != NULL && r != e && r->len == 0 && r->ty == &arr_arr_i64);
}

/* ---------------------------------------------------------------- range */

/* The values of a range iterator as text, up to 20 of them. */
static const char *drain(OrusRange *r, char *buf, size_t cap) {
    size_t n = 0;
    buf[0] = 0;
    for (int i = 0; i < 20 && orus_range_has(r); i++)
        n += (size_t)snprintf(buf + n, cap - n, i ? " %lld" : "%lld", (long long)orus_range_next(r));
    return buf;
}

#define CHECK_RANGE(n, tys, vals, lit)                                          \
    do {                                                                        \
        char rb_[512];                                                          \
        OrusRange *r_ = orus_range((n), (tys), (vals));                         \
        CHECK(r_ != NULL && orus_status == 0);                                  \
        if (r_) {                                                               \
            const char *t_ = drain(r_, rb_, sizeof rb_);                        \
            CHECK_STR(t_, strlen(t_), lit);                                     \
        }                                                                       \
    } while (0)

TEST(range_iteration) {
    const OrusTy *i64x3[] = {&orus_ty_i64, &orus_ty_i64, &orus_ty_i64};
    uint64_t five[] = {5};
    CHECK_RANGE(1, i64x3, five, "0 1 2 3 4");
    uint64_t two_ten_three[] = {2, 10, 3};
    OrusRange *q = orus_range(3, i64x3, two_ten_three);
    CHECK(q->ty == &orus_ty_range && q->cur == 2 && q->end == 10 && q->step == 3);
    char buf[128];
    drain(q, buf, sizeof buf);
    CHECK_STR(buf, strlen(buf), "2 5 8");
    CHECK_EQ_I64(q->cur, 11);                  /* used up: last value plus step, not clamped */
    CHECK(!orus_range_has(q));
    uint64_t down[] = {9, (uint64_t)-5, (uint64_t)-4};
    OrusRange *d = orus_range(3, i64x3, down);
    drain(d, buf, sizeof buf);
    CHECK_STR(buf, strlen(buf), "9 5 1 -3");
    CHECK_EQ_I64(d->cur, -7);
    uint64_t empty1[] = {5, 5}, empty2[] = {5, 0}, empty3[] = {0, 5, (uint64_t)-1}, neg[] = {(uint64_t)-3};
    CHECK_RANGE(2, i64x3, empty1, "");
    CHECK_RANGE(2, i64x3, empty2, "");
    CHECK_RANGE(3, i64x3, empty3, "");
    CHECK_RANGE(1, i64x3, neg, "");
    /* mixed integer types: i32 arrives sign-extended, u32/u64 zero-extended */
    const OrusTy *mixed[] = {&orus_ty_i32, &orus_ty_u64, &orus_ty_u32};
    uint64_t mv[] = {(uint64_t)-3, 4, 2};
    CHECK_RANGE(3, mixed, mv, "-3 -1 1 3");
    const OrusTy *big[] = {&orus_ty_u64, &orus_ty_u64};
    uint64_t bv[] = {(uint64_t)INT64_MAX - 2, (uint64_t)INT64_MAX};
    CHECK_RANGE(2, big, bv, "9223372036854775805 9223372036854775806");
}

TEST(range_i64_edges_do_not_wrap) {
    const OrusTy *t[] = {&orus_ty_i64, &orus_ty_i64, &orus_ty_i64};
    uint64_t up[] = {(uint64_t)(INT64_MAX - 5), (uint64_t)INT64_MAX, 4};
    CHECK_RANGE(3, t, up, "9223372036854775802 9223372036854775806");
    uint64_t dn[] = {(uint64_t)(INT64_MIN + 3), (uint64_t)INT64_MIN, (uint64_t)-2};
    CHECK_RANGE(3, t, dn, "-9223372036854775805 -9223372036854775807");
    uint64_t huge[] = {(uint64_t)INT64_MIN, (uint64_t)INT64_MAX, (uint64_t)INT64_MAX};
    CHECK_RANGE(3, t, huge, "-9223372036854775808 -1 9223372036854775806");
}

TEST(range_argument_errors) {
    const OrusTy *i64s[] = {&orus_ty_i64, &orus_ty_i64, &orus_ty_i64};
    const OrusTy *with_f64[] = {&orus_ty_i64, &orus_ty_i64, &orus_ty_f64};
    const OrusTy *f64s[] = {&orus_ty_f64}, *strs[] = {&orus_ty_str}, *arrs[] = {&arr_i64};
    const OrusTy *with_bool[] = {&orus_ty_i64, &orus_ty_bool};
    const OrusTy *with_u64[] = {&orus_ty_i32, &orus_ty_u64};
    uint64_t zero_step[] = {0, 5, 0}, v_f64[] = {0, 5, F(2.5)}, one_f64[] = {F(3.0)};
    uint64_t v_str[] = {P(S("5"))}, v_arr[] = {P(orus_array_new(&arr_i64, 0))}, v_bool[] = {0, 1};
    uint64_t v_u64[] = {0, 1ULL << 63};                 /* a u64 above i64 max */
    struct { int32_t n; const OrusTy *const *tys; const uint64_t *vals; } cases[] = {
        {3, i64s, zero_step}, {3, with_f64, v_f64}, {1, f64s, one_f64}, {1, strs, v_str},
        {2, with_bool, v_bool}, {2, with_u64, v_u64}, {1, arrs, v_arr}, {0, i64s, zero_step},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK(orus_range(cases[i].n, cases[i].tys, cases[i].vals) == NULL);
        CHECK_ERR("argument error", "Invalid arguments provided to range()");
    }
}

/* ---------------------------------------------------------------- input, timestamp */

#define CHECK_LINE(lit)                                                         \
    do {                                                                        \
        OrusStr *l_ = orus_input(NULL, 0);                                      \
        CHECK(l_ != NULL && orus_status == 0);                                  \
        if (l_) {                                                               \
            CHECK(l_->ty == &orus_ty_str && l_->data[l_->len] == 0);            \
            CHECK_STR(l_->data, l_->len, lit);                                  \
        }                                                                       \
    } while (0)

TEST(input_line_terminators_and_eof) {
    static const char text[] = "Alpha\r\nBeta\rGamma\n\n\r\na\0b\nLast";
    orus_rt_capture_output();
    orus_rt_set_input(text, (int64_t)sizeof text - 1);
    CHECK_LINE("Alpha");
    CHECK_LINE("Beta");
    CHECK_LINE("Gamma");
    CHECK_LINE("");
    CHECK_LINE("");
    CHECK_LINE("a\0b");
    orus_gc_collect();
    CHECK_LINE("Last");                       /* a final line without a newline */
    CHECK(orus_input(NULL, 0) == NULL);
    CHECK_ERR("runtime error", "input() reached end of file");
    CHECK(orus_input(NULL, 0) == NULL);        /* and again */
    CHECK_ERR("runtime error", "input() reached end of file");
    int64_t n = -1;
    orus_rt_captured(&n);
    CHECK_EQ_I64(n, 0);                        /* no prompt, not interactive: nothing written */
    orus_rt_set_input("x\r", 2);               /* a lone \r at the very end */
    CHECK_LINE("x");
    orus_input(NULL, 0);
    CHECK_ERR("runtime error", "input() reached end of file");
    orus_rt_set_input("", 0);
    orus_input(&orus_ty_str, P(S("? ")));
    CHECK_ERR("runtime error", "input() reached end of file");
}

TEST(input_prompts_use_print_text) {
    orus_rt_capture_output();
    static const char text[] = "Alpha\n\n7\ntrue\n";
    orus_rt_set_input(text, (int64_t)sizeof text - 1);
    OrusStr *first = orus_input(&orus_ty_str, P(S("Prompt> ")));
    OrusStr *second = orus_input(NULL, 0);
    OrusStr *third = orus_input(&orus_ty_i64, (uint64_t)-42);
    OrusStr *fourth = orus_input(&orus_ty_bool, 1);
    CHECK(orus_status == 0);
    CHECK_STR(first->data, first->len, "Alpha");
    CHECK_STR(second->data, second->len, "");
    CHECK_STR(third->data, third->len, "7");
    CHECK_STR(fourth->data, fourth->len, "true");
    int64_t n = 0;
    const char *out = orus_rt_captured(&n);
    CHECK_STR(out, n, "Prompt> -42true");
    orus_input(&orus_ty_str, P(S("")));       /* an empty prompt writes nothing, then EOF */
    CHECK_ERR("runtime error", "input() reached end of file");
}

TEST(timestamp_is_monotonic) {
    double a = orus_timestamp(), b = orus_timestamp();
    CHECK(a > 0.0 && b >= a);
    struct timespec ts = {0, 2000000};
    nanosleep(&ts, NULL);
    double c = orus_timestamp();
    CHECK(c - b >= 0.0019 && c - b < 5.0);
}
