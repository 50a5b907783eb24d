#include "core/error.h"
#include "core/sizes.h"
#include "topo/cli/topo_command.h"
#include "topo/traffic_gen.h"
#include "topo/traffic_ops.h"

#include <cstdio>
#include <memory>
#include <sstream>

namespace lp::topo {
namespace {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

cli::Command show_command() {
  struct Flags {
    std::string file;
    std::size_t top = 10;
  };
  return {"show", "totals, the heaviest pairs and a text heatmap of a traffic file",
          [](CLI::App& app) -> cli::Action {
            auto f = std::make_shared<Flags>();
            app.add_option("FILE", f->file, "lightpath.traffic/1 JSON or a CSV edge list")->required();
            app.add_option("--top", f->top, "how many pairs to list")->capture_default_str();
            return [f] {
              std::printf("%s", format_traffic(load_traffic(f->file), f->top).c_str());
              return 0;
            };
          }};
}

cli::Command merge_command() {
  struct Flags {
    std::vector<std::string> files;
    std::string out;
    bool peak = false;
  };
  return {"merge", "sum traffic snapshots, or take each pair's peak rate (--peak)",
          [](CLI::App& app) -> cli::Action {
            auto f = std::make_shared<Flags>();
            app.add_option("FILES", f->files, "traffic files of one level")->required();
            app.add_option("-o,--out", f->out, "where to write the merged matrix")->required();
            app.add_flag("--peak", f->peak, "per pair, the highest rate of any snapshot (bytes per second)");
            return [f] {
              std::vector<TrafficMatrix> snaps;
              for (const std::string& path : f->files) snaps.push_back(load_traffic(path));
              save_traffic(f->peak ? merge_peak(snaps, f->files) : merge_sum(snaps, f->files), f->out);
              return 0;
            };
          }};
}

cli::Command aggregate_command() {
  struct Flags {
    std::string file;
    std::string fabric;
    std::string level = "block";
    std::string rank_hosts;
    std::string out;
  };
  return {"aggregate", "sum rank- or host-level traffic onto the hosts or blocks of a fabric",
          [](CLI::App& app) -> cli::Action {
            auto f = std::make_shared<Flags>();
            app.add_option("FILE", f->file, "rank- or host-level traffic")->required();
            app.add_option("--fabric", f->fabric, "lightpath.fabric/1 file")->required();
            app.add_option("--level", f->level, "host or block")->capture_default_str();
            app.add_option("--rank-hosts", f->rank_hosts,
                           "the host of each rank, as H1,H2,... or 'spread' (ranks placed evenly on the "
                           "fabric's hosts: for a run whose ranks all shared one machine)");
            app.add_option("-o,--out", f->out, "where to write the aggregated matrix")->required();
            return [f] {
              const Fabric fabric = load_fabric(f->fabric);
              TrafficMatrix m = load_traffic(f->file);
              if (!f->rank_hosts.empty()) {
                if (m.level != TrafficLevel::kRank) {
                  throw input_error("--rank-hosts", fmt::format("{} is {}-level traffic, not rank-level",
                                                                f->file, to_string(m.level)));
                }
                m.hosts = f->rank_hosts == "spread" ? spread_ranks(fabric, m.size()) : split_list(f->rank_hosts);
                if (m.hosts.size() != m.size()) {
                  throw input_error("--rank-hosts", fmt::format("{} hosts given for {} ranks in {}",
                                                                m.hosts.size(), m.size(), f->file));
                }
              }
              const TrafficLevel to = parse_level(f->level, "--level");
              try {
                save_traffic(aggregate(m, fabric, to), f->out);
              } catch (const InputError& e) {
                throw input_error(f->file, e.what());
              }
              return 0;
            };
          }};
}

cli::Command gen_command() {
  struct Flags {
    std::string pattern;
    std::string names;
    std::string fabric;
    int count = 0;
    std::string level = "block";
    std::string total = "1G";
    std::string duration = "1s";
    std::uint64_t seed = 1;
    std::string out;
  };
  return {"gen", "synthetic traffic for planning what-ifs (seeded, reproducible)",
          [](CLI::App& app) -> cli::Action {
            auto f = std::make_shared<Flags>();
            app.add_option("--pattern", f->pattern, "ring, alltoall, gravity, hotspot, permutation or mixed")
                ->required();
            auto* names = app.add_option("--names", f->names, "the names, as A,B,C,...");
            auto* fabric = app.add_option("--fabric", f->fabric, "take the names from a fabric (its blocks, "
                                                                 "or its hosts with --level host)");
            auto* count = app.add_option("--count", f->count, "N names b0 .. bN-1")->check(CLI::Range(2, 100000));
            names->excludes(fabric)->excludes(count);
            fabric->excludes(count);
            app.add_option("--level", f->level, "rank, host or block")->capture_default_str();
            app.add_option("--total", f->total, "bytes in all, e.g. 10G")->capture_default_str();
            app.add_option("--duration", f->duration, "the interval the bytes cover")->capture_default_str();
            app.add_option("--seed", f->seed, "random seed")->capture_default_str();
            app.add_option("-o,--out", f->out, "where to write the matrix")->required();
            return [f] {
              const Pattern pattern = parse_pattern(f->pattern);
              const TrafficLevel level = parse_level(f->level, "--level");
              std::vector<std::string> list;
              if (!f->fabric.empty()) {
                const Fabric fabric = load_fabric(f->fabric);
                for (const Block& b : fabric.blocks) {
                  if (level == TrafficLevel::kBlock) {
                    list.push_back(b.name);
                  } else {
                    list.insert(list.end(), b.hosts.begin(), b.hosts.end());
                  }
                }
              } else if (f->count > 0) {
                for (int i = 0; i < f->count; ++i) list.push_back(fmt::format("b{}", i));
              } else {
                list = split_list(f->names);
              }
              if (list.empty()) throw InputError("traffic gen: give --names, --fabric or --count");
              const double total = static_cast<double>(parse_size(f->total, "--total"));
              const double seconds = static_cast<double>(parse_duration(f->duration, "--duration").count()) * 1e-9;
              save_traffic(generate_traffic(pattern, level, std::move(list), total, seconds, f->seed), f->out);
              return 0;
            };
          }};
}

}  // namespace

cli::Command traffic_command() {
  return {"traffic", "traffic matrices: show, merge, aggregate onto a fabric, generate",
          [](CLI::App& app) -> cli::Action {
            return cli::add_commands(app, {show_command(), merge_command(), aggregate_command(), gen_command()});
          }};
}

}  // namespace lp::topo
