/* test_rt.c: rt.c's output buffer and capture mode, input line splitting (tier 0's
 * _read_line), orus_rt_run's stack top and limit, and init/shutdown cycles. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE      /* mmap flags, pthread_getattr_np, pread, setenv under -std=c11 */
#endif
#include <fcntl.h>
#include <unistd.h>

#include "harness.h"
#include "gc.h"

TEST(capture_collects_text) {
    orus_rt_capture_output();
    orus_out_write("hello", 5);
    orus_out_end_print();
    orus_out_write("a\0b", 3);
    int64_t n = -1;
    const char *t = orus_rt_captured(&n);
    CHECK_STR(t, n, "hello\na\0b");
    orus_rt_capture_output();       /* a new capture starts empty */
    t = orus_rt_captured(&n);
    CHECK_STR(t, n, "");
}

TEST(capture_holds_large_output) {
    orus_rt_capture_output();
    char line[100];
    memset(line, 'z', sizeof line);
    for (int i = 0; i < 10000; i++)
        orus_out_write(line, sizeof line);
    int64_t n;
    const char *t = orus_rt_captured(&n);
    CHECK_EQ_I64(n, 1000000);
    CHECK(t[0] == 'z' && t[999999] == 'z');
}

static int64_t file_size(int fd) {
    return (int64_t)lseek(fd, 0, SEEK_END);
}

/* Output written to a file arrives only when flushed or when the buffer fills. */
TEST(fd_output_is_buffered_and_flushed) {
    char path[] = "/tmp/orus_test_rt_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    unlink(path);
    orus_rt_set_output_fd(fd);
    orus_out_write("abc", 3);
    orus_out_end_print();
    CHECK_EQ_I64(file_size(fd), 0);          /* not a terminal: still buffered */
    orus_rt_flush();
    CHECK_EQ_I64(file_size(fd), 4);
    char buf[8];
    CHECK_EQ_I64(pread(fd, buf, 4, 0), 4);
    CHECK_STR(buf, 4, "abc\n");
    static char big[70000];
    memset(big, 'q', sizeof big);
    orus_out_write("12", 2);
    orus_out_write(big, sizeof big);         /* more than the 64 KiB buffer */
    CHECK_EQ_I64(file_size(fd), 70006);
    orus_out_write(big, 60000);
    orus_out_write(big, 6000);               /* fills the buffer: the first part goes */
    CHECK_EQ_I64(file_size(fd), 70006 + 60000);
    orus_rt_flush();
    CHECK_EQ_I64(file_size(fd), 70006 + 66000);
    CHECK_EQ_I64(pread(fd, buf, 3, 3), 3);
    CHECK_STR(buf, 3, "\n12");
    orus_rt_set_output_fd(1);
    close(fd);
}

static int64_t read_line(OrusBuf *b, int *got) {
    b->len = 0;
    *got = orus_in_read_line(b);
    return (int64_t)b->len;
}

TEST(input_lines_from_a_buffer) {
    static const char data[] = "one\ntwo\r\nthree\rfour\r\r\nlast";
    orus_rt_set_input(data, (int64_t)sizeof data - 1);
    OrusBuf b;
    orus_buf_init(&b);
    int got;
    int64_t n = read_line(&b, &got);
    CHECK(got);
    CHECK_STR(b.data, n, "one");
    n = read_line(&b, &got);
    CHECK_STR(b.data, n, "two");
    n = read_line(&b, &got);
    CHECK_STR(b.data, n, "three");
    n = read_line(&b, &got);
    CHECK_STR(b.data, n, "four");
    n = read_line(&b, &got);           /* "\r" then "\r\n": an empty line */
    CHECK(got);
    CHECK_EQ_I64(n, 0);
    n = read_line(&b, &got);
    CHECK(got);
    CHECK_STR(b.data, n, "last");       /* end of file ends the last line */
    n = read_line(&b, &got);
    CHECK(!got);
    CHECK_EQ_I64(n, 0);
    n = read_line(&b, &got);
    CHECK(!got);
    orus_buf_free(&b);
}

TEST(input_empty_lines_and_nuls) {
    orus_rt_set_input("\n\na\0b\n", 6);
    OrusBuf b;
    orus_buf_init(&b);
    int got;
    CHECK_EQ_I64(read_line(&b, &got), 0);
    CHECK(got);
    CHECK_EQ_I64(read_line(&b, &got), 0);
    CHECK(got);
    int64_t n = read_line(&b, &got);
    CHECK_STR(b.data, n, "a\0b");
    read_line(&b, &got);
    CHECK(!got);
    orus_rt_set_input("", 0);
    read_line(&b, &got);
    CHECK(!got);
    orus_buf_free(&b);
}

