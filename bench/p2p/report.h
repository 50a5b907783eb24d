// What `lightpath p2p` prints and records: an osu_latency-style table on stdout and one
// lightpath.result/1 record per size (DESIGN.md, "Result records").
#pragma once

#include "bench/p2p/sweep.h"

#include <nlohmann/json.hpp>

#include <string>

namespace lp::bench::p2p {

// Column titles (and units) for the mode; lines start with '#'.
std::string table_header(Mode mode);
// The aggregate row for a point, and with `per_pair` one indented row per pair under it.
std::string table_rows(const Point& point, bool per_pair);

// The record for a point: `base` (Context::record_base()) plus the p2p figures.
// `rank_hosts` names the host of every rank, for the per-pair entries.
nlohmann::json point_record(const nlohmann::json& base, const SweepOptions& options,
                            const Point& point, const std::vector<std::string>& rank_hosts);

// latency_us {min, avg, p50, p90, p99, p999, max} of a histogram of nanoseconds.
nlohmann::json latency_summary_us(const Histogram& h);

}  // namespace lp::bench::p2p
