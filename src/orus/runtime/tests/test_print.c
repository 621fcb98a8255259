/* test_print.c: value text, print, format strings and typeof (print.c) on objects
 * built by hand with descriptors laid out as datamodel.py does. Expected texts
 * follow tier 0 (backend/interp/printing.py, semantics/printfmt.py); the format
 * string cases were computed with printfmt.render. */
#include <math.h>

#include "harness.h"

/* ------------------------------------------------------------ descriptors */
static const OrusTy arr_i64 = {ORUS_T_ARRAY, 0, NULL, &orus_ty_i64, 0, 0, NULL, NULL};
static const OrusTy arr_arr_i64 = {ORUS_T_ARRAY, 0, NULL, &arr_i64, 0, 0, NULL, NULL};
static const OrusTy arr_str = {ORUS_T_ARRAY, 0, NULL, &orus_ty_str, 0, 0, NULL, NULL};
static const OrusTy arr_bool = {ORUS_T_ARRAY, 0, NULL, &orus_ty_bool, 0, 0, NULL, NULL};

/* struct Point { x: i32, y: f64, name: string, ok: bool } */
static const OrusField point_fields[] = {
    {"x", &orus_ty_i32, 8}, {"y", &orus_ty_f64, 16}, {"name", &orus_ty_str, 24},
    {"ok", &orus_ty_bool, 32}};
static const OrusTy point_ty = {ORUS_T_STRUCT, 40, "Point", NULL, 4, 0, point_fields, NULL};

/* struct Box { items: [Box] } (recursive through an array) */
static const OrusTy box_ty;
static const OrusTy arr_box = {ORUS_T_ARRAY, 0, NULL, &box_ty, 0, 0, NULL, NULL};
static const OrusField box_fields[] = {{"items", &arr_box, 8}};
static const OrusTy box_ty = {ORUS_T_STRUCT, 16, "Box", NULL, 1, 0, box_fields, NULL};

/* enum Shape { Circle(f64), Rect(i32, i32), Empty } */
static const OrusField circle_f[] = {{NULL, &orus_ty_f64, 16}};
static const OrusField rect_f[] = {{NULL, &orus_ty_i32, 12}, {NULL, &orus_ty_i32, 16}};
static const OrusVariant shape_vars[] = {
    {"Circle", 24, 1, circle_f}, {"Rect", 24, 2, rect_f}, {"Empty", 16, 0, NULL}};
static const OrusTy shape_ty = {ORUS_T_ENUM, 0, "Shape", NULL, 0, 3, NULL, shape_vars};

/* enum Opt { Some(Point, [i64]), None } with display name "lib.Opt" */
static const OrusField some_f[] = {{NULL, &point_ty, 16}, {NULL, &arr_i64, 24}};
static const OrusVariant opt_vars[] = {{"Some", 32, 2, some_f}, {"None", 16, 0, NULL}};
static const OrusTy opt_ty = {ORUS_T_ENUM, 0, "lib.Opt", NULL, 0, 2, NULL, opt_vars};

static const OrusTy fn_ty = {ORUS_T_FN, 0, NULL, NULL, 0, 0, NULL, NULL};
static const OrusTy add_layout = {ORUS_T_CLOSURE, 16, "add", NULL, 0, 0, NULL, NULL};
static const OrusField lam_caps[] = {{NULL, &orus_ty_i64, 16}};
static const OrusTy lambda_layout = {ORUS_T_CLOSURE, 24, NULL, NULL, 1, 0, lam_caps, NULL};
static const OrusField cell_f[] = {{NULL, &orus_ty_i64, 8}};
static const OrusTy cell_ty = {ORUS_T_CELL, 16, NULL, &orus_ty_i64, 1, 0, cell_f, NULL};

/* ------------------------------------------------------------ helpers */
static uint64_t I(int64_t v) {
    return (uint64_t)v;
}

static OrusArray *i64s(int n, const int64_t *v) {
    OrusArray *a = orus_array_new(&arr_i64, n);
    for (int i = 0; i < n; i++)
        orus_array_store(a, i, (uint64_t)v[i]);
    return a;
}

