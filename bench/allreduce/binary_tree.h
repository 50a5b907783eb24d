// Binary trees over the members of a group, as parent and children per member.
#pragma once

#include <vector>

namespace lp::bench::allreduce {

struct TreeNode {
  int parent = -1;  // -1: the root
  int children[2] = {-1, -1};
  int nchildren = 0;
};

using Tree = std::vector<TreeNode>;

// Laid out in order, split at the member with the most trailing zero bits: member 0 is the
// root, 2^k (the largest below n) its child, and so on down; every odd member is a leaf.
// Depth at most 2 + log2(n).
Tree inorder_tree(int n);
// `t` with member i relabelled (i + shift) mod n. Shifting an in-order tree by one makes
// (about) every member a leaf in one of the two trees: the double binary tree.
Tree shifted_tree(const Tree& t, int shift);
// Rooted at member 0, member i's children 2i+1 and 2i+2.
Tree heap_tree(int n);

int root_of(const Tree& t);
// Levels from the root to the deepest leaf (1 for a lone root).
int depth_of(const Tree& t);

}  // namespace lp::bench::allreduce
