/* test_fmt.c: OrusBuf and number text (fmt.c) against the Python oracle
 * (semantics/floatfmt.py, printfmt.format_int_spec). Every expected text below was
 * computed with those functions. */
#include <math.h>

#include "harness.h"

/* Append with `call` (which uses &b) into a fresh buffer and compare with lit. */
#define CHECK_FMT(call, lit)                                                \
    do {                                                                    \
        OrusBuf b;                                                          \
        orus_buf_init(&b);                                                  \
        call;                                                               \
        CHECK_STR(b.data, b.len, lit);                                      \
        orus_buf_free(&b);                                                  \
    } while (0)

#define TINY_EXACT "0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000004940656458412465441765687928682213723650598026143247644255856825006755072702087518652998363616359923797965646954457177309266567103559397963987747960107818781263007131903114045278458171678489821036887186360569987307230500063874091535649843873124733972731696151400317153853980741262385655911710266585566867681870395603106249319452715914924553293054565444011274801297099995419319894090804165633245247571478690147267801593552386115501348035264934720193790268107107491703332226844753335720832431936092382893458368060106011506169809753078342277318329247904982524730776375927247874656084778203734469699533647017972677717585125660551199131504891101451037862738167250955837389733598993664809941164205702637090279242767544565229087538682506419718265533447265625"
#define DMAX_TEXT "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368"

TEST(buf_grows_and_keeps_bytes) {
    OrusBuf b;
    orus_buf_init(&b);
    CHECK(b.len == 0);
    orus_buf_put(&b, "a\0b", 3);
    CHECK_STR(b.data, b.len, "a\0b");
    for (int i = 0; i < 1000; i++)
        orus_buf_puts(&b, "xyz");
    CHECK_EQ_I64(b.len, 3003);
    CHECK(b.data[b.len] == '\0');
    CHECK(memcmp(b.data + 3000, "xyz", 3) == 0);
    orus_buf_printf(&b, "%s-%d", "long", 42);
    CHECK(memcmp(b.data + 3003, "long-42", 7) == 0);
    orus_buf_free(&b);
    CHECK(b.data == NULL && b.len == 0);
    /* printf output longer than the internal small buffer */
    orus_buf_init(&b);
    orus_buf_printf(&b, "%0300d|", 7);
    CHECK_EQ_I64(b.len, 301);
    CHECK(b.data[299] == '7' && b.data[300] == '|' && b.data[0] == '0');
    orus_buf_free(&b);
}

TEST(f64_print_form) {
    CHECK_FMT(orus_fmt_f64(&b, 0.1), "0.10000000000000001");
    CHECK_FMT(orus_fmt_f64(&b, 1e-5), "1.0000000000000001e-05");
    CHECK_FMT(orus_fmt_f64(&b, 1e22), "10000000000000000000000");
    CHECK_FMT(orus_fmt_f64(&b, 123456789.0), "123456789");
    CHECK_FMT(orus_fmt_f64(&b, -0.0), "0");
    CHECK_FMT(orus_fmt_f64(&b, 0.0), "0");
    CHECK_FMT(orus_fmt_f64(&b, NAN), "nan");
    CHECK_FMT(orus_fmt_f64(&b, copysign(NAN, -1.0)), "nan");
    CHECK_FMT(orus_fmt_f64(&b, INFINITY), "inf");
    CHECK_FMT(orus_fmt_f64(&b, -INFINITY), "-inf");
    CHECK_FMT(orus_fmt_f64(&b, 5e-324), "4.9406564584124654e-324");
    CHECK_FMT(orus_fmt_f64(&b, 1.7976931348623157e308), DMAX_TEXT);
    CHECK_FMT(orus_fmt_f64(&b, -1.5), "-1.5");
    CHECK_FMT(orus_fmt_f64(&b, 1.0 / 3.0), "0.33333333333333331");
    CHECK_FMT(orus_fmt_f64(&b, 1e-4), "0.0001");
    CHECK_FMT(orus_fmt_f64(&b, 9.99999999999999e-05), "9.9999999999999896e-05");
    CHECK_FMT(orus_fmt_f64(&b, 0.00012345), "0.00012345");
    CHECK_FMT(orus_fmt_f64(&b, 1152921504606846976.0), "1152921504606846976");
    CHECK_FMT(orus_fmt_f64(&b, -2.5e-7), "-2.4999999999999999e-07");
    CHECK_FMT(orus_fmt_f64(&b, 100.0), "100");
    CHECK_FMT(orus_fmt_f64(&b, 1e16), "10000000000000000");
}

TEST(f64_appends_after_existing_text) {
    OrusBuf b;
    orus_buf_init(&b);
    orus_buf_puts(&b, "x=");
    orus_fmt_f64(&b, 1e-5);
    orus_buf_puts(&b, ";");
    orus_fmt_f64(&b, 2.5);
    CHECK_STR(b.data, b.len, "x=1.0000000000000001e-05;2.5");
    orus_buf_free(&b);
}

