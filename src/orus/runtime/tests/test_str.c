/* test_str.c: strings (str.c) against tier 0 (backend/interp/emit.py _slice,
 * errors.py STRING_NEG/STRING_OOB, casts._to_string). */
#include <math.h>

#include "harness.h"

TEST(concat) {
    OrusStr *a = S("foo"), *e = S("");
    OrusStr *c = orus_str_concat(a, S("bar"));
    CHECK_STR(c->data, c->len, "foobar");
    CHECK(c->data[c->len] == '\0');
    c = orus_str_concat(e, e);
    CHECK_STR(c->data, c->len, "");
    OrusStr *z = orus_str_new("a\0b", 3);
    c = orus_str_concat(z, z);
    CHECK_STR(c->data, c->len, "a\0ba\0b");
    CHECK(orus_status == 0);
}

TEST(get) {
    OrusStr *s = orus_str_new("h\xffi", 3);
    OrusStr *c = orus_str_get(s, 0);
    CHECK_STR(c->data, c->len, "h");
    c = orus_str_get(s, 1);
    CHECK_STR(c->data, c->len, "\xff");
    CHECK(c->ty == &orus_ty_str && c->data[1] == '\0');
    c = orus_str_get(s, 2);
    CHECK_STR(c->data, c->len, "i");
    CHECK(orus_status == 0);
    orus_str_get(s, 3);
    CHECK_ERR("index error", "String index out of bounds");
    orus_str_get(s, -1);
    CHECK_ERR("type error", "String index must be a non-negative integer");
    orus_str_get(S(""), 0);
    CHECK_ERR("index error", "String index out of bounds");
    /* one-byte strings survive collections (they are not heap objects) */
    c = orus_str_get(s, 2);
    orus_gc_collect();
    CHECK_STR(c->data, c->len, "i");
}

TEST(slice_ok) {
    OrusStr *s = S("abcdefg");
    OrusStr *r = orus_str_slice(s, 1, 4, 1, 0);
    CHECK_STR(r->data, r->len, "bcd");
    r = orus_str_slice(s, 1, 4, 1, 1);
    CHECK_STR(r->data, r->len, "bcde");
    r = orus_str_slice(s, 0, 7, 2, 0);
    CHECK_STR(r->data, r->len, "aceg");
    r = orus_str_slice(s, 0, 6, 3, 1);
    CHECK_STR(r->data, r->len, "adg");
    r = orus_str_slice(s, 7, 7, 1, 0);
    CHECK_STR(r->data, r->len, "");
    r = orus_str_slice(s, 3, 3, 1000, 0);
    CHECK_STR(r->data, r->len, "");
    r = orus_str_slice(s, 2, 6, INT64_MAX, 1);
    CHECK_STR(r->data, r->len, "c");
    r = orus_str_slice(s, 0, -1, 1, 1);          /* inclusive end -1 is the empty slice */
    CHECK_STR(r->data, r->len, "");
    CHECK(orus_status == 0);
}

TEST(slice_errors_in_oracle_order) {
    OrusStr *s = S("abc");
    orus_str_slice(s, -1, 2, 1, 0);
    CHECK_ERR("type error", "String slice start must be a non-negative integer");
    orus_str_slice(s, -1, 99, 0, 0);             /* start is checked first */
    CHECK_ERR("type error", "String slice start must be a non-negative integer");
    orus_str_slice(s, 4, 2, 1, 0);
    CHECK_ERR("index error", "String slice start out of bounds");
    orus_str_slice(s, 0, 4, 1, 0);
    CHECK_ERR("index error", "String slice end out of bounds");
    orus_str_slice(s, 0, 3, 1, 1);               /* inclusive: end 3 means 4 */
    CHECK_ERR("index error", "String slice end out of bounds");
    orus_str_slice(s, 0, INT64_MAX, 1, 1);
    CHECK_ERR("index error", "String slice end out of bounds");
    orus_str_slice(s, 2, 1, 1, 0);
    CHECK_ERR("index error", "String slice end before start");
    orus_str_slice(s, 2, 0, 1, 1);
    CHECK_ERR("index error", "String slice end before start");
    orus_str_slice(s, 2, 1, 0, 0);               /* end before start beats the step */
    CHECK_ERR("index error", "String slice end before start");
    orus_str_slice(s, 0, 2, 0, 0);
    CHECK_ERR("value error", "String slice step must be positive");
    orus_str_slice(s, 0, 2, -1, 0);
    CHECK_ERR("value error", "String slice step must be positive");
}

TEST(eq_and_cmp) {
    OrusStr *a = S("abc"), *b = S("abd"), *ab = S("ab"), *a2 = S("abc"), *e = S("");
    CHECK(orus_str_eq(a, a2) == 1);
    CHECK(orus_str_eq(a, b) == 0);
    CHECK(orus_str_eq(a, ab) == 0);
    CHECK(orus_str_eq(e, S("")) == 1);
    CHECK(orus_str_cmp(a, a2) == 0);
    CHECK(orus_str_cmp(a, b) < 0);
    CHECK(orus_str_cmp(b, a) > 0);
    CHECK(orus_str_cmp(ab, a) < 0);              /* a proper prefix comes first */
    CHECK(orus_str_cmp(a, ab) > 0);
    CHECK(orus_str_cmp(e, ab) < 0);
    CHECK(orus_str_cmp(e, e) == 0);
    /* bytewise: 0xff sorts after 'z' (unsigned) */
    CHECK(orus_str_cmp(orus_str_new("\xff", 1), S("z")) > 0);
    CHECK(orus_str_cmp(orus_str_new("a\0b", 3), orus_str_new("a\0c", 3)) < 0);
    CHECK(orus_str_eq(orus_str_new("a\0b", 3), orus_str_new("a\0c", 3)) == 0);
}

TEST(from_scalars) {
    OrusStr *s = orus_str_from_i64(INT64_MIN);
    CHECK_STR(s->data, s->len, "-9223372036854775808");
    s = orus_str_from_i64(0);
    CHECK_STR(s->data, s->len, "0");
    s = orus_str_from_u64(UINT64_MAX);
    CHECK_STR(s->data, s->len, "18446744073709551615");
    s = orus_str_from_f64(0.1);
    CHECK_STR(s->data, s->len, "0.10000000000000001");
    s = orus_str_from_f64(-0.0);
    CHECK_STR(s->data, s->len, "0");
    s = orus_str_from_f64(2.0);
    CHECK_STR(s->data, s->len, "2");
    s = orus_str_from_f64(copysign(NAN, -1.0));
    CHECK_STR(s->data, s->len, "nan");
    s = orus_str_from_f64(1e-7);
    CHECK_STR(s->data, s->len, "9.9999999999999995e-08");
    s = orus_str_from_bool(1);
    CHECK_STR(s->data, s->len, "true");
    s = orus_str_from_bool(0);
    CHECK_STR(s->data, s->len, "false");
    CHECK(s->ty == &orus_ty_str && s->data[s->len] == '\0');
}

/* Under a collection at every allocation, arguments and results stay intact. */
TEST(survives_gc_stress) {
    orus_gc_set_stress(1);
    OrusStr *acc = S("");
    for (int i = 0; i < 50; i++)
        acc = orus_str_concat(acc, orus_str_from_i64(i % 10));
    OrusStr *part = orus_str_slice(acc, 10, 19, 3, 1);
    orus_gc_set_stress(0);
    CHECK_EQ_I64(acc->len, 50);
    CHECK(memcmp(acc->data, "01234567890123456789", 20) == 0);
    CHECK_STR(part->data, part->len, "0369");
}
