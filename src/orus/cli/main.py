"""The `orus` command: argument parsing and exit codes; all work is done by the driver.

Commands (`orus --help` lists them): `run FILE [--tier=N] [--gc-stats]` (also plain
`orus FILE`), `check FILE...`, `tokens FILE`, `ast FILE`, `dis FILE`. Exit codes: 0 ok,
64 usage error, 65 compile error, 66 unreadable input, 70 run-time or internal error.
Program output goes to stdout, everything else to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys

from orus.driver.options import (EXIT_COMPILE, EXIT_NOINPUT, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, TIERS, VERSION,
                                 Options)

COMMANDS = ("run", "check", "tokens", "ast", "dis")
# orus.driver.pipeline, imported by main() only after the code-cache fast path of `run`:
# it loads the whole front end, which a cached program does not need.
pipeline = None


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 64 (EX_USAGE) instead of 2."""

    def error(self, message: str):
        raise UsageError(f"{self.format_usage()}{self.prog}: error: {message}")


def _tier(text: str) -> int:
    if text not in {str(t) for t in TIERS}:
        raise argparse.ArgumentTypeError(f"invalid tier '{text}' (choose from 0, 1, 2)")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's default must not overwrite `orus --no-color run ...`.
    common.add_argument("--no-color", action="store_true", default=argparse.SUPPRESS,
                        help="never colour diagnostics")
    parser = _Parser(prog="orus", parents=[common],
                     description="The Orus language toolchain. `orus FILE` is short for `orus run FILE`.")
    parser.add_argument("--version", action="version", version=f"orus {VERSION}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    run = sub.add_parser("run", parents=[common], help="compile and run a program",
                         description="Compile FILE and every module it uses, then run it.")
    run.add_argument("file", metavar="FILE")
    run.add_argument("--tier", type=_tier, default=None, metavar="{0,1,2}",
                     help="execution tier: 0 interpreter, 1 baseline JIT, 2 optimizing JIT "
                          "(default: the native engine, optimizing)")
    run.add_argument("--gc-stats", action="store_true",
                     help="after the run, print the garbage collector's statistics to stderr")
    _pass_flags(run)
    check = sub.add_parser("check", parents=[common], help="type-check programs without running them",
                           description="Compile each FILE through the type checker; run nothing.")
    check.add_argument("files", metavar="FILE", nargs="+")
    tokens = sub.add_parser("tokens", parents=[common], help="print the tokens of a file",
                            description="Print the token stream of FILE, one token per line.")
    tokens.add_argument("file", metavar="FILE")
    dump = sub.add_parser("ast", parents=[common], help="print the syntax tree of a file",
                          description="Print the abstract syntax tree of FILE.")
    dump.add_argument("file", metavar="FILE")
    dis = sub.add_parser("dis", parents=[common], help="print the IR of a program",
                         description="Compile FILE and print its IR (the text form of the SSA IR).")
    dis.add_argument("file", metavar="FILE")
    _pass_flags(dis)
    dis.add_argument("--no-opt", action="store_true", help="print the IR as lowered, before any pass")
    dis.add_argument("--ir-after", action="append", default=[], metavar="PASS",
                     help="print each function after PASS instead of the final IR (repeatable)")
    dis.add_argument("--fn", default=None, metavar="NAME", help="with --ir-after: only the IR function NAME")
    dis.add_argument("--time-passes", action="store_true", help="print the time each pass took")
    return parser


def _pass_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--disable-pass", action="append", default=[], metavar="PASS",
                   help="do not run the optimisation pass PASS (repeatable; required passes refuse)")


def with_default_command(args: list[str]) -> list[str]:
    """`orus [options] FILE ...` means `orus [options] run FILE ...`."""
    first = next((a for a in args if not a.startswith("-")), None)
    return ["run"] + args if first is not None and first not in COMMANDS else args


def main(argv: list[str] | None = None) -> int:
    args_in = with_default_command(list(sys.argv[1:] if argv is None else argv))
    try:
        args = build_parser().parse_args(args_in)
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
    if args.command == "run":
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