static void *point(int32_t x, double y, const char *name, int ok) {
    void *p = orus_gc_alloc(&point_ty, point_ty.size);
    orus_field_store(p, 8, &orus_ty_i32, I(x));
    orus_field_store(p, 16, &orus_ty_f64, F(y));
    orus_field_store(p, 24, &orus_ty_str, P(S(name)));
    orus_gc_write_barrier(p);       /* S allocated: p may be old now */
    orus_field_store(p, 32, &orus_ty_bool, (uint64_t)ok);
    return p;
}

static void *box(OrusArray *items) {
    void *b = orus_gc_alloc(&box_ty, box_ty.size);
    orus_field_store(b, 8, &arr_box, P(items));
    return b;
}

static void *shape(int32_t tag) {
    void *e = orus_gc_alloc(&shape_ty, shape_vars[tag].size);
    memcpy((char *)e + 8, &tag, sizeof tag);
    return e;
}

/* The text (repr 0 or 1) of one value compared with a literal. */
#define CHECK_TEXT(ty, v, repr, lit)                                        \
    do {                                                                    \
        OrusBuf b;                                                          \
        orus_buf_init(&b);                                                  \
        orus_text_value(&b, ty, v, repr);                                   \
        CHECK_STR(b.data, b.len, lit);                                      \
        orus_buf_free(&b);                                                  \
    } while (0)

#define CHECK_TYPEOF(ty, v, lit)                                            \
    do {                                                                    \
        OrusStr *t = orus_typeof(ty, v);                                    \
        CHECK_STR(t->data, t->len, lit);                                    \
        CHECK(orus_istype(ty, v, S(lit)) == 1);                             \
    } while (0)

/* ------------------------------------------------------------ scalars */
TEST(scalar_text) {
    CHECK_TEXT(&orus_ty_i32, I(-5), 0, "-5");
    CHECK_TEXT(&orus_ty_i32, 0xFFFFFFFBu, 0, "-5");     /* un-extended i32 bits */
    CHECK_TEXT(&orus_ty_u32, 0xFFFFFFFFu, 0, "4294967295");
    CHECK_TEXT(&orus_ty_i64, I(INT64_MIN), 0, "-9223372036854775808");
    CHECK_TEXT(&orus_ty_u64, UINT64_MAX, 1, "18446744073709551615");
    CHECK_TEXT(&orus_ty_f64, F(0.1), 0, "0.10000000000000001");
    CHECK_TEXT(&orus_ty_f64, F(0.1), 1, "0.1");
    CHECK_TEXT(&orus_ty_f64, F(3e9), 1, "3e+09");
    CHECK_TEXT(&orus_ty_f64, F(copysign(NAN, -1.0)), 1, "nan");
    CHECK_TEXT(&orus_ty_bool, 1, 0, "true");
    CHECK_TEXT(&orus_ty_bool, 0, 1, "false");
    OrusStr *s = orus_str_new("a\"b\\c\nd\te\0", 10);
    CHECK_TEXT(&orus_ty_str, P(s), 0, "a\"b\\c\nd\te\0");
    CHECK_TEXT(&orus_ty_str, P(s), 1, "\"a\\\"b\\\\c\\nd\\te\0\"");
    CHECK_TEXT(&orus_ty_str, 0, 0, "<null>");
}

/* ------------------------------------------------------------ aggregates */
TEST(arrays) {
    int64_t v[] = {1, -2, 3};
    OrusArray *a = i64s(3, v);
    CHECK_TEXT(&arr_i64, P(a), 0, "1, -2, 3");
    CHECK_TEXT(&arr_i64, P(a), 1, "[1, -2, 3]");
    CHECK_TEXT(&arr_i64, P(orus_array_new(&arr_i64, 0)), 0, "");
    CHECK_TEXT(&arr_i64, P(orus_array_new(&arr_i64, 0)), 1, "[]");
    OrusArray *outer = orus_array_new(&arr_arr_i64, 2);
    orus_array_store(outer, 0, P(a));
    orus_array_store(outer, 1, P(i64s(1, v + 2)));
    orus_gc_write_barrier(outer);   /* i64s allocated: outer may be old now */
    CHECK_TEXT(&arr_arr_i64, P(outer), 0, "1, -2, 3, 3");
    CHECK_TEXT(&arr_arr_i64, P(outer), 1, "[[1, -2, 3], [3]]");
    OrusArray *ss = orus_array_new(&arr_str, 2);
    orus_array_store(ss, 0, P(S("x y")));
    orus_gc_write_barrier(ss);
    orus_array_store(ss, 1, P(S("")));
    orus_gc_write_barrier(ss);
    CHECK_TEXT(&arr_str, P(ss), 0, "x y, ");
    CHECK_TEXT(&arr_str, P(ss), 1, "[\"x y\", \"\"]");
    OrusArray *bs = orus_array_new(&arr_bool, 3);
    orus_array_store(bs, 1, 1);
    CHECK_TEXT(&arr_bool, P(bs), 0, "false, true, false");
}

