/* test_array.c: arrays (array.c): growth through push/pop for every element size with
 * collections in between, fill, repeat, slice (every check and message, in tier 0's
 * order) and destructure_check. Descriptors are hand-built like the backend's. */
#include "harness.h"

static const OrusTy arr_i32 = {.kind = ORUS_T_ARRAY, .name = "array", .elem = &orus_ty_i32};
static const OrusTy arr_u32 = {.kind = ORUS_T_ARRAY, .name = "array", .elem = &orus_ty_u32};
static const OrusTy arr_i64 = {.kind = ORUS_T_ARRAY, .name = "array", .elem = &orus_ty_i64};
static const OrusTy arr_f64 = {.kind = ORUS_T_ARRAY, .name = "array", .elem = &orus_ty_f64};
static const OrusTy arr_bool = {.kind = ORUS_T_ARRAY, .name = "array", .elem = &orus_ty_bool};
static const OrusTy arr_str = {.kind = ORUS_T_ARRAY, .name = "array", .elem = &orus_ty_str};
static const OrusTy arr_arr_i64 = {.kind = ORUS_T_ARRAY, .name = "array", .elem = &arr_i64};

/* The i-th test value of an element type, as bits. */
static uint64_t value_of(const OrusTy *elem, int64_t i) {
    switch (elem->kind) {
    case ORUS_T_I32: return (uint64_t)(int64_t)(int32_t)(i * 7919 - 500000);
    case ORUS_T_U32: return (uint64_t)(uint32_t)(4000000000u - (uint32_t)i * 3u);
    case ORUS_T_I64: return (uint64_t)(i * 1000000007LL - (1LL << 40));
    case ORUS_T_F64: return F((double)i * 0.5 - 100.25);
    case ORUS_T_BOOL: return (uint64_t)(i % 3 == 0);
    default: return 0;
    }
}

/* Push n values with a collection every 97 pushes, check them, then pop them all. */
static void push_pop_scalars(const OrusTy *ty, int64_t n) {
    OrusArray *a = orus_array_new(ty, 0);
    CHECK_EQ_I64(a->len, 0);
    for (int64_t i = 0; i < n; i++) {
        orus_array_push(a, value_of(ty->elem, i));
        CHECK(a->len <= a->cap);
        if (i % 97 == 0)
            orus_gc_collect();
    }
    CHECK_EQ_I64(a->len, n);
    int64_t bad = 0;
    for (int64_t i = 0; i < n; i++)
        bad += orus_array_load(a, i) != value_of(ty->elem, i);
    CHECK_EQ_I64(bad, 0);
    for (int64_t i = n - 1; i >= 0; i--)
        bad += orus_array_pop(a) != value_of(ty->elem, i);
    CHECK_EQ_I64(bad, 0);
    CHECK_EQ_I64(a->len, 0);
    CHECK(orus_status == 0);
    orus_array_pop(a);
    CHECK_ERR("value error", "Cannot pop from an empty array");
    orus_array_push(a, value_of(ty->elem, 5));      /* still usable after the failure */
    CHECK_EQ_I64(a->len, 1);
    CHECK(orus_array_load(a, 0) == value_of(ty->elem, 5));
}

TEST(push_pop_every_scalar_size) {
    push_pop_scalars(&arr_i32, 5000);
    push_pop_scalars(&arr_u32, 3000);
    push_pop_scalars(&arr_i64, 5000);
    push_pop_scalars(&arr_f64, 4000);
    push_pop_scalars(&arr_bool, 5001);
    CHECK_EQ_I64(orus_gc_verify(), 0);
}

TEST(push_grows_by_doubling) {
    OrusArray *a = orus_array_new(&arr_i64, 0);
    CHECK_EQ_I64(a->cap, 0);
    CHECK(a->data == NULL);
    int32_t caps[12], k = 0;
    for (int64_t i = 0; i < 1000; i++) {
        int32_t before = a->cap;
        orus_array_push(a, (uint64_t)i);
        if (a->cap != before && k < 12)
            caps[k++] = a->cap;
    }
    CHECK_EQ_I64(k, 9);                 /* 4 8 16 ... 1024 */
    CHECK_EQ_I64(caps[0], 4);
    for (int32_t i = 1; i < k; i++)
        CHECK_EQ_I64(caps[i], caps[i - 1] * 2);
}

