// The proposal reader: structure, types and ranges, every problem at once. Whether the
// circuits fit a fabric, the stages replay and the metrics hold is verify's business.
#include "ocs/proposal.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "topo/fabric.h"
#include "topo/problems.h"

#include <fmt/format.h>

#include <algorithm>

namespace lp::ocs {
namespace {

using topo::as_int;
using topo::as_number;
using topo::as_string;
using topo::get_array;
using topo::get_field;
using topo::get_string;
using topo::json_path;
using topo::Problems;

std::optional<NamedCircuit> read_circuit(const nlohmann::json& item, const std::string& path, bool with_blocks,
                                         Problems& p) {
  NamedCircuit c;
  bool ok = true;
  if (auto ocs = get_string(item, "ocs", path, p)) {
    c.ocs = *ocs;
  } else {
    ok = false;
  }
  if (const nlohmann::json* ports = get_array(item, "ports", path, p)) {
    const std::string ppath = json_path(path, "ports");
    if (ports->size() != 2) {
      p.add(ppath, fmt::format("expected 2 ports, got {}", ports->size()));
      ok = false;
    } else {
      const auto a = as_int((*ports)[0], json_path(ppath, 0), 0, topo::kMaxOcsPorts - 1, p);
      const auto b = as_int((*ports)[1], json_path(ppath, 1), 0, topo::kMaxOcsPorts - 1, p);
      if (a && b && *a == *b) {
        p.add(ppath, fmt::format("both ends are port {}", *a));
        ok = false;
      } else if (a && b) {
        c.a = static_cast<int>(std::min(*a, *b));
        c.b = static_cast<int>(std::max(*a, *b));
      } else {
        ok = false;
      }
    }
  } else {
    ok = false;
  }
  if (with_blocks && item.is_object() && item.contains("blocks")) {
    if (const nlohmann::json* blocks = get_array(item, "blocks", path, p)) {
      const std::string bpath = json_path(path, "blocks");
      if (blocks->size() != 2) {
        p.add(bpath, fmt::format("expected 2 blocks, got {}", blocks->size()));
        ok = false;
      }
      for (std::size_t k = 0; k < std::min<std::size_t>(blocks->size(), 2); ++k) {
        if (auto name = as_string((*blocks)[k], json_path(bpath, k), p)) c.blocks.push_back(*name);
      }
    }
  }
  if (!ok) return std::nullopt;
  return c;
}

std::vector<NamedCircuit> read_circuits(const nlohmann::json& list, const std::string& path, bool with_blocks,
                                        Problems& p) {
  std::vector<NamedCircuit> out;
  for (std::size_t k = 0; k < list.size(); ++k) {
    if (auto c = read_circuit(list[k], json_path(path, k), with_blocks, p)) out.push_back(std::move(*c));
  }
  return out;
}

std::vector<NamedCircuit> read_config(const nlohmann::json& doc, const std::string& key, Problems& p) {
  const nlohmann::json* config = get_field(doc, key, "", p);
  if (config == nullptr) return {};
  if (!config->is_object()) {
    p.add(key, fmt::format("expected an object (lightpath.ocs-config/1), got {}", topo::json_type_name(*config)));
    return {};
  }
  const auto format = config->find("format");
  if (format == config->end() || *format != "lightpath.ocs-config/1") {
    p.add(json_path(key, "format"), "expected \"lightpath.ocs-config/1\"");
  }
  const nlohmann::json* list = get_array(*config, "circuits", key, p);
  if (list == nullptr) return {};
  std::vector<NamedCircuit> out = read_circuits(*list, json_path(key, "circuits"), false, p);
  std::sort(out.begin(), out.end());
  for (std::size_t k = 1; k < out.size(); ++k) {
    if (out[k] == out[k - 1]) {
      p.add(json_path(key, "circuits"), fmt::format("circuit {} ports {}-{} listed twice", out[k].ocs, out[k].a, out[k].b));
    }
  }
  return out;
}

ProposalMetrics read_metrics(const nlohmann::json& m, const std::string& path, Problems& p) {
  ProposalMetrics out;
  if (const nlohmann::json* v = get_field(m, "direct_fraction", path, p)) {
    if (auto f = as_number(*v, json_path(path, "direct_fraction"), 0, 1, p)) out.direct_fraction = *f;
  }
  if (const nlohmann::json* v = get_field(m, "hop_count", path, p)) {
    if (auto h = as_number(*v, json_path(path, "hop_count"), 1, 2, p)) out.hop_count = *h;
  }
  if (const nlohmann::json* v = get_field(m, "mlu", path, p)) {
    if (!v->is_null()) out.mlu = as_number(*v, json_path(path, "mlu"), 0, 1e12, p);
  }
  if (const nlohmann::json* v = get_field(m, "churn", path, p)) {
    if (auto c = as_int(*v, json_path(path, "churn"), 0, 1 << 30, p)) out.churn = static_cast<int>(*c);
  }
  return out;
}

std::vector<std::vector<int>> read_square(const nlohmann::json& obj, const std::string& key, const std::string& path,
                                          std::size_t n, Problems& p) {
  std::vector<std::vector<int>> out(n, std::vector<int>(n, 0));
  const nlohmann::json* rows = get_array(obj, key, path, p);
  if (rows == nullptr) return out;
  const std::string rpath = json_path(path, key);
  if (rows->size() != n) {
    p.add(rpath, fmt::format("has {} rows for {} blocks", rows->size(), n));
    return out;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const nlohmann::json& row = (*rows)[i];
    const std::string ipath = json_path(rpath, i);
    if (!row.is_array() || row.size() != n) {
      p.add(ipath, fmt::format("expected an array of {} circuit counts", n));
      continue;
    }
    for (std::size_t j = 0; j < n; ++j) {
      if (auto v = as_int(row[j], json_path(ipath, j), 0, 1 << 20, p)) out[i][j] = static_cast<int>(*v);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (out[i][i] != 0) p.add(json_path(json_path(rpath, i), i), "a block has no circuits to itself");
    for (std::size_t j = i + 1; j < n; ++j) {
      if (out[i][j] != out[j][i]) p.add(json_path(json_path(rpath, i), j), fmt::format("differs from [{}][{}]", j, i));
    }
  }
  return out;
}

BlockSummary read_block_graph(const nlohmann::json& doc, Problems& p) {
  BlockSummary s;
  if (!doc.contains("block_graph")) return s;
  const nlohmann::json* g = get_field(doc, "block_graph", "", p);
  if (const nlohmann::json* names = get_array(*g, "blocks", "block_graph", p)) {
    for (std::size_t k = 0; k < names->size(); ++k) {
      if (auto name = as_string((*names)[k], json_path("block_graph.blocks", k), p)) s.blocks.push_back(*name);
    }
  }
  const std::size_t n = s.blocks.size();
  if (const nlohmann::json* up = get_array(*g, "uplinks", "block_graph", p)) {
    if (up->size() != n) p.add("block_graph.uplinks", fmt::format("has {} entries for {} blocks", up->size(), n));
    for (std::size_t k = 0; k < up->size(); ++k) {
      if (auto v = as_int((*up)[k], json_path("block_graph.uplinks", k), 0, 1 << 20, p)) s.uplinks.push_back(static_cast<int>(*v));
    }
  }
  if (const nlohmann::json* v = get_field(*g, "link_gbps", "block_graph", p)) {
    if (auto gbps = as_number(*v, "block_graph.link_gbps", 1e-3, 1e5, p)) s.link_gbps = *gbps;
  }
  s.before = read_square(*g, "before", "block_graph", n, p);
  s.after = read_square(*g, "after", "block_graph", n, p);
  return s;
}

}  // namespace

Proposal parse_proposal(const nlohmann::json& doc, const std::string& source) {
  Problems p(source);
  if (!topo::check_format(doc, kProposalFormat, p)) p.throw_if_any();
  Proposal out;
  if (auto fabric = get_string(doc, "fabric", "", p)) out.fabric = *fabric;
  out.base = read_config(doc, "base", p);
  out.target = read_config(doc, "target", p);
  if (const nlohmann::json* stages = get_array(doc, "stages", "", p)) {
    for (std::size_t k = 0; k < stages->size(); ++k) {
      const std::string path = json_path("stages", k);
      const nlohmann::json& item = (*stages)[k];
      ProposalStage s;
      if (const nlohmann::json* list = get_array(item, "remove", path, p)) s.remove = read_circuits(*list, json_path(path, "remove"), true, p);
      if (const nlohmann::json* list = get_array(item, "add", path, p)) s.add = read_circuits(*list, json_path(path, "add"), true, p);
      if (const nlohmann::json* v = get_field(item, "min_block_capacity", path, p)) {
        if (auto c = as_number(*v, json_path(path, "min_block_capacity"), 0, 1, p)) s.min_block_capacity = *c;
      }
      if (const nlohmann::json* v = get_field(item, "connected", path, p)) {
        if (v->is_boolean()) {
          s.connected = v->get<bool>();
        } else {
          p.add(json_path(path, "connected"), fmt::format("expected a boolean, got {}", topo::json_type_name(*v)));
        }
      }
      out.stages.push_back(std::move(s));
    }
  }
  if (const nlohmann::json* m = get_field(doc, "metrics", "", p)) {
    if (const nlohmann::json* v = get_field(*m, "before", "metrics", p)) out.before = read_metrics(*v, "metrics.before", p);
    if (const nlohmann::json* v = get_field(*m, "after", "metrics", p)) out.after = read_metrics(*v, "metrics.after", p);
    if (const nlohmann::json* b = get_field(*m, "bound", "metrics", p)) {
      if (const nlohmann::json* v = get_field(*b, "direct_fraction", "metrics.bound", p)) {
        if (auto f = as_number(*v, "metrics.bound.direct_fraction", 0, 1, p)) out.bound_direct_fraction = *f;
      }
    }
  }
  if (const nlohmann::json* t = get_field(doc, "traffic", "", p)) {
    try {
      out.traffic = topo::parse_traffic(t->dump(), "traffic");
      if (out.traffic.level != topo::TrafficLevel::kBlock) p.add("traffic.level", "expected \"block\": a proposal keeps block-level traffic");
    } catch (const InputError& e) {
      p.add("", e.what());
    }
  }
  if (const nlohmann::json* s = get_field(doc, "settings", "", p)) {
    if (s->is_object()) {
      out.settings = *s;
    } else {
      p.add("settings", fmt::format("expected an object, got {}", topo::json_type_name(*s)));
    }
  }
  out.block_graph = read_block_graph(doc, p);
  if (doc.contains("planner")) out.planner = doc["planner"];
  p.throw_if_any();
  return out;
}

Proposal load_proposal(const std::string& path) {
  return parse_proposal(topo::parse_json(read_file(path), path), path);
}

}  // namespace lp::ocs
