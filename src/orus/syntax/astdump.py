"""A readable, deterministic text form of an AST (`orus ast FILE`, parse-*.test goldens).

Format: one node per line, `Class field=value ... @L:C`, its child nodes
indented two spaces below. A child is introduced by its field name
(`cond: Binary op='<' @2:4`); a list of nodes prints a `field:` line with the
elements indented under it, and an empty list prints inline as `field=[]`.
Only the fields the parser fills are shown: sema annotations (fields declared
with init=False) and the secondary spans (`op_span` ...) are left out.

The walk uses an explicit stack, so very deep trees cannot exhaust Python's
recursion limit.
"""

from __future__ import annotations

from dataclasses import fields

from orus.diag import Span
from orus.syntax.ast import Node


def _parts(node: Node):
    """(scalar attributes, [(field name, child node or list of nodes)]) of a node."""
    attrs, children = [], []
    for f in fields(node):
        if not f.init or f.name == "span":
            continue
        value = getattr(node, f.name)
        if isinstance(value, Span):
            continue
        if isinstance(value, Node):
            children.append((f.name, value))
        elif isinstance(value, list) and value and all(isinstance(v, Node) for v in value):
            children.append((f.name, value))
        else:
            attrs.append(f"{f.name}={value!r}")
    return attrs, children


def dump(node: Node) -> str:
    lines: list[str] = []
    stack: list[tuple[int, str, object]] = [(0, "", node)]
    while stack:
        depth, label, item = stack.pop()
        pad = "  " * depth
        if isinstance(item, list):
            lines.append(f"{pad}{label}:")
            stack.extend((depth + 1, "", child) for child in reversed(item))
            continue
        attrs, children = _parts(item)
        head = " ".join([type(item).__name__] + attrs + [f"@{item.span.line}:{item.span.col}"])
        lines.append(f"{pad}{label}{': ' if label else ''}{head}")
        stack.extend((depth + 1, name, child) for name, child in reversed(children))
    return "\n".join(lines) + "\n"
