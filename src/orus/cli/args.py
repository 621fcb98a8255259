"""The `orus` command line grammar (argparse): commands, their flags and help texts.

Imported by cli/main.py only when a command line is not the plain `orus [run] FILE` that
the code cache may answer at once (argparse and gettext would cost such a start ~2 ms).
"""

from __future__ import annotations

import argparse

from orus.cli.main import COMMANDS
from orus.driver.options import TIERS, VERSION


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
