#include "bench/common/metrics.h"

#include <fmt/format.h>

#include <map>

namespace lp::bench {
namespace {

struct Family {
  std::string help;
  std::vector<std::string> samples;
};

// Families keyed by metric name, in name order so the file is stable.
using Families = std::map<std::string, Family>;

std::string text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ",") + text(x);
    return out;
  }
  return v.dump();
}

class Labels {
 public:
  explicit Labels(const nlohmann::json& r) {
    for (const char* k : {"transport", "ranks", "hosts"}) add_from(r, k);
  }
  void add_from(const nlohmann::json& r, const char* key) {
    if (r.contains(key)) add(key, text(r[key]));
  }
  void add(const std::string& key, const std::string& value) {
    body_ += fmt::format("{}{}=\"{}\"", body_.empty() ? "" : ",", key, escape_label(value));
  }
  std::string with(const std::string& key, const std::string& value) const {
    Labels l = *this;
    l.add(key, value);
    return l.body_;
  }
  const std::string& body() const { return body_; }

 private:
  std::string body_;
};

void sample(Families& f, const std::string& name, const std::string& help, const std::string& labels,
            double value) {
  Family& fam = f[name];
  fam.help = help;
  fam.samples.push_back(fmt::format("{}{{{}}} {}", name, labels, fmt::format("{:.9g}", value)));
}

double number(const nlohmann::json& r, const char* key) {
  return r.contains(key) && r[key].is_number() ? r[key].get<double>() : 0.0;
}

// Quantile summaries given in microseconds, as seconds with a quantile label.
void quantiles_us(Families& f, const std::string& name, const std::string& help, const Labels& l,
                  const nlohmann::json& summary) {
  static const std::vector<std::pair<std::string, std::string>> kKeys = {
      {"p50", "0.5"}, {"p90", "0.9"}, {"p99", "0.99"}, {"p999", "0.999"}, {"p9999", "0.9999"}};
  if (!summary.is_object()) return;
  for (const auto& [key, q] : kKeys) {
    if (summary.contains(key) && summary[key].is_number()) {
      sample(f, name, help, l.with("quantile", q), summary[key].get<double>() * 1e-6);
    }
  }
}

void add_record(Families& f, const nlohmann::json& r) {
  const std::string bench = r.value("benchmark", "");
  Labels l(r);
  if (bench == "p2p") {
    for (const char* k : {"mode", "size", "pairs"}) l.add_from(r, k);
    quantiles_us(f, "lightpath_p2p_latency_seconds", "p2p latency (one way; bw modes: per message)", l,
                 r.value("latency_us", nlohmann::json()));
    sample(f, "lightpath_p2p_bandwidth_bytes_per_second", "p2p bandwidth, all pairs summed", l.body(),
           number(r, "bandwidth_GBps") * 1e9);
  } else if (bench == "allreduce") {
    for (const char* k : {"algo", "algo_used", "dtype", "op", "size", "in_place"}) l.add_from(r, k);
    quantiles_us(f, "lightpath_allreduce_time_seconds", "all-reduce time per iteration (slowest rank)", l,
                 r.value("time_us", nlohmann::json()));
    sample(f, "lightpath_allreduce_busbw_bytes_per_second", "all-reduce bus bandwidth", l.body(),
           number(r, "busbw_GBps") * 1e9);
    sample(f, "lightpath_allreduce_check_ok", "1 when --check passed, 0 when it failed or was off",
           l.body(), r.value("check", "") == "pass" ? 1 : 0);
  } else if (bench == "rpc") {
    for (const char* k : {"req", "resp", "arrival", "offered_rps"}) l.add_from(r, k);
    quantiles_us(f, "lightpath_rpc_latency_seconds", "request latency from intended send time", l,
                 r.value("latency_us", nlohmann::json()));
    sample(f, "lightpath_rpc_achieved_requests_per_second", "requests answered per second", l.body(),
           number(r, "achieved_rps"));
    sample(f, "lightpath_rpc_timeouts", "requests timed out or never answered", l.body(), number(r, "timeouts"));
  } else if (bench == "train") {
    l.add_from(r, "model");
    const auto comm = r.value("step_comm_ms", nlohmann::json());
    if (comm.is_object() && comm.contains("avg")) {
      sample(f, "lightpath_train_step_comm_seconds", "communication time per training step", l.body(),
             comm["avg"].get<double>() * 1e-3);
    }
    sample(f, "lightpath_train_exposed_seconds", "communication not hidden behind compute per step",
           l.body(), number(r, "exposed_ms") * 1e-3);
  }
}

}  // namespace

std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string prometheus_text(const std::vector<nlohmann::json>& records) {
  Families families;
  for (const auto& r : records) add_record(families, r);
  std::string out;
  for (const auto& [name, fam] : families) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name, fam.help, name);
    for (const std::string& s : fam.samples) out += s + "\n";
  }
  return out;
}

}  // namespace lp::bench
