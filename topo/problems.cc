#include "topo/problems.h"

#include "core/error.h"

#include <fmt/format.h>

#include <cmath>

namespace lp::topo {

void Problems::add(std::string_view path, std::string_view problem) {
  if (path.empty()) {
    lines_.push_back(fmt::format("{}: {}", source_, problem));
  } else {
    lines_.push_back(fmt::format("{}: {}: {}", source_, path, problem));
  }
}

void Problems::throw_if_any() const {
  if (lines_.empty()) return;
  std::string text = lines_.front();
  for (std::size_t i = 1; i < lines_.size(); ++i) text += "\n" + lines_[i];
  throw InputError(text);
}

std::string json_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return fmt::format("{}.{}", parent, key);
}

std::string json_path(std::string_view parent, std::size_t index) {
  return fmt::format("{}[{}]", parent, index);
}

nlohmann::json parse_json(const std::string& text, const std::string& source) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann's text is "[json.exception.parse_error.101] parse error at line L, column C:
    // syntax error while parsing value - WHAT"; keep the position and the WHAT.
    std::string what = e.what();
    const auto at = what.find(" at line ");
    const auto dash = what.rfind(" - ");
    std::string where = at == std::string::npos ? fmt::format(" at byte {}", e.byte)
                                                : what.substr(at, what.find(':', at) - at);
    std::string why = dash == std::string::npos ? "syntax error" : what.substr(dash + 3);
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw input_error(source, "empty file, expected JSON");
    throw input_error(source, fmt::format("not valid JSON{}: {}", where, why));
  } catch (const nlohmann::json::exception& e) {  // e.g. a number too large for a double
    throw input_error(source, fmt::format("not valid JSON: {}", e.what()));
  }
}

std::string json_type_name(const nlohmann::json& value) {
  if (value.is_number_float()) return "a fractional number";
  if (value.is_number()) return "an integer";
  if (value.is_string()) return "a string";
  if (value.is_boolean()) return "a boolean";
  if (value.is_null()) return "null";
  if (value.is_array()) return "an array";
  if (value.is_object()) return "an object";
  return value.type_name();
}

bool check_format(const nlohmann::json& doc, std::string_view expected, Problems& problems) {
  if (!doc.is_object()) {
    problems.add("", fmt::format("expected a JSON object ({}), got {}", expected,
                                 json_type_name(doc)));
    return false;
  }
  const auto it = doc.find("format");
  if (it == doc.end()) {
    problems.add("format", fmt::format("missing (expected \"{}\")", expected));
    return false;
  }
  if (!it->is_string() || it->get<std::string>() != expected) {
    problems.add("format", fmt::format("unknown format {} (expected \"{}\")", it->dump(), expected));
    return false;
  }
  return true;
}

const nlohmann::json* get_field(const nlohmann::json& obj, std::string_view key,
                                std::string_view path, Problems& problems) {
  if (!obj.is_object()) {
    problems.add(path, fmt::format("expected an object, got {}", json_type_name(obj)));
    return nullptr;
  }
  const auto it = obj.find(key);
  if (it == obj.end()) {
    problems.add(json_path(path, key), "missing");
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> as_string(const nlohmann::json& value, std::string_view path,
                                     Problems& problems) {
  if (!value.is_string()) {
    problems.add(path, fmt::format("expected a string, got {}", json_type_name(value)));
    return std::nullopt;
  }
  std::string s = value.get<std::string>();
  if (s.empty()) {
    problems.add(path, "must not be empty");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> get_string(const nlohmann::json& obj, std::string_view key,
                                      std::string_view path, Problems& problems) {
  const nlohmann::json* v = get_field(obj, key, path, problems);
  if (v == nullptr) return std::nullopt;
  return as_string(*v, json_path(path, key), problems);
}

const nlohmann::json* get_array(const nlohmann::json& obj, std::string_view key,
                                std::string_view path, Problems& problems) {
  const nlohmann::json* v = get_field(obj, key, path, problems);
  if (v == nullptr) return nullptr;
  if (!v->is_array()) {
    problems.add(json_path(path, key), fmt::format("expected an array, got {}", json_type_name(*v)));
    return nullptr;
  }
  return v;
}

std::optional<std::int64_t> as_int(const nlohmann::json& value, std::string_view path,
                                   std::int64_t lo, std::int64_t hi, Problems& problems) {
  if (value.is_number_unsigned()) {
    const auto u = value.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(hi) || static_cast<std::int64_t>(u) < lo) {
      problems.add(path, fmt::format("{} is out of range {}..{}", u, lo, hi));
      return std::nullopt;
    }
    return static_cast<std::int64_t>(u);
  }
  if (value.is_number_integer()) {
    const auto v = value.get<std::int64_t>();
    if (v < lo || v > hi) {
      problems.add(path, fmt::format("{} is out of range {}..{}", v, lo, hi));
      return std::nullopt;
    }
    return v;
  }
  problems.add(path, fmt::format("expected an integer, got {}", json_type_name(value)));
  return std::nullopt;
}

std::optional<double> as_number(const nlohmann::json& value, std::string_view path, double lo,
                                double hi, Problems& problems) {
  if (!value.is_number()) {
    problems.add(path, fmt::format("expected a number, got {}", json_type_name(value)));
    return std::nullopt;
  }
  const double v = value.get<double>();
  if (std::isnan(v)) {
    problems.add(path, "is NaN");
    return std::nullopt;
  }
  if (std::isinf(v)) {
    problems.add(path, "is infinite");
    return std::nullopt;
  }
  if (v < lo || v > hi) {
    problems.add(path, fmt::format("{} is out of range {}..{}", v, lo, hi));
    return std::nullopt;
  }
  return v;
}

}  // namespace lp::topo