/* Input from fd 0 (a pipe here), read through the buffer; \r\n split across reads. */
TEST(input_from_fd0) {
    int p[2];
    CHECK(pipe(p) == 0);
    int saved = dup(0);
    dup2(p[0], 0);
    close(p[0]);
    orus_rt_set_input(NULL, 0);
    CHECK(write(p[1], "x1\r", 3) == 3);
    OrusBuf b;
    orus_buf_init(&b);
    int got;
    /* the peek after \r blocks until more data or EOF: provide it first */
    CHECK(write(p[1], "\ny2\n", 4) == 4);
    close(p[1]);
    int64_t n = read_line(&b, &got);
    CHECK_STR(b.data, n, "x1");
    n = read_line(&b, &got);
    CHECK_STR(b.data, n, "y2");
    read_line(&b, &got);
    CHECK(!got);
    CHECK(!orus_in_is_interactive());
    dup2(saved, 0);
    close(saved);
    orus_buf_free(&b);
}

TEST(reading_flushes_pending_output) {
    int p[2];
    CHECK(pipe(p) == 0);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    orus_rt_set_output_fd(p[1]);
    orus_out_write("prompt> ", 8);
    orus_rt_set_input("answer\n", 7);
    OrusBuf b;
    orus_buf_init(&b);
    int got;
    int64_t n = read_line(&b, &got);
    CHECK_STR(b.data, n, "answer");
    char buf[64];
    ssize_t r = read(p[0], buf, sizeof buf);
    CHECK_STR(buf, r, "prompt> ");
    orus_rt_set_output_fd(1);
    close(p[0]);
    close(p[1]);
    orus_buf_free(&b);
}

static char *seen_limit;
static char *entry_frame;
static int64_t entry_collections;

static void entry_main(void) {
    char here = 0;
    seen_limit = orus_stack_limit;
    entry_frame = &here;
    /* a string only in this frame survives a collection during the run */
    OrusStr *s = orus_str_new("kept by the run's stack", 23);
    orus_gc_collect();
    OrusGcStats st;
    orus_gc_stats(&st);
    entry_collections = st.collections;
    orus_out_write(s->data, (size_t)s->len);
    orus_out_end_print();
}

TEST(run_sets_stack_limit_and_scans_its_stack) {
    orus_rt_capture_output();
    orus_gc_set_stack_top(NULL);        /* orus_rt_run records its own */
    CHECK_EQ_I64(orus_rt_run(entry_main), 0);
    CHECK(seen_limit != NULL && seen_limit < entry_frame);
    CHECK((size_t)(entry_frame - seen_limit) > 64 * 1024);
    CHECK((size_t)(entry_frame - seen_limit) < (size_t)1 << 34);
    CHECK(entry_collections >= 1);
    int64_t n;
    const char *t = orus_rt_captured(&n);
    CHECK_STR(t, n, "kept by the run's stack\n");
    orus_gc_set_stack_top(__builtin_frame_address(0));
}

TEST(init_resets_everything) {
    orus_rt_capture_output();
    orus_out_write("x", 1);
    orus_trap(NULL, ORUS_ERR_RUNTIME, "left over");
    orus_rt_set_input("rest\n", 5);
    orus_rt_shutdown();
    orus_rt_init();
    orus_gc_set_stack_top(__builtin_frame_address(0));
    CHECK_EQ_I64(orus_status, 0);
    CHECK(orus_rt_error_kind() == NULL);
    int64_t n = -1;
    orus_rt_captured(&n);
    CHECK_EQ_I64(n, 0);
    OrusGcStats st;
    orus_gc_stats(&st);
    CHECK_EQ_I64(st.objects_allocated, 0);
    CHECK_EQ_I64(st.heap_bytes, 0);
}

/* Hundreds of runs in one process must not accumulate memory. */
TEST(many_runs_do_not_leak) {
    for (int i = 0; i < 200; i++) {
        orus_rt_init();
        orus_rt_capture_output();
        for (int j = 0; j < 1000; j++)
            orus_str_new("some text", 9);
        orus_out_write("ok", 2);
        orus_rt_shutdown();
    }
    orus_rt_init();
    orus_gc_set_stack_top(__builtin_frame_address(0));
    OrusGcStats st;
    orus_gc_stats(&st);
    CHECK_EQ_I64(st.heap_bytes, 0);
}
