#include "lab/state.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "topo/problems.h"

#include <filesystem>

namespace lp::lab {
namespace {

constexpr const char* kFormat = "lightpath.lab-state/1";

}  // namespace

std::string state_dir(const std::string& prefix) { return "/run/lightpath/" + prefix; }
std::string hostfile_path(const std::string& prefix) { return state_dir(prefix) + "/hostfile"; }
std::string mark_path(const std::string& prefix) { return state_dir(prefix) + "/mark.json"; }
std::string uts_dir(const std::string& prefix) { return state_dir(prefix) + "/uts"; }
std::string uts_file(const std::string& prefix, const std::string& host) {
  return uts_dir(prefix) + "/" + host;
}

void save_state(const LabState& s) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir(s.prefix), ec);
  if (ec) throw Error(fmt::format("{}: cannot create: {}", state_dir(s.prefix), ec.message()));
  const nlohmann::json doc = {{"format", kFormat},
                              {"prefix", s.prefix},
                              {"fabric_file", s.fabric_file},
                              {"fabric", topo::to_json(s.fabric)},
                              {"config", topo::to_json(s.config, s.fabric)},
                              {"scale", s.scale},
                              {"slots", s.slots},
                              {"complete", s.complete}};
  write_file_atomic(state_dir(s.prefix) + "/lab.json", doc.dump(1) + "\n");
}

std::optional<LabState> load_state(const std::string& prefix) {
  const std::string path = state_dir(prefix) + "/lab.json";
  if (!std::filesystem::exists(path)) return std::nullopt;
  const nlohmann::json doc = topo::parse_json(read_file(path), path);
  topo::Problems p(path);
  if (!topo::check_format(doc, kFormat, p)) p.throw_if_any();
  try {
    LabState s;
    s.prefix = doc.at("prefix").get<std::string>();
    s.fabric_file = doc.at("fabric_file").get<std::string>();
    s.fabric = topo::parse_fabric(doc.at("fabric"), path + ": fabric");
    s.config = topo::parse_ocs_config(doc.at("config"), s.fabric, path + ": config");
    s.scale = doc.at("scale").get<double>();
    s.slots = doc.at("slots").get<int>();
    s.complete = doc.at("complete").get<bool>();
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw input_error(path, e.what());
  }
}

LabState require_state(const std::string& prefix) {
  std::optional<LabState> s = load_state(prefix);
  if (!s) {
    throw Error(fmt::format("no lab with prefix '{}' is up here (start one with `lightpath lab up "
                            "--prefix {} ...`)",
                            prefix, prefix));
  }
  if (!s->complete) {
    throw Error(fmt::format("the lab with prefix '{}' did not finish coming up; `lightpath lab "
                            "down --prefix {}` removes what it made",
                            prefix, prefix));
  }
  return std::move(*s);
}

void save_mark(const std::string& prefix, const Snapshot& mark) {
  write_file_atomic(mark_path(prefix), to_json(mark).dump() + "\n");
}

Snapshot load_mark(const std::string& prefix) {
  const std::string path = mark_path(prefix);
  return snapshot_from_json(topo::parse_json(read_file(path), path), path);
}

}  // namespace lp::lab
