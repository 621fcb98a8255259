/* test_conv.c: int() and float() (conv.c) against semantics/numparse.py: every
 * expected value and message below was computed with numparse.to_int / to_float. */
#include <math.h>

#include "harness.h"

static const OrusTy arr_i64 = {ORUS_T_ARRAY, 0, NULL, &orus_ty_i64, 0, 0, NULL, NULL};
static const OrusTy point_ty = {ORUS_T_STRUCT, 8, "Point", NULL, 0, 0, NULL, NULL};
static const OrusTy fn_ty = {ORUS_T_FN, 0, NULL, NULL, 0, 0, NULL, NULL};

#define CHECK_CONV_ERR(call, msg_lit)                                       \
    do {                                                                    \
        call;                                                               \
        CHECK(orus_status != 0);                                            \
        if (orus_status) {                                                  \
            const char *k = orus_rt_error_kind();                           \
            CHECK_STR(k, k ? strlen(k) : 0, "conversion error");            \
            int64_t n = 0;                                                  \
            const char *m = orus_rt_error_message(&n);                      \
            CHECK_STR(m, n, msg_lit);                                       \
            orus_err_take();                                                \
        }                                                                   \
    } while (0)

#define INT_OK(str, want)                                                   \
    do {                                                                    \
        CHECK_EQ_I64(orus_int(&orus_ty_str, P(S(str))), want);              \
        CHECK(orus_status == 0);                                            \
    } while (0)

#define INT_ERR(str, msg) CHECK_CONV_ERR(orus_int(&orus_ty_str, P(S(str))), msg)

#define FLOAT_OK(str, want)                                                 \
    do {                                                                    \
        double got = orus_float(&orus_ty_str, P(S(str)));                   \
        CHECK(orus_status == 0);                                            \
        CHECK(memcmp(&got, &(double){want}, sizeof got) == 0);              \
    } while (0)

#define FLOAT_ERR(str, msg) CHECK_CONV_ERR(orus_float(&orus_ty_str, P(S(str))), msg)

#define DECIMALS(q) "int() argument must be an integer string (decimals are not allowed). " \
                    "Use float() to parse decimal values, got \"" q "\""
#define NOT_INT(q) "int() argument must be an integer string, got \"" q "\""
#define NOT_FLOAT(q) "float() argument must be a number, got \"" q "\""
#define FLOAT_RANGE(q) "float() overflow: \"" q "\" is out of range for f64"

TEST(int_of_strings) {
    INT_OK("42", 42);
    INT_OK("  -17\t", -17);
    INT_OK("+0", 0);
    INT_OK("-0", 0);
    INT_OK("-2147483648", INT32_MIN);
    INT_OK("2147483647", INT32_MAX);
    INT_OK("00000000000000000012", 12);
    INT_OK("\v\f\r\n 9 \n", 9);
    INT_ERR("2147483648", "int() overflow: \"2147483648\" is out of range for i32");
    INT_ERR("-2147483649", "int() overflow: \"-2147483649\" is out of range for i32");
    INT_ERR("12345678901", "int() overflow: \"12345678901\" is out of range for i32");
    INT_ERR(" 99999999999999999999999999 ",
            "int() overflow: \" 99999999999999999999999999 \" is out of range for i32");
    INT_ERR("1.5", DECIMALS("1.5"));
    INT_ERR("1e5", DECIMALS("1e5"));
    INT_ERR(" 2E3", DECIMALS(" 2E3"));
    INT_ERR("abc", NOT_INT("abc"));
    INT_ERR("", NOT_INT(""));
    INT_ERR(" ", NOT_INT(" "));
    INT_ERR("--1", NOT_INT("--1"));
    INT_ERR("+", NOT_INT("+"));
    INT_ERR("12a", NOT_INT("12a"));
    INT_ERR("1 2", NOT_INT("1 2"));
    INT_ERR("0x10", NOT_INT("0x10"));
    INT_ERR("\xff" "9", NOT_INT("\xff" "9"));
    INT_ERR("1_000", NOT_INT("1_000"));
    /* a NUL byte is neither whitespace nor a digit; the message keeps it */
    CHECK_CONV_ERR(orus_int(&orus_ty_str, P(orus_str_new("1\0", 2))), NOT_INT("1\0"));
}

TEST(int_of_numbers) {
    CHECK_EQ_I64(orus_int(&orus_ty_i32, (uint64_t)(int64_t)-5), -5);
    CHECK_EQ_I64(orus_int(&orus_ty_i64, (uint64_t)(int64_t)INT32_MIN), INT32_MIN);
    CHECK_EQ_I64(orus_int(&orus_ty_u32, 2147483647u), INT32_MAX);
    CHECK_EQ_I64(orus_int(&orus_ty_u64, 7), 7);
    CHECK_EQ_I64(orus_int(&orus_ty_f64, F(-2147483648.0)), INT32_MIN);
    CHECK_EQ_I64(orus_int(&orus_ty_f64, F(-0.0)), 0);
    CHECK_EQ_I64(orus_int(&orus_ty_f64, F(1e9)), 1000000000);
    CHECK(orus_status == 0);
    CHECK_CONV_ERR(orus_int(&orus_ty_i64, 2147483648u),
                   "int() overflow: 2147483648 is out of range for i32");
    CHECK_CONV_ERR(orus_int(&orus_ty_i64, (uint64_t)(int64_t)-2147483649LL),
                   "int() overflow: -2147483649 is out of range for i32");
    CHECK_CONV_ERR(orus_int(&orus_ty_u64, UINT64_MAX),
                   "int() overflow: 18446744073709551615 is out of range for i32");
    CHECK_CONV_ERR(orus_int(&orus_ty_u32, 4294967295u),
                   "int() overflow: 4294967295 is out of range for i32");
    CHECK_CONV_ERR(orus_int(&orus_ty_f64, F(2.5)),
                   "int() argument must be a whole number, got f64 2.5");
    CHECK_CONV_ERR(orus_int(&orus_ty_f64, F(-1e-300)),
                   "int() argument must be a whole number, got f64 -1e-300");
    CHECK_CONV_ERR(orus_int(&orus_ty_f64, F(NAN)), "int() overflow: value is not finite");
    CHECK_CONV_ERR(orus_int(&orus_ty_f64, F(-INFINITY)), "int() overflow: value is not finite");
    CHECK_CONV_ERR(orus_int(&orus_ty_f64, F(3e9)), "int() overflow: 3e+09 is out of range for i32");
    CHECK_CONV_ERR(orus_int(&orus_ty_f64, F(-2147483649.0)),
                   "int() overflow: -2.14748e+09 is out of range for i32");
    CHECK_CONV_ERR(orus_int(&orus_ty_f64, F(2147483648.0)),
                   "int() overflow: 2.14748e+09 is out of range for i32");
}

