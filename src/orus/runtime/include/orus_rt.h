/* orus_rt.h: the ABI between compiled Orus code and the C runtime.
 *
 * This is the only header the LLVM backend targets (src/orus/backend/llvm/rtdecls.py
 * declares exactly these functions and globals; a test checks the two agree).
 * C11, libc only.
 *
 * Values (the "datamodel"; backend/llvm/datamodel.py is the Python side):
 *   i32/u32 -> int32_t, i64/u64 -> int64_t, f64 -> double, bool -> int8_t in memory
 *   (i1 in registers), every other type -> a pointer to an object (str, arrays,
 *   structs, enums, function values, cells, ranges, errors).
 *   Generic runtime functions (print, assert_eq, typeof, ...) take a value as
 *   `uint64_t` bits plus the descriptor of its static type: signed integers
 *   sign-extended, unsigned zero-extended, f64 as its bit pattern, bool 0/1,
 *   pointers as integers.
 *
 * Objects: every object starts with one header word, the pointer to the descriptor
 * (`OrusTy`) of its layout. Objects in the collected heap come from orus_gc_alloc;
 * compiled code may also emit *static* objects (string constants, payload-less enum
 * values, function values of named functions) as constant data outside the heap:
 * the collector ignores every pointer that is not into its heap, and static objects
 * never point into the heap.
 *
 * Layouts (natural C alignment, fields in declaration order after the header):
 *   str      OrusStr   { ty; int64_t len; char data[len + 1] }  (NUL-terminated, bytes)
 *   [T]      OrusArray { ty; int32_t len; int32_t cap; void *data }   data: cap elements
 *            of T's memory form, in a separate heap block (NULL when cap == 0)
 *   struct   { ty; field0; field1; ... }                      (ty->fields gives offsets)
 *   enum     { ty; int32_t tag; payload0; payload1; ... }     (ty->variants[tag].fields)
 *   fn value { ty; void *code; capture0; capture1; ... }      ty: an ORUS_T_CLOSURE layout
 *            code is `R code(void *self, A1 a1, ...)`: it receives the closure object itself
 *   cell<T>  { ty; T value }                                  ty: an ORUS_T_CELL layout
 *   range    OrusRange { ty; int64_t cur, end, step }
 *   error    OrusError { ty; OrusStr *kind; OrusStr *message; const OrusSite *site }
 *
 * Errors: a failing runtime function (marked "may fail") creates an error, stores it
 * as the pending error and sets `orus_status` to 1, then returns an unspecified value.
 * Compiled code tests `orus_status` after each call that may fail and either branches
 * to the enclosing try handler (which calls orus_err_take) or returns at once; each
 * function on the way out calls orus_err_locate with the failing call's site first,
 * which sets the location only if the error has none yet. Uncaught, orus_rt_run
 * returns 70 with the error still pending, and the driver reads it.
 *
 * GC: every function marked "may GC" may run a collection. Roots are the registered
 * global slots and every word of the native stack between the current frame and the
 * frame of orus_rt_run (conservative; registers are spilled first), so compiled code
 * and the runtime keep object pointers in locals freely. Interior pointers keep their
 * object alive. Objects never move.
 */
#ifndef ORUS_RT_H
#define ORUS_RT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ descriptors */

typedef enum OrusKind {
    ORUS_T_I32 = 0, ORUS_T_I64 = 1, ORUS_T_U32 = 2, ORUS_T_U64 = 3, ORUS_T_F64 = 4,
    ORUS_T_BOOL = 5, ORUS_T_STR = 6,
    ORUS_T_ARRAY = 7,      /* value type [T]; also the layout of an array object; elem = T */
    ORUS_T_STRUCT = 8,     /* value type and layout; name = shown name, fields */
    ORUS_T_ENUM = 9,       /* value type and layout; name = display name, variants */
    ORUS_T_FN = 10,        /* value type fn(...) -> T (no layout: objects use CLOSURE) */
    ORUS_T_CLOSURE = 11,   /* layout of a function value; name = display name or NULL (lambda); fields = captures */
    ORUS_T_CELL = 12,      /* layout of cell<T>; elem = T */
    ORUS_T_RANGE = 13,     /* value type and layout of a range iterator */
    ORUS_T_ERROR = 14,     /* value type and layout of an error value */
    ORUS_T_BUF = 15,       /* layout of an array's element block (scanned through its array) */
    ORUS_T_TASK = 16, ORUS_T_CHAN = 17,   /* oroutines (later issue): value types only */
    ORUS_T_VOID = 18
} OrusKind;

