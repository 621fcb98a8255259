"""Deferred checks, generalisation and instantiation of generic functions (spec 3.5).

A rule that meets a type variable where it needs a concrete type (an operator's operand,
`len`, indexing, `for`, a cast...) records a `Check` instead of deciding. `attempt` runs
a check once its types are known; until then it waits in the current context's list.

When a function's (or recursive group's) body is done, its waiting checks are retried;
for a generic function the rest become part of its scheme: `FnInfo.quantified` are the
type variables deeper than the function's surroundings (levels), `FnInfo.deferred` the
checks to make per instantiation. A non-generic function hands its rest to its
surroundings (they may be fixed by later uses).

A use of a generic function substitutes fresh variables for the quantified ones. Once
the argument types are concrete, `instance` finds or makes the `Instance` for that
combination (one per distinct parameter types), running the deferred checks under it;
their errors are reported at the using call (`loc`) and cached for later calls with the
same types. Otherwise each check is substituted and retried in the caller, and an
"instance" check waits for the types, so errors surface at the outermost call whose
argument types are known, as the spec requires.
"""

from __future__ import annotations

from orus import diag
from orus.sema import types as T
from orus.sema.check_expr import arith_error, cast_error, compare_error
from orus.sema.typed import Instance


class Check:
    """One deferred rule: `kind`, the types it inspects, an optional result variable."""

    __slots__ = ("kind", "types", "result", "span", "extra")

    def __init__(self, kind: str, types: tuple, result, span, extra=None):
        self.kind, self.types, self.result, self.span, self.extra = kind, types, result, span, extra

    def subst(self, mapping: dict, span) -> "Check":
        types = tuple(T.substitute(t, mapping) for t in self.types)
        result = T.substitute(self.result, mapping) if self.result is not None else None
        return Check(self.kind, types, result, span, self.extra)


def _elem_result(t, want_slice: bool):
    if type(t) is T.ArrayT:
        return t if want_slice else t.elem
    if t is T.STRING:
        return T.STRING
    return None


