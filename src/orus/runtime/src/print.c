/* print.c: the text of values: print (spec 4.3, 4.4), assert_eq's form (5.8), typeof (5.7).
 *
 * The oracle is tier 0: backend/interp/printing.py (ValueText, _PRINT_SCALARS,
 * _REPR_SCALARS, typeof_name), backend/interp/builtins.py (_typeof) and
 * semantics/printfmt.py (format strings, quote_string). The text of a value is
 * chosen from its *static* type descriptor; the only run-time information used is
 * the value itself (an enum's tag, a closure's layout for its name, an error's
 * kind and message).
 *
 * Cycles: an array or struct met again while it is being printed further out
 * prints `...` (printing.py keeps the same "active" set, shared by arrays and
 * structs; enums are immutable, so a cycle always passes through one of those).
 *
 * Depth: the walk is iterative, with an explicit stack of open containers and a
 * hash set of the active ones, so a million-long linked list (struct Node with
 * `next: [Node]`) prints in linear time without deep C recursion; tier 0 runs on
 * a big stack and prints such a list too.
 *
 * None of these functions allocate in the collected heap (text goes into malloc'd
 * OrusBufs), so none may GC, except orus_typeof which returns a new string.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static double f64_of(uint64_t bits) {
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

static void put_str(OrusBuf *b, const OrusStr *s) {
    orus_buf_put(b, s->data, (size_t)s->len);
}

/* printfmt.quote_string: double quotes, with \\ \n \t \" escaped. */
static void put_quoted(OrusBuf *b, const OrusStr *s) {
    orus_buf_put(b, "\"", 1);
    size_t run = 0;              /* bytes of s before i not yet copied */
    for (int64_t i = 0; i < s->len; i++) {
        char c = s->data[i];
        const char *esc = c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\t' ? "\\t"
                        : c == '"' ? "\\\"" : NULL;
        if (esc == NULL) {
            run++;
            continue;
        }
        orus_buf_put(b, s->data + i - run, run);
        orus_buf_put(b, esc, 2);
        run = 0;
    }
    orus_buf_put(b, s->data + s->len - run, run);
    orus_buf_put(b, "\"", 1);
}

/* range(cur..end) / range(cur..end step=K); repr: <range>. */
static void range_text(OrusBuf *b, const OrusRange *r, int repr) {
    if (repr) {
        orus_buf_puts(b, "<range>");
        return;
    }
    orus_buf_printf(b, "range(%lld..%lld", (long long)r->cur, (long long)r->end);
    if (r->step != 1)
        orus_buf_printf(b, " step=%lld", (long long)r->step);
    orus_buf_put(b, ")", 1);
}

/* <fn NAME>, or <fn> for a lambda: the name is on the closure object's layout. */
static void fn_text(OrusBuf *b, const void *obj) {
    const OrusTy *layout = *(const OrusTy *const *)obj;
    if (layout == NULL || layout->name == NULL) {
        orus_buf_puts(b, "<fn>");
        return;
    }
    orus_buf_puts(b, "<fn ");
    orus_buf_puts(b, layout->name);
    orus_buf_put(b, ">", 1);
}

/* Error: MSG, or Error(MSG) in repr mode. */
static void error_text(OrusBuf *b, const OrusError *e, int repr) {
    orus_buf_puts(b, repr ? "Error(" : "Error: ");
    if (e->message != NULL)
        put_str(b, e->message);
    if (repr)
        orus_buf_put(b, ")", 1);
}

/* The name printing.py shows as <name> for a value type without a text of its own. */
static const char *opaque_name(uint32_t kind) {
    switch (kind) {
    case ORUS_T_TASK: return "task";
    case ORUS_T_CHAN: return "chan";
    case ORUS_T_CELL: return "cell";
    case ORUS_T_VOID: return "void";
    default: return "?";
    }
}

/* ---------------------------------------------------------------- the walk */

