// Result records read back from files (compare, summary, metrics) are someone's input: before
// anything reads a field, the fields DESIGN.md names are checked for their types, so a record
// with a string where a size belongs is bad input naming its file and line, never a surprise
// deep in a report. Fields that are absent are left to each reader (older records may lack
// some); unknown fields are welcome, as DESIGN.md says.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace lp::bench {

// Throws InputError "WHERE: FIELD: expected ..., found ..." for the first mistyped field.
void check_record(const nlohmann::json& record, const std::string& where);

}  // namespace lp::bench
