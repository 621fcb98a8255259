"""IR-to-IR optimisation passes and the manager that sequences them.

`manager.py` holds the pipeline (PIPELINE, ORDER) and `run_pipeline` /
`optimize_module`; every other module but `rewrite.py` (shared edits) is one
pass: simplify_cfg, blockparams, constfold, condfold, cse, dce. Passes import only `ir`,
`analysis` and layer 1 (`semantics` for folding), never `irgen` or a back end.
"""
