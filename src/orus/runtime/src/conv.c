/* conv.c: the int() and float() builtins (spec 5.6) for a value of any type.
 *
 * The oracle is src/orus/semantics/numparse.py (to_int, to_float, parse_int,
 * parse_float, int_from_number) with backend/interp/builtins.py (_int, _float):
 * every rule and message is replicated byte for byte. Strings are parsed with
 * numparse's explicit grammar, never by strtol/strtod alone (those accept hex,
 * "inf", "nan", leading-only whitespace, ...):
 *
 *   int:   ws* [+-]? [0-9]+ ws*
 *   float: ws* [+-]? ([0-9]+ ('.' [0-9]*)? | '.' [0-9]+) ([eE] [+-]? [0-9]+)? ws*
 *   ws:    space, \t, \n, \r, \v, \f
 *
 * Only once a float string matches the grammar is it converted, by strtod, which
 * glibc rounds correctly like Python's float() (and accepts every string of the
 * grammar whole; the "C" numeric locale is assumed, as in fmt.c).
 *
 * Failures are conversion errors; messages quote the argument's original bytes
 * (surrounding whitespace included), built in a buffer because they may hold any
 * byte. The type named for a non-number is typeof's static text ("error" for an
 * error value), as builtins._typename_of gives numparse.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int is_ws(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_digit(char c) {
    return c >= '0' && c <= '9';
}

/* [*lo, *hi) of s without its surrounding whitespace (bytes.strip(_WHITESPACE)). */
static void strip(const OrusStr *s, int64_t *lo, int64_t *hi) {
    int64_t a = 0, b = s->len;
    while (a < b && is_ws(s->data[a]))
        a++;
    while (b > a && is_ws(s->data[b - 1]))
        b--;
    *lo = a;
    *hi = b;
}

/* Raise a conversion error: head + the quoted bytes of s + tail. */
static void fail_quoting(const char *head, const OrusStr *s, const char *tail) {
    OrusBuf b;
    orus_buf_init(&b);
    orus_buf_puts(&b, head);
    orus_buf_put(&b, s->data, (size_t)s->len);
    orus_buf_puts(&b, tail);
    orus_fail_bytes(ORUS_ERR_CONVERSION, b.data, (int64_t)b.len);
    orus_buf_free(&b);
}

/* Raise a conversion error whose message ends with the static type's name. */
static void fail_type(const char *head, const OrusTy *ty) {
    OrusBuf b;
    orus_buf_init(&b);
    orus_buf_puts(&b, head);
    orus_text_typename(&b, ty);
    orus_fail_bytes(ORUS_ERR_CONVERSION, b.data, (int64_t)b.len);
    orus_buf_free(&b);
}

/* numparse.parse_int. */
static int32_t int_of_string(const OrusStr *s) {
    int64_t lo, hi;
    strip(s, &lo, &hi);
    const char *t = s->data;
    int64_t i = lo;
    int neg = 0;
    if (i < hi && (t[i] == '+' || t[i] == '-'))
        neg = t[i++] == '-';
    int64_t first = i;
    while (i < hi && is_digit(t[i]))
        i++;
    if (i == first || i != hi) {
        if (memchr(s->data, '.', (size_t)s->len) || memchr(s->data, 'e', (size_t)s->len)
            || memchr(s->data, 'E', (size_t)s->len))
            fail_quoting("int() argument must be an integer string (decimals are not allowed). "
                         "Use float() to parse decimal values, got \"", s, "\"");
        else
            fail_quoting("int() argument must be an integer string, got \"", s, "\"");
        return 0;
    }
    while (first < hi && t[first] == '0')
        first++;
    /* More than 10 significant digits is out of i32 range whatever they are. */
    int64_t value = 0;
    int too_long = hi - first > 10;
    for (int64_t k = first; !too_long && k < hi; k++)
        value = value * 10 + (t[k] - '0');
    if (neg)
        value = -value;
    if (too_long || value < INT32_MIN || value > INT32_MAX) {
        fail_quoting("int() overflow: \"", s, "\" is out of range for i32");
        return 0;
    }
    return (int32_t)value;
}

/* numparse.int_from_number for an f64. */
static int32_t int_of_f64(double v) {
    if (!isfinite(v)) {
        orus_fail(ORUS_ERR_CONVERSION, "int() overflow: value is not finite");
        return 0;
    }
    const char *head = NULL, *tail = "";
    if (v != floor(v)) {
        head = "int() argument must be a whole number, got f64 ";
    } else if (v < -2147483648.0 || v > 2147483647.0) {
        head = "int() overflow: ";
        tail = " is out of range for i32";
    }
    if (head == NULL)
        return (int32_t)v;
    OrusBuf b;
    orus_buf_init(&b);
    orus_buf_puts(&b, head);
    orus_fmt_g(&b, v);
    orus_buf_puts(&b, tail);
    orus_fail_bytes(ORUS_ERR_CONVERSION, b.data, (int64_t)b.len);
    orus_buf_free(&b);
    return 0;
}

/* int(v) (numparse.to_int) for a value of static type ty (bits as in orus_rt.h).
 * May fail (conversion error), then returns 0; may GC only then (the error object). */
