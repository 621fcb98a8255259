/* harness.h: a tiny test harness for the runtime's C unit tests.
 *
 * A test file includes this header once, defines tests with TEST(name) { ... } and
 * nothing else: the header supplies main(). Tests register themselves through a
 * constructor, run in file order, and each runs in a fresh runtime (orus_rt_init
 * before, orus_rt_shutdown after) with the collector's stack top set to main's frame,
 * so objects held only in a test's locals are roots (the stack is scanned
 * conservatively). CHECK* macros record a failure and continue; main prints
 * "N passed, N failed" and exits 1 when any test failed.
 */
#ifndef ORUS_TEST_HARNESS_H
#define ORUS_TEST_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define HARNESS_MAX_TESTS 256

typedef void (*HarnessFn)(void);
static struct { const char *name; HarnessFn fn; } harness_tests[HARNESS_MAX_TESTS];
static int harness_ntests;
static int harness_failures;   /* failed checks in the current test */

static void harness_register(const char *name, HarnessFn fn) {
    if (harness_ntests == HARNESS_MAX_TESTS) {
        fprintf(stderr, "harness: too many tests\n");
        exit(2);
    }
    harness_tests[harness_ntests].name = name;
    harness_tests[harness_ntests].fn = fn;
    harness_ntests++;
}

static void harness_fail(const char *file, int line, const char *what) {
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    harness_failures++;
}

#define TEST(name)                                                          \
    static void name(void);                                                 \
    __attribute__((constructor)) static void harness_reg_##name(void) {     \
        harness_register(#name, name);                                      \
    }                                                                       \
    static void name(void)

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond))                                                        \
            harness_fail(__FILE__, __LINE__, #cond);                        \
    } while (0)

#define CHECK_EQ_I64(a, b)                                                  \
    do {                                                                    \
        int64_t harness_a = (int64_t)(a), harness_b = (int64_t)(b);         \
        if (harness_a != harness_b) {                                       \
            fprintf(stderr, "  %s = %" PRId64 ", %s = %" PRId64 "\n", #a,   \
                    harness_a, #b, harness_b);                              \
            harness_fail(__FILE__, __LINE__, #a " == " #b);                 \
        }                                                                   \
    } while (0)

/* `len` bytes at `buf` equal the string literal `lit` (NULs in buf allowed). */
#define CHECK_STR(buf, len, lit)                                            \
    do {                                                                    \
        const char *harness_p = (const char *)(buf);                        \
        int64_t harness_n = (int64_t)(len);                                 \
        if (harness_n != (int64_t)(sizeof(lit) - 1) ||                      \
            (harness_n > 0 && memcmp(harness_p, lit, (size_t)harness_n))) { \
            fprintf(stderr, "  got %" PRId64 " bytes \"%.*s\", want \"%s\"\n", \
                    harness_n, harness_p ? (int)harness_n : 0,              \
                    harness_p ? harness_p : "", lit);                       \
            harness_fail(__FILE__, __LINE__, #buf " == " #lit);             \
        }                                                                   \
    } while (0)

/* ---------------------------------------------------------------- Orus values in tests
 * S: a heap string of a C literal; P: an object pointer as value bits; F: an f64 as
 * value bits (orus_rt.h). CHECK_ERR: the pending error has this kind and message; it is
 * taken, so orus_status is clear again. */
static inline OrusStr *S(const char *lit) {
    return orus_str_new(lit, (int64_t)strlen(lit));
}

static inline uint64_t P(const void *p) {
    return (uint64_t)(uintptr_t)p;
}

static inline uint64_t F(double d) {
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

#define CHECK_ERR(kind_lit, msg_lit)                                            \
    do {                                                                        \
        CHECK(orus_status == 1);                                                \
        OrusError *err_ = orus_err_take();                                      \
        CHECK(err_ != NULL);                                                    \
        if (err_) {                                                             \
            CHECK_STR(err_->kind->data, err_->kind->len, kind_lit);             \
            CHECK_STR(err_->message->data, err_->message->len, msg_lit);        \
        }                                                                       \
        CHECK(orus_status == 0);                                                \
    } while (0)

int main(void) {
    int passed = 0, failed = 0;
    orus_gc_set_stack_top(__builtin_frame_address(0));
    for (int i = 0; i < harness_ntests; i++) {
        harness_failures = 0;
        orus_rt_init();
        orus_gc_set_stack_top(__builtin_frame_address(0));
        harness_tests[i].fn();
        orus_rt_shutdown();
        if (harness_failures) {
            fprintf(stderr, "FAIL %s\n", harness_tests[i].name);
            failed++;
        } else {
            passed++;
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

#endif /* ORUS_TEST_HARNESS_H */
