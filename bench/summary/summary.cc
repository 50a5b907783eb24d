#include "bench/summary/summary.h"

#include "core/sizes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

namespace lp::bench {
namespace {

using Json = nlohmann::json;

std::string duration_text(double us) {
  if (us >= 1e6) return fmt::format("{:.3g} s", us / 1e6);
  if (us >= 1e3) return fmt::format("{:.3g} ms", us / 1e3);
  return fmt::format("{:.3g} us", us);
}

double num(const Json& j, const char* key, double fallback = NAN) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback;
}

std::vector<std::string> hosts_of(const Json& r) {
  std::vector<std::string> out;
  if (r.contains("hosts") && r["hosts"].is_array()) {
    for (const auto& h : r["hosts"]) {
      if (h.is_string()) out.push_back(h.get<std::string>());
    }
  }
  return out;
}

// Groups record indexes into clusters of overlapping host sets (union-find over hosts).
std::vector<std::vector<std::size_t>> clusters_of(const std::vector<Json>& records) {
  std::map<std::string, std::size_t> first_record;
  std::vector<std::size_t> parent(records.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (std::size_t i = 0; i < records.size(); ++i) {
    for (const std::string& h : hosts_of(records[i])) {
      auto [it, fresh] = first_record.emplace(h, i);
      if (!fresh) parent[find(i)] = find(it->second);
    }
  }
  std::map<std::size_t, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < records.size(); ++i) groups[find(i)].push_back(i);
  std::vector<std::vector<std::size_t>> out;
  for (auto& [root, members] : groups) out.push_back(std::move(members));
  return out;
}

struct PairLatency {
  std::string a, b;
  double p50_us = 0;
  double p99_us = 0;
};

// Per pair of endpoints (hosts, or ranks on one host), the worst p99 over the p2p latency
// records at each record's smallest measured size.
std::vector<PairLatency> pair_latencies(const std::vector<const Json*>& rs) {
  std::map<std::string, std::size_t> smallest;  // per run command: the smallest size seen
  for (const Json* r : rs) {
    const std::string run = r->value("command", "") + r->value("started", "");
    const auto size = r->value("size", std::size_t{0});
    auto [it, fresh] = smallest.emplace(run, size);
    if (!fresh) it->second = std::min(it->second, size);
  }
  std::map<std::pair<std::string, std::string>, PairLatency> pairs;
  for (const Json* r : rs) {
    const std::string run = r->value("command", "") + r->value("started", "");
    if (r->value("size", std::size_t{0}) != smallest[run] || !r->contains("per_pair")) continue;
    for (const Json& p : (*r)["per_pair"]) {
      if (!p.contains("hosts") || !p.contains("latency_us")) continue;
      std::string a = p["hosts"][0].get<std::string>();
      std::string b = p["hosts"][1].get<std::string>();
      if (a == b) {  // ranks sharing a host: tell them apart by rank
        a = fmt::format("rank {}@{}", p["ranks"][0].get<int>(), a);
        b = fmt::format("rank {}@{}", p["ranks"][1].get<int>(), b);
      }
      if (b < a) std::swap(a, b);
      PairLatency& e = pairs[{a, b}];
      e.a = a;
      e.b = b;
      const double p99 = num(p["latency_us"], "p99");
      if (p99 >= e.p99_us) {
        e.p99_us = p99;
        e.p50_us = num(p["latency_us"], "p50");
      }
    }
  }
  std::vector<PairLatency> out;
  for (auto& [key, v] : pairs) out.push_back(v);
  return out;
}

Verdict latency_circle(const std::vector<PairLatency>& pairs, const Budgets& b) {
  Verdict v{"latency circle", "no data", "no p2p latency records with per-pair figures"};
  if (pairs.empty()) return v;
  std::size_t within = 0;
  const PairLatency* worst = &pairs.front();
  for (const PairLatency& p : pairs) {
    within += p.p99_us <= b.pair_p99_us ? 1 : 0;
    if (p.p99_us > worst->p99_us) worst = &p;
  }
  const double share = static_cast<double>(within) / static_cast<double>(pairs.size());
  v.status = share >= b.pair_coverage ? "pass" : "fail";
  v.detail = fmt::format("{:.1f}% of {} pairs ({}) have p99 within {} (needed: {:.1f}%); worst {} - {} at {}",
                         100 * share, pairs.size(), within, duration_text(b.pair_p99_us), 100 * b.pair_coverage,
                         worst->a, worst->b, duration_text(worst->p99_us));
  return v;
}

std::vector<Verdict> request_latency(const std::vector<const Json*>& rs, const Budgets& b) {
  std::map<std::string, std::vector<const Json*>> groups;
  for (const Json* r : rs) {
    groups[fmt::format("{} {}/{} B", r->value("transport", "?"), r->value("req", 0), r->value("resp", 0))].push_back(r);
  }
  std::vector<Verdict> out;
  for (auto& [label, g] : groups) {
    std::sort(g.begin(), g.end(), [](const Json* x, const Json* y) { return num(*x, "offered_rps") < num(*y, "offered_rps"); });
    const Json* best = nullptr;
    const Json* broke = nullptr;
    for (const Json* r : g) {
      const double p99 = r->contains("latency_us") ? num((*r)["latency_us"], "p99") : NAN;
      // Latency from the intended send time already shows a server that falls behind; a
      // request given up or never answered breaks the budget outright.
      const bool ok = p99 <= b.rpc_p99_us && num(*r, "timeouts", 0) == 0 && num(*r, "unanswered", 0) == 0;
      if (!ok) {
        broke = r;
        break;
      }
      best = r;
    }
    Verdict v{"request latency (" + label + ")", best != nullptr ? "pass" : "fail", ""};
    if (best != nullptr) {
      v.detail = fmt::format("p99 within {} up to {:.6g} req/s (p99 {} there)", duration_text(b.rpc_p99_us),
                             num(*best, "offered_rps"), duration_text(num((*best)["latency_us"], "p99")));
    } else {
      v.detail = fmt::format("p99 over {} already at the lowest load measured", duration_text(b.rpc_p99_us));
    }
    if (broke != nullptr) {
      const double p99 = broke->contains("latency_us") ? num((*broke)["latency_us"], "p99") : NAN;
      v.detail += fmt::format("; at {:.6g} req/s: p99 {}, achieved {:.6g} req/s, {} timeouts, {} unanswered",
                              num(*broke, "offered_rps"), std::isnan(p99) ? "a timeout" : duration_text(p99),
                              num(*broke, "achieved_rps", 0), num(*broke, "timeouts", 0), num(*broke, "unanswered", 0));
    }
    out.push_back(std::move(v));
  }
  if (out.empty()) out.push_back({"request latency", "no data", "no rpc records"});
  return out;
}

// lightpath's own all-reduce records (the MPI baseline is not what the cluster offers through
// lightpath), best algorithm per size.
std::map<std::size_t, const Json*> best_allreduce(const std::vector<const Json*>& rs) {
  std::map<std::size_t, const Json*> best;
  for (const Json* r : rs) {
    if (r->value("algo", "") == "mpi" || !r->contains("time_us")) continue;
    const auto size = r->value("size", std::size_t{0});
    if (size == 0) continue;
    auto [it, fresh] = best.emplace(size, r);
    if (!fresh && num((*r)["time_us"], "avg") < num((*it->second)["time_us"], "avg")) it->second = r;
  }
  return best;
}

std::vector<Verdict> allreduce_verdicts(const std::vector<const Json*>& rs, const Budgets& b) {
  const auto best = best_allreduce(rs);
  std::vector<Verdict> out;
  if (best.empty()) return {{"all-reduce", "no data", "no all-reduce records"}};
  const Json* small = nullptr;
  for (const auto& [size, r] : best) {
    if (size <= b.small_allreduce_bytes) small = r;
  }
  if (small != nullptr) {
    const double p99 = num((*small)["time_us"], "p99");
    out.push_back({"small all-reduce", p99 <= b.small_allreduce_p99_us ? "pass" : "fail",
                   fmt::format("{} per rank: p99 {} ({}; budget {})", format_size((*small)["size"].get<std::size_t>()),
                               duration_text(p99), small->value("algo_used", small->value("algo", "?")),
                               duration_text(b.small_allreduce_p99_us))});
  }
  for (const std::size_t bucket : b.buckets) {
    const Json* near = nullptr;
    double distance = 0;
    for (const auto& [size, r] : best) {
      const double d = std::fabs(std::log2(static_cast<double>(size) / static_cast<double>(bucket)));
      if (d <= 1.0 && (near == nullptr || d < distance)) {
        near = r;
        distance = d;
      }
    }
    Verdict v{fmt::format("all-reduce of a {} bucket", format_size(bucket)), "no data",
              "no all-reduce measured within a factor of 2 of this size"};
    if (near != nullptr) {
      const double ms = num((*near)["time_us"], "avg") / 1000.0;
      v.status = b.bucket_ms ? (ms <= *b.bucket_ms ? "pass" : "fail") : "info";
      v.detail = fmt::format("measured at {}: {:.3g} ms, busbw {:.3g} GB/s ({}){}",
                             format_size((*near)["size"].get<std::size_t>()), ms, num(*near, "busbw_GBps", 0),
                             near->value("algo_used", near->value("algo", "?")),
                             b.bucket_ms ? fmt::format("; budget {:.3g} ms", *b.bucket_ms) : std::string("; no budget set"));
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

std::vector<ClusterSummary> summarize(const std::vector<Json>& records, const Budgets& b) {
  std::vector<ClusterSummary> out;
  for (const auto& members : clusters_of(records)) {
    ClusterSummary c;
    std::set<std::string> hosts;
    std::vector<const Json*> p2p, rpc, allreduce;
    for (std::size_t i : members) {
      const Json& r = records[i];
      for (const std::string& h : hosts_of(r)) hosts.insert(h);
      const std::string bench = r.value("benchmark", "");
      if (bench == "p2p" && r.value("mode", "") == "lat") p2p.push_back(&r);
      if (bench == "rpc") rpc.push_back(&r);
      if (bench == "allreduce") allreduce.push_back(&r);
    }
    c.hosts.assign(hosts.begin(), hosts.end());
    c.records = members.size();
    auto pairs = pair_latencies(p2p);
    c.verdicts.push_back(latency_circle(pairs, b));
    for (Verdict& v : request_latency(rpc, b)) c.verdicts.push_back(std::move(v));
    for (Verdict& v : allreduce_verdicts(allreduce, b)) c.verdicts.push_back(std::move(v));
    std::sort(pairs.begin(), pairs.end(), [](const PairLatency& x, const PairLatency& y) { return x.p99_us > y.p99_us; });
    for (std::size_t i = 0; i < std::min<std::size_t>(5, pairs.size()); ++i) {
      c.slowest_pairs.push_back(fmt::format("{} - {}: p99 {} (p50 {})", pairs[i].a, pairs[i].b,
                                            duration_text(pairs[i].p99_us), duration_text(pairs[i].p50_us)));
    }
    out.push_back(std::move(c));
  }
  return out;
}

bool any_failed(const std::vector<ClusterSummary>& clusters) {
  for (const ClusterSummary& c : clusters) {
    for (const Verdict& v : c.verdicts) {
      if (v.status == "fail") return true;
    }
  }
  return false;
}

std::string format_summary(const std::vector<ClusterSummary>& clusters, const Budgets& b) {
  std::string out;
  for (const ClusterSummary& c : clusters) {
    std::string hosts;
    for (std::size_t i = 0; i < c.hosts.size() && i < 8; ++i) hosts += (i ? ", " : "") + c.hosts[i];
    if (c.hosts.size() > 8) hosts += fmt::format(", ... ({} in all)", c.hosts.size());
    out += fmt::format("== millisecond readiness: {} host(s): {} ({} records)\n", c.hosts.size(), hosts, c.records);
    out += fmt::format("   budgets: host pair p99 {}, request p99 {}, small all-reduce p99 {}\n",
                       duration_text(b.pair_p99_us), duration_text(b.rpc_p99_us), duration_text(b.small_allreduce_p99_us));
    for (const Verdict& v : c.verdicts) {
      std::string status = v.status;
      for (char& ch : status) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      out += fmt::format("   {:<8} {}: {}\n", status, v.check, v.detail);
    }
    if (!c.slowest_pairs.empty()) {
      out += "   slowest pairs:\n";
      for (const std::string& s : c.slowest_pairs) out += "     " + s + "\n";
    }
  }
  return out;
}

nlohmann::json to_json(const std::vector<ClusterSummary>& clusters) {
  Json out = Json::array();
  for (const ClusterSummary& c : clusters) {
    Json verdicts = Json::array();
    for (const Verdict& v : c.verdicts) verdicts.push_back({{"check", v.check}, {"status", v.status}, {"detail", v.detail}});
    out.push_back({{"hosts", c.hosts}, {"records", c.records}, {"verdicts", verdicts}, {"slowest_pairs", c.slowest_pairs}});
  }
  return out;
}

}  // namespace lp::bench
