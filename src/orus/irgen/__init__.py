"""Lowering of the checked AST to the SSA IR (ARCHITECTURE.md, "The IR").

`lower_program(program, typed)` is the entry point; module.py drives it, func.py
lowers one body with the help of expr.py, calls.py, stmt.py, control.py and
matching.py; ssa.py builds SSA form for local variables; irtypes.py translates
types; names.py makes IR names unique.
"""

from orus.irgen.module import lower_program

__all__ = ["lower_program"]
