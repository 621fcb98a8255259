"""Diagnostic blocks quoted byte for byte from the spec (stderr not a terminal), shared by the
tests that render them: tests/test_diag.py (diag.render), tests/test_cli.py (the `orus`
command) and tests/interp/test_interp_unit.py (a tier-0 run-time failure)."""

# Spec 1.2: stray indentation on line 2 of f.orus.
STRAY_INDENT = (
    "-- SYNTAX ERROR: Indentation looks off ----------------------- f.orus:2:5\n"
    "\n"
    "  2 |     print(\"b\")\n"
    "      |     ^ It looks like this line is indented, but there's no open block above it.\n"
    "      |\n"
    "      = It looks like this line is indented, but there's no open block above it.\n"
    "      = help: If you meant to start a block, add a ':' on the previous line or remove this extra "
    "indentation.\n"
    "      = note: Blocks in Orus begin after lines ending with ':' and end when the indentation returns.\n"
    "\n")

# Spec 6.1: uncaught division by zero on line 4 of calc.orus (`print(value / zero)`).
DIVISION_BY_ZERO = (
    "-- RUNTIME PANIC: Oh no! You tried to divide by zero --------- calc.orus:4:13\n"
    "\n"
    "  4 | print(value / zero)\n"
    "      |             ^ Division by zero\n"
    "      |\n"
    "      = Division by zero\n"
    "      = help: Add a check before dividing to make sure the number isn't zero.\n"
    "      = note: Division by zero is mathematically undefined.\n"
    "\n")
