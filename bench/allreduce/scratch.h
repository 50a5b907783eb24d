// Working memory of plans. Plans that never run at the same time (the buckets of one
// training step, the levels of hier) can share one Scratch: each reserves what it needs when
// prepared and takes the pointer only when it runs, so the memory is the largest need, not
// the sum. Without a shared one, a plan keeps its own.
#pragma once

#include "bench/allreduce/buffer.h"

#include <cstddef>

namespace lp::bench::allreduce {

class Scratch {
 public:
  // Grows to at least `bytes`. Never while a plan that uses it runs.
  void reserve(std::size_t bytes) {
    if (bytes > buf_.size()) buf_ = Buffer(bytes);
  }
  unsigned char* data() const { return buf_.data(); }

 private:
  Buffer buf_;
};

// A plan's view of its working memory: the shared Scratch when there is one, else its own.
class ScratchRef {
 public:
  ScratchRef(Scratch* shared, std::size_t bytes) : shared_(shared) {
    if (shared_ == nullptr) shared_ = &own_;
    shared_->reserve(bytes);
  }
  ScratchRef(const ScratchRef&) = delete;
  ScratchRef& operator=(const ScratchRef&) = delete;

  unsigned char* data() const { return shared_->data(); }

 private:
  Scratch own_;
  Scratch* shared_;
};

}  // namespace lp::bench::allreduce
