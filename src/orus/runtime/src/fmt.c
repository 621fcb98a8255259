/* fmt.c: growable byte buffers and the text of numbers.
 *
 * The number texts are exactly those of src/orus/semantics/floatfmt.py and
 * printfmt.py (the oracle):
 *   - print's f64 form: nan / inf / -inf, any zero "0", |x| < 1e-4 with C %.17g,
 *     otherwise %.17f; trailing zeros of the mantissa then a trailing '.' removed,
 *     the exponent part (if any) kept.
 *   - %g and %.Nf exactly as C, except that a NaN is always "nan" (C may print
 *     "-nan" when the sign bit is set; Orus never does).
 * glibc's printf is correctly rounded, like Python's % formatting, so snprintf
 * gives the oracle's digits. Both assume the "C" LC_NUMERIC locale (a '.' point):
 * the runtime never calls setlocale and neither does the Python host.
 *
 * Nothing here touches the collected heap: buffers are malloc'd, so no function
 * in this file may GC.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The exact decimal expansion of any double has at most 1074 fractional digits,
 * so %.Nf with N beyond this prints only zeros past it: we print FIXED_EXACT
 * digits with snprintf and append the zeros ourselves (any N stays cheap to ask
 * of printf, and the text is still exact). */
#define FIXED_EXACT 1100

/* ---------------------------------------------------------------- byte buffers */

/* Same policy and text as the heap (orus_rt.h: allocation never fails). No GC. */
_Noreturn void orus_buf_out_of_memory(void) {
    orus_rt_flush();
    fputs("orus: out of memory\n", stderr);
    exit(70);
}

/* Make room for `extra` more bytes plus a NUL (the data is always NUL-terminated
 * after a put, so callers may treat it as a C string when it holds no NUL). */
static void reserve(OrusBuf *b, size_t extra) {
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (p == NULL)
        orus_buf_out_of_memory();
    b->data = p;
    b->cap = cap;
}

/* An empty buffer; owns no memory until the first put. No GC. */
void orus_buf_init(OrusBuf *b) {
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

/* Release the buffer's memory (the buffer is empty and reusable after). No GC. */
void orus_buf_free(OrusBuf *b) {
    free(b->data);
    orus_buf_init(b);
}

/* Append n bytes (any bytes, NUL included). No GC. */
void orus_buf_put(OrusBuf *b, const char *p, size_t n) {
    reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

/* Append a NUL-terminated C string. No GC. */
void orus_buf_puts(OrusBuf *b, const char *s) {
    orus_buf_put(b, s, strlen(s));
}

static void buf_vprintf(OrusBuf *b, const char *fmt, va_list ap) {
    va_list again;
    va_copy(again, ap);
    char small[128];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0) {
        /* Only on an encoding error or a text over INT_MAX bytes: a runtime bug. */
        va_end(again);
        fputs("orus: internal error: orus_buf_printf failed\n", stderr);
        exit(70);
    }
    if ((size_t)n < sizeof small) {
        orus_buf_put(b, small, (size_t)n);
    } else {
        reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
}

/* Append printf-formatted text of any length. No GC. */
void orus_buf_printf(OrusBuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------- integers */

/* Decimal digits of v, with a '-' when neg, appended. Done by hand rather than with
 * snprintf: printing integers is the commonest output of benchmark loops. */
static void put_decimal(OrusBuf *b, uint64_t v, int neg) {
    char digits[21];
    int n = 0;
    do {
        digits[20 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (neg)
        digits[20 - n++] = '-';
    orus_buf_put(b, digits + 21 - n, (size_t)n);
}

/* Decimal text of a signed / unsigned 64-bit integer. No GC. */
void orus_fmt_i64(OrusBuf *b, int64_t v) {
    /* 0 - (uint64_t)v is |v| even for INT64_MIN. */
    put_decimal(b, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0);
}

void orus_fmt_u64(OrusBuf *b, uint64_t v) {
    put_decimal(b, v, 0);
}

/* @x @X @o @b (printfmt.format_int_spec): u32 as its 32-bit value, signed values
 * reinterpreted as 64-bit unsigned (two's complement), no prefix, no padding.
 * `bits` follow orus_rt.h (i32 sign-extended); we re-derive the value from the
 * kind so a caller passing un-extended i32 bits still gets the oracle's text. No GC. */
void orus_fmt_radix(OrusBuf *b, uint32_t kind, uint64_t bits, char letter) {
    uint64_t v = bits;
    if (kind == ORUS_T_I32)
        v = (uint64_t)(int64_t)(int32_t)(uint32_t)bits;
    else if (kind == ORUS_T_U32)
        v = (uint32_t)bits;
    if (letter == 'x' || letter == 'X' || letter == 'o') {
        const char *f = letter == 'x' ? "%" PRIx64 : letter == 'X' ? "%" PRIX64 : "%" PRIo64;
        orus_buf_printf(b, f, v);
        return;
    }
    char digits[64];
    int n = 0;
    do {
        digits[63 - n++] = (char)('0' + (v & 1));
        v >>= 1;
    } while (v);
    orus_buf_put(b, digits + 64 - n, (size_t)n);
}

/* ---------------------------------------------------------------- f64 */

/* nan / inf / -inf for a non-finite x (appended, returns 1), else 0. */
static int put_special(OrusBuf *b, double x) {
    if (isnan(x)) {
        orus_buf_puts(b, "nan");
        return 1;
    }
    if (isinf(x)) {
        orus_buf_puts(b, x > 0 ? "inf" : "-inf");
        return 1;
    }
    return 0;
}

/* print's text and `f64 as string` (floatfmt.format_f64). No GC. */
void orus_fmt_f64(OrusBuf *b, double x) {
    if (put_special(b, x))
        return;
    if (x == 0.0) {
        orus_buf_puts(b, "0");
        return;
    }
    size_t start = b->len;
    orus_buf_printf(b, fabs(x) < 1e-4 ? "%.17g" : "%.17f", x);
    char *text = b->data + start;
    size_t n = b->len - start;
    char *e = memchr(text, 'e', n);
    size_t mant = e ? (size_t)(e - text) : n;
    if (memchr(text, '.', mant) == NULL)
        return;
    size_t keep = mant;
    while (text[keep - 1] == '0')
        keep--;
    if (text[keep - 1] == '.')
        keep--;
    /* Move the exponent part (if any) down over the stripped zeros. */
    memmove(text + keep, text + mant, n - mant);
    b->len = start + keep + (n - mant);
    b->data[b->len] = '\0';
}

/* C %g (6 significant digits), NaN always "nan" (floatfmt.format_g). No GC. */
void orus_fmt_g(OrusBuf *b, double x) {
    if (!put_special(b, x))
        orus_buf_printf(b, "%g", x);
}

/* C %.Nf with N = digits (floatfmt.format_fixed): the exact binary value rounded
 * half to even, so 2.5 with N = 0 is "2". NaN always "nan". No GC. */
void orus_fmt_fixed(OrusBuf *b, double x, int digits) {
    if (put_special(b, x))
        return;
    if (digits < 0)
        digits = 0;
    if (digits <= FIXED_EXACT) {
        orus_buf_printf(b, "%.*f", digits, x);
        return;
    }
    orus_buf_printf(b, "%.*f", FIXED_EXACT, x);
    size_t zeros = (size_t)digits - FIXED_EXACT;
    reserve(b, zeros);
    memset(b->data + b->len, '0', zeros);
    b->len += zeros;
    b->data[b->len] = '\0';
}
