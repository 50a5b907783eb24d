#include "bench/allreduce/tree_pipeline.h"

#include "core/error.h"

#include <algorithm>
#include <cstring>

namespace lp::bench::allreduce {

TreePipeline::TreePipeline(const Group& g, const Job& job, std::vector<Part> parts, Mode mode,
                           const Pipeline& pipeline, Tag tag_base, Scratch* scratch)
    : g_(g), job_(job), mode_(mode), tag_base_(tag_base) {
  std::size_t largest = 0;
  for (const Part& p : parts) largest = std::max(largest, p.span.count);
  chunks_ = chunks_for(largest, job.red.elem, pipeline.chunk_bytes);
  window_ = std::min<std::size_t>(chunks_, static_cast<std::size_t>(std::max(pipeline.window, 1)));
  slot_bytes_ = part(largest, chunks_, 0).count * job.red.elem;
  for (Part& p : parts) {
    LP_ENFORCE_EQ(p.tree.size(), static_cast<std::size_t>(g.size()), "tree size");
    Stream s;
    s.node = p.tree[static_cast<std::size_t>(g.index())];
    s.span = p.span;
    s.chunks.resize(chunks_);
    streams_.push_back(std::move(s));
  }
  if (mode != Mode::kBroadcast) slots_.emplace(scratch, streams_.size() * window_ * 2 * slot_bytes_);
}

unsigned char* TreePipeline::slot(std::size_t t, std::size_t c, int child) const {
  const std::size_t index = (t * window_ + c % window_) * 2 + static_cast<std::size_t>(child);
  return slots_->data() + index * slot_bytes_;
}

void TreePipeline::run() {
  for (Stream& s : streams_) s.lo = s.hi = 0;
  for (;;) {
    bool busy = false;
    bool moved = false;
    for (std::size_t t = 0; t < streams_.size(); ++t) {
      Stream& s = streams_[t];
      for (; s.hi < chunks_ && s.hi - s.lo < window_; moved = true) start(t, s.hi++);
      // A chunk may take a step only once the chunk before it has taken that step.
      Phase limit = kDone;
      for (std::size_t c = s.lo; c < s.hi; ++c) {
        const Phase before = s.chunks[c].phase;
        advance(t, c, limit);
        limit = s.chunks[c].phase;
        moved = moved || limit != before;
      }
      while (s.lo < s.hi && s.chunks[s.lo].phase == kDone) ++s.lo;
      busy = busy || s.lo < chunks_;
    }
    if (!busy) return;
    if (!moved) g_.transport().idle();
  }
}

void TreePipeline::start(std::size_t t, std::size_t c) {
  Stream& s = streams_[t];
  Chunk& k = s.chunks[c];
  const Span span = chunk_span(s, c);
  const Tag up_tag = tag_base_ + static_cast<Tag>(2 * t);
  const Tag down_tag = up_tag + 1;
  if (mode_ == Mode::kBroadcast) {
    if (s.node.parent < 0) {
      k.phase = kWaitParent;  // the root has its data: straight to sending down
      send_down(t, c);
    } else {
      k.phase = kWaitParent;
      g_.irecv(s.node.parent, down_tag, job_.dst_at(span.offset), span.count * job_.red.elem, k.down);
    }
    return;
  }
  k.phase = kWaitChildren;
  for (int i = 0; i < s.node.nchildren; ++i) {
    g_.irecv(s.node.children[i], up_tag, slot(t, c, i), span.count * job_.red.elem, k.children[i]);
  }
}

void TreePipeline::send_down(std::size_t t, std::size_t c) {
  Stream& s = streams_[t];
  Chunk& k = s.chunks[c];
  const Span span = chunk_span(s, c);
  const Tag down_tag = tag_base_ + static_cast<Tag>(2 * t) + 1;
  for (int i = 0; i < s.node.nchildren; ++i) {
    g_.isend(s.node.children[i], down_tag, job_.dst_at(span.offset), span.count * job_.red.elem,
             k.forward[i]);
  }
  k.phase = kSendingDown;
}

void TreePipeline::advance(std::size_t t, std::size_t c, Phase limit) {
  Stream& s = streams_[t];
  Chunk& k = s.chunks[c];
  const Span span = chunk_span(s, c);
  const std::size_t bytes = span.count * job_.red.elem;
  const bool root = s.node.parent < 0;
  if (k.phase == kWaitChildren) {
    const Phase next = root ? (mode_ == Mode::kReduce ? kDone : kSendingDown) : kUpSending;
    if (next > limit) return;
    for (int i = 0; i < s.node.nchildren; ++i) {
      if (!g_.test(k.children[i])) return;
    }
    unsigned char* dst = job_.dst_at(span.offset);
    const unsigned char* src = job_.src_at(span.offset);
    if (s.node.nchildren > 0) {
      job_.red(dst, src, slot(t, c, 0), span.count);
      if (s.node.nchildren > 1) job_.red(dst, dst, slot(t, c, 1), span.count);
    } else if (root && !job_.in_place() && bytes > 0) {
      std::memcpy(dst, src, bytes);  // a lone root: the result is its input
    }
    if (root) {
      if (mode_ == Mode::kReduce) {
        k.phase = kDone;
      } else {
        send_down(t, c);
      }
      return;
    }
    // A leaf sends its input as it is; everyone else the partial result.
    const void* up = s.node.nchildren > 0 ? static_cast<const void*>(dst) : src;
    g_.isend(s.node.parent, tag_base_ + static_cast<Tag>(2 * t), up, bytes, k.up);
    k.phase = kUpSending;
  }
  if (k.phase == kUpSending) {
    const Phase next = mode_ == Mode::kReduce ? kDone : kWaitParent;
    if (next > limit || !g_.test(k.up)) return;
    if (mode_ == Mode::kReduce) {
      k.phase = kDone;
      return;
    }
    // The broadcast lands where the partial result was sent from: only now is that free.
    g_.irecv(s.node.parent, tag_base_ + static_cast<Tag>(2 * t) + 1, job_.dst_at(span.offset),
             bytes, k.down);
    k.phase = kWaitParent;
  }
  if (k.phase == kWaitParent) {
    if (kSendingDown > limit || !g_.test(k.down)) return;
    send_down(t, c);
  }
  if (k.phase == kSendingDown) {
    for (int i = 0; i < s.node.nchildren; ++i) {
      if (!g_.test(k.forward[i])) return;
    }
    k.phase = kDone;
  }
}

}  // namespace lp::bench::allreduce
