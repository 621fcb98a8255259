"""Orus: a statically typed, indentation-based language and its toolchain."""

__version__ = "0.1.0"
