"""Delta-debugging minimizer for indentation-structured programs.

`minimize(text, predicate)` returns a smaller program for which `predicate` still
holds (the caller's "still fails the same way", e.g. "the checker reports this
message" or "tier 0 and the JIT print different things").

Algorithm (ddmin over blocks): a *block* is a line together with the following
lines indented deeper than it (its body, for a header such as `if c:`; blank
lines inside belong to it). With a chunk size k, starting at half the program and
halving down to 1, try to delete k consecutive sibling blocks at every position,
keeping each deletion for which the predicate holds, until no deletion of any size
succeeds: the result is 1-minimal with respect to deleting one block. When a
deletion empties a header's body, a `pass` is put in its place so that the
candidate still parses. Each candidate is tested at most once (cached), and
`max_tests` bounds the total work.

Invariant: the predicate holds for every program this function returns.
"""

from __future__ import annotations

from typing import Callable


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def is_blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("//")


def block_end(lines: list[str], i: int) -> int:
    """The index just past the block that starts at line i."""
    base = indent_of(lines[i])
    j = i + 1
    while j < len(lines) and (is_blank(lines[j]) or indent_of(lines[j]) > base):
        j += 1
    while j > i + 1 and is_blank(lines[j - 1]):      # trailing blank lines belong to what follows
        j -= 1
    return j


def opens_body(line: str) -> bool:
    code = line.split("//")[0].rstrip()
    return code.endswith(":") or code.endswith("->") or code.endswith("{")


def delete(lines: list[str], i: int, count: int) -> list[str] | None:
    """`lines` without `count` consecutive sibling blocks starting at line i (None: nothing to do)."""
    if is_blank(lines[i]):
        return lines[:i] + lines[i + 1:]
    base, end, taken = indent_of(lines[i]), i, 0
    while taken < count and end < len(lines) and not is_blank(lines[end]) and indent_of(lines[end]) == base:
        end = block_end(lines, end)
        taken += 1
    result = lines[:i] + lines[end:]
    prev = next((k for k in range(i - 1, -1, -1) if not is_blank(result[k])), None)
    nxt = next((k for k in range(i, len(result)) if not is_blank(result[k])), None)
    if prev is not None and opens_body(result[prev]) and indent_of(result[prev]) < base and (
            nxt is None or indent_of(result[nxt]) < base):
        result.insert(i, lines[i][:base] + "pass")
        if result == lines:
            return None
    return result


def minimize(text: str, predicate: Callable[[str], bool], max_tests: int = 3000) -> str:
    """A 1-minimal (by block deletion) version of `text` for which `predicate` holds."""
    lines = text.splitlines()
    seen: dict[str, bool] = {}

    def holds(candidate: list[str]) -> bool:
        src = "\n".join(candidate) + "\n"
        if src not in seen:
            if len(seen) >= max_tests:
                return False
            seen[src] = bool(predicate(src))
        return seen[src]

    if not holds(lines):
        raise ValueError("the predicate does not hold for the original program")
    chunk = max(1, len(lines) // 2)
    while True:
        changed = False
        i = 0
        while i < len(lines):
            candidate = delete(lines, i, chunk)
            if candidate is not None and len(candidate) < len(lines) and holds(candidate):
                lines, changed = candidate, True
            else:
                i += 1
        if not changed:
            if chunk == 1:
                break
            chunk //= 2
    return "\n".join(lines) + "\n"
