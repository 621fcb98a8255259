"""The `orus` command as a user runs it: exit codes, streams, exact diagnostic text, colours."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from orus.diag import HELP_TYPE, HELP_UNDEFINED
from orus.driver import pipeline
from orus.driver.options import Options

import native_runner
from spec_blocks import DIVISION_BY_ZERO, STRAY_INDENT

REPO = Path(__file__).resolve().parent.parent


def orus(cmd, *args, cwd=None, env=None, stdin=None):
    return subprocess.run([*cmd, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
                          stdin=stdin if stdin is not None else subprocess.DEVNULL)


def block(category, title, where, line_no, text, col, message, helps=(None, None)) -> str:
    """A spec 6.1 block without colours, built from the format rules."""
    dashes = "-" * max(0, min(50, 60 - len(category) - len(title) - 4))
    out = [f"-- {category}: {title} {dashes} {where}", "", f"{line_no:3d} | {text}",
           f"      | {' ' * (col - 1)}^ {message}", "      |", f"      = {message}"]
    out += [f"      = help: {helps[0]}"] if helps[0] else []
    out += [f"      = note: {helps[1]}"] if helps[1] else []
    return "\n".join(out) + "\n\n"


SPEC_STRAY_INDENT = STRAY_INDENT + "Compilation failed for \"f.orus\".\n"


@pytest.fixture
def project(tmp_path):
    def make(files: dict[str, str]) -> Path:
        for name, text in files.items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_bytes(text.encode())
        return tmp_path
    return make


# ------------------------------------------------------------------ basics
def test_version(orus_cmd, clean_env):
    r = orus(orus_cmd, "--version", env=clean_env)
    assert (r.returncode, r.stdout, r.stderr) == (0, "orus 0.1.0\n", "")


@pytest.mark.parametrize("module", ["orus", "orus.cli"])
def test_python_dash_m(module, clean_env):
    r = orus([sys.executable, "-m", module], "--version", env=clean_env)
    assert (r.returncode, r.stdout) == (0, "orus 0.1.0\n")


def test_help_lists_commands(orus_cmd, clean_env):
    r = orus(orus_cmd, "--help", env=clean_env)
    assert r.returncode == 0 and r.stderr == ""
    for command in ("run", "check", "tokens", "ast"):
        assert command in r.stdout


@pytest.mark.parametrize("command", ["run", "check", "tokens", "ast"])
def test_command_help(orus_cmd, clean_env, command):
    r = orus(orus_cmd, command, "--help", env=clean_env)
    assert r.returncode == 0 and r.stdout.startswith(f"usage: orus {command}")


@pytest.mark.parametrize("args", [[], ["--bogus"], ["run"], ["check"], ["tokens"], ["ast", "a", "b"],
                                  ["run", "--tier=3", "x.orus"], ["run", "--tier", "fast", "x.orus"]])
def test_usage_errors_exit_64(orus_cmd, clean_env, args):
    r = orus(orus_cmd, *args, env=clean_env)
    assert r.returncode == 64 and r.stdout == "" and "usage: orus" in r.stderr


@pytest.mark.parametrize("command", [[], ["run"], ["check"], ["tokens"], ["ast"]])
def test_missing_file_exit_66(orus_cmd, clean_env, tmp_path, command):
    r = orus(orus_cmd, *command, "nosuch.orus", cwd=tmp_path, env=clean_env)
    assert (r.returncode, r.stdout, r.stderr) == (66, "", 'Could not open file "nosuch.orus".\n')


def test_directory_is_not_readable_input(orus_cmd, clean_env, tmp_path):
    (tmp_path / "d.orus").mkdir()
    r = orus(orus_cmd, "d.orus", cwd=tmp_path, env=clean_env)
    assert (r.returncode, r.stderr) == (66, 'Could not open file "d.orus".\n')


# ------------------------------------------------------------ compile errors
def test_spec_stray_indentation_block(orus_cmd, clean_env, project):
    root = project({"f.orus": 'print("a")\n    print("b")\n'})
    r = orus(orus_cmd, "f.orus", cwd=root, env=clean_env)
    assert (r.returncode, r.stdout, r.stderr) == (65, "", SPEC_STRAY_INDENT)


def test_lexical_error_block(orus_cmd, clean_env, project):
    root = project({"x.orus": "# a hash comment\n"})
    r = orus(orus_cmd, "run", "x.orus", cwd=root, env=clean_env)
    expected = block("SYNTAX ERROR", "Found something unexpected here", "x.orus:1:1", 1, "# a hash comment", 1,
                     "Unexpected character '#'")
    assert (r.returncode, r.stdout, r.stderr) == (65, "", expected + 'Compilation failed for "x.orus".\n')


def test_type_error_block(orus_cmd, clean_env, project):
    root = project({"sub/t.orus": 'print("ok")\nx: i32 = "s"\n'})
    r = orus(orus_cmd, "sub/t.orus", cwd=root, env=clean_env)
    expected = block("TYPE MISMATCH", "Type mismatch found", "sub/t.orus:2:10", 2, 'x: i32 = "s"', 10,
                     "this is a `string`, but `i32` was expected", HELP_TYPE)
    assert (r.returncode, r.stdout, r.stderr) == (65, "", expected + 'Compilation failed for "sub/t.orus".\n')


def test_undefined_variable_block(orus_cmd, clean_env, project):
    root = project({"u.orus": "print(y)\n"})
    r = orus(orus_cmd, "check", "u.orus", cwd=root, env=clean_env)
    expected = block("SYNTAX ERROR", "Can't find this variable", "u.orus:1:7", 1, "print(y)", 7,
                     "Undefined variable 'y'. Variables must be declared before use.", HELP_UNDEFINED)
    assert (r.returncode, r.stdout, r.stderr) == (65, "", expected + 'Compilation failed for "u.orus".\n')


def test_module_error_final_line_names_main(orus_cmd, clean_env, project):
    root = project({"app/main.orus": "use lib.bad\n", "app/lib/bad.orus": "pub X := $\n"})
    r = orus(orus_cmd, "app/main.orus", cwd=root, env=clean_env)
    assert r.returncode == 65 and r.stdout == ""
    assert r.stderr.startswith("-- SYNTAX ERROR: Found something unexpected here ------------- app/lib/bad.orus:1:10\n")
    assert r.stderr.endswith('\nCompilation failed for "app/main.orus".\n')


def test_check_several_files(orus_cmd, clean_env, project):
    root = project({"good.orus": "x = 1\nprint(x)\n", "bad.orus": "print(nope)\n"})
    r = orus(orus_cmd, "check", "good.orus", "bad.orus", "good.orus", cwd=root, env=clean_env)
    assert r.returncode == 65 and r.stdout == ""
    assert r.stderr.count("Compilation failed") == 1 and 'Compilation failed for "bad.orus".' in r.stderr
    ok = orus(orus_cmd, "check", "good.orus", "good.orus", cwd=root, env=clean_env)
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "", "")
    missing = orus(orus_cmd, "check", "bad.orus", "nosuch.orus", cwd=root, env=clean_env)
    assert missing.returncode == 66


def test_run_accepted_program(orus_cmd, clean_env):
    for args in (["examples/hello.orus"], ["run", "examples/hello.orus"], ["run", "--tier=0", "examples/hello.orus"],
                 ["--no-color", "examples/hello.orus"]):
        r = orus(orus_cmd, *args, cwd=REPO, env=clean_env)
        assert (r.returncode, r.stdout, r.stderr) == (0, "Hello, Orus!\n", "")


GC_LINES = re.compile(r"gc: \d+ collections \(\d+ major\), \d+ bytes allocated \(\d+ objects\), \d+ freed, "
                      r"live \d+, heap \d+ \(peak \d+, most live after a major collection \d+\)\n"
                      r"gc: pauses total \d+\.\d{3} ms, max \d+\.\d{3} ms, p50 \d+\.\d{3} ms, p99 \d+\.\d{3} ms\n")
TIER0_NOTE = "orus: note: tier 0 has no collector statistics (it uses Python's memory manager)\n"
NATIVE_WARNING = re.compile(r"orus: warning: native engine unavailable \((.+)\); running tier 0\n")


@pytest.fixture(scope="module")
def native_engine() -> None:
    """Skip when this machine has no llvmlite or no C compiler (any other failure is a bug)."""
    reason = native_runner.prepare()
    if reason is not None:
        pytest.skip(f"native engine unavailable: {reason}")


needs_native = pytest.mark.usefixtures("native_engine")


@needs_native
@pytest.mark.parametrize("tier", [[], ["--tier=1"], ["--tier=2"]], ids=["default", "tier1", "tier2"])
def test_default_and_native_tiers_run_natively(orus_cmd, clean_env, tier):
    """Only the native engine has a collector: its statistics show which engine ran."""
    r = orus(orus_cmd, "run", *tier, "--gc-stats", "examples/hello.orus", cwd=REPO, env=clean_env)
    assert (r.returncode, r.stdout) == (0, "Hello, Orus!\n")
    assert GC_LINES.fullmatch(r.stderr), r.stderr


def test_tier0_runs_the_interpreter(orus_cmd, clean_env):
    r = orus(orus_cmd, "run", "--tier=0", "--gc-stats", "examples/hello.orus", cwd=REPO, env=clean_env)
    assert (r.returncode, r.stdout, r.stderr) == (0, "Hello, Orus!\n", TIER0_NOTE)


@needs_native
def test_gc_stats_count_a_program_that_allocates(orus_cmd, clean_env, project):
    root = project({"a.orus": "mut keep = [0]\nfor i in 0..200000:\n    keep = [i, i + 1]\nprint(keep[1])\n"})
    r = orus(orus_cmd, "run", "--gc-stats", "a.orus", cwd=root, env=clean_env)
    assert (r.returncode, r.stdout) == (0, "200000\n")
    assert GC_LINES.fullmatch(r.stderr), r.stderr
    numbers = [int(n) for n in re.findall(r"(\d+) (?:collections|bytes allocated|objects|freed)", r.stderr)]
    collections, allocated, objects, freed = numbers
    assert collections >= 1 and objects >= 200000 and allocated > freed > 0


NUMERIC_LOOPS = """fn mix(n: i32) -> f64:
    mut acc = 0.0
    mut k: i64 = 0
    for i in 0..n:
        x = (i % 97) as f64 * 0.5
        if i % 3 == 0:
            acc += x / 3.0
        else:
            acc -= x * 0.25
        k += (i * 7 % 13) as i64
    return acc + (k as f64)