TEST(g_form) {
    CHECK_FMT(orus_fmt_g(&b, 3e9), "3e+09");
    CHECK_FMT(orus_fmt_g(&b, 0.1), "0.1");
    CHECK_FMT(orus_fmt_g(&b, 1.0), "1");
    CHECK_FMT(orus_fmt_g(&b, 1.0 / 3.0), "0.333333");
    CHECK_FMT(orus_fmt_g(&b, 1e-5), "1e-05");
    CHECK_FMT(orus_fmt_g(&b, 123456.0), "123456");
    CHECK_FMT(orus_fmt_g(&b, 1234567.0), "1.23457e+06");
    CHECK_FMT(orus_fmt_g(&b, -0.0), "-0");
    CHECK_FMT(orus_fmt_g(&b, 5e-324), "4.94066e-324");
    CHECK_FMT(orus_fmt_g(&b, 1e100), "1e+100");
    CHECK_FMT(orus_fmt_g(&b, copysign(NAN, -1.0)), "nan");
    CHECK_FMT(orus_fmt_g(&b, -INFINITY), "-inf");
}

TEST(fixed_form) {
    CHECK_FMT(orus_fmt_fixed(&b, 2.5, 0), "2");
    CHECK_FMT(orus_fmt_fixed(&b, 3.5, 0), "4");
    CHECK_FMT(orus_fmt_fixed(&b, 0.125, 2), "0.12");
    CHECK_FMT(orus_fmt_fixed(&b, 1.0 / 3.0, 5), "0.33333");
    CHECK_FMT(orus_fmt_fixed(&b, -1.005, 2), "-1.00");
    CHECK_FMT(orus_fmt_fixed(&b, 1e22, 3), "10000000000000000000000.000");
    CHECK_FMT(orus_fmt_fixed(&b, -0.0, 1), "-0.0");
    CHECK_FMT(orus_fmt_fixed(&b, copysign(NAN, -1.0), 3), "nan");
    CHECK_FMT(orus_fmt_fixed(&b, INFINITY, 3), "inf");
}

/* Precisions past the exact expansion (1074 digits) must still be exact. */
TEST(fixed_big_precision) {
    OrusBuf b;
    orus_buf_init(&b);
    orus_fmt_fixed(&b, 5e-324, 1200);
    CHECK_EQ_I64(b.len, 1202);
    size_t exact = sizeof(TINY_EXACT) - 1;
    CHECK(b.len >= exact && memcmp(b.data, TINY_EXACT, exact) == 0);
    int zeros = 1;
    for (size_t i = exact; i < b.len; i++)
        zeros &= b.data[i] == '0';
    CHECK(zeros);
    orus_buf_free(&b);

    orus_buf_init(&b);
    orus_fmt_fixed(&b, 0.1, 2000);
    CHECK_EQ_I64(b.len, 2002);
    static const char tenth[] = "0.1000000000000000055511151231257827021181583404541015625";
    CHECK(memcmp(b.data, tenth, sizeof tenth - 1) == 0);
    zeros = 1;
    for (size_t i = sizeof tenth - 1; i < b.len; i++)
        zeros &= b.data[i] == '0';
    CHECK(zeros);
    orus_buf_free(&b);
}

TEST(integers) {
    CHECK_FMT(orus_fmt_i64(&b, INT64_MIN), "-9223372036854775808");
    CHECK_FMT(orus_fmt_i64(&b, 0), "0");
    CHECK_FMT(orus_fmt_u64(&b, UINT64_MAX), "18446744073709551615");
    CHECK_FMT(orus_fmt_i64(&b, INT64_MAX), "9223372036854775807");
    CHECK_FMT(orus_fmt_i64(&b, -1), "-1");
    CHECK_FMT(orus_fmt_i64(&b, 10), "10");
    CHECK_FMT(orus_fmt_i64(&b, -909), "-909");
    CHECK_FMT(orus_fmt_u64(&b, 0), "0");
    CHECK_FMT(orus_fmt_u64(&b, 1000000007), "1000000007");
}

TEST(radix) {
    uint64_t minus1 = (uint64_t)(int64_t)-1;
    CHECK_FMT(orus_fmt_radix(&b, ORUS_T_I32, minus1, 'x'), "ffffffffffffffff");
    /* un-extended i32 bits give the same text */
    CHECK_FMT(orus_fmt_radix(&b, ORUS_T_I32, 0xFFFFFFFFu, 'x'), "ffffffffffffffff");
    CHECK_FMT(orus_fmt_radix(&b, ORUS_T_I64, 255, 'X'), "FF");
    CHECK_FMT(orus_fmt_radix(&b, ORUS_T_U32, 8, 'o'), "10");
    CHECK_FMT(orus_fmt_radix(&b, ORUS_T_U64, 5, 'b'), "101");
    CHECK_FMT(orus_fmt_radix(&b, ORUS_T_U64, 0, 'b'), "0");
    CHECK_FMT(orus_fmt_radix(&b, ORUS_T_U32, 0xFFFFFFFFu, 'x'), "ffffffff");
    CHECK_FMT(orus_fmt_radix(&b, ORUS_T_U64, UINT64_MAX, 'o'), "1777777777777777777777");
    CHECK_FMT(orus_fmt_radix(&b, ORUS_T_I32, (uint64_t)(int64_t)INT32_MIN, 'b'),
              "1111111111111111111111111111111110000000000000000000000000000000");
    CHECK_FMT(orus_fmt_radix(&b, ORUS_T_I64, (uint64_t)INT64_MIN, 'X'), "8000000000000000");
    CHECK_FMT(orus_fmt_radix(&b, ORUS_T_I64, (uint64_t)(int64_t)-10, 'o'), "1777777777777777777766");
}
