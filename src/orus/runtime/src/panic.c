/* panic.c: the pending error and every way of raising one.
 *
 * At most one error is pending at a time (orus_status != 0 exactly while it is).
 * Compiled code checks orus_status after calls that may fail, locates the error on
 * its way out (orus_err_locate: first site wins) and either hands it to a catch
 * handler (orus_err_take) or returns. The pending error is a GC object; the
 * collector marks it through orus_err_pending(), so it survives while unwinding.
 * Kind texts are semantics/errors.py's, in OrusErrKind order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int32_t orus_status;

static OrusError *pending;

static const char *const KIND_TEXT[] = {
    "runtime error", "value error", "index error",
    "type error", "conversion error", "argument error",
};

/* Make a new error pending. May GC: kind and message strings are held in locals
 * (the stack is scanned) until the error object owns them. */
static void raise_new(int32_t kind, const char *msg, int64_t len, const OrusSite *site) {
    if (kind < 0 || kind > ORUS_ERR_ARGUMENT)
        kind = ORUS_ERR_RUNTIME;
    OrusStr *k = orus_str_new(KIND_TEXT[kind], (int64_t)strlen(KIND_TEXT[kind]));
    OrusStr *m = orus_str_new(msg, len);
    OrusError *e = orus_gc_alloc(&orus_ty_error, sizeof(OrusError));
    /* e is the last allocation, so it is young: these stores need no write barrier */
    e->kind = k;
    e->message = m;
    e->site = site;
    pending = e;
    orus_status = 1;
}

/* The message is copied into the heap. May GC. */
void orus_trap(const OrusSite *site, int32_t kind, const char *message) {
    raise_new(kind, message, (int64_t)strlen(message), site);
}

/* May GC (runs with the stack margin of orus_stack_limit to spare). */
void orus_trap_stack_overflow(void) {
    raise_new(ORUS_ERR_RUNTIME, "Stack overflow", 14, NULL);
}

/* No GC. The site is static data, not a heap reference: no write barrier. */
void orus_err_locate(const OrusSite *site) {
    if (pending && !pending->site)
        pending->site = site;
}

/* Ownership of the error passes to the caller (it is an ordinary heap object). */
OrusError *orus_err_take(void) {
    OrusError *e = pending;
    pending = NULL;
    orus_status = 0;
    return e;
}

/* No GC; e stays a heap object, now rooted as the pending error. */
void orus_err_raise(OrusError *e) {
    pending = e;
    orus_status = 1;
}

/* The formatted text is copied into the heap. May GC. */
void orus_fail(int32_t kind, const char *fmt, ...) {
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        raise_new(kind, "", 0, NULL);
        return;
    }
    if ((size_t)n < sizeof small) {
        raise_new(kind, small, n, NULL);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        fputs("orus: out of memory\n", stderr);
        orus_rt_flush();
        exit(70);
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    raise_new(kind, big, n, NULL);
    free(big);
}

/* msg is copied (it may be a heap string: the caller's pointer keeps it alive). May GC. */
void orus_fail_bytes(int32_t kind, const char *msg, int64_t len) {
    raise_new(kind, msg, len, NULL);
}

/* No GC. */
void orus_err_reset(void) {
    pending = NULL;
    orus_status = 0;
}

/* No GC. */
OrusError *orus_err_pending(void) {
    return pending;
}
