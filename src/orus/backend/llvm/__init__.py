"""The native back end: IR -> LLVM IR (emit.py and the op handlers), JIT through llvmlite (jit.py)."""