TEST(structs) {
    void *p = point(-3, 0.1, "hi", 1);
    CHECK_TEXT(&point_ty, P(p), 0, "Point{x: -3, y: 0.10000000000000001, name: hi, ok: true}");
    CHECK_TEXT(&point_ty, P(p), 1, "Point{x: -3, y: 0.1, name: \"hi\", ok: true}");
}

TEST(cycles_print_dots) {
    OrusArray *items = orus_array_new(&arr_box, 0);
    void *b1 = box(items);
    void *b2 = box(orus_array_new(&arr_box, 0));
    orus_array_push(items, P(b2));
    orus_array_push(items, P(b1));
    CHECK_TEXT(&box_ty, P(b1), 0, "Box{items: Box{items: }, ...}");
    CHECK_TEXT(&box_ty, P(b1), 1, "Box{items: [Box{items: []}, ...]}");
    /* the array itself is being printed when b1 is met inside it */
    CHECK_TEXT(&arr_box, P(items), 0, "Box{items: }, Box{items: ...}");
    /* siblings are not cycles: the same object twice side by side prints twice */
    OrusArray *twice = orus_array_new(&arr_box, 2);
    orus_array_store(twice, 0, P(b2));
    orus_array_store(twice, 1, P(b2));
    CHECK_TEXT(&arr_box, P(twice), 1, "[Box{items: []}, Box{items: []}]");
}

TEST(enums) {
    void *c = shape(0);
    orus_field_store(c, 16, &orus_ty_f64, F(2.5));
    CHECK_TEXT(&shape_ty, P(c), 0, "Shape.Circle(2.5)");
    void *r = shape(1);
    orus_field_store(r, 12, &orus_ty_i32, I(1));
    orus_field_store(r, 16, &orus_ty_i32, I(-2));
    CHECK_TEXT(&shape_ty, P(r), 0, "Shape.Rect(1, -2)");
    CHECK_TEXT(&shape_ty, P(r), 1, "Shape.Rect(1, -2)");
    /* a payload-less variant may be a static object outside the heap */
    static const struct { const OrusTy *ty; int32_t tag; } empty = {&shape_ty, 2};
    CHECK_TEXT(&shape_ty, P(&empty), 0, "Shape.Empty");
    int32_t tag = 0;
    void *o = orus_gc_alloc(&opt_ty, 32);
    memcpy((char *)o + 8, &tag, sizeof tag);
    int64_t v[] = {7, 8};
    orus_field_store(o, 16, &point_ty, P(point(1, 1e-5, "p", 0)));
    orus_gc_write_barrier(o);       /* point allocated: o may be old now */
    orus_field_store(o, 24, &arr_i64, P(i64s(2, v)));
    orus_gc_write_barrier(o);
    CHECK_TEXT(&opt_ty, P(o), 0,
               "lib.Opt.Some(Point{x: 1, y: 1.0000000000000001e-05, name: p, ok: false}, 7, 8)");
    CHECK_TEXT(&opt_ty, P(o), 1, "lib.Opt.Some(Point{x: 1, y: 1e-05, name: \"p\", ok: false}, [7, 8])");
}

