// Page-aligned memory, touched once when made so no timed loop takes its page faults.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <memory>

namespace lp::bench::allreduce {

class Buffer {
 public:
  Buffer() = default;
  // Throws std::bad_alloc when the memory is not there. Zero-filled.
  explicit Buffer(std::size_t bytes);

  unsigned char* data() const { return data_.get(); }
  std::size_t size() const { return size_; }

 private:
  struct Free {
    void operator()(unsigned char* p) const { std::free(p); }
  };
  std::unique_ptr<unsigned char, Free> data_;
  std::size_t size_ = 0;
};

}  // namespace lp::bench::allreduce
