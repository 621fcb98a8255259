"""Module resolution, display paths, cycles and load order (spec 7.3, 7.4).

The loader is driven in-process with hand-built Options, so cwd, the launcher's
directory and ORUSPATH are all under the test's control.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from orus.diag import DiagnosticSink, SourceCache
from orus.driver import modules, pipeline
from orus.driver.options import Options, oruspath_entries


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def load(root: Path, main: str = "main.orus", **opts):
    options = Options(cwd=str(root), **opts)
    sink = DiagnosticSink()
    data = (root / main).read_bytes()
    program = modules.load_program(main, data, options, sink, SourceCache())
    return program, sink.items


def test_module_file_name():
    assert modules.module_file(["nosuch"]) == "nosuch.orus"
    assert modules.module_file(["a", "b", "c"]) == "a/b/c.orus"


@pytest.mark.parametrize("raw, entries", [
    (None, []), ("", []), ("/a", ["/a"]), (" /a : /b ", ["/a", "/b"]), ("/a::/b:", ["/a", "/b"]),
    (" : ", []), ("rel/dir:/abs", ["rel/dir", "/abs"]),
])
def test_oruspath_parsing(raw, entries):
    assert oruspath_entries(raw) == entries


def test_candidates_order_and_display_paths(tmp_path):
    options = Options(cwd=str(tmp_path), exe_dir="/opt/orus/bin", oruspath="/p1: rel ")
    cands = modules.candidates(["m", "x"], "src/main.orus", options)
    assert [c.kind for c in cands] == ["current working directory", "importer directory", "runtime directory",
                                       "ORUSPATH entry", "ORUSPATH entry"]
    assert [c.display for c in cands] == ["m/x.orus", "src/m/x.orus", "/opt/orus/bin/m/x.orus",
                                          "/p1/m/x.orus", "rel/m/x.orus"]
    assert [c.shown for c in cands] == [f"{tmp_path}/m/x.orus", f"{tmp_path}/src", "/opt/orus/bin", "/p1",
                                        f"{tmp_path}/rel"]


def test_unresolved_message_exact(tmp_path):
    options = Options(cwd=str(tmp_path), exe_dir="/opt/orus/bin", oruspath="/first/entry:/second")
    assert modules.unresolved_message(["nosuch"], "main.orus", options) == (
        "Unable to resolve module 'nosuch'. Normalized path 'nosuch.orus'.\n"
        "Search roots tried:\n"
        f"  - {tmp_path}/nosuch.orus (current working directory)\n"
        f"  - {tmp_path} (importer directory)\n"
        "  - /opt/orus/bin (runtime directory)\n"
        "  - /first/entry (ORUSPATH entry)\n"
        "  - /second (ORUSPATH entry)\n"
        "Hint: Set the ORUSPATH environment variable to add additional module directories.")


@pytest.mark.parametrize("present, winner", [
    ({"cwd", "importer", "exe", "path"}, "m.orus"),
    ({"importer", "exe", "path"}, "app/m.orus"),
    ({"exe", "path"}, "EXE/m.orus"),
    ({"path"}, "PATH/m.orus"),
])
def test_first_existing_root_wins(tmp_path, present, winner):
    exe, extra = tmp_path / "exe", tmp_path / "extra"
    places = {"cwd": tmp_path / "m.orus", "importer": tmp_path / "app" / "m.orus",
              "exe": exe / "m.orus", "path": extra / "m.orus"}
    write(tmp_path, {"app/main.orus": "use m\n"})
    for name in present:
        places[name].parent.mkdir(parents=True, exist_ok=True)
        places[name].write_text("pub X := 1\n")
    program, errors = load(tmp_path, "app/main.orus", exe_dir=str(exe), oruspath=str(extra))
    assert errors == []
    expected = winner.replace("EXE", str(exe)).replace("PATH", str(extra))
    assert program.modules[0].display_path == expected
    assert program.modules[0].abspath == os.path.normpath(str(places[min(present, key=list(places).index)]))


def test_load_order_depth_first_and_once(tmp_path):
    write(tmp_path, {
        "main.orus": "use a\nuse b\nuse c\n",
        "a.orus": "use c\nuse d\n",
        "b.orus": "use d\n",
        "c.orus": "pub X := 1\n",
        "d.orus": "use c\n",
    })
    program, errors = load(tmp_path)
    assert errors == []
    assert [m.name for m in program.modules] == ["c", "d", "a", "b", ""]
    assert program.main.is_main and program.main.display_path == "main.orus"
    uses = {m.name: [s for s in m.tree.body if type(s).__name__ == "Use"] for m in program.modules}
    assert uses[""][2].module is uses["a"][0].module is program.modules[0]


def test_two_spellings_load_one_module(tmp_path):
    write(tmp_path, {"main.orus": "use lib.util\nuse lib.other\n", "lib/util.orus": "pub X := 1\n",
                     "lib/other.orus": "use util\n"})
    program, errors = load(tmp_path)
    assert errors == []
    assert [m.display_path for m in program.modules] == ["lib/util.orus", "lib/other.orus", "main.orus"]
    assert program.modules[0].name == "lib.util"


@pytest.mark.parametrize("files, where, chain", [
    ({"main.orus": "use app\n", "app.orus": "use app\n"}, "app.orus:1:1", "app -> app"),
    ({"main.orus": "x = 1\nuse main\n"}, "main.orus:2:1", "main -> main"),
    ({"main.orus": "use cyc_a\n", "cyc_a.orus": "use cyc_b\n", "cyc_b.orus": "use cyc_a\n"},
     "cyc_b.orus:1:1", "cyc_a -> cyc_b -> cyc_a"),
    ({"main.orus": "use p.a\n", "p/a.orus": "use b\n", "p/b.orus": "use c\n", "p/c.orus": "use a\n"},
     "p/c.orus:1:1", "a -> b -> c -> a"),
    ({"main.orus": "use lib\n", "lib.orus": "use main\n"}, "lib.orus:1:1", "main -> lib -> main"),
])
def test_cycles(tmp_path, files, where, chain):
    write(tmp_path, files)
    _, errors = load(tmp_path)
    assert [(str(d.span), d.category, d.title, d.message) for d in errors] == [
        (where, "MODULE ERROR", "Modules are using each other in a circle", f"Cyclic module dependency: {chain}")]


def test_pipeline_reports_module_syntax_error_under_main_name(tmp_path):
    write(tmp_path, {"proj/main.orus": "use lib.bad\n", "proj/lib/bad.orus": "x = 1\ny = $\n"})
    result = pipeline.check_file("proj/main.orus", Options(cwd=str(tmp_path)))
    assert [str(d.span) for d in result.diagnostics] == ["proj/lib/bad.orus:2:5"]
    assert result.diagnostics[0].message == "Unexpected character '$'"
    assert result.path == "proj/main.orus"


def test_unresolved_reported_at_use_and_loading_continues(tmp_path):
    write(tmp_path, {"main.orus": "use nosuch\nuse cyc\n", "cyc.orus": "use cyc\n"})
    _, errors = load(tmp_path)
    assert [(str(d.span), d.title) for d in errors] == [
        ("main.orus:1:1", "Failed to use this module"), ("cyc.orus:1:1", "Modules are using each other in a circle")]
