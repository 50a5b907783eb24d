#include "bench/train/buckets.h"

#include <algorithm>
#include <map>

namespace lp::bench::train {

std::vector<Bucket> ddp_buckets(const Model& m, std::size_t cap_bytes, std::size_t first_bytes) {
  struct Open {
    Bucket bucket;
    bool first = true;
    std::size_t opened_at = 0;
  };
  std::map<Dtype, Open> open;
  std::vector<std::pair<std::size_t, Bucket>> closed;  // (position of its first tensor, bucket)
  const std::size_t n = m.tensors.size();
  for (std::size_t pos = 0; pos < n; ++pos) {
    const std::size_t index = n - 1 - pos;
    const Tensor& t = m.tensors[index];
    Open& o = open[t.dtype];
    if (o.bucket.tensors.empty()) o.opened_at = pos;
    o.bucket.dtype = t.dtype;
    o.bucket.tensors.push_back(index);
    o.bucket.count += t.elements;
    o.bucket.bytes += t.bytes();
    o.bucket.ready_after = pos;
    if (o.bucket.bytes >= (o.first ? first_bytes : cap_bytes)) {
      closed.emplace_back(o.opened_at, std::move(o.bucket));
      o.bucket = Bucket{};
      o.first = false;
    }
  }
  for (auto& [dtype, o] : open) {
    if (!o.bucket.tensors.empty()) closed.emplace_back(o.opened_at, std::move(o.bucket));
  }
  std::stable_sort(closed.begin(), closed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Bucket> out;
  for (auto& c : closed) out.push_back(std::move(c.second));
  return out;
}

}  // namespace lp::bench::train