/* A set of object addresses: open addressing, linear probing, power-of-two
 * capacity, deletion by backward shift (so no tombstones). */
typedef struct PtrSet {
    uintptr_t *slots;
    size_t cap, n;
} PtrSet;

static void *xcalloc(size_t n, size_t size) {
    void *p = calloc(n, size);
    if (p == NULL) {
        orus_buf_out_of_memory();
    }
    return p;
}

static size_t slot_of(const PtrSet *set, uintptr_t p) {
    return (size_t)(((uint64_t)p >> 3) * 0x9E3779B97F4A7C15ull) & (set->cap - 1);
}

static int set_has(const PtrSet *set, uintptr_t p) {
    if (set->cap == 0)
        return 0;
    for (size_t i = slot_of(set, p); set->slots[i]; i = (i + 1) & (set->cap - 1))
        if (set->slots[i] == p)
            return 1;
    return 0;
}

static void set_add(PtrSet *set, uintptr_t p);

static void set_grow(PtrSet *set) {
    PtrSet old = *set;
    set->cap = old.cap ? old.cap * 2 : 64;
    set->slots = xcalloc(set->cap, sizeof *set->slots);
    set->n = 0;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i])
            set_add(set, old.slots[i]);
    free(old.slots);
}

static void set_add(PtrSet *set, uintptr_t p) {
    if (2 * (set->n + 1) > set->cap)
        set_grow(set);
    size_t i = slot_of(set, p);
    while (set->slots[i])
        i = (i + 1) & (set->cap - 1);
    set->slots[i] = p;
    set->n++;
}

static void set_remove(PtrSet *set, uintptr_t p) {
    size_t mask = set->cap - 1, i = slot_of(set, p);
    while (set->slots[i] != p)
        i = (i + 1) & mask;
    /* Backward shift: move later entries of the probe run into the hole when
     * their home slot does not lie strictly between the hole and them. */
    for (size_t j = (i + 1) & mask; set->slots[j]; j = (j + 1) & mask) {
        size_t home = slot_of(set, set->slots[j]);
        if (((j - home) & mask) >= ((j - i) & mask)) {
            set->slots[i] = set->slots[j];
            i = j;
        }
    }
    set->slots[i] = 0;
    set->n--;
}

/* An open array, struct or enum payload list: `next` of `count` children done. */
typedef struct Frame {
    const OrusTy *ty;
    const void *obj;
    const OrusField *fields;     /* struct fields / variant payloads (unused for an array) */
    uint32_t next, count;
} Frame;

typedef struct Walk {
    OrusBuf *b;
    int repr;
    Frame *frames;
    size_t depth, cap;
    PtrSet active;               /* arrays and structs with an open frame */
} Walk;

static void push(Walk *w, const OrusTy *ty, const void *obj, const OrusField *fields,
                 uint32_t count) {
    if (w->depth == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 16;
        Frame *f = realloc(w->frames, w->cap * sizeof *f);
        if (f == NULL) {
            orus_buf_out_of_memory();
        }
        w->frames = f;
    }
    w->frames[w->depth++] = (Frame){ty, obj, fields, 0, count};
    if (ty->kind != ORUS_T_ENUM)
        set_add(&w->active, (uintptr_t)obj);
}

/* Start an enum: Display.Variant, then a frame for its payloads if it has any. */
static void open_enum(Walk *w, const OrusTy *ty, const void *obj) {
    int32_t tag;
    memcpy(&tag, (const char *)obj + sizeof(void *), sizeof tag);
    orus_buf_puts(w->b, ty->name ? ty->name : "");
    orus_buf_put(w->b, ".", 1);
    if (tag < 0 || (uint32_t)tag >= ty->nvariants) {
        orus_buf_puts(w->b, "<bad tag>");      /* a corrupt object: never in a valid program */
        return;
    }
    const OrusVariant *var = &ty->variants[tag];
    orus_buf_puts(w->b, var->name);
    if (var->nfields == 0)
        return;
    orus_buf_put(w->b, "(", 1);
    push(w, ty, obj, var->fields, var->nfields);
}

