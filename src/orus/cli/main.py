"""The `orus` command: argument parsing and exit codes; all work is done by the driver.

Commands (`orus --help` lists them): `run FILE [--tier=N] [--gc-stats]` (also plain
`orus FILE`), `check FILE...`, `tokens FILE`, `ast FILE`, `dis FILE`. Exit codes: 0 ok,
64 usage error, 65 compile error, 66 unreadable input, 70 run-time or internal error.
Program output goes to stdout, everything else to stderr.
"""

from __future__ import annotations

import os
import sys

from orus.driver.options import EXIT_COMPILE, EXIT_NOINPUT, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, Options

# orus.driver.pipeline, imported by main() only after the code-cache fast path of `run`:
# it loads the whole front end, which a cached program does not need.
pipeline = None
COMMANDS = ("run", "check", "tokens", "ast", "dis")
# The flags a plain run may carry and still take the fast path (exact spellings only:
# abbreviations, --tier and the rest go through argparse).
_PLAIN_FLAGS = {"--gc-stats": "gc_stats", "--no-color": "no_color"}


def plain_run(args: list[str]) -> tuple[str, set[str]] | None:
    """(FILE, flag names) when `args` is `[run] FILE` with only _PLAIN_FLAGS besides, else
    None. Such a line means the same to argparse: without `run`, `with_default_command`
    puts `run` first, and the run command takes its flags before or after FILE."""
    rest = args[1:] if args[:1] == ["run"] else args
    files = [a for a in rest if not a.startswith("-")]
    flags = [a for a in rest if a.startswith("-")]
    if len(files) != 1 or any(f not in _PLAIN_FLAGS for f in flags):
        return None
    if rest is args and files[0] in COMMANDS:      # `orus check`: a command without its FILE
        return None
    return files[0], {_PLAIN_FLAGS[f] for f in flags}


def main(argv: list[str] | None = None) -> int:
    raw = list(sys.argv[1:] if argv is None else argv)
    plain = plain_run(raw)
    if plain is not None:
        file, flags = plain
        options = Options.from_env(color=False if "no_color" in flags else None, gc_stats="gc_stats" in flags)
        from orus.driver.native import run_cached
        status = run_cached(file, options, sys.stdin, sys.stdout, sys.stderr)
        if status is not None:
            return status
    from orus.cli.args import UsageError, build_parser, with_default_command
    try:
        args = build_parser().parse_args(with_default_command(raw))
    except UsageError as e:
        print(e, file=sys.stderr)
        return EXIT_USAGE
    if args.command is None:
        print(f"{build_parser().format_usage()}orus: error: a FILE or COMMAND is required", file=sys.stderr)
        return EXIT_USAGE
    options = Options.from_env(color=False if getattr(args, "no_color", False) else None,
                               tier=getattr(args, "tier", None),
                               optimize=not getattr(args, "no_opt", False),
                               disabled_passes=frozenset(getattr(args, "disable_pass", ())),
                               dump_after=frozenset(getattr(args, "ir_after", ())),
                               dump_fn=getattr(args, "fn", None),
                               time_passes=getattr(args, "time_passes", False),
                               gc_stats=getattr(args, "gc_stats", False))
    if args.command == "run" and plain is None:
        from orus.driver.native import run_cached
        status = run_cached(args.file, options, sys.stdin, sys.stdout, sys.stderr)
        if status is not None:
            return status
    global pipeline
    from orus.driver import pipeline as loaded
    pipeline = loaded
    bad = pipeline.pass_names_error(options.disabled_passes, options.dump_after)
    if bad:
        print(f"{build_parser().format_usage()}orus: error: {bad}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return HANDLERS[args.command](args, options)
    except BrokenPipeError:                 # `orus ast big.orus | head`: the reader left early
        sys.stdout = open(os.devnull, "w")
        return EXIT_OK
    except Exception as e:                  # a bug outside the guarded stages
        return pipeline.report_internal(e, sys.stderr, options)


def cmd_run(args, options: Options) -> int:
    status, result = _check_one(args.file, options)
    if status != EXIT_OK:
        return status
    return pipeline.execute(result, options)


def cmd_check(args, options: Options) -> int:
    statuses = [_check_one(path, options)[0] for path in args.files]
    for worst in (EXIT_RUNTIME, EXIT_NOINPUT, EXIT_COMPILE):
        if worst in statuses:
            return worst
    return EXIT_OK


def _check_one(path: str, options: Options):
    try:
        result = pipeline.check_file(path, options)
    except pipeline.InputError as e:
        return pipeline.report_input_error(e, sys.stderr), None
    if not result.ok:
        return pipeline.report_failure(result, sys.stderr, options), result
    return EXIT_OK, result


def _print_stage(stage, args, options: Options) -> int:
    try:
        result = stage(pipeline.read_source(args.file, options), args.file)
    except pipeline.InputError as e:
        return pipeline.report_input_error(e, sys.stderr)
    if not result.ok:
        return pipeline.report_failure(result, sys.stderr, options)
    sys.stdout.write(result.output if result.output.endswith("\n") or not result.output
                     else result.output + "\n")
    return EXIT_OK


def cmd_dis(args, options: Options) -> int:
    try:
        result = pipeline.dis_file(args.file, options)
    except pipeline.InputError as e:
        return pipeline.report_input_error(e, sys.stderr)
    if not result.ok:
        return pipeline.report_failure(result, sys.stderr, options)
    sys.stdout.write(result.output)
    return EXIT_OK


HANDLERS = {
    "run": cmd_run,
    "check": cmd_check,
    "tokens": lambda args, options: _print_stage(pipeline.tokens_source, args, options),
    "ast": lambda args, options: _print_stage(pipeline.ast_source, args, options),
    "dis": cmd_dis,
}