TEST(functions_ranges_errors_opaque) {
    static const struct { const OrusTy *ty; void *code; } add_fn = {&add_layout, NULL};
    CHECK_TEXT(&fn_ty, P(&add_fn), 0, "<fn add>");
    void *lam = orus_gc_alloc(&lambda_layout, lambda_layout.size);
    CHECK_TEXT(&fn_ty, P(lam), 0, "<fn>");
    CHECK_TEXT(&fn_ty, P(lam), 1, "<fn>");
    OrusRange *r = orus_gc_alloc(&orus_ty_range, sizeof(OrusRange));
    r->cur = 1, r->end = 10, r->step = 1;
    CHECK_TEXT(&orus_ty_range, P(r), 0, "range(1..10)");
    CHECK_TEXT(&orus_ty_range, P(r), 1, "<range>");
    r->cur = 10, r->end = -3, r->step = -2;
    CHECK_TEXT(&orus_ty_range, P(r), 0, "range(10..-3 step=-2)");
    OrusError *e = orus_gc_alloc(&orus_ty_error, sizeof(OrusError));
    e->kind = S("value error");
    orus_gc_write_barrier(e);       /* S allocates: e may be old by now */
    e->message = S("boom");
    orus_gc_write_barrier(e);
    CHECK_TEXT(&orus_ty_error, P(e), 0, "Error: boom");
    CHECK_TEXT(&orus_ty_error, P(e), 1, "Error(boom)");
    void *cell = orus_gc_alloc(&cell_ty, cell_ty.size);
    CHECK_TEXT(&cell_ty, P(cell), 0, "<cell>");
    CHECK_TEXT(&orus_ty_task, P(cell), 0, "<task>");
    CHECK_TEXT(&orus_ty_chan, P(cell), 1, "<chan>");
}

/* ------------------------------------------------------------ typeof */
TEST(typeof_each_kind) {
    CHECK_TYPEOF(&orus_ty_i32, I(1), "i32");
    CHECK_TYPEOF(&orus_ty_i64, I(1), "i64");
    CHECK_TYPEOF(&orus_ty_u32, I(1), "u32");
    CHECK_TYPEOF(&orus_ty_u64, I(1), "u64");
    CHECK_TYPEOF(&orus_ty_f64, F(1.0), "f64");
    CHECK_TYPEOF(&orus_ty_bool, 1, "bool");
    CHECK_TYPEOF(&orus_ty_str, P(S("x")), "string");
    CHECK_TYPEOF(&arr_i64, P(orus_array_new(&arr_i64, 0)), "array");
    CHECK_TYPEOF(&point_ty, P(point(0, 0, "", 0)), "Point");
    CHECK_TYPEOF(&opt_ty, 0, "lib.Opt");
    CHECK_TYPEOF(&fn_ty, 0, "function");
    CHECK_TYPEOF(&orus_ty_range, 0, "range_iterator");
    CHECK_TYPEOF(&orus_ty_task, 0, "Task");
    CHECK_TYPEOF(&orus_ty_chan, 0, "Channel");
    CHECK_TYPEOF(&cell_ty, 0, "cell");
    OrusError *e = orus_gc_alloc(&orus_ty_error, sizeof(OrusError));
    e->kind = S("index error");
    orus_gc_write_barrier(e);       /* S allocates: e may be old by now */
    e->message = S("Array index out of bounds");
    orus_gc_write_barrier(e);
    CHECK_TYPEOF(&orus_ty_error, P(e), "index error Array index out of bounds");
    CHECK(orus_istype(&orus_ty_str, P(S("x")), S("str")) == 0);
    CHECK(orus_istype(&orus_ty_i32, 0, S("i3")) == 0);
    CHECK(orus_istype(&orus_ty_i32, 0, S("i32 ")) == 0);
    OrusBuf b;
    orus_buf_init(&b);
    orus_text_typename(&b, &orus_ty_error);
    CHECK_STR(b.data, b.len, "error");
    orus_buf_free(&b);
}

/* ------------------------------------------------------------ print */
/* Run one print and compare everything written with lit. */
static void print_into(int32_t n, const OrusTy *const *tys, const uint64_t *vals, int32_t format,
                       const char **out, int64_t *len) {
    orus_rt_capture_output();
    orus_print(n, tys, vals, format);
    orus_rt_flush();
    *out = orus_rt_captured(len);
}

