"""Which top-level functions and methods must be checked together (spec 3.5).

The call graph has an edge F -> G when G's name is used anywhere in F's body (nested
functions and lambdas included): a Name or module member denoting G, `S.g` for a static
function, and `v.g` for every method named g (the receiver's type is not known before
checking, so this over-approximates). Its strongly connected components (Tarjan, made
iterative so deep chains do not hit Python's recursion limit) are the recursive groups.
"""

from __future__ import annotations

from orus.sema.scopes import SymKind
from orus.syntax import ast

_FIELDS: dict = {}


def _all_slots(cls) -> list:
    out = []
    for k in cls.__mro__:
        out.extend(getattr(k, "__slots__", ()))
    return out


def _fields_of(cls) -> list:
    skip = {"span", "ty", "sym", "scope", "captures", "kind", "target", "owner_struct",
            "variant", "module", "declares", "catch_sym"}
    return [n for n in _all_slots(cls) if n not in skip]


def iter_children(node):
    names = _FIELDS.get(type(node))
    if names is None:
        names = _fields_of(type(node))
        _FIELDS[type(node)] = names
    for n in names:
        v = getattr(node, n, None)
        if isinstance(v, ast.Node):
            yield v
        elif isinstance(v, list):
            for x in v:
                if isinstance(x, ast.Node):
                    yield x


def _functions(program) -> list:
    fns = []
    for m in program.modules:
        for st in m.tree.body:
            if type(st) is ast.FnDecl:
                fns.append(st)
            elif type(st) is ast.ImplDecl:
                fns.extend(st.methods)
    return fns


def _edges(fn, nodes: set, methods_by_name: dict) -> list:
    out = []
    stack = [fn.body]
    while stack:
        n = stack.pop()
        k = type(n)
        if k is ast.Name:
            s = n.sym
            if s is not None and getattr(s, "kind", None) is SymKind.FUNC and s.decl in nodes:
                out.append(s.decl)
        elif k is ast.Field:
            kind = n.kind
            if kind and kind[0] == "static":
                fdecl = kind[1].info.methods.get(kind[2]) if kind[1].info else None
                if fdecl is not None:
                    out.append(fdecl)
            elif kind and kind[0] == "member" and getattr(kind[1], "kind", None) is SymKind.FUNC:
                if kind[1].decl in nodes:
                    out.append(kind[1].decl)
            else:
                out.extend(methods_by_name.get(n.name, ()))
        stack.extend(iter_children(n))
    return out


def function_groups(program) -> dict:
    """fn node -> the list of fn nodes of its strongly connected component."""
    fns = _functions(program)
    nodes = set(fns)
    methods_by_name: dict = {}
    for f in fns:
        if f.owner_struct is not None:
            methods_by_name.setdefault(f.name, []).append(f)
    graph = {f: _edges(f, nodes, methods_by_name) for f in fns}
    return _tarjan(fns, graph)


def _tarjan(fns: list, graph: dict) -> dict:
    state = {"index": {}, "low": {}, "on": set(), "stack": [], "groups": {}, "n": 0}
    for root in fns:
        if root not in state["index"]:
            _visit(root, graph, state)
    return state["groups"]


def _visit(root, graph: dict, st: dict) -> None:
    """Tarjan's algorithm from root with an explicit stack of (node, next successor)."""
    index, low, on, stack = st["index"], st["low"], st["on"], st["stack"]
    work = [(root, 0)]
    while work:
        v, i = work.pop()
        if i == 0:
            index[v] = low[v] = st["n"]
            st["n"] += 1
            stack.append(v)
            on.add(v)
        succ = graph[v]
        if i < len(succ):
            work.append((v, i + 1))
            w = succ[i]
            if w not in index:
                work.append((w, 0))
            elif w in on:
                low[v] = min(low[v], index[w])
            continue
        if low[v] == index[v]:
            _pop_component(v, st)
        if work:
            parent = work[-1][0]
            low[parent] = min(low[parent], low[v])


def _pop_component(v, st: dict) -> None:
    group = []
    while True:
        w = st["stack"].pop()
        st["on"].discard(w)
        group.append(w)
        if w is v:
            break
    group.reverse()
    for w in group:
        st["groups"][w] = group
