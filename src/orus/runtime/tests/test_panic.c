/* test_panic.c: raising, locating, taking and re-raising errors (panic.c), and the
 * driver's view of an escaped error (rt.c). */
#include "harness.h"

static const OrusSite SITE_A = {"a.orus", 3, 7, "div"};
static const OrusSite SITE_B = {"b.orus", 9, 1, "call.rt"};

TEST(trap_sets_pending_error) {
    CHECK_EQ_I64(orus_status, 0);
    orus_trap(&SITE_A, ORUS_ERR_INDEX, "Array index out of bounds");
    CHECK_EQ_I64(orus_status, 1);
    OrusError *e = orus_err_pending();
    CHECK(e != NULL);
    CHECK(e->ty == &orus_ty_error);
    CHECK_STR(e->kind->data, e->kind->len, "index error");
    CHECK_STR(e->message->data, e->message->len, "Array index out of bounds");
    CHECK(e->site == &SITE_A);
    CHECK_EQ_I64(e->message->data[e->message->len], 0);
}

TEST(every_kind_text) {
    static const char *const want[] = {"runtime error", "value error", "index error",
                                       "type error", "conversion error", "argument error"};
    for (int k = 0; k <= ORUS_ERR_ARGUMENT; k++) {
        orus_trap(NULL, k, "m");
        OrusError *e = orus_err_take();
        CHECK(e != NULL && strcmp(e->kind->data, want[k]) == 0);
        CHECK_EQ_I64(orus_status, 0);
    }
}

TEST(locate_first_site_wins) {
    orus_trap(NULL, ORUS_ERR_RUNTIME, "boom");
    CHECK(orus_err_pending()->site == NULL);
    orus_err_locate(&SITE_B);
    orus_err_locate(&SITE_A);
    CHECK(orus_err_pending()->site == &SITE_B);
    orus_err_reset();
    CHECK(orus_err_pending() == NULL);
    CHECK_EQ_I64(orus_status, 0);
    orus_err_locate(&SITE_A);      /* nothing pending: no effect, no crash */
    CHECK(orus_err_pending() == NULL);
}

TEST(take_and_raise) {
    orus_trap(&SITE_A, ORUS_ERR_VALUE, "bad");
    OrusError *e = orus_err_take();
    CHECK_EQ_I64(orus_status, 0);
    CHECK(orus_err_pending() == NULL);
    CHECK(orus_err_take() == NULL);
    orus_gc_collect();      /* e lives in a local: the conservative scan keeps it */
    CHECK_STR(e->message->data, e->message->len, "bad");
    orus_err_raise(e);
    CHECK_EQ_I64(orus_status, 1);
    CHECK(orus_err_pending() == e);
    CHECK(e->site == &SITE_A);
}

TEST(fail_formats) {
    orus_fail(ORUS_ERR_VALUE, "Destructuring expected %d elements, got %d", 3, 2);
    OrusError *e = orus_err_pending();
    CHECK_STR(e->message->data, e->message->len, "Destructuring expected 3 elements, got 2");
    CHECK(e->site == NULL);
    CHECK_STR(e->kind->data, e->kind->len, "value error");
}

TEST(fail_long_message) {
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    orus_fail(ORUS_ERR_RUNTIME, "<%s>", big);
    OrusError *e = orus_err_pending();
    CHECK_EQ_I64(e->message->len, 1001);
    CHECK(e->message->data[0] == '<' && e->message->data[1000] == '>');
    CHECK(e->message->data[500] == 'x');
}

TEST(fail_bytes_keeps_nuls) {
    orus_fail_bytes(ORUS_ERR_CONVERSION, "a\0b", 3);
    int64_t n = -1;
    const char *m = orus_rt_error_message(&n);
    CHECK_STR(m, n, "a\0b");
    CHECK(strcmp(orus_rt_error_kind(), "conversion error") == 0);
}

TEST(stack_overflow_error) {
    orus_trap_stack_overflow();
    CHECK_EQ_I64(orus_status, 1);
    int64_t n;
    const char *m = orus_rt_error_message(&n);
    CHECK_STR(m, n, "Stack overflow");
    CHECK(strcmp(orus_rt_error_kind(), "runtime error") == 0);
    CHECK(orus_rt_error_site() == NULL);
}

TEST(pending_error_survives_collection) {
    orus_trap(&SITE_A, ORUS_ERR_TYPE, "kept");
    /* drop every local copy, churn the heap, collect */
    for (int i = 0; i < 10000; i++)
        orus_str_new("garbage garbage garbage", 23);
    orus_gc_collect();
    CHECK_EQ_I64(orus_gc_verify(), 0);
    int64_t n;
    const char *m = orus_rt_error_message(&n);
    CHECK_STR(m, n, "kept");
    CHECK(strcmp(orus_rt_error_kind(), "type error") == 0);
}

static void failing_main(void) {
    orus_trap(NULL, ORUS_ERR_ARGUMENT, "escaped");
    orus_err_locate(&SITE_B);
}

static void fine_main(void) {
}

TEST(run_returns_70_and_error_outlives_heap) {
    CHECK_EQ_I64(orus_rt_run(fine_main), 0);
    CHECK(orus_rt_error_kind() == NULL);
    CHECK_EQ_I64(orus_rt_run(failing_main), 70);
    orus_rt_shutdown();         /* the driver may free the heap before reading */
    int64_t n;
    const char *m = orus_rt_error_message(&n);
    CHECK_STR(m, n, "escaped");
    CHECK(strcmp(orus_rt_error_kind(), "argument error") == 0);
    CHECK(orus_rt_error_site() == &SITE_B);
    orus_rt_init();
    CHECK(orus_rt_error_kind() == NULL);
    CHECK_EQ_I64(orus_status, 0);
}
