// The arithmetic that cuts vectors, checked past 2^31 bytes and elements without the memory.
#include "bench/allreduce/binary_tree.h"
#include "bench/allreduce/fold.h"
#include "bench/allreduce/mpi_baseline.h"
#include "bench/allreduce/partition.h"

#include <gtest/gtest.h>

#include <climits>
#include <cmath>
#include <set>

namespace lp::bench::allreduce {
namespace {

// Parts tile [0, count) in order, each within one element of the others.
void expect_tiles(std::size_t count, std::size_t parts) {
  std::size_t next = 0;
  std::size_t smallest = SIZE_MAX, largest = 0;
  for (std::size_t i = 0; i < parts; ++i) {
    const Span s = part(count, parts, i);
    ASSERT_EQ(s.offset, next) << count << " / " << parts << " part " << i;
    next += s.count;
    smallest = std::min(smallest, s.count);
    largest = std::max(largest, s.count);
  }
  EXPECT_EQ(next, count);
  EXPECT_LE(largest - smallest, 1u);
}

TEST(Partition, PartsTileTheVector) {
  for (std::size_t count : {0, 1, 2, 7, 100, 1001}) {
    for (std::size_t parts : {1, 2, 3, 5, 8, 13}) expect_tiles(count, parts);
  }
}

TEST(Partition, SizesPastTwoToThe31st) {
  // 5 Gi f32 elements: 20 GiB per rank, cut 3 and 1000 ways.
  const std::size_t count = std::size_t{5} << 30;
  expect_tiles(count, 3);
  expect_tiles(count, 1000);
  const Span last = part(count, 3, 2);
  EXPECT_EQ(last.offset + last.count, count);
  EXPECT_GT(last.offset * 4, std::size_t{1} << 33);  // byte offsets well past 2^32
  // Within a block: pipeline chunks of 256 KiB.
  const Span block = part(count, 3, 1);
  const std::size_t chunks = chunks_for(block.count, 4, 256 << 10);
  EXPECT_EQ(chunks, (block.count * 4 + (256 << 10) - 1) / (256 << 10));
  const Span lastchunk = part(block, chunks, chunks - 1);
  EXPECT_EQ(lastchunk.offset + lastchunk.count, block.offset + block.count);
  EXPECT_EQ(chunks_for(0, 4, 1024), 1u);
  EXPECT_EQ(chunks_for(1, 8, 4), 1u);  // a chunk smaller than an element holds one
}

TEST(Partition, MpiPiecesStayWithinInt) {
  EXPECT_TRUE(mpi_pieces(0).empty());
  const std::size_t count = std::size_t{3} * INT_MAX + 5;
  const auto pieces = mpi_pieces(count);
  ASSERT_EQ(pieces.size(), 4u);
  std::size_t next = 0;
  for (const Span& p : pieces) {
    EXPECT_EQ(p.offset, next);
    EXPECT_LE(p.count, static_cast<std::size_t>(INT_MAX));
    next += p.count;
  }
  EXPECT_EQ(next, count);
}

TEST(Fold, CoreIsAPowerOfTwoAndEveryoneHasARole) {
  for (int n = 1; n <= 40; ++n) {
    std::set<int> cores;
    for (int i = 0; i < n; ++i) {
      const Fold f = Fold::make(n, i);
      EXPECT_EQ(f.pof2 + f.extra, n);
      EXPECT_EQ(f.pof2 & (f.pof2 - 1), 0);
      if (f.role == Fold::kExtra) {
        EXPECT_EQ(Fold::make(n, i + 1).role, Fold::kProxy);
      } else {
        EXPECT_EQ(f.index_of(f.core), i);
        cores.insert(f.core);
      }
    }
    EXPECT_EQ(static_cast<int>(cores.size()), Fold::make(n, 0).pof2);
  }
}

// A tree reaches every member from the root once, and parent/child links agree.
void expect_tree(const Tree& t) {
  const int n = static_cast<int>(t.size());
  const int root = root_of(t);
  std::vector<int> seen(static_cast<std::size_t>(n), 0);
  std::vector<int> stack = {root};
  while (!stack.empty()) {
    const int v = stack.back();
    stack.pop_back();
    ++seen[static_cast<std::size_t>(v)];
    const TreeNode& node = t[static_cast<std::size_t>(v)];
    for (int k = 0; k < node.nchildren; ++k) {
      EXPECT_EQ(t[static_cast<std::size_t>(node.children[k])].parent, v);
      stack.push_back(node.children[k]);
    }
  }
  for (int s : seen) EXPECT_EQ(s, 1);
}

TEST(Trees, DoubleBinaryTreeSharesTheWork) {
  for (int n = 1; n <= 33; ++n) {
    const Tree a = inorder_tree(n);
    const Tree b = shifted_tree(a, 1);
    expect_tree(a);
    expect_tree(b);
    expect_tree(heap_tree(n));
    EXPECT_LE(depth_of(a), 2 + static_cast<int>(std::log2(n)));
    // Odd members are leaves of the first tree, even ones of the second: at most the two
    // ends are interior in both.
    int both = 0;
    for (int i = 0; i < n; ++i) {
      both += a[static_cast<std::size_t>(i)].nchildren > 0 && b[static_cast<std::size_t>(i)].nchildren > 0;
    }
    EXPECT_LE(both, 2) << n;
  }
  EXPECT_EQ(root_of(heap_tree(5)), 0);
}

}  // namespace
}  // namespace lp::bench::allreduce