typedef struct OrusTy OrusTy;

typedef struct OrusField {
    const char *name;          /* struct field name; NULL for payloads and captures */
    const OrusTy *type;        /* the field's value type */
    uint32_t offset;           /* byte offset from the start of the object (header included) */
} OrusField;

typedef struct OrusVariant {
    const char *name;          /* variant name ("Some") */
    uint32_t size;             /* object size in bytes for this variant */
    uint32_t nfields;
    const OrusField *fields;   /* payloads; the first starts after the int32_t tag */
} OrusVariant;

struct OrusTy {
    uint32_t kind;             /* an OrusKind */
    uint32_t size;             /* object size in bytes (STRUCT, CLOSURE, CELL); 0 otherwise */
    const char *name;          /* see OrusKind */
    const OrusTy *elem;        /* ARRAY element type, CELL content type */
    uint32_t nfields;
    uint32_t nvariants;
    const OrusField *fields;   /* STRUCT fields, CLOSURE captures, CELL: one field at offset 8 */
    const OrusVariant *variants;   /* ENUM */
};

/* Descriptors of the scalar and built-in types, defined by the runtime. */
extern const OrusTy orus_ty_i32, orus_ty_i64, orus_ty_u32, orus_ty_u64, orus_ty_f64;
extern const OrusTy orus_ty_bool, orus_ty_str, orus_ty_range, orus_ty_error, orus_ty_buf;
extern const OrusTy orus_ty_void, orus_ty_task, orus_ty_chan;

/* ------------------------------------------------------------------ objects */

typedef struct OrusStr {
    const OrusTy *ty;
    int64_t len;
    char data[];
} OrusStr;

typedef struct OrusArray {
    const OrusTy *ty;
    int32_t len;
    int32_t cap;
    void *data;
} OrusArray;

typedef struct OrusRange {
    const OrusTy *ty;
    int64_t cur, end, step;
} OrusRange;

/* Where an operation that may fail is in the source: emitted as constant data. */
typedef struct OrusSite {
    const char *file;
    int32_t line;
    int32_t col;
    const char *op;            /* the IR op name ("div", "rem", "call.rt", ...): picks the title */
} OrusSite;

typedef struct OrusError {
    const OrusTy *ty;
    OrusStr *kind;             /* "runtime error", "value error", ... (spec 5.7) */
    OrusStr *message;
    const OrusSite *site;      /* NULL until located */
} OrusError;

/* The error kinds of spec 5.7, in this order. */
typedef enum OrusErrKind {
    ORUS_ERR_RUNTIME = 0, ORUS_ERR_VALUE = 1, ORUS_ERR_INDEX = 2,
    ORUS_ERR_TYPE = 3, ORUS_ERR_CONVERSION = 4, ORUS_ERR_ARGUMENT = 5
} OrusErrKind;

/* Size of an element of type `t` in an array's data block (4, 8 or 1). */
uint32_t orus_ty_elem_size(const OrusTy *t);
/* True when values of type `t` are pointers to objects. */
int32_t orus_ty_is_ref(const OrusTy *t);

/* ------------------------------------------------------------------ life cycle */

/* Reset the runtime: an empty heap, no roots, no pending error, output to fd 1,
 * input from fd 0. Called before each program run (several runs may share a process). */
void orus_rt_init(void);
/* Free every heap page and buffer (the process may run another program later). */
void orus_rt_shutdown(void);
/* Run `entry` (the module's `main`) as the program: records the stack top for the
 * collector and the stack limit for overflow checks, calls entry, flushes output.
 * Returns 0, or 70 when an error escaped (still pending: see orus_rt_error_*). */
