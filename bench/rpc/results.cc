#include "bench/rpc/results.h"

#include "core/error.h"

#include <array>
#include <charconv>

namespace lp::bench::rpc {
namespace {

// The counters in their serialized order (const or not, as `c` is).
template <typename C>
auto fields(C& c) {
  return std::array{&c.offered,    &c.sent,      &c.answered, &c.timeouts,
                    &c.unanswered, &c.completed, &c.tokens,   &c.mismatched,
                    &c.served,     &c.rejected,  &c.dropped,  &c.unfinished};
}

template <typename R>
auto histograms(R& r) {
  return std::array{&r.latency, &r.service, &r.ttft, &r.itl, &r.kv};
}

}  // namespace

void RankResults::merge(const RankResults& o) {
  const auto mine = fields(counters);
  const auto theirs = fields(o.counters);
  for (std::size_t i = 0; i < mine.size(); ++i) *mine[i] += *theirs[i];
  const auto hm = histograms(*this);
  const auto ho = histograms(o);
  for (std::size_t i = 0; i < hm.size(); ++i) hm[i]->merge(*ho[i]);
}

std::string RankResults::serialize() const {
  std::string out;
  for (const std::uint64_t* v : fields(counters)) out += std::to_string(*v) + " ";
  out.back() = '\n';
  for (const Histogram* h : histograms(*this)) out += h->serialize() + "\n";
  return out;
}

std::unique_ptr<RankResults> RankResults::deserialize(std::string_view text) {
  auto r = std::make_unique<RankResults>();
  auto next_line = [&]() {
    const auto nl = text.find('\n');
    if (nl == std::string_view::npos) throw Error("rpc results: truncated");
    const std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    return line;
  };
  std::string_view line = next_line();
  for (std::uint64_t* v : fields(r->counters)) {
    const auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), *v);
    if (ec != std::errc()) throw Error("rpc results: malformed counters");
    line.remove_prefix(static_cast<std::size_t>(end - line.data()));
    if (!line.empty()) {
      if (line.front() != ' ') throw Error("rpc results: malformed counters");
      line.remove_prefix(1);
    }
  }
  if (!line.empty()) throw Error("rpc results: too many counters");
  for (Histogram* h : histograms(*r)) *h = Histogram::deserialize(next_line());
  if (!text.empty()) throw Error("rpc results: trailing data");
  return r;
}

std::unique_ptr<RankResults> gather_results(transport::Bootstrap& boot, const RankResults& mine) {
  const std::vector<std::string> all = boot.allgather(mine.serialize());
  auto merged = std::make_unique<RankResults>();
  for (const std::string& text : all) merged->merge(*RankResults::deserialize(text));
  return merged;
}

}  // namespace lp::bench::rpc
