"""ctypes bindings of the life-cycle, output, error and GC-statistics part of orus_rt.h.

The runtime shared library is loaded once per process with RTLD_GLOBAL (the same handle
`llvm.load_library_permanently` opened, so JIT code and these bindings share one copy of
the runtime's globals). Every binding declares its argument and result types, so ctypes
never guesses an `int` for a pointer. ctypes releases the GIL around each call, which is
what lets a program run natively while other Python threads continue.

Invariants: the runtime holds one program's state at a time; callers serialise whole runs
(jit.py's run lock). Strings returned by the runtime are copied into Python bytes before
the next orus_rt_init invalidates them.
"""

from __future__ import annotations

import ctypes
from ctypes import POINTER, Structure, c_char_p, c_int32, c_int64, c_void_p


class OrusSite(Structure):
    """`OrusSite` of orus_rt.h: where an operation that may fail is in the source."""

    _fields_ = [("file", c_char_p), ("line", c_int32), ("col", c_int32), ("op", c_char_p)]


class OrusGcStats(Structure):
    """`OrusGcStats` of orus_rt.h, field for field."""

    _fields_ = [(name, c_int64) for name in (
        "collections", "bytes_allocated", "bytes_freed", "live_bytes", "heap_bytes",
        "objects_allocated", "pause_total_ns", "pause_max_ns", "heap_peak_bytes", "live_peak_bytes",
        "major_collections")]


PAUSES_KEPT = 4096        # orus_gc_pause_ns keeps the last 4096 pauses

# name -> (result type, argument types)
_SIGNATURES = {
    "orus_rt_init": (None, ()),
    "orus_rt_shutdown": (None, ()),
    "orus_rt_run": (c_int32, (c_void_p,)),
    "orus_rt_set_output_fd": (None, (c_int32,)),
    "orus_rt_capture_output": (None, ()),
    "orus_rt_captured": (c_void_p, (POINTER(c_int64),)),
    "orus_rt_flush": (None, ()),
    "orus_rt_set_input": (None, (c_char_p, c_int64)),
    "orus_rt_error_kind": (c_char_p, ()),
    "orus_rt_error_message": (c_void_p, (POINTER(c_int64),)),
    "orus_rt_error_site": (POINTER(OrusSite), ()),
    "orus_gc_stats": (None, (POINTER(OrusGcStats),)),
    "orus_gc_pause_ns": (c_int64, (c_int64,)),
    "orus_gc_set_stress": (None, (c_int32,)),
}


class RuntimeLib:
    """The loaded runtime: one attribute per bound function of _SIGNATURES."""

    def __init__(self, path: str):
        self.path = path
        self.dll = ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
        for name, (restype, argtypes) in _SIGNATURES.items():
            fn = getattr(self.dll, name)
            fn.restype, fn.argtypes = restype, list(argtypes)
            setattr(self, name, fn)

    def captured(self) -> bytes:
        """The bytes written so far in capture mode."""
        n = c_int64(0)
        ptr = self.orus_rt_captured(ctypes.byref(n))
        return ctypes.string_at(ptr, n.value) if ptr and n.value > 0 else b""

    def error(self) -> tuple[str, bytes, tuple[str, int, int, str] | None]:
        """(kind, message bytes, (file, line, col, op) or None) of the escaped error."""
        kind = self.orus_rt_error_kind() or b""
        n = c_int64(0)
        ptr = self.orus_rt_error_message(ctypes.byref(n))
        message = ctypes.string_at(ptr, n.value) if ptr and n.value > 0 else b""
        site_ptr = self.orus_rt_error_site()
        site = None
        if site_ptr:
            s = site_ptr.contents
            site = (_text(s.file), int(s.line), int(s.col), _text(s.op))
        return _text(kind), message, site

    def gc_stats(self) -> dict:
        """The collector's statistics of the run, with the kept pause durations (ns)."""
        st = OrusGcStats()
        self.orus_gc_stats(ctypes.byref(st))
        stats = {name: int(getattr(st, name)) for name, _ in OrusGcStats._fields_}
        first = max(0, stats["collections"] - PAUSES_KEPT)
        stats["pauses"] = [int(self.orus_gc_pause_ns(i)) for i in range(first, stats["collections"])]
        return stats


def _text(raw: bytes | None) -> str:
    return raw.decode("utf-8", "surrogateescape") if raw else ""