int32_t orus_rt_run(void (*entry)(void));

/* Output: by default to a file descriptor (1); in capture mode into a memory buffer
 * that the driver reads after the run (tests run many programs in one process). */
void orus_rt_set_output_fd(int32_t fd);
void orus_rt_capture_output(void);
const char *orus_rt_captured(int64_t *len);
void orus_rt_flush(void);
/* Input for input(): a byte buffer (copied), or NULL to read from fd 0. */
void orus_rt_set_input(const char *data, int64_t len);

/* The escaped error after orus_rt_run returned 70 (pointers valid until orus_rt_init). */
const char *orus_rt_error_kind(void);
const char *orus_rt_error_message(int64_t *len);
const OrusSite *orus_rt_error_site(void);

/* ------------------------------------------------------------------ errors */

extern int32_t orus_status;            /* nonzero while an error is pending */
extern char *orus_stack_limit;         /* compiled functions that call trap below this address */

/* Raise a new error with a constant message at `site` (NULL: unlocated). May GC. */
void orus_trap(const OrusSite *site, int32_t kind, const char *message);
/* Raise `Stack overflow` (runtime error, unlocated; the caller's check locates it). */
void orus_trap_stack_overflow(void);
/* Give the pending error `site` unless it already has one. */
void orus_err_locate(const OrusSite *site);
/* Take the pending error (for a catch handler): clears orus_status. */
OrusError *orus_err_take(void);
/* Make `e` the pending error again (the `raise` op). */
void orus_err_raise(OrusError *e);

/* ------------------------------------------------------------------ memory */

/* A zeroed object of `size` bytes whose header is `ty`. May GC. Never fails
 * (out of memory prints a message and exits 70). */
void *orus_gc_alloc(const OrusTy *ty, size_t size);
/* As orus_gc_alloc, but the bytes after the header may hold garbage: only for objects
 * without pointer fields whose caller writes every byte (strings, NUL included). May GC. */
void *orus_gc_alloc_data(const OrusTy *ty, size_t size);
/* Register the `n` contiguous slots slots[0..n-1], each holding an object pointer (or NULL), as roots. */
void orus_gc_add_roots(void **slots, int32_t n);
/* Collect now: a major (full) collection (tests, tools). */
void orus_gc_collect(void);
/* After storing a reference into an existing heap object: `obj` is any address inside
 * the object whose memory now holds the pointer (for an array element, the array).
 * Needed for every such store unless no allocation happened since the object was
 * allocated. Never GCs; cheap when the object is young or already remembered. */
void orus_gc_write_barrier(void *obj);

typedef struct OrusGcStats {
    int64_t collections;
    int64_t bytes_allocated;       /* total since orus_rt_init */
    int64_t bytes_freed;
    int64_t live_bytes;            /* after the last collection, plus allocated since */
    int64_t heap_bytes;            /* bytes of pages and large blocks held from the OS */
    int64_t objects_allocated;
    int64_t pause_total_ns;
    int64_t pause_max_ns;
    int64_t heap_peak_bytes;       /* the most heap_bytes ever held during the run */
    int64_t live_peak_bytes;       /* the most bytes found live by a major collection */
    int64_t major_collections;     /* of `collections`, the major (full) ones; the rest are minor */
} OrusGcStats;

void orus_gc_stats(OrusGcStats *out);
/* Duration of pause `i` (0 <= i < collections; the last 4096 are kept, older ones read 0). */
int64_t orus_gc_pause_ns(int64_t i);
/* Collect at every allocation when nonzero (also set by ORUS_GC_STRESS=1 in orus_rt_init). */
void orus_gc_set_stress(int32_t on);

/* ------------------------------------------------------------------ strings */

/* A new string of `len` bytes copied from `data`. May GC. */
OrusStr *orus_str_new(const char *data, int64_t len);
OrusStr *orus_str_concat(OrusStr *a, OrusStr *b);                         /* may GC */
/* s itself when it is a heap string whose block has room for `extra` more bytes and
 * the NUL, else a new string (may GC) with s's bytes, its length, and room for them:
 * compiled code then writes the bytes after s's and sets the length. Only for a
 * string nothing else refers to (backend/llvm/concat_plan.py proves it). */
