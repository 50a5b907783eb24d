// A fixed-memory latency histogram with bounded relative error, for every benchmark.
//
// Buckets are log-linear (as in HdrHistogram): values below 128 ns are exact; above, each
// power of two is split into 128 equal sub-buckets, so a bucket is at most 1/128 of the values
// in it wide, and reporting its midpoint errs by at most 1/256 (0.4%) relative. Values are
// nanoseconds up to 2^40 (about 18 minutes); larger ones land in the last bucket and `max`
// stays exact. 4,352 buckets, 34 KiB, no allocation after construction. Recording is a
// count-leading-zeros, a shift and an increment.
//
// Percentiles of merged histograms are exact up to the bucket error: merge histograms across
// ranks, never average their percentiles.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace lp::bench {

class Histogram {
 public:
  static constexpr int kSubBits = 7;
  static constexpr std::uint64_t kSub = std::uint64_t{1} << kSubBits;  // 128
  static constexpr int kMaxExponent = 39;                                // values < 2^40
  static constexpr std::size_t kBuckets = kSub * (kMaxExponent - kSubBits + 2);
  static constexpr double kMaxRelativeError = 1.0 / 256;

  void record(std::uint64_t ns) {
    buckets_[index_of(ns)] += 1;
    count_ += 1;
    sum_ += ns;
    if (ns < min_) min_ = ns;
    if (ns > max_) max_ = ns;
  }

  void merge(const Histogram& other);
  void reset() { *this = Histogram(); }

  std::uint64_t count() const { return count_; }
  std::uint64_t min() const { return count_ ? min_ : 0; }
  std::uint64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }

  // The value at percentile `q` (0..100): the smallest recorded value v such that at least
  // q% of the samples are <= v, reported as its bucket's midpoint clamped to [min, max].
  std::uint64_t percentile(double q) const;
  // How many samples lie above percentile q's rank: where this is under 10, the percentile
  // rests on few samples and reports should say so.
  std::uint64_t samples_above(double q) const;

  // Compact text form for gathering across ranks: "count sum min max idx:n idx:n ...".
  std::string serialize() const;
  // Throws lp::Error on malformed input (never trusts lengths or indices).
  static Histogram deserialize(std::string_view text);

  static std::size_t index_of(std::uint64_t ns) {
    if (ns < kSub) return static_cast<std::size_t>(ns);
    const int e = std::bit_width(ns) - 1;  // >= kSubBits
    if (e > kMaxExponent) return kBuckets - 1;
    const std::uint64_t sub = (ns >> (e - kSubBits)) - kSub;
    return static_cast<std::size_t>(kSub * static_cast<std::uint64_t>(e - kSubBits + 1) + sub);
  }
  // The smallest value and the width of bucket `index`.
  static std::uint64_t bucket_low(std::size_t index);
  static std::uint64_t bucket_width(std::size_t index);

 private:
  std::array<std::uint64_t, kBuckets> buckets_{};
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t min_ = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t max_ = 0;
};

}  // namespace lp::bench
