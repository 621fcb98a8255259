"""The Orus C runtime: sources shipped in the package and built on first use (build.py)."""