int32_t orus_int(const OrusTy *ty, uint64_t v) {
    switch (ty->kind) {
    case ORUS_T_STR:
        return int_of_string((const OrusStr *)(uintptr_t)v);
    case ORUS_T_F64: {
        double d;
        memcpy(&d, &v, sizeof d);
        return int_of_f64(d);
    }
    case ORUS_T_I32:
        return (int32_t)(uint32_t)v;
    case ORUS_T_I64:
    case ORUS_T_U32:
    case ORUS_T_U64: {
        int neg = ty->kind == ORUS_T_I64 && (int64_t)v < 0;
        uint64_t u = ty->kind == ORUS_T_U32 ? (uint32_t)v : v;
        if (neg ? (int64_t)v >= INT32_MIN : u <= INT32_MAX)
            return (int32_t)(int64_t)u;
        OrusBuf b;
        orus_buf_init(&b);
        orus_buf_puts(&b, "int() overflow: ");
        if (neg)
            orus_fmt_i64(&b, (int64_t)v);
        else
            orus_fmt_u64(&b, u);
        orus_buf_puts(&b, " is out of range for i32");
        orus_fail_bytes(ORUS_ERR_CONVERSION, b.data, (int64_t)b.len);
        orus_buf_free(&b);
        return 0;
    }
    default:
        fail_type("int() argument must be a string or number, got ", ty);
        return 0;
    }
}

/* Case-insensitive comparison of t[0..n) with the lowercase ASCII word w. */
static int word_is(const char *t, int64_t n, const char *w) {
    if ((int64_t)strlen(w) != n)
        return 0;
    for (int64_t i = 0; i < n; i++) {
        char c = t[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != w[i])
            return 0;
    }
    return 1;
}

/* Length of the float grammar's match of t[0..n) (sign, mantissa, exponent), and
 * the mantissa's bounds; -1 when t does not start with a mantissa. */
static int64_t float_prefix(const char *t, int64_t n, int64_t *mlo, int64_t *mhi) {
    int64_t i = 0;
    if (i < n && (t[i] == '+' || t[i] == '-'))
        i++;
    *mlo = i;
    int64_t d = i;
    while (i < n && is_digit(t[i]))
        i++;
    int int_digits = i > d;
    if (i < n && t[i] == '.') {
        int64_t f = ++i;
        while (i < n && is_digit(t[i]))
            i++;
        if (!int_digits && i == f)
            return -1;
    } else if (!int_digits) {
        return -1;
    }
    *mhi = i;
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        int64_t j = i + 1;
        if (j < n && (t[j] == '+' || t[j] == '-'))
            j++;
        int64_t e = j;
        while (j < n && is_digit(t[j]))
            j++;
        if (j > e)
            i = j;       /* a bare `e` is no exponent: the full match then fails */
    }
    return i;
}

/* numparse.parse_float. */
static double float_of_string(const OrusStr *s) {
    static const char OVER_HEAD[] = "float() overflow: \"";
    static const char OVER_TAIL[] = "\" is out of range for f64";
    int64_t lo, hi;
    strip(s, &lo, &hi);
    const char *t = s->data + lo;
    int64_t n = hi - lo;
    int64_t w = n > 0 && (t[0] == '+' || t[0] == '-');
    if (word_is(t + w, n - w, "inf") || word_is(t + w, n - w, "infinity")
        || word_is(t + w, n - w, "nan")) {
        fail_quoting(OVER_HEAD, s, OVER_TAIL);
        return 0.0;
    }
    int64_t mlo = 0, mhi = 0;
    if (float_prefix(t, n, &mlo, &mhi) != n) {
        fail_quoting("float() argument must be a number, got \"", s, "\"");
        return 0.0;
    }
    /* strtod needs a terminator right after the stripped text. */
    OrusBuf copy;
    orus_buf_init(&copy);
    orus_buf_put(&copy, t, (size_t)n);
    double value = strtod(copy.data, NULL);
    orus_buf_free(&copy);
    int nonzero_digit = 0;
    for (int64_t k = mlo; k < mhi; k++)
        nonzero_digit |= t[k] >= '1' && t[k] <= '9';
    if (isinf(value) || (value == 0.0 && nonzero_digit)) {
        fail_quoting(OVER_HEAD, s, OVER_TAIL);
        return 0.0;
    }
    return value;
}

/* float(v) (numparse.to_float) for a value of static type ty. Integers convert
 * rounding to nearest (as Python's float(int)). May fail, then returns 0.0; may GC
 * only then (the error object). */
double orus_float(const OrusTy *ty, uint64_t v) {
    switch (ty->kind) {
    case ORUS_T_STR: return float_of_string((const OrusStr *)(uintptr_t)v);
    case ORUS_T_F64: {
        double d;
        memcpy(&d, &v, sizeof d);
        return d;
    }
    case ORUS_T_I32: return (double)(int32_t)(uint32_t)v;
    case ORUS_T_I64: return (double)(int64_t)v;
    case ORUS_T_U32: return (double)(uint32_t)v;
    case ORUS_T_U64: return (double)v;
    default:
        fail_type("float() argument must be a string or number, got ", ty);
        return 0.0;
    }
}
