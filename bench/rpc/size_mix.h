// Request and response sizes: one fixed pair (--req, --resp, --stream), or a weighted mix
// read from a small file (--size-dist FILE), so a run can carry short prompts with long
// answers beside long prompts with short ones:
//
//   {"format": "lightpath.rpc-sizes/1",
//    "mix": [{"req": "512", "resp": "64", "tokens": 128, "weight": 70},
//            {"req": "16K", "resp": 64, "tokens": 16, "weight": 30}]}
//
// `req` and `resp` are byte counts (numbers, or strings such as "4K"); `resp` is the size of
// each response message, one per token; `tokens` is optional (default: --stream, else 1);
// `weight` is any positive number (weights are relative).
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace lp::bench::rpc {

struct SizeEntry {
  std::size_t req = 0;
  std::size_t resp = 0;
  std::uint32_t tokens = 1;
  double weight = 1;
};

inline constexpr std::size_t kMaxMixEntries = 10000;

class SizeMix {
 public:
  // Throws InputError naming the flag when a size is out of range (the request and the
  // response must each hold their header).
  static SizeMix fixed(std::size_t req, std::size_t resp, std::uint32_t tokens);
  // Parses a lightpath.rpc-sizes/1 document; every problem is reported at once, each
  // prefixed with `source` (the file) and its JSON path.
  static SizeMix parse(const std::string& text, const std::string& source,
                       std::uint32_t default_tokens);
  static SizeMix load(const std::string& path, std::uint32_t default_tokens);

  // One draw (no random number for a single entry).
  const SizeEntry& sample(std::mt19937_64& rng) const;

  const std::vector<SizeEntry>& entries() const { return entries_; }
  std::size_t max_req() const;
  std::size_t max_resp() const;
  std::uint32_t max_tokens() const;
  double mean_req() const;
  double mean_resp() const;
  // Canonical text (sizes, tokens and normalized weights), for fingerprints.
  std::string text() const;

 private:
  explicit SizeMix(std::vector<SizeEntry> entries);
  std::vector<SizeEntry> entries_;
  std::vector<double> cumulative_;  // running sum of weights / total
};

}  // namespace lp::bench::rpc