/* Write a value's text, or open a frame for it when it has children. */
static void open_value(Walk *w, const OrusTy *ty, uint64_t v) {
    OrusBuf *b = w->b;
    switch (ty->kind) {
    case ORUS_T_I32: orus_fmt_i64(b, (int32_t)(uint32_t)v); return;
    case ORUS_T_I64: orus_fmt_i64(b, (int64_t)v); return;
    case ORUS_T_U32: orus_fmt_u64(b, (uint32_t)v); return;
    case ORUS_T_U64: orus_fmt_u64(b, v); return;
    case ORUS_T_F64:
        if (w->repr)
            orus_fmt_g(b, f64_of(v));
        else
            orus_fmt_f64(b, f64_of(v));
        return;
    case ORUS_T_BOOL: orus_buf_puts(b, (v & 0xff) ? "true" : "false"); return;
    case ORUS_T_VOID: orus_buf_puts(b, "<void>"); return;
    default: break;
    }
    const void *obj = (const void *)(uintptr_t)v;
    if (obj == NULL) {
        orus_buf_puts(b, "<null>");
        return;
    }
    if ((ty->kind == ORUS_T_ARRAY || ty->kind == ORUS_T_STRUCT)
        && set_has(&w->active, (uintptr_t)obj)) {
        orus_buf_puts(b, "...");
        return;
    }
    switch (ty->kind) {
    case ORUS_T_STR:
        if (w->repr)
            put_quoted(b, obj);
        else
            put_str(b, obj);
        return;
    case ORUS_T_ARRAY:
        if (w->repr)
            orus_buf_put(b, "[", 1);
        push(w, ty, obj, NULL, (uint32_t)((const OrusArray *)obj)->len);
        return;
    case ORUS_T_STRUCT:
        orus_buf_puts(b, ty->name ? ty->name : "");
        orus_buf_put(b, "{", 1);
        push(w, ty, obj, ty->fields, ty->nfields);
        return;
    case ORUS_T_ENUM: open_enum(w, ty, obj); return;
    case ORUS_T_FN: case ORUS_T_CLOSURE: fn_text(b, obj); return;
    case ORUS_T_RANGE: range_text(b, obj, w->repr); return;
    case ORUS_T_ERROR: error_text(b, obj, w->repr); return;
    default:
        orus_buf_put(b, "<", 1);
        orus_buf_puts(b, opaque_name(ty->kind));
        orus_buf_put(b, ">", 1);
        return;
    }
}

/* Close the top frame: its closing bracket, and it is no longer active. */
static void close_top(Walk *w) {
    Frame *f = &w->frames[--w->depth];
    switch (f->ty->kind) {
    case ORUS_T_ARRAY:
        if (w->repr)
            orus_buf_put(w->b, "]", 1);
        break;
    case ORUS_T_STRUCT: orus_buf_put(w->b, "}", 1); break;
    default: orus_buf_put(w->b, ")", 1); return;      /* an enum: never active */
    }
    set_remove(&w->active, (uintptr_t)f->obj);
}

/* Append the default text (repr = 0) or assert_eq's form (repr = 1) of a value of
 * static type ty. The caller owns b. No GC. */
void orus_text_value(OrusBuf *b, const OrusTy *ty, uint64_t v, int repr) {
    Walk w = {b, repr, NULL, 0, 0, {NULL, 0, 0}};
    open_value(&w, ty, v);
    while (w.depth > 0) {
        Frame *f = &w.frames[w.depth - 1];
        if (f->next == f->count) {
            close_top(&w);
            continue;
        }
        uint32_t i = f->next++;
        if (i)
            orus_buf_put(b, ", ", 2);
        if (f->ty->kind == ORUS_T_ARRAY) {
            open_value(&w, f->ty->elem, orus_array_load(f->obj, i));
            continue;
        }
        const OrusField *fd = &f->fields[i];
        if (f->ty->kind == ORUS_T_STRUCT) {
            orus_buf_puts(b, fd->name ? fd->name : "");
            orus_buf_put(b, ": ", 2);
        }
        open_value(&w, fd->type, orus_field_load(f->obj, fd->offset, fd->type));
    }
    free(w.frames);
    free(w.active.slots);
}

