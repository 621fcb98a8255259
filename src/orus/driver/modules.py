"""Finding, parsing and ordering the files of a program (spec 7.3, 7.4).

Algorithm (`load_program`):
  1. Parse the main file; it is the first module on the "in progress" stack.
  2. For each top-level `use` of the module on top of the stack, in source order:
     resolve the dotted path against the search roots (`find_module`: cwd, the
     importer's directory, the launcher's directory, each ORUSPATH entry; the
     first existing file wins; the candidates tried before it are the program's
     `shadowing` paths, which the code cache watches).
     * not found: MODULE ERROR "Failed to use this module" at the `use`;
     * found and on the in-progress stack: a cycle, MODULE ERROR at this `use`;
     * found and already loaded: reuse it (a module is loaded once);
     * otherwise parse it and recurse (depth first).
     `Use.module` is set to the loaded SourceModule in the last two cases.
  3. A module joins the load order after all its imports: the result lists
     dependencies first and the main file last (execution order, spec 7.4).

Invariants:
  * A module's identity is its absolute, normalised path, so two spellings that
    find the same file load it once; its `name` is the dotted name of the first
    `use` that loaded it.
  * Diagnostic spans name a module by its display path (spec 7.3), which is also
    the key under which its bytes are kept in the SourceCache.
  * A lexical or syntax error in any file raises CompileError (compilation stops);
    module errors are reported to the sink and loading goes on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from orus.diag import MODULE, CompileError, Diagnostic, DiagnosticSink, SourceCache
from orus.driver.options import Options, oruspath_entries
from orus.sema.program import Program, SourceModule
from orus.syntax import ast

T_USE = "Failed to use this module"
T_CYCLE = "Modules are using each other in a circle"
ROOTS_HINT = "Hint: Set the ORUSPATH environment variable to add additional module directories."


@dataclass(frozen=True)
class Candidate:
    """One place where a module may live."""

    display: str     # the file to try, and how diagnostics name it (relative to Options.cwd)
    shown: str       # the absolute path on the module's search-roots line of the failure message
    kind: str        # "current working directory", "importer directory", ...


def module_file(dotted: list[str]) -> str:
    """`a.b.c` -> `a/b/c.orus` (spec 7.3)."""
    return "/".join(dotted) + ".orus"


def candidates(dotted: list[str], importer_display: str, options: Options) -> list[Candidate]:
    """The search roots of spec 7.3, in order, for a `use` written in `importer_display`.

    The display path is the root as written joined with the normalised path; the failure
    message shows the absolute candidate for the first root and the absolute root for the rest."""
    norm = module_file(dotted)
    roots = [("", "current working directory"), (os.path.dirname(importer_display), "importer directory")]
    if options.exe_dir:
        roots.append((options.exe_dir, "runtime directory"))
    roots += [(entry, "ORUSPATH entry") for entry in oruspath_entries(options.oruspath)]
    first = Candidate(norm, os.path.join(options.cwd, norm), roots[0][1])
    return [first] + [Candidate(os.path.join(root, norm), os.path.normpath(os.path.join(options.cwd, root)), kind)
                      for root, kind in roots[1:]]


def find_module(dotted: list[str], importer_display: str, options: Options) -> tuple[Candidate | None, list[str]]:
    """(the first candidate that is an existing file or None, the absolute paths of the
    candidates tried before it)."""
    tried = []
    for cand in candidates(dotted, importer_display, options):
        path = os.path.normpath(os.path.join(options.cwd, cand.display))
        if os.path.isfile(path):
            return cand, tried
        tried.append(path)
    return None, tried


def unresolved_message(dotted: list[str], importer_display: str, options: Options) -> str:
    """The complete failure message of spec 7.3, search roots included."""
    lines = [f"Unable to resolve module '{'.'.join(dotted)}'. Normalized path '{module_file(dotted)}'.",
             "Search roots tried:"]
    lines += [f"  - {c.shown} ({c.kind})" for c in candidates(dotted, importer_display, options)]
    lines.append(ROOTS_HINT)
    return "\n".join(lines)


def identity(path: str, options: Options) -> str:
    """A module's identity: its absolute, normalised path."""
    return os.path.normpath(os.path.join(options.cwd, path))


def parse_file(display: str, data: bytes, sources: SourceCache) -> ast.Module:
    """Parse one file, keeping its bytes for diagnostics (raises CompileError)."""
    from orus.syntax.parser import parse    # on first use: `orus --help` need not load the parser
    sources.add(display, data)
    return parse(data, display)


class _Loader:
    """Depth-first loader: one instance per program."""

    def __init__(self, options: Options, sink: DiagnosticSink, sources: SourceCache):
        self.options = options
        self.sink = sink
        self.sources = sources
        self.loaded: dict[str, SourceModule] = {}
        self.stack: list[SourceModule] = []
        self.order: list[SourceModule] = []
        self.shadowing: dict[str, None] = {}      # an ordered set: Program.shadowing

    def visit(self, module: SourceModule) -> None:
        self.loaded[module.abspath] = module
        self.stack.append(module)
        for stmt in module.tree.body:
            if type(stmt) is ast.Use:
                self.load_use(module, stmt)
        self.stack.pop()
        self.order.append(module)

    def load_use(self, importer: SourceModule, use: ast.Use) -> None:
        found, tried = find_module(use.path, importer.display_path, self.options)
        if found is None:
            message = unresolved_message(use.path, importer.display_path, self.options)
            self.sink.report(Diagnostic(MODULE, T_USE, message, use.span))
            return
        self.shadowing.update(dict.fromkeys(tried))
        key = identity(found.display, self.options)
        open_index = next((i for i, m in enumerate(self.stack) if m.abspath == key), None)
        if open_index is not None:
            self.report_cycle(open_index, use)
            return
        if key not in self.loaded:
            self.visit(self.read_module(use, found, key))
        use.module = self.loaded[key]

    def read_module(self, use: ast.Use, found: Candidate, key: str) -> SourceModule:
        try:
            with open(key, "rb") as f:
                data = f.read()
        except OSError:
            raise CompileError(Diagnostic(MODULE, T_USE, f'Could not open file "{found.display}".',
                                          use.span))
        tree = parse_file(found.display, data, self.sources)
        return SourceModule(".".join(use.path), found.display, key, tree)

    def report_cycle(self, open_index: int, use: ast.Use) -> None:
        """The chain starts and ends with the module imported again (spec 7.4)."""
        closing = ".".join(use.path)
        chain = [closing] + [m.name for m in self.stack[open_index + 1:]] + [closing]
        self.sink.report(Diagnostic(MODULE, T_CYCLE, "Cyclic module dependency: " + " -> ".join(chain),
                                    use.span))


def load_program(path: str, data: bytes, options: Options, sink: DiagnosticSink,
                 sources: SourceCache) -> Program:
    """Parse the main file `path` (as given on the command line) and everything it uses.

    Raises CompileError on the first lexical or syntax error of any file."""
    tree = parse_file(path, data, sources)
    main = SourceModule("", path, identity(path, options), tree, is_main=True)
    loader = _Loader(options, sink, sources)
    loader.visit(main)
    return Program(loader.order, list(loader.shadowing))
