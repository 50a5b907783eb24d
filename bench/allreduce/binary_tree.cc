#include "bench/allreduce/binary_tree.h"

#include "core/error.h"

#include <algorithm>

namespace lp::bench::allreduce {
namespace {

void add_child(TreeNode& node, int child) { node.children[node.nchildren++] = child; }

// The member of [lo, hi) with the most trailing zero bits (0 has them all). It is unique:
// between two multiples of 2^k lies a multiple of 2^(k+1).
int split_of(int lo, int hi) {
  for (int k = 30; k > 0; --k) {
    const long long step = 1LL << k;
    const long long m = (lo + step - 1) / step * step;
    if (m < hi) return static_cast<int>(m);
  }
  return lo;
}

int build_inorder(Tree& t, int lo, int hi, int parent) {
  if (lo >= hi) return -1;
  const int mid = split_of(lo, hi);
  t[static_cast<std::size_t>(mid)].parent = parent;
  const int left = build_inorder(t, lo, mid, mid);
  const int right = build_inorder(t, mid + 1, hi, mid);
  if (left >= 0) add_child(t[static_cast<std::size_t>(mid)], left);
  if (right >= 0) add_child(t[static_cast<std::size_t>(mid)], right);
  return mid;
}

}  // namespace

Tree inorder_tree(int n) {
  Tree t(static_cast<std::size_t>(n));
  build_inorder(t, 0, n, -1);
  return t;
}

Tree shifted_tree(const Tree& t, int shift) {
  const int n = static_cast<int>(t.size());
  auto map = [&](int i) { return i < 0 ? -1 : (i + shift) % n; };
  Tree out(t.size());
  for (int i = 0; i < n; ++i) {
    const TreeNode& from = t[static_cast<std::size_t>(i)];
    TreeNode& to = out[static_cast<std::size_t>(map(i))];
    to.parent = map(from.parent);
    for (int k = 0; k < from.nchildren; ++k) add_child(to, map(from.children[k]));
  }
  return out;
}

Tree heap_tree(int n) {
  Tree t(static_cast<std::size_t>(n));
  for (int i = 1; i < n; ++i) {
    t[static_cast<std::size_t>(i)].parent = (i - 1) / 2;
    add_child(t[static_cast<std::size_t>((i - 1) / 2)], i);
  }
  return t;
}

int root_of(const Tree& t) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i].parent < 0) return static_cast<int>(i);
  }
  LP_ENFORCE(false, "a tree without a root");
  return -1;
}

int depth_of(const Tree& t) {
  int deepest = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    int d = 1;
    for (int p = t[i].parent; p >= 0; p = t[static_cast<std::size_t>(p)].parent) ++d;
    deepest = std::max(deepest, d);
  }
  return deepest;
}

}  // namespace lp::bench::allreduce