static char *name_of(char *buf, int64_t i) {
    snprintf(buf, 32, "item-%lld", (long long)i);
    return buf;
}

TEST(push_strings_survive_collections) {
    OrusArray *a = orus_array_new(&arr_str, 0);
    char buf[32];
    for (int64_t i = 0; i < 3000; i++) {
        name_of(buf, i);
        orus_array_push(a, (uint64_t)(uintptr_t)orus_str_new(buf, (int64_t)strlen(buf)));
        if (i % 50 == 0)
            orus_gc_collect();
    }
    orus_gc_collect();
    CHECK_EQ_I64(orus_gc_verify(), 0);
    int64_t bad = 0;
    for (int64_t i = 0; i < a->len; i++) {
        OrusStr *s = (OrusStr *)(uintptr_t)orus_array_load(a, i);
        name_of(buf, i);
        bad += s->ty != &orus_ty_str || s->len != (int64_t)strlen(buf) || memcmp(s->data, buf, strlen(buf));
    }
    CHECK_EQ_I64(bad, 0);
    OrusStr *last = (OrusStr *)(uintptr_t)orus_array_pop(a);
    CHECK_STR(last->data, last->len, "item-2999");
    CHECK(orus_array_load(a, a->len) == 0 || a->len == a->cap);   /* popped slot cleared */
}

TEST(nested_arrays_survive_collections) {
    OrusArray *outer = orus_array_new(&arr_arr_i64, 0);
    for (int64_t i = 0; i < 200; i++) {
        OrusArray *inner = orus_array_new(&arr_i64, 0);
        orus_array_push(outer, (uint64_t)(uintptr_t)inner);
        for (int64_t j = 0; j <= i % 20; j++)
            orus_array_push(inner, (uint64_t)(i * 100 + j));
        orus_gc_collect();
    }
    int64_t bad = 0;
    for (int64_t i = 0; i < 200; i++) {
        OrusArray *inner = (OrusArray *)(uintptr_t)orus_array_load(outer, i);
        bad += inner->len != i % 20 + 1;
        for (int64_t j = 0; j < inner->len; j++)
            bad += orus_array_load(inner, j) != (uint64_t)(i * 100 + j);
    }
    CHECK_EQ_I64(bad, 0);
    CHECK_EQ_I64(orus_gc_verify(), 0);
}

TEST(new_array_is_zeroed) {
    OrusArray *a = orus_array_new(&arr_f64, 10);
    CHECK_EQ_I64(a->len, 10);
    CHECK_EQ_I64(a->cap, 10);
    CHECK(a->ty == &arr_f64);
    for (int64_t i = 0; i < 10; i++)
        CHECK(orus_array_load(a, i) == 0);
    orus_array_push(a, F(1.5));
    CHECK_EQ_I64(a->len, 11);
    CHECK(orus_array_load(a, 10) == F(1.5));
}

TEST(fill) {
    OrusArray *a = orus_array_fill(&arr_i32, (uint64_t)(int64_t)-7, 5);
    CHECK_EQ_I64(a->len, 5);
    for (int64_t i = 0; i < 5; i++)
        CHECK_EQ_I64((int64_t)orus_array_load(a, i), -7);
    OrusArray *b = orus_array_fill(&arr_bool, 1, 3);
    CHECK(orus_array_load(b, 0) == 1 && orus_array_load(b, 2) == 1);
    OrusArray *e = orus_array_fill(&arr_i64, 9, 0);
    CHECK(e != NULL && e->len == 0 && orus_status == 0);
    OrusStr *s = orus_str_new("x", 1);
    OrusArray *c = orus_array_fill(&arr_str, (uint64_t)(uintptr_t)s, 4);
    orus_gc_collect();
    CHECK((OrusStr *)(uintptr_t)orus_array_load(c, 3) == s);
    orus_array_fill(&arr_i64, 1, -1);
    CHECK_ERR("runtime error", "Array repetition requires a non-negative integer count and reasonable size");
    orus_array_fill(&arr_i64, 1, 2147483648LL);
    CHECK_ERR("runtime error", "Array repetition requires a non-negative integer count and reasonable size");
    orus_array_fill(&arr_bool, 1, INT64_MIN);
    CHECK_ERR("runtime error", "Array repetition requires a non-negative integer count and reasonable size");
}