/* ---------------------------------------------------------------- typeof */

/* typeof's text of the static type alone (printing.typeof_name): an error is
 * "error" here, as int()/float() name it in their messages. No GC. */
void orus_text_typename(OrusBuf *b, const OrusTy *ty) {
    switch (ty->kind) {
    case ORUS_T_I32: orus_buf_puts(b, "i32"); return;
    case ORUS_T_I64: orus_buf_puts(b, "i64"); return;
    case ORUS_T_U32: orus_buf_puts(b, "u32"); return;
    case ORUS_T_U64: orus_buf_puts(b, "u64"); return;
    case ORUS_T_F64: orus_buf_puts(b, "f64"); return;
    case ORUS_T_BOOL: orus_buf_puts(b, "bool"); return;
    case ORUS_T_STR: orus_buf_puts(b, "string"); return;
    case ORUS_T_ARRAY: orus_buf_puts(b, "array"); return;
    case ORUS_T_STRUCT: case ORUS_T_ENUM: orus_buf_puts(b, ty->name ? ty->name : ""); return;
    case ORUS_T_FN: case ORUS_T_CLOSURE: orus_buf_puts(b, "function"); return;
    case ORUS_T_RANGE: orus_buf_puts(b, "range_iterator"); return;
    case ORUS_T_ERROR: orus_buf_puts(b, "error"); return;
    case ORUS_T_TASK: orus_buf_puts(b, "Task"); return;
    case ORUS_T_CHAN: orus_buf_puts(b, "Channel"); return;
    default: orus_buf_puts(b, opaque_name(ty->kind)); return;
    }
}

/* typeof(v) (builtins._typeof): the static type's name, except that an error
 * value shows "<kind> <message>". The caller owns b. No GC. */
void orus_text_typeof(OrusBuf *b, const OrusTy *ty, uint64_t v) {
    const OrusError *e = (const OrusError *)(uintptr_t)v;
    if (ty->kind != ORUS_T_ERROR || e == NULL) {
        orus_text_typename(b, ty);
        return;
    }
    if (e->kind != NULL)
        put_str(b, e->kind);
    orus_buf_put(b, " ", 1);
    if (e->message != NULL)
        put_str(b, e->message);
}

/* typeof(v) as a new string. Owner: the heap. May GC. */
OrusStr *orus_typeof(const OrusTy *ty, uint64_t v) {
    OrusBuf b;
    orus_buf_init(&b);
    orus_text_typeof(&b, ty, v);
    OrusStr *s = orus_str_new(b.data ? b.data : "", (int64_t)b.len);
    orus_buf_free(&b);
    return s;
}

/* istype(v, name): 1 when typeof(v) has exactly name's bytes. No GC. */
int32_t orus_istype(const OrusTy *ty, uint64_t v, OrusStr *name) {
    OrusBuf b;
    orus_buf_init(&b);
    orus_text_typeof(&b, ty, v);
    int32_t same = name != NULL && (int64_t)b.len == name->len
                   && (b.len == 0 || memcmp(b.data, name->data, b.len) == 0);
    orus_buf_free(&b);
    return same;
}

/* ---------------------------------------------------------------- print */

/* One format-string placeholder (printfmt.Spec): kind '@' (default), a radix
 * letter, or '.' (precision < 0 when no digits); `len` bytes of its own text. */
typedef struct Spec {
    char kind;
    int precision;
    int64_t len;
} Spec;

