// Input validation that reports everything at once. A reader walks a JSON document, records
// each violation with its JSON path ("blocks[3].uplinks[1].port") and carries on; at the end
// throw_if_any() raises one InputError that lists every problem, each prefixed with the file.
// The typed getters record a problem and return nullopt/nullptr instead of throwing, so one
// bad field never hides the next.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lp::topo {

class Problems {
 public:
  explicit Problems(std::string source) : source_(std::move(source)) {}

  void add(std::string_view path, std::string_view problem);
  bool empty() const { return lines_.empty(); }
  std::size_t count() const { return lines_.size(); }
  // Throws InputError: "SOURCE: PATH: PROBLEM", one line per problem.
  void throw_if_any() const;

 private:
  std::string source_;
  std::vector<std::string> lines_;
};

// "blocks" + 3 -> "blocks[3]"; "blocks[3]" + "name" -> "blocks[3].name".
std::string json_path(std::string_view parent, std::string_view key);
std::string json_path(std::string_view parent, std::size_t index);

// Requires doc["format"] == `expected`; records a problem and returns false otherwise.
bool check_format(const nlohmann::json& doc, std::string_view expected, Problems& problems);

// Field getters on an object at `path`. A missing field or a wrong type is recorded.
const nlohmann::json* get_field(const nlohmann::json& obj, std::string_view key,
                                std::string_view path, Problems& problems);
std::optional<std::string> get_string(const nlohmann::json& obj, std::string_view key,
                                      std::string_view path, Problems& problems);
const nlohmann::json* get_array(const nlohmann::json& obj, std::string_view key,
                                std::string_view path, Problems& problems);

// Value checks at `path` (the value itself, not a field of it).
std::optional<std::int64_t> as_int(const nlohmann::json& value, std::string_view path,
                                   std::int64_t lo, std::int64_t hi, Problems& problems);
// A finite number in [lo, hi]; NaN, infinities and wrong types are recorded.
std::optional<double> as_number(const nlohmann::json& value, std::string_view path, double lo,
                                double hi, Problems& problems);
std::optional<std::string> as_string(const nlohmann::json& value, std::string_view path,
                                     Problems& problems);

// Parses JSON text; a syntax error is an InputError naming `source` and the position.
nlohmann::json parse_json(const std::string& text, const std::string& source);

// "an integer", "a string", ... for messages.
std::string json_type_name(const nlohmann::json& value);

}  // namespace lp::topo