static OrusArray *iota(const OrusTy *ty, int64_t n) {
    OrusArray *a = orus_array_new(ty, (int32_t)n);
    for (int64_t i = 0; i < n; i++)
        orus_array_store(a, i, (uint64_t)i);
    return a;
}

/* The elements of a (i64 or i32) as text "0,1,2". */
static const char *join(OrusArray *a, char *buf, size_t cap) {
    size_t n = 0;
    buf[0] = 0;
    for (int64_t i = 0; i < a->len && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, i ? ",%lld" : "%lld", (long long)(int64_t)orus_array_load(a, i));
    return buf;
}

#define CHECK_JOIN(arr, lit)                                                    \
    do {                                                                        \
        char jb_[256];                                                          \
        const char *j_ = join((arr), jb_, sizeof jb_);                          \
        CHECK_STR(j_, strlen(j_), lit);                                         \
    } while (0)

TEST(repeat) {
    OrusArray *a = iota(&arr_i32, 3);
    OrusArray *r = orus_array_repeat(a, 3);
    CHECK(r->ty == &arr_i32);
    CHECK_JOIN(r, "0,1,2,0,1,2,0,1,2");
    CHECK_JOIN(orus_array_repeat(a, 1), "0,1,2");
    CHECK(orus_array_repeat(a, 1) != a);
    CHECK_EQ_I64(orus_array_repeat(a, 0)->len, 0);
    OrusArray *empty = orus_array_new(&arr_i64, 0);
    OrusArray *e = orus_array_repeat(empty, INT64_MAX);     /* 0 * n is never too large */
    CHECK(orus_status == 0 && e->len == 0);
    orus_array_repeat(empty, -1);
    CHECK_ERR("runtime error", "Array repetition requires a non-negative integer count and reasonable size");
    orus_array_repeat(a, -1);
    CHECK_ERR("runtime error", "Array repetition requires a non-negative integer count and reasonable size");
    OrusArray *two = iota(&arr_bool, 2);
    orus_array_repeat(two, 1073741824LL);                   /* 2**31 elements: one too many */
    CHECK_ERR("runtime error", "Array repetition requires a non-negative integer count and reasonable size");
    orus_array_repeat(a, INT64_MAX);
    CHECK_ERR("runtime error", "Array repetition requires a non-negative integer count and reasonable size");
    OrusArray *big = orus_array_repeat(two, 1000000);       /* bool: 1 byte an element */
    CHECK_EQ_I64(big->len, 2000000);
    CHECK(orus_array_load(big, 1999998) == 0 && orus_array_load(big, 1999999) == 1);
}

TEST(repeat_strings_shares_elements) {
    OrusArray *a = orus_array_new(&arr_str, 0);
    orus_array_push(a, (uint64_t)(uintptr_t)orus_str_new("ab", 2));
    orus_array_push(a, (uint64_t)(uintptr_t)orus_str_new("cd", 2));
    OrusArray *r = orus_array_repeat(a, 50);
    a = NULL;
    orus_gc_collect();
    CHECK_EQ_I64(r->len, 100);
    CHECK(orus_array_load(r, 0) == orus_array_load(r, 98));
    OrusStr *s = (OrusStr *)(uintptr_t)orus_array_load(r, 99);
    CHECK_STR(s->data, s->len, "cd");
}

