"""The unit sema works on: the main file and every module it imports, already parsed.

The driver (`driver/modules.py`) finds, parses and orders the files (spec 7.3,
7.4) and sets `Use.module` on every `use` statement; sema resolves names across
them and type-checks them; irgen lowers the whole `Program`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orus.syntax import ast


@dataclass(eq=False)
class SourceModule:
    name: str                          # dotted name as first written in a `use` ("" for the main file)
    display_path: str                  # the path shown in diagnostics (spec 7.3)
    abspath: str                       # identity of the module (absolute, normalised)
    tree: ast.Module
    is_main: bool = False
    exports: dict[str, Any] = field(default_factory=dict)   # name -> Symbol, filled by the resolver
    scope: Any = None                  # the module's top-level Scope, filled by the resolver


@dataclass(eq=False)
class Program:
    modules: list[SourceModule]        # dependencies first (load/execution order), main file last
    # Absolute paths, absent when the program was loaded, that would have been found before a
    # module it uses (spec 7.3 search order): compiled code is stale once one of them exists.
    shadowing: list[str] = field(default_factory=list)

    @property
    def main(self) -> SourceModule:
        return self.modules[-1]
