#include "bench/common/histogram.h"

#include "core/error.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace lp::bench {
namespace {

// The 1-based rank of percentile q among n samples: ceil(q% of n), tolerant of rounding in
// q / 100 (99.9% of 1000 is 999, not 1000).
std::uint64_t rank_of(double q, std::uint64_t n) {
  return static_cast<std::uint64_t>(std::ceil(q / 100.0 * static_cast<double>(n) - 1e-9));
}

}  // namespace

void Histogram::merge(const Histogram& o) {
  for (std::size_t i = 0; i < kBuckets; ++i) buckets_[i] += o.buckets_[i];
  count_ += o.count_;
  sum_ += o.sum_;
  min_ = std::min(min_, o.min_);
  max_ = std::max(max_, o.max_);
}

std::uint64_t Histogram::bucket_low(std::size_t index) {
  if (index < kSub) return index;
  const std::uint64_t octave = index / kSub;  // >= 1
  const std::uint64_t sub = index % kSub;
  const int e = static_cast<int>(octave) + kSubBits - 1;
  return (kSub + sub) << (e - kSubBits);
}

std::uint64_t Histogram::bucket_width(std::size_t index) {
  if (index < kSub) return 1;
  const int e = static_cast<int>(index / kSub) + kSubBits - 1;
  return std::uint64_t{1} << (e - kSubBits);
}

std::uint64_t Histogram::percentile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 100.0);
  const std::uint64_t rank = std::max<std::uint64_t>(1, rank_of(q, count_));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      const std::uint64_t mid = bucket_low(i) + (bucket_width(i) - 1) / 2;
      return std::clamp(mid, min(), max_);
    }
  }
  return max_;
}

std::uint64_t Histogram::samples_above(double q) const {
  q = std::clamp(q, 0.0, 100.0);
  return count_ - std::min(rank_of(q, count_), count_);
}

std::string Histogram::serialize() const {
  std::string out = std::to_string(count_) + " " + std::to_string(sum_) + " " +
                    std::to_string(min_) + " " + std::to_string(max_);
  for (std::size_t i = 0; i < kBuckets; ++i) {
    if (buckets_[i]) out += " " + std::to_string(i) + ":" + std::to_string(buckets_[i]);
  }
  return out;
}

Histogram Histogram::deserialize(std::string_view text) {
  Histogram h;
  auto next_number = [&](char stop) -> std::uint64_t {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc()) throw Error("histogram: malformed serialized form");
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    if (stop != ' ') {
      if (text.empty() || text.front() != stop) throw Error("histogram: malformed serialized form");
      text.remove_prefix(1);
    }
    return v;
  };
  h.count_ = next_number(' ');
  h.sum_ = next_number(' ');
  h.min_ = next_number(' ');
  h.max_ = next_number(' ');
  std::uint64_t total = 0;
  while (!text.empty() && text.find_first_not_of(' ') != std::string_view::npos) {
    const std::uint64_t idx = next_number(':');
    const std::uint64_t n = next_number(' ');
    if (idx >= kBuckets) throw Error("histogram: bucket index out of range");
    h.buckets_[idx] += n;
    total += n;
  }
  if (total != h.count_) throw Error("histogram: bucket counts do not add up to the count");
  return h;
}

}  // namespace lp::bench
