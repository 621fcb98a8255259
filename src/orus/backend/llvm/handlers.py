"""Every op's LLVM handler, from the family modules (a test checks none is missing)."""

from __future__ import annotations

from orus.backend.llvm.ops_core import HANDLERS as _CORE
from orus.backend.llvm.ops_data import HANDLERS as _DATA

HANDLERS = {**_CORE, **_DATA}