/* Parse the placeholder starting at s[i] == '@' (printfmt._SPEC_RE:
 * `@(?:([xXob])|\.([0-9]*)f?)?`). A precision beyond INT_MAX saturates: the
 * oracle (Python's %.*f) cannot print one either. */
static Spec parse_spec(const char *s, int64_t n, int64_t i) {
    Spec sp = {'@', -1, 1};
    if (i + 1 >= n)
        return sp;
    char c = s[i + 1];
    if (c == 'x' || c == 'X' || c == 'o' || c == 'b') {
        sp.kind = c;
        sp.len = 2;
        return sp;
    }
    if (c != '.')
        return sp;
    sp.kind = '.';
    int64_t j = i + 2;
    long long p = 0;
    while (j < n && s[j] >= '0' && s[j] <= '9') {
        p = p * 10 + (s[j] - '0');
        if (p > INT_MAX)
            p = INT_MAX;
        j++;
    }
    if (j > i + 2)
        sp.precision = (int)p;
    if (j < n && s[j] == 'f')
        j++;
    sp.len = j - i;
    return sp;
}

static int is_int_kind(uint32_t k) {
    return k == ORUS_T_I32 || k == ORUS_T_I64 || k == ORUS_T_U32 || k == ORUS_T_U64;
}

/* printfmt.format_spec: one placeholder applied to its argument. */
static void spec_text(OrusBuf *b, Spec sp, const OrusTy *ty, uint64_t v) {
    if (sp.kind != '@' && sp.kind != '.' && is_int_kind(ty->kind))
        orus_fmt_radix(b, ty->kind, v, sp.kind);
    else if (sp.kind == '.' && sp.precision >= 0 && ty->kind == ORUS_T_F64)
        orus_fmt_fixed(b, f64_of(v), sp.precision);
    else
        orus_text_value(b, ty, v, 0);
}

/* printfmt.render: literal bytes copied, each placeholder takes the next argument
 * (or prints its own text when none is left), leftovers appended after a space. */
static void render(OrusBuf *b, const OrusStr *fmt, int32_t n, const OrusTy *const *tys,
                   const uint64_t *vals) {
    int32_t next = 0;
    int64_t lit = 0;             /* start of the pending literal run */
    for (int64_t i = 0; i < fmt->len; i++) {
        if (fmt->data[i] != '@')
            continue;
        orus_buf_put(b, fmt->data + lit, (size_t)(i - lit));
        Spec sp = parse_spec(fmt->data, fmt->len, i);
        if (next < n) {
            spec_text(b, sp, tys[next], vals[next]);
            next++;
        } else {
            orus_buf_put(b, fmt->data + i, (size_t)sp.len);
        }
        i += sp.len - 1;
        lit = i + 1;
    }
    orus_buf_put(b, fmt->data + lit, (size_t)(fmt->len - lit));
    for (; next < n; next++) {
        orus_buf_put(b, " ", 1);
        orus_text_value(b, tys[next], vals[next], 0);
    }
}

/* print(args...): with format != 0, vals[0] is the format string (the IR `print`
 * op's format attribute, exactly as tier 0's emitter decides); otherwise the
 * arguments' texts joined by one space. Then a newline. Writes through rt.c's
 * output; the text is built in a malloc'd buffer, so this does not GC. */
void orus_print(int32_t n, const OrusTy *const *tys, const uint64_t *vals, int32_t format) {
    OrusBuf b;
    orus_buf_init(&b);
    if (format && n > 0 && vals[0] != 0) {
        render(&b, (const OrusStr *)(uintptr_t)vals[0], n - 1, tys + 1, vals + 1);
    } else {
        for (int32_t i = 0; i < n; i++) {
            if (i)
                orus_buf_put(&b, " ", 1);
            orus_text_value(&b, tys[i], vals[i], 0);
        }
    }
    if (b.len)
        orus_out_write(b.data, b.len);
    orus_buf_free(&b);
    orus_out_end_print();
}
