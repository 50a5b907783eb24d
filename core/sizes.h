// Byte sizes and size ranges as users write them: "4K", "1M", "1:4M", "8:256M:4".
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lp {

// Parses "0", "64", "4K", "1M", "2G" (powers of 1024; "4KiB" and "4KB" read the same).
// Throws InputError naming `what` (the flag) on anything else, including overflow.
std::size_t parse_size(std::string_view text, std::string_view what = "size");

// Parses "MIN:MAX[:FACTOR]" or a single size. Sizes go MIN, MIN*FACTOR, ... up to MAX,
// and MAX is always included. FACTOR defaults to 2. MIN may be 0 (then 0, 1, FACTOR, ...).
std::vector<std::size_t> parse_size_range(std::string_view text, std::string_view what = "--sizes");

// Parses "10s", "500ms", "50us", "2m", "1.5s", "100ns". Throws InputError naming `what`.
std::chrono::nanoseconds parse_duration(std::string_view text, std::string_view what = "duration");

// "4K", "1M", "12345" style for tables: exact binary suffix when divisible, else bytes.
std::string format_size(std::size_t bytes);

}  // namespace lp