#define CHECK_PRINT(n, tys, vals, format, lit)                              \
    do {                                                                    \
        const char *out;                                                    \
        int64_t len;                                                        \
        print_into(n, tys, vals, format, &out, &len);                       \
        CHECK_STR(out, len, lit);                                           \
    } while (0)

TEST(print_plain_joins_with_spaces) {
    int64_t v[] = {1, 2};
    const OrusTy *tys[] = {&orus_ty_str, &orus_ty_i32, &arr_i64, &orus_ty_f64, &orus_ty_bool};
    uint64_t vals[] = {P(S("a @x")), I(-1), P(i64s(2, v)), F(0.5), 0};
    CHECK_PRINT(5, tys, vals, 0, "a @x -1 1, 2 0.5 false\n");
    CHECK_PRINT(0, tys, vals, 0, "\n");
}

TEST(print_format_strings) {
    const OrusTy *t1[] = {&orus_ty_str, &orus_ty_i32, &orus_ty_f64};
    uint64_t v1[] = {P(S("a @ b @")), I(1), F(0.5)};
    CHECK_PRINT(3, t1, v1, 1, "a 1 b 0.5\n");
    const OrusTy *t2[] = {&orus_ty_str, &orus_ty_i32};
    uint64_t v2[] = {P(S("@@")), I(7)};
    CHECK_PRINT(1, t2, v2, 1, "@@\n");                 /* no argument: literal text */
    CHECK_PRINT(2, t2, v2, 1, "7@\n");
    const OrusTy *t3[] = {&orus_ty_str, &orus_ty_i32, &orus_ty_i64, &orus_ty_u32, &orus_ty_u64};
    uint64_t v3[] = {P(S("x=@x X=@X o=@o b=@b")), I(-1), I(255), I(8), I(5)};
    CHECK_PRINT(5, t3, v3, 1, "x=ffffffffffffffff X=FF o=10 b=101\n");
    const OrusTy *t4[] = {&orus_ty_str, &orus_ty_f64, &orus_ty_f64, &orus_ty_f64, &orus_ty_f64,
                          &orus_ty_i32};
    uint64_t v4[] = {P(S("@.2f|@.3|@.f|@.|@.2f")), F(3.14159), F(2.0), F(1.5), F(0.1), I(7)};
    CHECK_PRINT(6, t4, v4, 1, "3.14|2.000|1.5|0.10000000000000001|7\n");
    const OrusTy *t5[] = {&orus_ty_str, &orus_ty_f64, &orus_ty_bool};
    uint64_t v5[] = {P(S("@x @b")), F(1.5), 1};
    CHECK_PRINT(3, t5, v5, 1, "1.5 true\n");            /* radix of a non-integer: default */
    const OrusTy *t6[] = {&orus_ty_str, &orus_ty_i32, &orus_ty_str};
    uint64_t v6[] = {P(S("no placeholders")), I(1), P(S("two"))};
    CHECK_PRINT(3, t6, v6, 1, "no placeholders 1 two\n");
    uint64_t v7[] = {P(S("@.5 @x @."))};
    CHECK_PRINT(1, t6, v7, 1, "@.5 @x @.\n");
    uint64_t v8[] = {P(S("@y@")), I(1), I(2)};
    const OrusTy *t8[] = {&orus_ty_str, &orus_ty_i32, &orus_ty_i32};
    CHECK_PRINT(3, t8, v8, 1, "1y2\n");
    uint64_t v9[] = {P(S("@.0f/@.1f")), F(2.5), F(copysign(NAN, -1.0))};
    const OrusTy *t9[] = {&orus_ty_str, &orus_ty_f64, &orus_ty_f64};
    CHECK_PRINT(3, t9, v9, 1, "2/nan\n");
    uint64_t v10[] = {P(S("@b")), I(INT32_MIN)};
    CHECK_PRINT(2, t2, v10, 1,
                "1111111111111111111111111111111110000000000000000000000000000000\n");
    uint64_t v11[] = {P(orus_str_new("a\0@", 3)), I(3)};
    CHECK_PRINT(2, t2, v11, 1, "a\0" "3\n");
    int64_t arr[] = {4, 5};
    const OrusTy *t12[] = {&orus_ty_str, &arr_i64};
    uint64_t v12[] = {P(S("[@x]")), P(i64s(2, arr))};
    CHECK_PRINT(2, t12, v12, 1, "[4, 5]\n");
}

