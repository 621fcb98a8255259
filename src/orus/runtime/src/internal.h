/* internal.h: what the runtime's files share with each other (never seen by compiled code).
 *
 * Ownership: rt.c owns the output/input state, panic.c the pending error, gc.c the heap,
 * fmt.c + print.c the text of values. Every function here may GC unless it says otherwise.
 */
#ifndef ORUS_INTERNAL_H
#define ORUS_INTERNAL_H

#include <stdarg.h>
#include "orus_rt.h"

/* ---------------------------------------------------------------- byte buffers (fmt.c)
 * A growable malloc'd byte buffer for building text; not a GC object. */
typedef struct OrusBuf {
    char *data;
    size_t len, cap;
} OrusBuf;

void orus_buf_init(OrusBuf *b);
void orus_buf_free(OrusBuf *b);
void orus_buf_put(OrusBuf *b, const char *p, size_t n);
void orus_buf_puts(OrusBuf *b, const char *s);
void orus_buf_printf(OrusBuf *b, const char *fmt, ...);
/* Out of memory outside the collected heap (a buffer, a runtime table): flushes the
 * output, says so and exits 70, as the heap does. */
_Noreturn void orus_buf_out_of_memory(void);

/* ---------------------------------------------------------------- number text (fmt.c)
 * Exactly the texts of src/orus/semantics/floatfmt.py and printfmt.py. No GC. */
void orus_fmt_i64(OrusBuf *b, int64_t v);
void orus_fmt_u64(OrusBuf *b, uint64_t v);
void orus_fmt_f64(OrusBuf *b, double v);             /* print's form: 0.1 -> 0.10000000000000001 */
void orus_fmt_g(OrusBuf *b, double v);               /* C %g, nan never -nan */
void orus_fmt_fixed(OrusBuf *b, double v, int digits);   /* C %.Nf, nan never -nan */
/* @x @X @o @b of an integer value of descriptor kind `kind` (bits as in orus_rt.h). */
void orus_fmt_radix(OrusBuf *b, uint32_t kind, uint64_t bits, char letter);

/* ---------------------------------------------------------------- value text (print.c)
 * The default print text (repr = 0, spec 4.3) or assert_eq's form (repr = 1, spec 5.8)
 * of a value of static type `ty`, appended to b. Cycles print `...`. No GC. */
void orus_text_value(OrusBuf *b, const OrusTy *ty, uint64_t v, int repr);
/* typeof's text of a value of static type ty (spec 5.7), appended to b. No GC. */
void orus_text_typeof(OrusBuf *b, const OrusTy *ty, uint64_t v);
/* typeof's text of the static type alone (an error is "error"): the type name
 * int() and float() show in their messages (numparse.to_int). No GC. */
void orus_text_typename(OrusBuf *b, const OrusTy *ty);

/* ---------------------------------------------------------------- values (types.c) */
/* The element count of [lo..hi..step] (hi included when inclusive) of a sequence of n
 * elements, or -1 after raising the spec 4.6 error; `what` is "Array" or "String". */
int64_t orus_slice_count(const char *what, int64_t n, int64_t lo, int64_t hi, int64_t step,
                         int32_t inclusive);
/* Load element i of an array's data block as bits (orus_rt.h), and store one. No GC. */
uint64_t orus_array_load(const OrusArray *a, int64_t i);
void orus_array_store(OrusArray *a, int64_t i, uint64_t v);
/* Load / store a field of an object at `offset` holding a value of type t. No GC. */
uint64_t orus_field_load(const void *obj, uint32_t offset, const OrusTy *t);
void orus_field_store(void *obj, uint32_t offset, const OrusTy *t, uint64_t v);

/* ---------------------------------------------------------------- errors (panic.c) */
/* Raise a new error of `kind` with a formatted message (no location). */
void orus_fail(int32_t kind, const char *fmt, ...);
/* Raise a new error with `len` message bytes (messages may quote user strings). */
void orus_fail_bytes(int32_t kind, const char *msg, int64_t len);
/* Clear every error state (orus_rt_init). */
void orus_err_reset(void);
/* The pending error or NULL; the collector's root (R1 addition). No GC. */
OrusError *orus_err_pending(void);

/* ---------------------------------------------------------------- output and input (rt.c) */
void orus_out_write(const char *p, size_t n);     /* no GC */
/* End of one print: writes "\n" and flushes when the output is a terminal, else the
 * buffer is flushed when full, before input() reads, and when the run ends. */
void orus_out_end_print(void);
/* One input line without its terminator into b; returns 0 at end of file with nothing read. */
int orus_in_read_line(OrusBuf *b);
/* Print text for an interactive prompt goes to stderr only when stdin and stderr are terminals. */
int orus_in_is_interactive(void);

/* ---------------------------------------------------------------- heap (gc.c) */
/* Reset the heap for a run (frees the previous one; reads ORUS_GC_STRESS and
 * ORUS_GC_VERIFY from the environment). Called by orus_rt_init. */
void orus_gc_init(void);
/* Unmap every page and large object and free the collector's tables. */
void orus_gc_shutdown(void);
/* The highest stack address the conservative scan covers (orus_rt_run records its
 * own frame; C tests record main's). NULL: the stack is not scanned. */
void orus_gc_set_stack_top(void *top);
/* Allocate an array element block (kind ORUS_T_BUF) of n bytes, zeroed. Returns the
 * block start, whose first word is the header &orus_ty_buf; the n bytes follow it, so
 * an array's `data` = (char *)block + 8 (an interior pointer, which keeps the block
 * alive). The collector scans a block through its array (len elements, precisely);
 * a block reachable only from the stack is scanned conservatively. May GC. */
void *orus_gc_alloc_buf(size_t n);
/* Check the heap's invariants (debug.c): returns the number of violations found,
 * printing each to stderr. No GC. */
int64_t orus_gc_verify(void);

#endif /* ORUS_INTERNAL_H */
