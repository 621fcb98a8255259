"""IR text form: the printer (`ir/reader.py` parses exactly what this prints).

Module:
    struct %Point { x: i32, y: i32 }
    enum %Maybe<i32> "Maybe" { Some(i32), Nothing() }
    global @counter: i32 checked
    entry @start                             (only when Module.entry is not "main")
    fn @NAME(v0: T, ...) -> T [captures N] [name "DISPLAY"] [file "FILE"] {
    bN(vA: T, ...) [handler bH]:             (`bN:` / `bN handler bH:` without params)
      [vN =] NAME[.TYPE] ATTR... ARG, ..., bT(vA, ...), ... [!LINE:COL]
    }

Instructions are spelled entirely from the op table (opdefs.py docstring):
attributes in the op's `attrs` order, then value operands, then terminator
targets (`bN` or `bN(args)`), all comma-separated, then the location.
Names that are not plain identifiers (dots allowed) are quoted (`@"a b"`).
Struct and enum names print as types.py spells them, `%NAME` or `%NAME<...>`,
so they must be such identifiers, optionally followed by one `<...>` group. Strings are quoted
byte strings: printable ASCII except `"` and `\\` is literal, `\\n \\t \\r \\" \\\\`
are escaped, every other byte is `\\xHH`.

The printer must also print broken IR (the verifier shows errors next to the
op they concern), so it never assumes an instruction is well formed.
`notes` maps an Instr, Block or Function to messages printed as `; ERROR:`
comments at the end of its line; the reader skips `;` comments.
"""

from __future__ import annotations

import re
from typing import Optional

from orus.ir import opdefs as O
from orus.ir import types as T
from orus.ir.func import Block, Function, Instr, Module, Target

BARE_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*")
_ESCAPES = {ord('"'): '\\"', ord("\\"): "\\\\", ord("\n"): "\\n", ord("\t"): "\\t", ord("\r"): "\\r"}


def quote(data: bytes | str) -> str:
    """A double-quoted byte string (str values are UTF-8 encoded first)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    out = []
    for b in data:
        if b in _ESCAPES:
            out.append(_ESCAPES[b])
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append(f"\\x{b:02x}")
    return '"' + "".join(out) + '"'


def angle_end(text: str, i: int) -> int:
    """Index just past the `>` matching the `<` at text[i]; -1 if unbalanced.

    A `>` right after `-` is part of `->` (a function type) and does not close.
    """
    depth = 0
    for j in range(i, len(text)):
        c = text[j]
        if c in '"\\\n':
            return -1
        if c == "<":
            depth += 1
        elif c == ">" and text[j - 1] != "-":
            depth -= 1
            if depth == 0:
                return j + 1
    return -1


def spell_name(name: str) -> str:
    """A function, global, field, variant or runtime name: bare if it can be, else quoted."""
    return name if BARE_NAME.fullmatch(name) else quote(name)


def format_lit(ty: T.Type, value) -> str:
    """A constant of type `ty`: ints decimal, f64 round-trippable, bool, quoted bytes."""
    name = ty.name if isinstance(ty, T.Prim) else ""
    if name in T.INT_NAMES and isinstance(value, int):
        return str(int(value))
    if name == "f64" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(float(value))
    if name == "bool" and isinstance(value, bool):
        return "true" if value else "false"
    if name == "str" and isinstance(value, (bytes, str)):
        return quote(value)
    return f"?{value!r}"


def _format_attr(kind: str, value, ty) -> str:
    if kind in (O.FUNC, O.GLOBAL):
        return "@" + spell_name(value) if isinstance(value, str) else f"@?{value!r}"
    if kind == O.NAME:
        return spell_name(value) if isinstance(value, str) else f"?{value!r}"
    if kind == O.INT:
        return str(int(value)) if isinstance(value, int) else f"?{value!r}"
    if kind == O.STR:
        return quote(value) if isinstance(value, (str, bytes)) else f"?{value!r}"
    return format_lit(ty, value)


def format_target(t: Target) -> str:
    if not t.args:
        return str(t.block)
    return f"{t.block}({', '.join(map(str, t.args))})"


def format_instr(instr: Instr) -> str:
    head, words = instr.op.name, []
    for name, kind in instr.op.attrs:
        value = instr.attrs.get(name)
        if kind == O.TYPE:
            head += f".{value}" if value is not None else ".?"
        elif kind == O.FLAG:
            if value:
                words.append(name)
        elif name not in instr.attrs:
            words.append(f"?{name}")
        else:
            words.append(_format_attr(kind, value, instr.attrs.get("type")))
    operands = [str(a) for a in instr.args] + [format_target(t) for t in instr.targets]
    text = " ".join([head] + words)
    if operands:
        text += " " + ", ".join(operands)
    if instr.loc is not None:
        text += f" !{instr.loc[0]}:{instr.loc[1]}"
    if instr.result is not None:
        text = f"{instr.result} = {text}"
    return text


def _params(values) -> str:
    return ", ".join(f"{v}: {v.type}" for v in values)


def format_block_header(b: Block) -> str:
    text = f"{b}({_params(b.params)})" if b.params else str(b)
    if b.handler is not None:
        text += f" handler {b.handler}"
    return text + ":"


def format_function_header(fn: Function) -> str:
    text = f"fn @{spell_name(fn.name)}({_params(fn.params)}) -> {fn.ret}"
    if fn.n_captures:
        text += f" captures {fn.n_captures}"
    if fn.display_name is not None:
        text += f" name {quote(fn.display_name)}"
    if fn.file:
        text += f" file {quote(fn.file)}"
    return text + " {"


def _noted(line: str, notes: Optional[dict], key) -> str:
    if notes and key in notes:
        line += "".join(f"  ; ERROR: {msg}" for msg in notes[key])
    return line


def format_function(fn: Function, notes: Optional[dict] = None) -> str:
    lines = [_noted(format_function_header(fn), notes, fn)]
    for b in fn.blocks:
        lines.append(_noted(format_block_header(b), notes, b))
        lines.extend(_noted("  " + format_instr(i), notes, i) for i in b.instrs)
    lines.append("}")
    return "\n".join(lines) + "\n"


def format_decls(m: Module) -> list[str]:
    """The struct, enum, global and entry lines of a module."""
    lines = []
    for s in m.structs.values():
        fields = ", ".join(f"{spell_name(n)}: {t}" for n, t in s.fields)
        shown = f" {quote(s.display)}" if s.display else ""
        lines.append(f"struct %{s.name}{shown} {{{' ' + fields + ' ' if fields else ''}}}")
    for e in m.enums.values():
        variants = ", ".join(f"{spell_name(n)}({', '.join(map(str, ts))})" for n, ts in e.variants)
        body = f" {variants} " if variants else ""
        lines.append(f"enum %{e.name} {quote(e.display)} {{{body}}}")
    for g in m.globals.values():
        shown = f" {quote(g.display)}" if g.display else ""
        lines.append(f"global @{spell_name(g.name)}{shown}: {g.type}" + (" checked" if g.checked else ""))
    if m.entry != "main":
        lines.append(f"entry @{spell_name(m.entry)}")
    return lines


def format_module(m: Module, notes: Optional[dict] = None) -> str:
    parts = []
    decls = format_decls(m)
    if decls:
        parts.append("\n".join(decls) + "\n")
    parts.extend(format_function(fn, notes) for fn in m.functions.values())
    return "\n".join(parts)