TEST(slice_values) {
    OrusArray *a = iota(&arr_i64, 10);
    CHECK_JOIN(orus_array_slice(a, 2, 5, 1, 0), "2,3,4");
    CHECK_JOIN(orus_array_slice(a, 2, 5, 1, 1), "2,3,4,5");
    CHECK_JOIN(orus_array_slice(a, 0, 10, 3, 0), "0,3,6,9");
    CHECK_JOIN(orus_array_slice(a, 1, 9, 3, 1), "1,4,7");
    CHECK_JOIN(orus_array_slice(a, 0, 9, 4, 1), "0,4,8");
    CHECK_JOIN(orus_array_slice(a, 3, 9, 100, 0), "3");
    CHECK_JOIN(orus_array_slice(a, 0, 10, 1, 0), "0,1,2,3,4,5,6,7,8,9");
    CHECK_EQ_I64(orus_array_slice(a, 10, 10, 1, 0)->len, 0);
    CHECK_EQ_I64(orus_array_slice(a, 4, 4, 1, 0)->len, 0);
    CHECK_EQ_I64(orus_array_slice(a, 5, 4, 1, 1)->len, 0);      /* a[5..=4]: empty, no error */
    CHECK_EQ_I64(orus_array_slice(a, 0, 3, INT64_MAX, 0)->len, 1);
    CHECK(orus_status == 0);
    OrusArray *s = orus_array_slice(a, 0, 3, 1, 0);
    CHECK(s != a && s->ty == &arr_i64);
    orus_array_store(a, 0, 42);                    /* a copy, not a view */
    CHECK_JOIN(s, "0,1,2");
    OrusArray *n32 = iota(&arr_i32, 6);
    CHECK_JOIN(orus_array_slice(n32, 1, 5, 2, 1), "1,3,5");
    OrusArray *e = orus_array_new(&arr_i32, 0);
    CHECK_EQ_I64(orus_array_slice(e, 0, 0, 1, 0)->len, 0);
}

#define ARR_START_NEG "Array slice start must be a non-negative integer"
#define ARR_START_OOB "Array slice start out of bounds"
#define ARR_END_OOB "Array slice end out of bounds"
#define ARR_BEFORE "Array slice end before start"
#define ARR_STEP "Array slice step must be positive"

TEST(slice_errors_in_order) {
    OrusArray *a = iota(&arr_i64, 10);
    orus_array_slice(a, -1, 5, 0, 0);              /* start first, even with a bad step */
    CHECK_ERR("type error", ARR_START_NEG);
    orus_array_slice(a, INT64_MIN, INT64_MAX, 1, 1);
    CHECK_ERR("type error", ARR_START_NEG);
    orus_array_slice(a, 11, 20, 0, 0);
    CHECK_ERR("index error", ARR_START_OOB);
    orus_array_slice(a, 11, 3, 1, 0);
    CHECK_ERR("index error", ARR_START_OOB);
    orus_array_slice(a, 0, 11, 1, 0);
    CHECK_ERR("index error", ARR_END_OOB);
    orus_array_slice(a, 0, 10, 1, 1);              /* inclusive end 10 is 11 exclusive */
    CHECK_ERR("index error", ARR_END_OOB);
    orus_array_slice(a, 3, INT64_MAX, 1, 1);       /* hi + 1 must not wrap around */
    CHECK_ERR("index error", ARR_END_OOB);
    orus_array_slice(a, 5, 3, 1, 0);
    CHECK_ERR("index error", ARR_BEFORE);
    orus_array_slice(a, 5, 3, 1, 1);
    CHECK_ERR("index error", ARR_BEFORE);
    orus_array_slice(a, 5, -1, 0, 0);              /* end before start beats the step */
    CHECK_ERR("index error", ARR_BEFORE);
    orus_array_slice(a, 5, INT64_MIN, 1, 1);
    CHECK_ERR("index error", ARR_BEFORE);
    orus_array_slice(a, 0, 5, 0, 0);
    CHECK_ERR("value error", ARR_STEP);
    orus_array_slice(a, 0, 5, -2, 1);
    CHECK_ERR("value error", ARR_STEP);
    orus_array_slice(a, 10, 10, 0, 0);             /* even an empty slice checks the step */
    CHECK_ERR("value error", ARR_STEP);
}

TEST(destructure_check) {
    OrusArray *a = iota(&arr_i32, 3);
    orus_destructure_check(a, 3);
    CHECK(orus_status == 0);
    orus_destructure_check(a, 2);
    CHECK_ERR("value error", "Destructuring expected 2 elements, got 3");
    orus_destructure_check(orus_array_new(&arr_str, 0), 4);
    CHECK_ERR("value error", "Destructuring expected 4 elements, got 0");
}
