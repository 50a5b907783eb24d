#include "bench/common/histogram.h"
#include "core/error.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace lp::bench {
namespace {

std::uint64_t exact_percentile(std::vector<std::uint64_t> v, double q) {
  std::sort(v.begin(), v.end());
  const auto rank = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(q / 100.0 * v.size())));
  return v[rank - 1];
}

TEST(Histogram, BucketsTileTheRange) {
  for (std::size_t i = 0; i + 1 < Histogram::kBuckets; ++i) {
    ASSERT_EQ(Histogram::bucket_low(i) + Histogram::bucket_width(i), Histogram::bucket_low(i + 1)) << i;
    ASSERT_EQ(Histogram::index_of(Histogram::bucket_low(i)), i);
    ASSERT_EQ(Histogram::index_of(Histogram::bucket_low(i + 1) - 1), i);
  }
}

TEST(Histogram, PercentilesWithinDocumentedErrorOnRandomData) {
  std::mt19937_64 rng(42);
  // Log-uniform from 100 ns to 100 s, the range the benchmarks promise.
  std::uniform_real_distribution<double> log_ns(std::log(100.0), std::log(100e9));
  for (int trial = 0; trial < 5; ++trial) {
    Histogram h;
    std::vector<std::uint64_t> values;
    for (int i = 0; i < 20000; ++i) {
      const auto v = static_cast<std::uint64_t>(std::exp(log_ns(rng)));
      values.push_back(v);
      h.record(v);
    }
    for (double q : {0.0, 1.0, 50.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
      const double exact = static_cast<double>(exact_percentile(values, q));
      const double got = static_cast<double>(h.percentile(q));
      EXPECT_LE(std::abs(got - exact) / exact, Histogram::kMaxRelativeError + 1e-12)
          << "q=" << q << " exact=" << exact << " got=" << got;
    }
    EXPECT_EQ(h.min(), *std::min_element(values.begin(), values.end()));
    EXPECT_EQ(h.max(), *std::max_element(values.begin(), values.end()));
  }
}

TEST(Histogram, SmallValuesAreExact) {
  Histogram h;
  for (std::uint64_t v = 0; v < 128; ++v) h.record(v);
  EXPECT_EQ(h.percentile(50), 63u);
  EXPECT_EQ(h.percentile(100), 127u);
  EXPECT_DOUBLE_EQ(h.mean(), 63.5);
}

TEST(Histogram, MergeEqualsRecordingEverything) {
  std::mt19937_64 rng(7);
  std::exponential_distribution<double> d(1.0 / 5000);
  Histogram a, b, all;
  for (int i = 0; i < 10000; ++i) {
    const auto v = static_cast<std::uint64_t>(d(rng));
    (i % 3 ? a : b).record(v);
    all.record(v);
  }
  a.merge(b);
  for (double q : {50.0, 99.0, 99.9}) EXPECT_EQ(a.percentile(q), all.percentile(q));
  EXPECT_EQ(a.count(), all.count());
}

TEST(Histogram, SerializeRoundTripAndRejectsGarbage) {
  Histogram h;
  for (std::uint64_t v : {5ull, 1000ull, 123456789ull, 1ull << 41}) h.record(v);
  const Histogram back = Histogram::deserialize(h.serialize());
  EXPECT_EQ(back.count(), 4u);
  EXPECT_EQ(back.max(), 1ull << 41);
  EXPECT_EQ(back.percentile(50), h.percentile(50));
  for (const char* bad : {"", "x", "1 2 3", "1 5 5 5 99999:1", "2 5 5 5 5:1", "1 5 5 5 5"}) {
    EXPECT_THROW(Histogram::deserialize(bad), Error) << bad;
  }
}

TEST(Histogram, SamplesAboveTellsWhenATailRestsOnFewSamples) {
  Histogram h;
  for (int i = 0; i < 1000; ++i) h.record(static_cast<std::uint64_t>(i));
  EXPECT_EQ(h.samples_above(99), 10u);
  EXPECT_EQ(h.samples_above(99.9), 1u);
}

}  // namespace
}  // namespace lp::bench