TEST(int_of_other_types) {
    CHECK_CONV_ERR(orus_int(&orus_ty_bool, 1), "int() argument must be a string or number, got bool");
    CHECK_CONV_ERR(orus_int(&arr_i64, P(orus_array_new(&arr_i64, 0))),
                   "int() argument must be a string or number, got array");
    CHECK_CONV_ERR(orus_int(&orus_ty_error, 0), "int() argument must be a string or number, got error");
    CHECK_CONV_ERR(orus_int(&point_ty, 0), "int() argument must be a string or number, got Point");
    CHECK_CONV_ERR(orus_int(&orus_ty_range, 0),
                   "int() argument must be a string or number, got range_iterator");
}

TEST(float_of_strings) {
    FLOAT_OK("1.5", 1.5);
    FLOAT_OK(" .5 ", 0.5);
    FLOAT_OK("1.", 1.0);
    FLOAT_OK("+1.5E+3", 1500.0);
    FLOAT_OK("0e-400", 0.0);
    FLOAT_OK("-0", -0.0);
    FLOAT_OK("-0.000e-999", -0.0);
    FLOAT_OK("4.9e-324", 5e-324);
    FLOAT_OK("0.1", 0.1);
    FLOAT_OK("1.7976931348623157e308", 1.7976931348623157e308);
    FLOAT_OK("\t123456789012345678901234567890\n", 123456789012345678901234567890.0);
    FLOAT_OK("1e0000000000000000000000000001", 10.0);
    FLOAT_ERR("1e", NOT_FLOAT("1e"));
    FLOAT_ERR("1e+", NOT_FLOAT("1e+"));
    FLOAT_ERR(".", NOT_FLOAT("."));
    FLOAT_ERR("-.e1", NOT_FLOAT("-.e1"));
    FLOAT_ERR("", NOT_FLOAT(""));
    FLOAT_ERR("  ", NOT_FLOAT("  "));
    FLOAT_ERR("abc", NOT_FLOAT("abc"));
    FLOAT_ERR("nan1", NOT_FLOAT("nan1"));
    FLOAT_ERR("0x1p3", NOT_FLOAT("0x1p3"));
    FLOAT_ERR("1_0", NOT_FLOAT("1_0"));
    FLOAT_ERR("1.5.", NOT_FLOAT("1.5."));
    FLOAT_ERR("++1", NOT_FLOAT("++1"));
    FLOAT_ERR("1e400", FLOAT_RANGE("1e400"));
    FLOAT_ERR("-1e400", FLOAT_RANGE("-1e400"));
    FLOAT_ERR("1e-400", FLOAT_RANGE("1e-400"));
    FLOAT_ERR("2e-324", FLOAT_RANGE("2e-324"));
    FLOAT_ERR(" 0.000001e-330 ", FLOAT_RANGE(" 0.000001e-330 "));
    FLOAT_ERR("inf", FLOAT_RANGE("inf"));
    FLOAT_ERR(" -Infinity", FLOAT_RANGE(" -Infinity"));
    FLOAT_ERR("NaN", FLOAT_RANGE("NaN"));
    FLOAT_ERR("+nAn ", FLOAT_RANGE("+nAn "));
}

TEST(float_of_numbers_and_others) {
    CHECK(orus_float(&orus_ty_u64, UINT64_MAX) == 18446744073709551616.0);
    CHECK(orus_float(&orus_ty_i64, (uint64_t)INT64_MAX) == 9223372036854775808.0);
    CHECK(orus_float(&orus_ty_i64, 9007199254740993u) == 9007199254740992.0);
    CHECK(orus_float(&orus_ty_i32, (uint64_t)(int64_t)-7) == -7.0);
    CHECK(orus_float(&orus_ty_u32, 4294967295u) == 4294967295.0);
    CHECK(orus_float(&orus_ty_f64, F(0.25)) == 0.25);
    CHECK(orus_status == 0);
    CHECK_CONV_ERR(orus_float(&orus_ty_bool, 0), "float() argument must be a string or number, got bool");
    CHECK_CONV_ERR(orus_float(&fn_ty, 0), "float() argument must be a string or number, got function");
    CHECK_CONV_ERR(orus_float(&orus_ty_chan, 0),
                   "float() argument must be a string or number, got Channel");
}
