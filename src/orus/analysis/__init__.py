"""Read-only facts about IR functions, computed on demand by passes.

  cfg    incoming edges, handler blocks, reachability, and the dominator tree
         of half-blocks that says where an instruction's result is available
  uses   which instructions use each value

Nothing here changes a function; a pass that changes one recomputes what it
needs (the functions are small, so no analysis is cached between passes).
"""
