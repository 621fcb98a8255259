"""The one exception a primitive operation raises when the program must fail.

A `Trap` is a catchable Orus run-time error (spec 6.3, 6.4): `kind` is the
error kind of spec 5.7 (what `typeof` shows before the message) and `message`
is the exact text. Which title and help lines the uncaught error gets, and the
source position, are decided by the caller (it knows the operator); this
package only decides *whether* an operation fails and with which message.

Orus strings are byte strings, so a message that quotes a user string carries
its bytes decoded as UTF-8 with `surrogateescape`; encoding the message the same
way gives the original bytes back.
"""

from __future__ import annotations

# Error kinds (spec 5.7).
RUNTIME_ERROR = "runtime error"
VALUE_ERROR = "value error"
INDEX_ERROR = "index error"
TYPE_ERROR = "type error"
CONVERSION_ERROR = "conversion error"
ARGUMENT_ERROR = "argument error"


class Trap(Exception):
    """A run-time error raised by a primitive operation: an error kind and its exact message."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Trap) and (self.kind, self.message) == (other.kind, other.message)

    def __hash__(self) -> int:
        return hash((self.kind, self.message))


def text_of(data: bytes) -> str:
    """The str form of an Orus string for use inside a message (bytes kept via surrogateescape)."""
    return data.decode("utf-8", "surrogateescape")
