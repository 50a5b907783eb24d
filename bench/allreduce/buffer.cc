#include "bench/allreduce/buffer.h"

#include <cstring>
#include <new>

namespace lp::bench::allreduce {

Buffer::Buffer(std::size_t bytes) : size_(bytes) {
  constexpr std::size_t kPage = 4096;
  const std::size_t rounded = (bytes + kPage - 1) / kPage * kPage;
  void* p = std::aligned_alloc(kPage, rounded == 0 ? kPage : rounded);
  if (p == nullptr) throw std::bad_alloc();
  std::memset(p, 0, rounded);
  data_.reset(static_cast<unsigned char*>(p));
}

}  // namespace lp::bench::allreduce
