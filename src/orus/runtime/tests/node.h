/* node.h: the object type the collector tests build graphs of (test_gc.c, test_gen.c):
 * struct Node { next: Node, name: str, n: i64 }, and arrays of it. */
#ifndef ORUS_TEST_NODE_H
#define ORUS_TEST_NODE_H

#include "orus_rt.h"

typedef struct Node {
    const OrusTy *ty;
    struct Node *next;
    OrusStr *name;
    int64_t n;
} Node;

static const OrusTy node_ty;
static const OrusField node_fields[] = {
    {"next", &node_ty, 8}, {"name", &orus_ty_str, 16}, {"n", &orus_ty_i64, 24}};
static const OrusTy node_ty = {ORUS_T_STRUCT, sizeof(Node), "Node", NULL, 3, 0, node_fields, NULL};
static const OrusTy node_array_ty = {ORUS_T_ARRAY, 0, NULL, &node_ty, 0, 0, NULL, NULL};

#endif