class GenericChecker:
    # ------------------------------------------------------------ deferring
    def defer(self, kind: str, types: tuple, result, span, extra=None) -> None:
        c = Check(kind, types, result, span, extra)
        if not self.attempt(c, force=False):
            self.ctx.deferred.append(c)

    def flush(self, checks: list, force: bool) -> None:
        """Retry waiting checks until none progresses; `force` settles the rest."""
        progress = True
        while progress and checks:
            progress = False
            pending = checks[:]
            checks.clear()
            for c in pending:
                if self.attempt(c, force=False):
                    progress = True
                else:
                    checks.append(c)
        while force and checks:
            self.attempt(checks.pop(0), force=True)

    def attempt(self, c: Check, force: bool) -> bool:
        """Run c if its types allow; False when it must wait."""
        if c.kind == "instance":
            return self.run_instance_check(c, force)
        ts = [T.prune(t) for t in c.types]
        if any(t is T.BAD for t in ts):
            return True
        if any(type(t) is T.TVar for t in ts):
            return force        # dropped when forced: nothing of that type exists
        msg = self.check_outcome(c, ts)
        if msg is not None:
            self.check_error(msg, c.span)
        return True

    def check_error(self, msg: tuple, span) -> None:
        found, required = msg
        req = required if isinstance(required, str) else T.show(required)
        text = f"this is a `{T.show(found)}`, but `{req}` was expected"
        if self.recording:
            self.recording[-1].errors.append(text)
        self.report(diag.type_error(text, span))

    def check_outcome(self, c: Check, ts: list):
        """(found, required) when the check fails for these concrete types, else None."""
        kind = c.kind
        t = ts[0]
        if kind == "integer":
            return None if t in T.INTEGERS else (t, "integer type")
        if kind.startswith("arith:"):
            err = arith_error(kind[6:], t)
            return (t, err) if err else None
        if kind.startswith("cmp:"):
            return compare_error(kind[4:], ts[0], ts[1], self.all_payloads)
        if kind == "neg":
            if t not in T.NUMERICS:
                return t, "numeric type"
            T.unify(c.result, T.SIGNED_OF[t])
            return None
        if kind == "invert":
            if t not in T.INTEGERS:
                return t, "integer type"
            T.unify(c.result, t)
            return None
        if kind == "cast":
            return (t, ts[1]) if cast_error(t, ts[1]) else None
        if kind == "len":
            return None if t is T.STRING or type(t) is T.ArrayT else (t, "array")
        return self.element_outcome(c, t)

    def element_outcome(self, c: Check, t):
        kind = c.kind
        if kind == "iter":
            if t is T.RANGE:
                T.unify(c.result, T.I64)
                return None
            if type(t) is T.ArrayT:
                T.unify(c.result, t.elem)
                return None
            return t, "array"
        got = _elem_result(t, kind == "slice")
        if got is None:
            return t, "array"
        T.unify(c.result, got)
        return None

    # ------------------------------------------------------------ generalisation
    def close_group(self, ctxs: list, env_level: int) -> None:
        """Finish the contexts of a function group: generalise or hand checks outwards."""
        saved = self.ctx
        deferred: list = []
        for c in ctxs:
            self.ctx = c
            self.flush(c.deferred, force=False)
            deferred.extend(c.deferred)
        self.ctx = saved
        if any(c.generic for c in ctxs):
            deferred = self.generalise(ctxs, deferred, env_level)
        (saved.deferred if saved is not None else self.final).extend(deferred)

    def generalise(self, ctxs: list, deferred: list, env_level: int) -> list:
        """Quantify the group over its own variables; returns the checks its
        surroundings must make too."""
        types: list = []
        for c in ctxs:
            types.extend(c.info.sig.params)
            types.append(c.info.sig.ret)
        for chk in deferred:
            types.extend(chk.types)
            if chk.result is not None:
                types.append(chk.result)
        quantified = [v for v in T.all_free_vars(types) if v.level > env_level]
        for c in ctxs:
            for callee_info, node in c.group_calls:
                deferred.append(Check("instance", tuple(quantified), None, node.span,
                                      (callee_info, node, quantified)))
        # An instantiation that involves none of the group's own variables (`t = twice;
        # print(t)` with t's types still open) is made once, by the surroundings.
        own = set(quantified)
        outward = [chk for chk in deferred if chk.kind == "instance" and
                   not any(v in own for v in T.all_free_vars(chk.types))]
        kept = [chk for chk in deferred if chk not in outward]
        for c in ctxs:
            c.info.quantified = quantified
            c.info.deferred = kept
        # checks on variables of the surroundings are also theirs (a nested function
        # shares its enclosing function's variables, spec 3.5)
        return outward + [chk for chk in kept if chk.kind != "instance" and
                          any(v.level <= env_level for v in T.all_free_vars(chk.types))]

    # ------------------------------------------------------------ uses
    def use_function(self, info, node) -> T.Type:
        """The type of a (non-called) use of a function, instantiated when generic."""
        ft = self.function_type_for_call(info, node)
        self.after_call(info, node)
        return ft

    def function_type_for_call(self, info, node) -> T.FnT:
        if self.state.get(info.node) == "busy":
            if self.ctx is not None:
                self.ctx.group_calls.append((info, node))
            return info.sig
        if not info.quantified:
            return info.sig
        mapping = {q: self.fresh() for q in info.quantified}
        self.pending_uses[node] = mapping
        return T.substitute(info.sig, mapping)

    def after_call(self, info, node) -> None:
        mapping = self.pending_uses.pop(node, None)
        if mapping is None:
            return
        qs = info.quantified
        req = Check("instance", tuple(mapping[q] for q in qs), None, self.loc_of(node),
                    (info, node, qs))
        if self.instance_ready(req) or self.ctx is None:
            self.attempt(req, force=True)
            return
        # Checks that produce a type run now, so the call's result type is known; the
        # others are made when the instance check finds the argument types known.
        for chk in info.deferred:
            if chk.result is not None:
                sub = chk.subst(mapping, req.span)
                if not self.attempt(sub, force=False):
                    self.ctx.deferred.append(sub)
        self.ctx.deferred.append(req)

    def loc_of(self, node):
        return node.name_span if hasattr(node, "name_span") else node.span

    def instance_ready(self, req: Check) -> bool:
        info, _node, qs = req.extra
        mapping = dict(zip(qs, req.types))
        return all(T.is_concrete(T.substitute(p, mapping)) for p in info.sig.params)

    def run_instance_check(self, req: Check, force: bool) -> bool:
        if not force and not self.instance_ready(req):
            return False
        info, node, qs = req.extra
        mapping = dict(zip(qs, req.types))
        inst = self.instance(info, mapping, req.span)
        for q in qs:
            T.unify(mapping[q], inst.subst.get(q, mapping[q]))
        if self.recording:
            self.recording[-1].calls[node] = inst
        else:
            self.typed.call_targets[node] = inst
        return True

    def instance(self, info, mapping: dict, loc) -> Instance:
        """The instance of `info` for the parameter types under mapping (made once)."""
        params = [T.resolve(T.substitute(p, mapping)) for p in info.sig.params]
        key = tuple(T.type_key(p) for p in params)
        inst = info.by_key.get(key)
        if inst is not None:
            for text in inst.errors:
                self.report(diag.type_error(text, loc))
            return inst
        subst = {q: self.fresh() for q in info.quantified}
        inst = Instance(info.node, subst, key, params)
        info.by_key[key] = inst
        info.instances.append(inst)
        for p, a in zip(info.sig.params, params):
            T.unify(T.substitute(p, subst), a)
        self.recording.append(inst)
        try:
            for chk in info.deferred:
                sub = chk.subst(subst, loc)
                if not self.attempt(sub, force=False) and self.ctx is not None:
                    self.ctx.deferred.append(sub)
        finally:
            self.recording.pop()
        inst.ret = T.substitute(info.sig.ret, subst)
        return inst