TEST(print_accumulates_lines) {
    orus_rt_capture_output();
    const OrusTy *tys[] = {&orus_ty_i32};
    for (int i = 0; i < 3; i++) {
        uint64_t v[] = {I(i)};
        orus_print(1, tys, v, 0);
    }
    orus_rt_flush();
    int64_t len;
    const char *out = orus_rt_captured(&len);
    CHECK_STR(out, len, "0\n1\n2\n");
}

/* ------------------------------------------------------------ depth */
/* The text of a chain box_0 .. box_{n-1} where box_i.items = [box_{i+1}, box_{back}],
 * the last box holding only its back edge: every back edge reaches an active box. */
static void chain_text(OrusBuf *want, int n, int repr) {
    for (int i = 0; i < n; i++)
        orus_buf_puts(want, repr ? "Box{items: [" : "Box{items: ");
    for (int i = 0; i < n; i++) {
        orus_buf_puts(want, "...");
        orus_buf_puts(want, repr ? "]}" : "}");
        if (i + 1 < n)
            orus_buf_puts(want, ", ");
    }
}

static void *make_chain(int n, void *root_back) {
    /* the boxes are kept in a heap array: a malloc'd table would hide them from the GC */
    OrusArray *boxes = orus_array_new(&arr_box, n);
    for (int i = 0; i < n; i++) {
        orus_array_store(boxes, i, P(box(orus_array_new(&arr_box, 0))));
        orus_gc_write_barrier(boxes);   /* box allocated: boxes may be old */
    }
    for (int i = 0; i < n; i++) {
        void *bi = (void *)(uintptr_t)orus_array_load(boxes, i);
        OrusArray *items = (OrusArray *)(uintptr_t)orus_field_load(bi, 8, &arr_box);
        if (i + 1 < n)
            orus_array_push(items, orus_array_load(boxes, i + 1));
        /* a back edge to an ancestor chosen pseudo-randomly (or the root's own parent) */
        int back = (int)(((unsigned)i * 2654435761u) % (unsigned)(i + 1));
        orus_array_push(items, back == 0 && root_back ? P(root_back) : orus_array_load(boxes, back));
    }
    return (void *)(uintptr_t)orus_array_load(boxes, 0);
}

TEST(deep_chain_prints_iteratively) {
    orus_gc_set_stress(0);      /* 400k allocations: collecting at each would be quadratic */
    int n = 200000;
    void *root = make_chain(n, NULL);
    for (int repr = 0; repr < 2; repr++) {
        OrusBuf want, got;
        orus_buf_init(&want);
        orus_buf_init(&got);
        chain_text(&want, n, repr);
        orus_text_value(&got, &box_ty, P(root), repr);
        CHECK_EQ_I64(got.len, want.len);
        CHECK(got.len == want.len && memcmp(got.data, want.data, got.len) == 0);
        orus_buf_free(&want);
        orus_buf_free(&got);
    }
}

/* A subtree printed twice side by side: after the first copy closes its boxes are
 * no longer active, so the second copy prints in full again. */
TEST(closed_frames_leave_the_active_set) {
    OrusArray *top_items = orus_array_new(&arr_box, 0);
    void *top = box(top_items);
    void *sub = make_chain(300, top);
    orus_array_push(top_items, P(sub));
    orus_array_push(top_items, P(sub));
    OrusBuf want, got;
    orus_buf_init(&want);
    orus_buf_init(&got);
    OrusBuf chain;
    orus_buf_init(&chain);
    chain_text(&chain, 300, 0);
    orus_buf_puts(&want, "Box{items: ");
    orus_buf_put(&want, chain.data, chain.len);
    orus_buf_puts(&want, ", ");
    orus_buf_put(&want, chain.data, chain.len);
    orus_buf_puts(&want, "}");
    orus_text_value(&got, &box_ty, P(top), 0);
    CHECK_EQ_I64(got.len, want.len);
    CHECK(got.len == want.len && memcmp(got.data, want.data, got.len) == 0);
    orus_buf_free(&want);
    orus_buf_free(&got);
    orus_buf_free(&chain);
}
