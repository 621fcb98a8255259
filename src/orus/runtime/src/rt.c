/* rt.c: the runtime's life cycle (init, run, shutdown), output, input, and the
 * driver's view of an escaped error.
 *
 * Output goes through one 64 KiB buffer written to a file descriptor with an
 * EINTR-safe write loop, flushed when full, at the end of a print when the fd is a
 * terminal, before input() reads, and when the run ends. In capture mode text is
 * appended to a malloc'd buffer the driver reads back (many programs run in one
 * process). Input comes from a copied byte buffer or, when none was set, from fd 0
 * through a read buffer. Line splitting is interp/builtins.py _read_line's.
 *
 * After orus_rt_run returns 70 the escaped error's texts are copied out of the heap
 * (the driver may shut the heap down before reading them); the copies and the
 * capture buffer live until the next orus_rt_init.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE      /* mmap flags, pthread_getattr_np, pread, setenv under -std=c11 */
#endif
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define OUT_CAP 65536
#define IN_CAP 65536
#define STACK_MARGIN (256 * 1024)
#define STACK_FALLBACK (7 * 1024 * 1024)

char *orus_stack_limit;

static char out_buf[OUT_CAP];
static size_t out_len;
static int out_fd = 1;
static int out_tty;
static int capturing;
static OrusBuf captured;

static char *in_data;           /* set input (copied), or NULL: read fd 0 */
static size_t in_len, in_pos;
static char in_fdbuf[IN_CAP];
static int in_eof;              /* fd 0 reached end of file */

/* Escaped error, copied at the end of a failed run. */
static OrusBuf err_kind, err_msg;
static const OrusSite *err_site;
static int err_saved;

/* ---------------------------------------------------------------- output */

static void write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return;     /* a closed pipe or full disk: the text is lost, as in tier 0 */
        }
        p += w;
        n -= (size_t)w;
    }
}

/* Write the buffered output to the fd. No GC. */
void orus_rt_flush(void) {
    if (out_len) {
        write_all(out_fd, out_buf, out_len);
        out_len = 0;
    }
}

/* Copies p (the caller keeps it). No GC. */
void orus_out_write(const char *p, size_t n) {
    if (capturing) {
        orus_buf_put(&captured, p, n);
        return;
    }
    if (out_len + n > OUT_CAP) {
        orus_rt_flush();
        if (n > OUT_CAP) {
            write_all(out_fd, p, n);
            return;
        }
    }
    memcpy(out_buf + out_len, p, n);
    out_len += n;
}

/* No GC. */
void orus_out_end_print(void) {
    orus_out_write("\n", 1);
    if (!capturing && out_tty)
        orus_rt_flush();
}

/* Flushes what was written so far to the previous fd. The fd stays the caller's. */
void orus_rt_set_output_fd(int32_t fd) {
    orus_rt_flush();
    out_fd = fd;
    out_tty = isatty(fd);
    capturing = 0;
}

/* Starts an empty capture (a previous capture's text is freed). */
void orus_rt_capture_output(void) {
    orus_rt_flush();
    capturing = 1;
    orus_buf_free(&captured);
}

/* Owner: the runtime; valid until the next orus_rt_init or capture. Never NULL. */
const char *orus_rt_captured(int64_t *len) {
    if (len)
        *len = (int64_t)captured.len;
    return captured.data ? captured.data : "";
}

/* ---------------------------------------------------------------- input */

/* The bytes are copied (owned by the runtime until the next call or init). */
void orus_rt_set_input(const char *data, int64_t len) {
    free(in_data);
    in_data = NULL;
    in_len = in_pos = 0;
    in_eof = 0;
    if (!data)
        return;
    in_data = malloc(len > 0 ? (size_t)len : 1);
    if (!in_data) {
        fputs("orus: out of memory\n", stderr);
        exit(70);
    }
    if (len > 0)
        memcpy(in_data, data, (size_t)len);
    in_len = (size_t)len;
}

