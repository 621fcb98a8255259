"""Unique IR names for functions, globals, structs and enums.

IR names are module-wide identifiers; Orus names repeat across modules, across
nested scopes and across the instances of a generic function, so every name is
made unique here. Spelling (what the printer shows and what tier 0 reports):
  * structs, enums and globals keep their source name (`Point`, `counter`), which
    is what `print`, `typeof` and the uninitialised-global error show;
  * functions of an imported module are prefixed with its dotted name
    (`geo.area`); methods are `Struct.method`; lambdas `lambda`; generic
    instances add their parameter types in brackets (`twice[i32]`);
  * a clash appends `$N` (`x$2`), so the source name is the part before `$`
    (tier 0 shows IR names as they are: two modules' structs or globals of one
    name are a known gap).
"""

from __future__ import annotations


class NameTable:
    """Hands out names, each at most once; `reserve` takes a name first."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def reserve(self, name: str) -> str:
        self.used.add(name)
        return name

    def unique(self, base: str) -> str:
        if base not in self.used:
            self.used.add(base)
            return base
        n = 2
        while f"{base}${n}" in self.used:
            n += 1
        name = f"{base}${n}"
        self.used.add(name)
        return name


def qualified(module, name: str) -> str:
    """`name` in the main file, `mod.name` in the module imported as `mod`."""
    if module is None or module.is_main or not module.name:
        return name
    return f"{module.name}.{name}"
