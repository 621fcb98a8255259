"""The dependency rules of STYLE.md section 2, checked on every module under src/orus.

Algorithm:
  1. Walk src/orus; each .py file gets its dotted module name.
  2. Parse it with `ast` and collect every `import` / `from ... import` anywhere in the
     file (also inside functions and `if TYPE_CHECKING:`), resolving relative imports.
     `from P import n` counts as importing `P.n` when that is a module or package of
     the tree, else as importing `P`.
  3. Map both ends to their *component* (`orus.sema.check` -> `sema`, `orus.backend.llvm.emit`
     -> `backend.llvm`, `orus` itself -> the root) and look the pair up in `ALLOWED`.

A component may always import itself. A component missing from `ALLOWED` fails the test:
STYLE.md section 1 lists every package, so a new one must be added to the table on purpose.
Imports by string (`importlib.import_module`) are not seen.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
ROOT = "<root>"  # the package `orus` itself (orus/__init__.py)
ANY = None

LAYER1 = {"diag", "semantics"}
BACKEND_DEPS = {"ir", "rtabi"} | LAYER1

# component -> the components it may import (besides itself); ANY = no restriction.
# One entry per line of STYLE.md section 2, in its order; the packages of section 1 that
# the rules do not name (the root, `backend` itself, `runtime`) may import nothing.
# `orus/__main__.py` (`python -m orus`) is the `orus` command by another name, so it is
# an entry point above `cli` and may import only `cli`.
ALLOWED: dict[str, set[str] | None] = {
    "diag": set(),
    "semantics": set(),
    "syntax": LAYER1,
    "sema": LAYER1 | {"syntax"},
    "ir": LAYER1,
    "rtabi": LAYER1,
    "analysis": {"ir"},
    "passes": {"ir", "analysis"} | LAYER1,
    "irgen": LAYER1 | {"syntax", "sema", "ir", "rtabi"},
    "backend.interp": BACKEND_DEPS,
    "backend.llvm": BACKEND_DEPS | {"runtime"},   # the runtime's builder (orus.runtime.build)
    "backend": set(),
    "driver": ANY,
    "cli": {"driver"},
    "runtime": set(),
    ROOT: set(),
    "__main__": {"cli"},
}


def component(module: str) -> str:
    """The layer a dotted module name under `orus` belongs to."""
    parts = module.split(".")[1:]
    if not parts:
        return ROOT
    if parts[0] == "backend" and len(parts) > 1:
        return "backend." + parts[1]
    return parts[0]


def module_name(path: Path) -> str:
    """orus/sema/check.py -> orus.sema.check; orus/sema/__init__.py -> orus.sema."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name: str, src: Path = SRC) -> bool:
    """True when the dotted name is a module or package of the source tree."""
    base = src.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imported_modules(source: str, module: str, is_package: bool, src: Path = SRC) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import statement of one file."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.append((node.lineno, full if is_module(full, src) else base))
    return found


def violations(source: str, module: str, is_package: bool = False, src: Path = SRC) -> list[str]:
    """The forbidden imports of one module, as readable lines."""
    own = component(module)
    if own not in ALLOWED:
        return [f"{module}: component '{own}' is not in STYLE.md section 2; add it to ALLOWED"]
    allowed = ALLOWED[own]
    bad = []
    for line, target in imported_modules(source, module, is_package, src):
        if target != "orus" and not target.startswith("orus."):
            continue
        other = component(target)
        if allowed is not ANY and other != own and other not in allowed:
            bad.append(f"{module}:{line}: {own} may not import {target} ({other})")
    return bad


def source_files() -> list[Path]:
    return sorted((SRC / "orus").rglob("*.py"))


@pytest.mark.parametrize("path", source_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_module_respects_layers(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert violations(source, module_name(path), path.name == "__init__.py") == []


def test_every_component_in_the_tree_has_a_rule() -> None:
    components = {component(module_name(p)) for p in source_files()}
    assert components - ALLOWED.keys() == set()


# --- the checker itself must be able to fail -------------------------------------------

@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A fake src tree with a few modules, for resolving `from P import n`."""
    for rel in ["orus/__init__.py", "orus/diag.py", "orus/ir/__init__.py", "orus/ir/func.py",
                "orus/backend/__init__.py", "orus/backend/interp/__init__.py",
                "orus/backend/llvm/__init__.py", "orus/syntax/__init__.py", "orus/syntax/ast.py", "orus/rtabi.py"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("")
    return tmp_path


@pytest.mark.parametrize("module,source,expected", [
    ("orus.semantics.ints", "from orus import diag", ["diag"]),
    ("orus.diag", "import orus.syntax.ast", ["syntax"]),
    ("orus.syntax.parser", "from orus.sema import types", ["sema"]),
    ("orus.ir.func", "from orus.syntax.ast import Name", ["syntax"]),
    ("orus.analysis.dom", "from orus.diag import Span", ["diag"]),
    ("orus.passes.dce", "from orus.irgen.expr import x", ["irgen"]),
    ("orus.backend.llvm.emit", "from orus.backend import interp", ["backend.interp"]),
    ("orus.backend.interp.run", "from ...sema import check", ["sema"]),
    ("orus.cli.main", "from orus import __version__", [ROOT]),
    ("orus.cli.main", "from orus.diag import render", ["diag"]),
    ("orus.cli.main", "def f():\n    import orus.syntax.lexer", ["syntax"]),
    ("orus.__main__", "from orus.driver import pipeline", ["driver"]),
    ("orus", "from orus.syntax import ast", ["syntax"]),
])
def test_checker_reports_forbidden_imports(tree, module, source, expected):
    found = violations(source, module, src=tree)
    assert [line.rpartition("(")[2].rstrip(")") for line in found] == expected


@pytest.mark.parametrize("module,source", [
    ("orus.semantics.ints", "from orus.semantics.errors import Trap\nimport math"),
    ("orus.syntax.parser", "from orus import diag\nfrom . import ast"),
    ("orus.sema.check", "from orus.syntax import ast\nfrom orus.semantics import ints"),
    ("orus.irgen.expr", "from orus.ir import func\nfrom orus.sema.types import I32"),
    ("orus.passes.dce", "from orus.analysis import cfg\nfrom orus.semantics import ints"),
    ("orus.backend.llvm.emit", "from orus import rtabi\nfrom orus.ir.func import Function"),
    ("orus.backend.llvm.jit", "from orus.runtime import build"),
    ("orus.driver.pipeline", "from orus.backend.llvm import jit\nfrom orus.cli import main"),
    ("orus.cli.main", "from orus.driver.pipeline import run"),
    ("orus.__main__", "from orus.cli.main import main"),
])
def test_checker_accepts_allowed_imports(tree, module, source):
    assert violations(source, module, src=tree) == []


def test_unknown_component_is_reported(tree):
    assert violations("", "orus.utils.misc", src=tree) == [
        "orus.utils.misc: component 'utils' is not in STYLE.md section 2; add it to ALLOWED"]