/* The next input byte without consuming it, or -1 at end of input. */
static int in_peek(void) {
    if (in_pos < in_len)
        return (unsigned char)(in_data ? in_data : in_fdbuf)[in_pos];
    if (in_data || in_eof)
        return -1;
    for (;;) {
        ssize_t r = read(0, in_fdbuf, IN_CAP);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            in_eof = 1;
            return -1;
        }
        in_pos = 0;
        in_len = (size_t)r;
        return (unsigned char)in_fdbuf[0];
    }
}

/* Appends to the caller's buffer; flushes output first (a prompt must show). No GC. */
int orus_in_read_line(OrusBuf *b) {
    int got = 0;
    orus_rt_flush();
    for (;;) {
        int c = in_peek();
        if (c < 0)
            return got;
        in_pos++;
        got = 1;
        if (c == '\n')
            return 1;
        if (c == '\r') {
            if (in_peek() == '\n')
                in_pos++;
            return 1;
        }
        char ch = (char)c;
        orus_buf_put(b, &ch, 1);
    }
}

int orus_in_is_interactive(void) {
    return !in_data && isatty(0) && isatty(2);
}

/* ---------------------------------------------------------------- errors */

/* The escaped (or else pending) error's texts, NUL-terminated, owned by the runtime:
 * valid until orus_rt_init (a copy after a run, else heap strings). No GC. */
const char *orus_rt_error_kind(void) {
    if (err_saved)
        return err_kind.data;
    OrusError *e = orus_err_pending();
    return e ? e->kind->data : NULL;
}

const char *orus_rt_error_message(int64_t *len) {
    if (err_saved) {
        if (len)
            *len = (int64_t)err_msg.len;
        return err_msg.data;
    }
    OrusError *e = orus_err_pending();
    if (len)
        *len = e ? e->message->len : 0;
    return e ? e->message->data : NULL;
}

const OrusSite *orus_rt_error_site(void) {
    if (err_saved)
        return err_site;
    OrusError *e = orus_err_pending();
    return e ? e->site : NULL;
}

static void save_error(void) {
    OrusError *e = orus_err_pending();
    if (!e)
        return;
    orus_buf_free(&err_kind);
    orus_buf_free(&err_msg);
    orus_buf_put(&err_kind, e->kind->data, (size_t)e->kind->len);
    orus_buf_put(&err_kind, "", 1);
    orus_buf_put(&err_msg, e->message->data, (size_t)e->message->len);
    orus_buf_put(&err_msg, "", 1);
    err_msg.len--;              /* the NUL is a terminator, not message text */
    err_site = e->site;
    err_saved = 1;
}

/* ---------------------------------------------------------------- life cycle */

/* Frees the previous run's heap, capture and error copies. */
void orus_rt_init(void) {
    orus_gc_init();
    orus_err_reset();
    orus_buf_free(&err_kind);
    orus_buf_free(&err_msg);
    err_site = NULL;
    err_saved = 0;
    out_len = 0;
    out_fd = 1;
    out_tty = isatty(1);
    capturing = 0;
    orus_buf_free(&captured);
    orus_rt_set_input(NULL, 0);
    orus_stack_limit = NULL;
}

/* Frees the heap; the capture and the escaped error stay readable until init. */
void orus_rt_shutdown(void) {
    orus_rt_flush();
    orus_gc_shutdown();
    orus_err_reset();
    orus_rt_set_input(NULL, 0);
}

/* The lowest usable address of this thread's stack plus a margin for the runtime
 * (a collection, a print) to run after compiled code saw the limit. */
static char *stack_limit(char *top) {
    pthread_attr_t attr;
    void *addr = NULL;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        int ok = pthread_attr_getstack(&attr, &addr, &size) == 0;
        pthread_attr_destroy(&attr);
        if (ok && addr && size > 2 * STACK_MARGIN)
            return (char *)addr + STACK_MARGIN;
    }
    return top - STACK_FALLBACK;
}

/* Run a program. Everything `entry` allocates is in the heap; GC happens inside. */
int32_t orus_rt_run(void (*entry)(void)) {
    char *top = __builtin_frame_address(0);
    orus_gc_set_stack_top(top);
    orus_stack_limit = stack_limit(top);
    entry();
    orus_rt_flush();
    orus_gc_set_stack_top(NULL);
    if (orus_status) {
        save_error();
        return 70;
    }
    return 0;
}
