"""Tier 0: each IR function compiled to Python source that CPython runs (see compile.py)."""