OrusStr *orus_str_reserve(OrusStr *s, int64_t extra);
/* s[i] as a one-byte string. May GC, may fail (negative: type error, too big: index error). */
OrusStr *orus_str_get(OrusStr *s, int64_t i);
/* s[lo..hi..step] (hi included when inclusive), spec 4.6. May GC, may fail. */
OrusStr *orus_str_slice(OrusStr *s, int64_t lo, int64_t hi, int64_t step, int32_t inclusive);
int32_t orus_str_eq(OrusStr *a, OrusStr *b);                 /* 1 when the bytes are equal */
int32_t orus_str_cmp(OrusStr *a, OrusStr *b);                /* <0, 0, >0: bytewise, shorter first */
/* `x as string` (spec 3.6) and print's default text of scalars. May GC. */
OrusStr *orus_str_from_i64(int64_t v);
OrusStr *orus_str_from_u64(uint64_t v);
OrusStr *orus_str_from_f64(double v);
OrusStr *orus_str_from_bool(int32_t v);

/* ------------------------------------------------------------------ arrays */

/* A new array of type `ty` (an ORUS_T_ARRAY descriptor) with `len` zeroed elements
 * (the caller stores them). May GC. */
OrusArray *orus_array_new(const OrusTy *ty, int32_t len);
/* [value; n] (array.fill). May GC, may fail (n < 0 or too large). */
OrusArray *orus_array_fill(const OrusTy *ty, uint64_t value, int64_t n);
void orus_array_push(OrusArray *a, uint64_t value);                       /* may GC */
/* Remove and return the last element (bits as above). May fail (empty). */
uint64_t orus_array_pop(OrusArray *a);
/* a[lo..hi..step], spec 4.6. May GC, may fail. */
OrusArray *orus_array_slice(OrusArray *a, int64_t lo, int64_t hi, int64_t step, int32_t inclusive);
/* a * n (array.repeat). May GC, may fail. */
OrusArray *orus_array_repeat(OrusArray *a, int64_t n);

/* ------------------------------------------------------------------ print and builtins */

/* print(args...): n values with their types; format != 0: vals[0] is a format string
 * (spec 4.3, 4.4). Writes the text and a newline. May GC. */
void orus_print(int32_t n, const OrusTy *const *tys, const uint64_t *vals, int32_t format);
/* enum `==` (structural, spec 3.3); for other reference types identity. */
int32_t orus_equal(const OrusTy *ty, uint64_t a, uint64_t b);
/* sorted(a) (5.4). May GC, may fail. */
OrusArray *orus_sorted(OrusArray *a);
/* range(a0[, a1[, a2]]) with n = 1..3 arguments of any types (5.5). May GC, may fail. */
OrusRange *orus_range(int32_t n, const OrusTy *const *tys, const uint64_t *vals);
int32_t orus_range_has(OrusRange *r);
int64_t orus_range_next(OrusRange *r);
/* input() / input(prompt) (5.6): ty NULL when there is no prompt. May GC, may fail. */
OrusStr *orus_input(const OrusTy *ty, uint64_t prompt);
int32_t orus_int(const OrusTy *ty, uint64_t v);              /* int(v), may fail */
double orus_float(const OrusTy *ty, uint64_t v);             /* float(v), may fail */
OrusStr *orus_typeof(const OrusTy *ty, uint64_t v);          /* typeof(v), may GC */
int32_t orus_istype(const OrusTy *ty, uint64_t v, OrusStr *name);
/* assert_eq(label, actual, expected) (5.8): 1, or fails. May GC. */
int32_t orus_assert_eq(OrusStr *label, const OrusTy *ty, uint64_t actual, uint64_t expected);
double orus_timestamp(void);                                 /* monotonic seconds */
void orus_destructure_check(OrusArray *a, int32_t n);        /* may fail */

#ifdef __cplusplus
}
#endif

#endif /* ORUS_RT_H */