print("@.3f", mix(2000000))
"""


@needs_native
def test_numeric_loops_allocate_nothing(orus_cmd, clean_env, project):
    """Typed values stay unboxed: integer and f64 loops, calls and prints allocate no object."""
    root = project({"num.orus": NUMERIC_LOOPS})
    r = orus(orus_cmd, "run", "--gc-stats", "num.orus", cwd=root, env=clean_env)
    tier0 = orus(orus_cmd, "run", "--tier=0", "num.orus", cwd=root, env=clean_env)
    assert r.returncode == 0 and r.stdout == tier0.stdout
    assert r.stderr.startswith("gc: 0 collections (0 major), 0 bytes allocated (0 objects)"), r.stderr


CHURN = """struct Node:
    left: i32
    right: i32
    val: i32
mut keep: [Node] = []
for i in 0..300000:
    push(keep, Node{left: i, right: i, val: i})
mut total = 0
for r in 0..30:
    mut tmp: [Node] = []
    for i in 0..100000:
        push(tmp, Node{left: i, right: r, val: 1})
    total = total + len(tmp)
print(total, len(keep))
"""


@needs_native
def test_churn_keeps_the_heap_within_three_times_the_live_data(orus_cmd, clean_env, project):
    """A long-lived set (300k structs) plus 30 rounds of garbage (100k structs each): the
    heap the collector holds never exceeds 3x the most data one collection found live."""
    root = project({"churn.orus": CHURN})
    r = orus(orus_cmd, "run", "--gc-stats", "churn.orus", cwd=root, env=clean_env)
    assert (r.returncode, r.stdout) == (0, "3000000 300000\n")
    peak, live_peak = map(int, re.search(r"peak (\d+), most live after a major collection (\d+)", r.stderr).groups())
    assert live_peak >= 300000 * 32
    assert peak <= 3 * live_peak, r.stderr


def test_fallback_when_llvmlite_is_missing(clean_env):
    """A Python without llvmlite still runs programs: one warning line, then tier 0."""
    code = ("import sys; sys.modules['llvmlite'] = None; from orus.cli.main import main; "
            "sys.exit(main(sys.argv[1:]))")
    r = orus([sys.executable, "-c", code], "run", "examples/hello.orus", cwd=REPO, env=clean_env)
    assert (r.returncode, r.stdout) == (0, "Hello, Orus!\n")
    m = NATIVE_WARNING.fullmatch(r.stderr)
    assert m and m.group(1).startswith("llvmlite cannot be loaded: "), r.stderr


@needs_native
def test_fallback_when_no_c_compiler_exists(orus_cmd, clean_env, tmp_path):
    env = {k: v for k, v in clean_env.items() if k != "CC"}
    env.update(PATH=str(tmp_path), ORUS_CACHE_DIR=str(tmp_path / "cache"))
    r = orus(orus_cmd, "run", "--gc-stats", "examples/hello.orus", cwd=REPO, env=env)
    assert (r.returncode, r.stdout) == (0, "Hello, Orus!\n")
    first, rest = r.stderr.split("\n", 1)
    m = NATIVE_WARNING.fullmatch(first + "\n")
    assert m and m.group(1).startswith("the C runtime cannot be built: no C compiler found"), r.stderr
    assert rest == TIER0_NOTE


@pytest.mark.parametrize("tier", [[], ["--tier=0"]], ids=["native", "tier0"])
def test_runtime_error_keeps_output_and_exits_70(orus_cmd, clean_env, project, tier, request):
    if not tier:
        request.getfixturevalue("native_engine")
    root = project({"calc.orus": "value = 10\nzero = 0\nprint(\"before\")\nprint(value / zero)\n"})
    r = orus(orus_cmd, "run", *tier, "calc.orus", cwd=root, env=clean_env)
    assert (r.returncode, r.stdout) == (70, "before\n")
    assert r.stderr == DIVISION_BY_ZERO


@pytest.mark.parametrize("tier", [[], ["--tier=0"]], ids=["native", "tier0"])
def test_run_reads_stdin_and_writes_a_pipe(orus_cmd, clean_env, project, tier, request):
    if not tier:
        request.getfixturevalue("native_engine")
    root = project({"io.orus": "name = input()\nmut total = 0\nfor i in 0..30000:\n    total += i\n"
                               "    print(\"@ @\", name, i)\nprint(input(\"> \"))\nprint(total)\n"})
    r = subprocess.run([*orus_cmd, "run", *tier, "io.orus"], cwd=root, env=clean_env, capture_output=True,
                       input=b"ada\nsecond line\n", timeout=120)
    lines = r.stdout.decode().splitlines()
    assert (r.returncode, r.stderr) == (0, b"")
    assert len(lines) == 30002 and lines[0] == "ada 0" and lines[29999] == "ada 29999"
    assert lines[-2:] == ["> second line", str(sum(range(30000)))]      # the prompt is output


def native_in_process(src: str, stdin, stdout, tier=None):
    """Compile `src` and run it through pipeline.execute in this process (native by default)."""
    options = Options(cwd=str(REPO), color=False, tier=tier)
    result = pipeline.check_source(src.encode(), "p.orus", options)
    assert result.ok
    err = io.StringIO()
    return pipeline.execute(result, options, stdin, stdout, err), err.getvalue()


@needs_native
def test_native_run_into_text_and_binary_streams():
    """Streams that are not fd 0 / fd 1: input is read fully first, output captured and written after."""
    src = 'line = input()\nprint("got @ (@ bytes)", line, len(line))\nprint("é tail")\n'
    text_out = io.StringIO()
    code, err = native_in_process(src, io.StringIO("héllo\nnext\n"), text_out)
    assert (code, err, text_out.getvalue()) == (0, "", "got héllo (6 bytes)\né tail\n")
    binary_out = io.BytesIO()                 # bytes that are not UTF-8 pass through unchanged
    code, err = native_in_process(src, io.BytesIO(b"h\xe9\n"), binary_out)
    assert (code, err, binary_out.getvalue()) == (0, "", b"got h\xe9 (2 bytes)\n\xc3\xa9 tail\n")


@needs_native
def test_native_codegen_bug_is_an_internal_error_block(monkeypatch):
    from orus.backend.llvm import emit

    def broken(module):
        raise KeyError("no handler for op frob")
    monkeypatch.setattr(emit, "emit_module", broken)
    out = io.StringIO()
    code, err = native_in_process("print(1)\n", io.StringIO(""), out)
    assert (code, out.getvalue()) == (70, "")
    assert err.startswith("-- INTERNAL ERROR: Internal compiler error (this is our bug!)")
    assert "KeyError: 'no handler for op frob'" in err and "Traceback" not in err


@needs_native
def test_native_and_tier0_report_the_same_error_block():
    src = "fn f(a: [i32], i: i32) -> i32:\n    return a[i]\nprint(f([1, 2], 1))\nprint(f([1, 2], 5))\n"
    outcomes = []
    for tier in (None, 0):
        out = io.StringIO()
        outcomes.append((*native_in_process(src, io.StringIO(""), out, tier), out.getvalue()))
    assert outcomes[0] == outcomes[1]
    code, err, out = outcomes[0]
    assert (code, out) == (70, "2\n") and "p.orus:2:" in err and "Array index out of bounds" in err


def test_dis_prints_verifiable_ir(orus_cmd, clean_env, project):
    from orus.ir.reader import parse_module
    from orus.ir.verify import check_module
    root = project({"f.orus": "fn inc(x: i32) -> i32:\n    return x + 1\nprint(inc(2))\n"})
    r = orus(orus_cmd, "dis", "f.orus", cwd=root, env=clean_env)
    assert r.returncode == 0 and r.stderr == ""
    assert "add.i32" in r.stdout and "print" in r.stdout
    assert check_module(parse_module(r.stdout)) == []


def test_all_examples_check(orus_cmd, clean_env):
    examples = sorted(str(p.relative_to(REPO)) for p in (REPO / "examples").glob("*.orus"))
    assert len(examples) >= 4
    r = orus(orus_cmd, "check", *examples, cwd=REPO, env=clean_env)
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")


# ------------------------------------------------------------ tokens and ast
def test_tokens_and_ast_output(orus_cmd, clean_env, project):
    from orus.syntax.astdump import dump
    from orus.syntax.lexer import tokenize
    from orus.syntax.parser import parse
    from orus.syntax.tokens import format_tokens
    src = b"fn f(a: i32) -> i32:\n    return a + 1\nprint(f(2))\n"
    root = project({"t.orus": src.decode()})
    r = orus(orus_cmd, "tokens", "t.orus", cwd=root, env=clean_env)
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.rstrip("\n") == format_tokens(tokenize(src, "t.orus")).rstrip("\n")
    r = orus(orus_cmd, "ast", "t.orus", cwd=root, env=clean_env)
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.rstrip("\n") == dump(parse(src, "t.orus")).rstrip("\n")


def test_tokens_lexical_error(orus_cmd, clean_env, project):
    root = project({"t.orus": "a = 1\nb = `\n"})
    r = orus(orus_cmd, "tokens", "t.orus", cwd=root, env=clean_env)
    assert r.returncode == 65 and r.stdout == ""
    assert "Unexpected character '`'" in r.stderr and r.stderr.endswith('Compilation failed for "t.orus".\n')


# ------------------------------------------------------------------ colours
def run_on_tty(cmd, cwd, env, *args) -> tuple[int, str]:
    """Run orus with stderr on a pseudo-terminal; return (exit code, what the terminal saw)."""
    try:
        master, slave = pty.openpty()
    except OSError as e:                    # a sandbox without pseudo-terminals
        pytest.skip(f"no pty: {e}")
    proc = subprocess.Popen([*cmd, *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    proc.stdout.close()
    return proc.wait(timeout=120), b"".join(chunks).decode()


@pytest.mark.parametrize("extra_env, flags, coloured", [
    ({"TERM": "xterm"}, [], True),
    ({"TERM": "xterm", "NO_COLOR": ""}, [], False),
    ({"TERM": "xterm", "NO_COLOR": "1"}, [], False),
    ({"TERM": "dumb"}, [], False),
    ({}, [], False),
    ({"TERM": "xterm"}, ["--no-color"], False),
    ({"TERM": "xterm"}, ["check", "--no-color"], False),
])
def test_colours_only_on_terminals(orus_cmd, clean_env, project, extra_env, flags, coloured):
    root = project({"c.orus": "# nope\n"})
    rc, seen = run_on_tty(orus_cmd, root, {**clean_env, **extra_env}, *flags, "c.orus")
    assert rc == 65
    assert ("\x1b[0;31m-- SYNTAX ERROR" in seen) == coloured
    assert ("\x1b[" in seen) == coloured
    assert 'Compilation failed for "c.orus".' in seen


def test_no_colours_into_a_pipe_even_with_term(orus_cmd, clean_env, project):
    root = project({"c.orus": "# nope\n"})
    r = orus(orus_cmd, "c.orus", cwd=root, env={**clean_env, "TERM": "xterm"})
    assert r.returncode == 65 and "\x1b" not in r.stderr


# ----------------------------------------------------------- internal errors
def test_internal_error_becomes_a_block_and_exit_70():
    def broken(result):
        raise KeyError("boom")
    result = pipeline.guarded(pipeline.Result("x.orus", pipeline.SourceCache()), broken)
    assert result.internal and not result.ok
    err = io.StringIO()
    assert pipeline.report_failure(result, err, Options()) == 70
    text = err.getvalue()
    assert text.startswith("-- INTERNAL ERROR: Internal compiler error (this is our bug!) ")
    assert "      | (source line not available)\n" in text and "= KeyError: 'boom'\n" in text
    assert "Traceback" not in text


def test_deep_recursion_in_a_stage_is_survivable():
    def deep(n):
        return 0 if n == 0 else 1 + deep(n - 1)
    box = []
    result = pipeline.guarded(pipeline.Result("x.orus", pipeline.SourceCache()), lambda r: box.append(deep(50_000)))
    assert result.ok and box == [50_000]


# ------------------------------------------------------------ benchmark input
def test_generated_big_program_is_accepted():
    """bench/gen_big_program.py must produce a program the front end accepts as it is."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from gen_big_program import generate
    finally:
        sys.path.remove(str(REPO / "bench"))
    text = generate(10_000)
    assert text.count("\n") >= 10_000 and text == generate(10_000)
    result = pipeline.check_source(text.encode(), "big.orus", Options(cwd=str(REPO)))
    assert [f"{d.span} {d.message}" for d in result.diagnostics] == []


