"""Back ends: each executes (or compiles) the IR of `orus.ir`; they never import each other."""
