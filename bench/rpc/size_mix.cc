#include "bench/rpc/size_mix.h"

#include "bench/rpc/wire.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/sizes.h"
#include "topo/problems.h"

#include <algorithm>

namespace lp::bench::rpc {
namespace {

using topo::json_path;
using topo::Problems;

constexpr const char* kFormat = "lightpath.rpc-sizes/1";

// A byte count written as a number or as a size string ("4K").
std::optional<std::size_t> read_size(const nlohmann::json& v, const std::string& path,
                                     std::size_t lo, Problems& problems) {
  std::optional<std::size_t> bytes;
  if (v.is_string()) {
    try {
      bytes = parse_size(v.get<std::string>(), "size");
    } catch (const InputError&) {
      problems.add(path, fmt::format("{} is not a size (e.g. 64, 4K, 1M)", v.dump()));
      return std::nullopt;
    }
  } else if (const auto n =
                 topo::as_int(v, path, 0, static_cast<std::int64_t>(kMaxMessageSize), problems)) {
    bytes = static_cast<std::size_t>(*n);
  } else {
    return std::nullopt;
  }
  if (*bytes < lo || *bytes > kMaxMessageSize) {
    problems.add(path, fmt::format("{} bytes is out of range {}..{} (a message holds its "
                                   "{}-byte header)",
                                   *bytes, lo, kMaxMessageSize, lo));
    return std::nullopt;
  }
  return bytes;
}

}  // namespace

SizeMix::SizeMix(std::vector<SizeEntry> entries) : entries_(std::move(entries)) {
  double total = 0;
  for (const SizeEntry& e : entries_) total += e.weight;
  double run = 0;
  for (const SizeEntry& e : entries_) {
    run += e.weight;
    cumulative_.push_back(run / total);
  }
  cumulative_.back() = 1.0;
}

SizeMix SizeMix::fixed(std::size_t req, std::size_t resp, std::uint32_t tokens) {
  if (req < kRequestHeaderSize || req > kMaxMessageSize) {
    throw input_error("--req",
                      fmt::format("{} bytes is out of range {}..{} (a request holds its "
                                  "{}-byte header)",
                                  req, kRequestHeaderSize, kMaxMessageSize, kRequestHeaderSize));
  }
  if (resp < kResponseHeaderSize || resp > kMaxMessageSize) {
    throw input_error("--resp",
                      fmt::format("{} bytes is out of range {}..{} (a response holds "
                                  "its {}-byte header)",
                                  resp, kResponseHeaderSize, kMaxMessageSize, kResponseHeaderSize));
  }
  if (tokens < 1 || tokens > kMaxTokens) {
    throw input_error("--stream", fmt::format("{} is out of range 1..{}", tokens, kMaxTokens));
  }
  return SizeMix({SizeEntry{req, resp, tokens, 1.0}});
}

SizeMix SizeMix::parse(const std::string& text, const std::string& source,
                       std::uint32_t default_tokens) {
  const nlohmann::json doc = topo::parse_json(text, source);
  Problems problems(source);
  if (!topo::check_format(doc, kFormat, problems)) problems.throw_if_any();
  std::vector<SizeEntry> entries;
  if (const nlohmann::json* mix = topo::get_array(doc, "mix", "", problems)) {
    if (mix->empty()) problems.add("mix", "is empty (give at least one entry)");
    if (mix->size() > kMaxMixEntries) {
      problems.add("mix", fmt::format("has {} entries, more than {}", mix->size(), kMaxMixEntries));
    }
    for (std::size_t i = 0; i < mix->size() && i < kMaxMixEntries; ++i) {
      const nlohmann::json& item = (*mix)[i];
      const std::string path = json_path("mix", i);
      if (!item.is_object()) {
        problems.add(path, fmt::format("expected an object, got {}", topo::json_type_name(item)));
        continue;
      }
      for (const auto& [key, value] : item.items()) {
        if (key != "req" && key != "resp" && key != "tokens" && key != "weight") {
          problems.add(json_path(path, key), "unknown field (expected req, resp, tokens, weight)");
        }
      }
      SizeEntry e;
      bool ok = true;
      const nlohmann::json* req = topo::get_field(item, "req", path, problems);
      const nlohmann::json* resp = topo::get_field(item, "resp", path, problems);
      const nlohmann::json* weight = topo::get_field(item, "weight", path, problems);
      std::optional<std::size_t> r;
      std::optional<std::size_t> s;
      std::optional<double> w;
      if (req) r = read_size(*req, json_path(path, "req"), kRequestHeaderSize, problems);
      if (resp) s = read_size(*resp, json_path(path, "resp"), kResponseHeaderSize, problems);
      if (weight) w = topo::as_number(*weight, json_path(path, "weight"), 0, 1e300, problems);
      if (w && *w <= 0) {
        problems.add(json_path(path, "weight"), "must be positive");
        ok = false;
      }
      e.tokens = default_tokens;
      if (const auto it = item.find("tokens"); it != item.end()) {
        std::optional<std::int64_t> t =
            topo::as_int(*it, json_path(path, "tokens"), 1, kMaxTokens, problems);
        if (t && *t < 1) {  // as_int checks only the upper bound of unsigned values
          problems.add(json_path(path, "tokens"),
                       fmt::format("{} is out of range 1..{}", *t, kMaxTokens));
          t.reset();
        }
        if (t) e.tokens = static_cast<std::uint32_t>(*t);
        ok = ok && t.has_value();
      }
      if (!r || !s || !w || !ok) continue;
      e.req = *r;
      e.resp = *s;
      e.weight = *w;
      entries.push_back(e);
    }
  }
  problems.throw_if_any();
  return SizeMix(std::move(entries));
}

SizeMix SizeMix::load(const std::string& path, std::uint32_t default_tokens) {
  return parse(read_file(path), path, default_tokens);
}

const SizeEntry& SizeMix::sample(std::mt19937_64& rng) const {
  if (entries_.size() == 1) return entries_.front();
  const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
  const auto i = std::min<std::size_t>(static_cast<std::size_t>(it - cumulative_.begin()),
                                       entries_.size() - 1);
  return entries_[i];
}

std::size_t SizeMix::max_req() const {
  std::size_t m = 0;
  for (const SizeEntry& e : entries_) m = std::max(m, e.req);
  return m;
}

std::size_t SizeMix::max_resp() const {
  std::size_t m = 0;
  for (const SizeEntry& e : entries_) m = std::max(m, e.resp);
  return m;
}

std::uint32_t SizeMix::max_tokens() const {
  std::uint32_t m = 0;
  for (const SizeEntry& e : entries_) m = std::max(m, e.tokens);
  return m;
}

double SizeMix::mean_req() const {
  double sum = 0;
  double prev = 0;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    sum += static_cast<double>(entries_[i].req) * (cumulative_[i] - prev);
    prev = cumulative_[i];
  }
  return sum;
}

double SizeMix::mean_resp() const {
  double sum = 0;
  double prev = 0;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    sum += static_cast<double>(entries_[i].resp) * (cumulative_[i] - prev);
    prev = cumulative_[i];
  }
  return sum;
}

std::string SizeMix::text() const {
  std::string out;
  double prev = 0;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const SizeEntry& e = entries_[i];
    out += fmt::format("{}{}/{}x{}@{:.17g}", i ? "," : "", e.req, e.resp, e.tokens,
                       cumulative_[i] - prev);
    prev = cumulative_[i];
  }
  return out;
}

}  // namespace lp::bench::rpc