@needs_native
def test_generated_big_program_runs_the_same_in_both_tiers(orus_cmd, clean_env, project):
    """A 10,000-line program (a top level of thousands of blocks) runs in tier 0 and natively."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from gen_big_program import generate
    finally:
        sys.path.remove(str(REPO / "bench"))
    root = project({"big.orus": generate(10_000)})
    tier0 = orus(orus_cmd, "run", "--tier=0", "big.orus", cwd=root, env=clean_env)
    native = orus(orus_cmd, "run", "--tier=1", "big.orus", cwd=root, env=clean_env)
    assert tier0.returncode == 0 and tier0.stdout.count("\n") >= 3, tier0.stderr
    assert (native.returncode, native.stdout, native.stderr) == (0, tier0.stdout, tier0.stderr)


def test_unresolved_module_lists_every_root(orus_cmd, clean_env, project, tmp_path):
    root = project({"app/main.orus": "print(1)\nuse tools.nosuch\n"})
    launcher = orus_cmd[0] if len(orus_cmd) == 1 else str(Path(pipeline.__file__).parent.parent / "__main__.py")
    runtime_dir = os.path.dirname(os.path.realpath(launcher))
    r = orus(orus_cmd, "app/main.orus", cwd=root, env={**clean_env, "ORUSPATH": f" {tmp_path}/p1 :: rel "})
    message = [
        "Unable to resolve module 'tools.nosuch'. Normalized path 'tools/nosuch.orus'.",
        "Search roots tried:",
        f"  - {root}/tools/nosuch.orus (current working directory)",
        f"  - {root}/app (importer directory)",
        f"  - {runtime_dir} (runtime directory)",
        f"  - {tmp_path}/p1 (ORUSPATH entry)",
        f"  - {root}/rel (ORUSPATH entry)",
        "Hint: Set the ORUSPATH environment variable to add additional module directories."]
    expected = block("MODULE ERROR", "Failed to use this module", "app/main.orus:2:1", 2, "use tools.nosuch", 1,
                     "\n".join(message))
    assert (r.returncode, r.stdout, r.stderr) == (65, "", expected + 'Compilation failed for "app/main.orus".\n')


def test_module_found_through_oruspath(orus_cmd, clean_env, project, tmp_path):
    root = project({"main.orus": "use shared.util: twice\nprint(twice(2))\n",
                    "libs/shared/util.orus": "pub fn twice(v: i32) -> i32:\n    return v + v\n"})
    r = orus(orus_cmd, "check", "main.orus", cwd=root, env={**clean_env, "ORUSPATH": str(root / "libs")})
    assert (r.returncode, r.stderr) == (0, "")
    r = orus(orus_cmd, "check", "main.orus", cwd=root, env=clean_env)
    assert r.returncode == 65 and "Unable to resolve module 'shared.util'" in r.stderr


def test_bug_outside_the_stages_is_an_internal_error_block(monkeypatch, capsys):
    from orus.cli import main as cli

    def broken(*args):
        raise ValueError("render failed")
    monkeypatch.setattr(pipeline, "check_file", broken)
    assert cli.main(["check", "x.orus"]) == 70
    err = capsys.readouterr().err
    assert err.startswith("-- INTERNAL ERROR: Internal compiler error (this is our bug!) ")
    assert "= ValueError: render failed\n" in err and "Traceback" not in err


def test_dis_pass_flags(orus_cmd, clean_env, project):
    root = project({"f.orus": "fn f(n: i32) -> i32:\n    mut t = 0\n    for i in 0..n:\n        t += 2 * 3\n"
                              "    return t\nprint(f(4))\n"})
    raw = orus(orus_cmd, "dis", "--no-opt", "f.orus", cwd=root, env=clean_env)
    opt = orus(orus_cmd, "dis", "f.orus", cwd=root, env=clean_env)
    assert raw.returncode == opt.returncode == 0
    assert "mul.i32" in raw.stdout and "mul.i32" not in opt.stdout      # 2 * 3 folded
    after = orus(orus_cmd, "dis", "--ir-after=const-fold", "--fn=f", "f.orus", cwd=root, env=clean_env)
    assert after.stdout.startswith("; after const-fold\nfn @f(") and "@main" not in after.stdout
    timed = orus(orus_cmd, "dis", "--time-passes", "f.orus", cwd=root, env=clean_env)
    assert "simplify-cfg" in timed.stdout and timed.stdout.rstrip().splitlines()[-1].startswith("total")


def test_pass_flag_errors_are_usage_errors(orus_cmd, clean_env, project):
    root = project({"f.orus": "print(1)\n"})
    for flag in ("--disable-pass=simplify-cfg", "--disable-pass=nope"):
        r = orus(orus_cmd, "run", flag, "f.orus", cwd=root, env=clean_env)
        assert (r.returncode, r.stdout) == (64, "") and "orus: error:" in r.stderr
    r = orus(orus_cmd, "dis", "--ir-after=nope", "f.orus", cwd=root, env=clean_env)
    assert r.returncode == 64 and "unknown pass name for --ir-after: nope" in r.stderr
    ok = orus(orus_cmd, "run", "--disable-pass=cse", "--disable-pass=dce", "f.orus", cwd=root, env=clean_env)
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "1\n", "")


@pytest.mark.parametrize("argv", [
    ["run", "x.orus"], ["x.orus"], ["--gc-stats", "x.orus"], ["x.orus", "--no-color", "--gc-stats"],
    ["run", "--no-color", "x.orus"], ["run", "run"], ["run", "check"], ["check"], ["run"], [],
    ["x.orus", "y.orus"], ["--gc", "x.orus"], ["--tier=2", "x.orus"], ["run", "-", "x"], ["dis", "x.orus"],
    ["--no-color", "run", "x.orus"], ["run", "x.orus", "--"], ["--gc-stats", "check", "x.orus"]])
def test_plain_run_lines_mean_the_same_to_argparse(argv):
    """The fast path's reading of a command line (cli.main.plain_run) is argparse's, or it
    leaves the line to argparse."""
    from orus.cli import args as cli_args
    from orus.cli.main import plain_run
    plain = plain_run(argv)
    if plain is None:
        return
    parsed = cli_args.build_parser().parse_args(cli_args.with_default_command(argv))
    assert (parsed.command, parsed.file, parsed.tier, parsed.disable_pass) == ("run", plain[0], None, [])
    assert {n for n in ("gc_stats", "no_color") if getattr(parsed, n, False)} == plain[1]


def test_plain_run_takes_the_common_lines():
    from orus.cli.main import plain_run
    assert plain_run(["run", "x.orus"]) == ("x.orus", set())
    assert plain_run(["x.orus", "--gc-stats"]) == ("x.orus", {"gc_stats"})
    assert plain_run(["run", "check"]) == ("check", set())
    assert [plain_run(a) for a in (["check"], ["--tier=0", "x.orus"], ["a", "b"], ["--gc", "x"])] == [None] * 4
