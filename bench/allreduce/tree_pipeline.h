// Pipelined reduction up and broadcast down binary trees, the engine behind `tree` (two
// trees, half the vector each) and the on-host levels of `hier` (one tree, reduce only or
// broadcast only). The vector span of each tree is cut into chunks; a window of chunks per
// tree is in flight, each chunk moving through
//   wait for children -> (reduce) -> send up -> wait for the parent -> send down -> done
// as soon as its messages complete. A chunk never passes the one before it in this order,
// so every stream (one tag per tree and direction) carries its chunks in order.
#pragma once

#include "bench/allreduce/algorithm.h"
#include "bench/allreduce/binary_tree.h"
#include "bench/allreduce/partition.h"

#include <optional>
#include <vector>

namespace lp::bench::allreduce {

class TreePipeline {
 public:
  enum class Mode {
    kAllreduce,  // reduce to the root, then broadcast back: everyone ends with the result
    kReduce,     // reduce to the root only: its recv holds the result
    kBroadcast,  // the root's recv goes to everyone's recv
  };
  struct Part {
    Tree tree;  // over the group's members
    Span span;  // the elements this tree carries
  };

  TreePipeline(const Group& g, const Job& job, std::vector<Part> parts, Mode mode,
               const Pipeline& pipeline, Tag tag_base, Scratch* scratch);
  void run();

 private:
  enum Phase : int { kWaitChildren, kUpSending, kWaitParent, kSendingDown, kDone };
  struct Chunk {
    Phase phase = kDone;
    Request children[2];
    Request up;
    Request down;
    Request forward[2];
  };
  struct Stream {
    TreeNode node;  // this member in the tree
    Span span;
    std::vector<Chunk> chunks;
    std::size_t lo = 0;  // chunks [lo, hi) are in flight
    std::size_t hi = 0;
  };

  void start(std::size_t t, std::size_t c);
  void advance(std::size_t t, std::size_t c, Phase limit);
  Span chunk_span(const Stream& s, std::size_t c) const { return part(s.span, chunks_, c); }
  unsigned char* slot(std::size_t t, std::size_t c, int child) const;
  void send_down(std::size_t t, std::size_t c);

  const Group& g_;
  Job job_;
  Mode mode_;
  Tag tag_base_;
  std::size_t chunks_ = 1;
  std::size_t window_ = 1;
  std::size_t slot_bytes_ = 0;
  std::vector<Stream> streams_;
  std::optional<ScratchRef> slots_;
};

}  // namespace lp::bench::allreduce
