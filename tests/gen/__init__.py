"""Random well-typed Orus programs for differential testing (progen) and a minimizer."""
