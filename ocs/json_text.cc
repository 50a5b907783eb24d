#include "ocs/json_text.h"

#include <algorithm>

namespace lp::ocs {
namespace {

bool has_containers(const nlohmann::json& v) {
  return std::any_of(v.begin(), v.end(), [](const nlohmann::json& e) { return e.is_array() || e.is_object(); });
}

void write(const nlohmann::json& v, int depth, std::string& out) {
  const std::string indent(static_cast<std::size_t>(depth + 1), ' ');
  if (v.is_array() && !v.empty() && has_containers(v)) {
    out += "[";
    for (std::size_t k = 0; k < v.size(); ++k) {
      out += (k ? ",\n" : "\n") + indent;
      write(v[k], depth + 1, out);
    }
    out += "]";
  } else if (v.is_object() && !v.empty()) {
    out += "{";
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
      out += first ? "" : ", ";
      first = false;
      out += nlohmann::json(it.key()).dump() + ": ";
      write(it.value(), depth, out);
    }
    out += "}";
  } else {
    out += v.dump();
  }
}

}  // namespace

std::string json_text(const nlohmann::json& doc, const std::vector<std::string>& first) {
  if (!doc.is_object()) {
    std::string out;
    write(doc, 0, out);
    return out + "\n";
  }
  std::vector<std::string> keys;
  for (const std::string& k : first) {
    if (doc.contains(k)) keys.push_back(k);
  }
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (std::find(keys.begin(), keys.end(), it.key()) == keys.end()) keys.push_back(it.key());
  }
  std::string out = "{";
  for (std::size_t k = 0; k < keys.size(); ++k) {
    out += (k ? ",\n " : "") + nlohmann::json(keys[k]).dump() + ": ";
    write(doc[keys[k]], 1, out);
  }
  return out + "}\n";
}

}  // namespace lp::ocs
