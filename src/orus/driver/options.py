"""Settings of one compilation, gathered from the command line and the environment.

The driver never reads `os.environ`, `os.getcwd()` or `sys.argv` itself: everything
it needs from the outside world is captured here once (`Options.from_env`), so tests
can build an `Options` by hand and run the pipeline in-process for any directory,
search path or colour setting.
"""

from __future__ import annotations

import os
import sys

from orus import __version__ as VERSION

# Process exit codes (spec section 0, plus 64/66 from the BSD sysexits convention).
EXIT_OK = 0
EXIT_USAGE = 64          # bad command line
EXIT_COMPILE = 65        # lexical, syntax, name, type or module error
EXIT_NOINPUT = 66        # the input file cannot be read (the spec says 65; see README)
EXIT_RUNTIME = 70        # uncaught run-time error, and internal compiler errors

TIERS = (0, 1, 2)
# LLVM optimisation levels of the native tiers (measurements: README.md, "Native engine").
OPT_BASELINE = 0
OPT_DEFAULT = 3


class Options:
    """What the pipeline needs to know besides the file to compile.

    A plain class, not a dataclass: `orus run` of a cached program imports this module,
    and dataclasses (with inspect) would add ~10 ms to its start-up."""

    __slots__ = ("tier", "color", "cwd", "exe_dir", "oruspath", "environ", "optimize", "disabled_passes",
                 "dump_after", "dump_fn", "time_passes", "last_pass_context", "gc_stats", "opt_level")

    def __init__(self, *,
                 tier: int | None = None,          # execution tier for `run`; None lets the engine choose
                 color: bool | None = None,        # None: decide from the stream (spec 6.1); False: --no-color
                 cwd: str | None = None,           # module search root 1 (spec 7.3); None: os.getcwd()
                 exe_dir: str = "",                # directory of the running `orus` program (root 3)
                 oruspath: str | None = None,      # raw ORUSPATH value (root 4); None when unset
                 environ: dict | None = None,      # consulted for NO_COLOR / TERM
                 optimize: bool = True,            # run the IR pass pipeline after lowering (not --no-opt)
                 disabled_passes: frozenset = frozenset(),   # --disable-pass NAME
                 dump_after: frozenset = frozenset(),        # --ir-after NAME: print functions after it
                 dump_fn: str | None = None,       # --fn NAME: dump only that IR function
                 time_passes: bool = False,        # --time-passes
                 last_pass_context: object = None,  # the PassContext of the last pipeline run
                 gc_stats: bool = False,           # run --gc-stats: print the collector's statistics
                 opt_level: int | None = None):    # native optimisation level 0-3; None: by the tier
        self.tier, self.color = tier, color
        self.cwd = os.getcwd() if cwd is None else cwd
        self.exe_dir, self.oruspath = exe_dir, oruspath
        self.environ = {} if environ is None else environ
        self.optimize, self.disabled_passes, self.dump_after = optimize, disabled_passes, dump_after
        self.dump_fn, self.time_passes, self.last_pass_context = dump_fn, time_passes, last_pass_context
        self.gc_stats, self.opt_level = gc_stats, opt_level

    def __repr__(self) -> str:
        return "Options(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__) + ")"

    def pass_context(self, module):
        """A fresh PassContext for one pipeline run, remembered for `orus dis`."""
        from orus.passes.manager import PassContext
        self.last_pass_context = PassContext(module=module, verify=self.verify,
                                             disabled=self.disabled_passes, dump_after=self.dump_after,
                                             dump_fn=self.dump_fn)
        return self.last_pass_context

    @property
    def jit_opt_level(self) -> int:
        """LLVM optimisation level of native code: `opt_level`, else ORUS_OPT_LEVEL (0-3), else
        the tier's: tier 1 (baseline) OPT_BASELINE, tier 2 and the default tier OPT_DEFAULT."""
        if self.opt_level is not None:
            return self.opt_level
        raw = self.environ.get("ORUS_OPT_LEVEL", "")
        if raw in ("0", "1", "2", "3"):
            return int(raw)
        return OPT_BASELINE if self.tier == 1 else OPT_DEFAULT

    @property
    def verify(self) -> bool:
        """ORUS_VERIFY=1: run the IR verifier after lowering (the test suite always sets it)."""
        return self.environ.get("ORUS_VERIFY", "") not in ("", "0")

    @staticmethod
    def from_env(**overrides) -> "Options":
        """Options for this process: its cwd, its launcher's directory, its ORUSPATH."""
        base = Options(cwd=os.getcwd(), exe_dir=program_dir(), oruspath=os.environ.get("ORUSPATH"),
                       environ=dict(os.environ))
        for name, value in overrides.items():
            setattr(base, name, value)
        return base


def colors_for(stream, options: Options):
    """Spec 6.1 colours for `stream`, unless --no-color was given."""
    from orus.diag import Colors
    if options.color is False:
        return Colors()
    return Colors.for_stream(stream, options.environ)


def program_dir() -> str:
    """The real directory of the program that was started (the `orus` launcher script)."""
    launcher = sys.argv[0] if sys.argv and sys.argv[0] else sys.executable
    return os.path.dirname(os.path.realpath(launcher))


def oruspath_entries(raw: str | None) -> list[str]:
    """ORUSPATH split on ':', each entry whitespace-trimmed, empty entries dropped (spec 7.3)."""
    if not raw:
        return []
    return [part.strip() for part in raw.split(":") if part.strip()]
