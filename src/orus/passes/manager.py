"""The pass manager: the optimisation pipeline as data, and the loop that runs it.

A pass is `def f(fn: Function, ctx: PassContext) -> bool` returning whether it
changed `fn` (STYLE.md section 5). `PIPELINE` lists the passes in the order they
run; a pass may appear twice under two names ("late-simplify-cfg"). `ORDER`
states the orderings the pipeline depends on, each with its reason; they are
checked when this module is imported, like Go's `passOrder`.

`run_pipeline(module_or_fn, ctx)` runs every enabled pass of `PIPELINE` on each
function, in order:
  1. The names in `ctx.disabled` (the CLI's `--disable-pass`) are removed from the
     pipeline: a pipeline entry's name removes it, a pass's name all its entries.
     An unknown name, or a `required` entry, is refused with ValueError.
  2. Each pass's run time is added to `ctx.timings[name]` and, when it reports a
     change, `ctx.changes[name]` is incremented (`timing_report` prints both for
     `--time-passes`).
  3. The pass must return a bool (asserted, as numba does).
  4. With `ctx.verify` the verifier checks the function after every pass.
  5. Any exception in a pass, or invalid IR after it, is re-raised as
     `InternalError("pass NAME, fn FN: ...")`, chained to the original.
`ctx.dump_before` / `ctx.dump_after` name passes around which the printed function
(only `ctx.dump_fn` if set) is appended to `ctx.dumps` (`--ir-before=`/`--ir-after=`).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Optional

from orus.ir.func import Function, Module
from orus.ir.printer import format_function
from orus.ir.verify import check_function, format_errors
from orus.passes.blockparams import remove_trivial_params
from orus.passes.condfold import fold_dominated_conditions
from orus.passes.constfold import fold_constants
from orus.passes.cse import eliminate_common_subexpressions
from orus.passes.dce import eliminate_dead_code
from orus.passes.simplify_cfg import simplify_cfg


class InternalError(Exception):
    """A compiler bug found while optimising: a pass raised, or left invalid IR."""


@dataclass
class PassContext:
    module: Optional[Module] = None          # set by run_pipeline for a Module; needed to verify
    verify: bool = False                     # run the verifier after every pass
    disabled: frozenset = frozenset()        # pass names not to run (required ones refused)
    timings: dict = field(default_factory=dict)       # pass name -> seconds, summed over functions
    changes: Counter = field(default_factory=Counter)  # pass name -> functions it changed
    dump_before: frozenset = frozenset()
    dump_after: frozenset = frozenset()
    dump_fn: Optional[str] = None            # dump only this function (by IR name)
    dumps: list = field(default_factory=list)          # "; after NAME" headers + printed functions


@dataclass(frozen=True)
class Pass:
    name: str
    run: Callable[[Function, PassContext], bool]
    required: bool = False


# Each pass function under its own name: what opt-<pass>.test files and --disable-pass name.
PASSES: dict[str, Callable[[Function, PassContext], bool]] = {
    "simplify-cfg": simplify_cfg,
    "block-params": remove_trivial_params,
    "const-fold": fold_constants,
    "cond-fold": fold_dominated_conditions,
    "cse": eliminate_common_subexpressions,
    "dce": eliminate_dead_code,
}

PIPELINE: list[Pass] = [
    # Required: the verifier skips unreachable blocks, so only this pass guarantees the
    # back ends see no unchecked code.
    Pass("simplify-cfg", simplify_cfg, required=True),
    Pass("block-params", remove_trivial_params),
    Pass("const-fold", fold_constants),
    Pass("cond-fold", fold_dominated_conditions),
    Pass("late-simplify-cfg", simplify_cfg),
    Pass("late-block-params", remove_trivial_params),
    Pass("late-const-fold", fold_constants),
    Pass("cse", eliminate_common_subexpressions),
    Pass("dce", eliminate_dead_code),
    Pass("final-simplify-cfg", simplify_cfg),
]

ORDER: list[tuple[str, str, str]] = [
    ("simplify-cfg", "block-params", "merged and bypassed blocks leave parameters with one source"),
    ("block-params", "const-fold", "a parameter that always receives a constant is that constant"),
    ("const-fold", "cond-fold", "a loop guard's limit (2147483647 - 1) must be a constant"),
    ("cond-fold", "late-simplify-cfg", "branches on decided conditions become jumps"),
    ("late-simplify-cfg", "late-block-params", "removed edges leave parameters with one source"),
    ("late-block-params", "late-const-fold", "newly known constants fold further"),
    ("late-const-fold", "cse", "folded results are constants that can be shared"),
    ("cse", "dce", "cse leaves the duplicates it replaced unused"),
    ("dce", "final-simplify-cfg", "dce empties blocks and drops parameters, so more jumps can be bypassed"),
]


def _check_order(pipeline: list[Pass], order: list[tuple[str, str, str]]) -> None:
    index = {p.name: i for i, p in enumerate(pipeline)}
    assert len(index) == len(pipeline), "duplicate pass name in PIPELINE"
    for first, then, why in order:
        assert first in index and then in index, f"ORDER names an unknown pass: {first}, {then}"
        assert index[first] < index[then], f"{first} must run before {then}: {why}"


_check_order(PIPELINE, ORDER)


def enabled_passes(disabled, pipeline: list[Pass] = PIPELINE) -> list[Pass]:
    """The pipeline without the `disabled` names. A name is a pipeline entry
    ("late-const-fold") or a pass ("const-fold": all its entries). Unknown names and
    required entries are refused with ValueError."""
    off: set[str] = set()
    for name in sorted(disabled):
        hit = [p for p in pipeline if p.name == name or p.run is PASSES.get(name)]
        if not hit:
            known = dict.fromkeys([p.name for p in pipeline] + list(PASSES))
            raise ValueError(f"unknown pass '{name}' (passes: {', '.join(known)})")
        required = [p.name for p in hit if p.required]
        if required:
            raise ValueError(f"pass '{required[0]}' is required and cannot be disabled")
        off.update(p.name for p in hit)
    return [p for p in pipeline if p.name not in off]


def run_pipeline(module_or_fn: Module | Function, ctx: PassContext, pipeline: list[Pass] = PIPELINE) -> None:
    """Run the enabled passes on every function of a module (or on one function of ctx.module)."""
    passes = enabled_passes(ctx.disabled, pipeline)
    if isinstance(module_or_fn, Module):
        ctx.module = module_or_fn
        functions = list(module_or_fn.functions.values())
    else:
        functions = [module_or_fn]
    for fn in functions:
        for p in passes:
            run_pass(p, fn, ctx)


def optimize_module(module: Module, ctx: PassContext) -> None:
    """The driver's entry point: the whole pipeline on every function of `module`."""
    run_pipeline(module, ctx)


