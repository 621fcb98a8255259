"""Control-flow signals and failures of the lowering."""


class Dead(Exception):
    """Control left the current expression (return/break/continue inside it):
    the insertion point is unreachable; the statement-list lowerer skips the rest."""


class Unsupported(Exception):
    """A construct the lowering does not handle yet (named in the message)."""


class MissingInstance(Exception):
    """The checker gave no instance for a use of a generic function (typed.py contract)."""