def run_pass(p: Pass, fn: Function, ctx: PassContext) -> bool:
    """One pass on one function, timed, verified when ctx.verify, errors wrapped."""
    _dump(ctx, "before", p.name, fn, ctx.dump_before)
    start = time.perf_counter()
    try:
        changed = p.run(fn, ctx)
        assert isinstance(changed, bool), f"returned {changed!r}, not a bool"
    except Exception as e:
        raise InternalError(f"pass {p.name}, fn {fn.name}: {type(e).__name__}: {e}") from e
    finally:
        ctx.timings[p.name] = ctx.timings.get(p.name, 0.0) + time.perf_counter() - start
    if changed:
        ctx.changes[p.name] += 1
    if ctx.verify:
        if ctx.module is None:
            raise InternalError(f"pass {p.name}, fn {fn.name}: verifying needs PassContext.module")
        errors = check_function(fn, ctx.module)
        if errors:
            raise InternalError(f"pass {p.name}, fn {fn.name}: {format_errors(errors, p.name)}")
    _dump(ctx, "after", p.name, fn, ctx.dump_after)
    return changed


def _dump(ctx: PassContext, when: str, name: str, fn: Function, names: frozenset) -> None:
    if name in names and ctx.dump_fn in (None, fn.name):
        ctx.dumps.append(f"; {when} {name}\n{format_function(fn)}")


def timing_report(ctx: PassContext) -> str:
    """`--time-passes`: one line per pass that ran, in pipeline order, then the total."""
    names = [p.name for p in PIPELINE if p.name in ctx.timings]
    names += [n for n in ctx.timings if n not in names]
    lines = [f"{n:<20} {ctx.timings[n] * 1000:9.3f} ms  changed {ctx.changes[n]} fn" for n in names]
    lines.append(f"{'total':<20} {sum(ctx.timings.values()) * 1000:9.3f} ms")
    return "\n".join(lines) + "\n"
