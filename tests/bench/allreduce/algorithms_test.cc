// Every algorithm, every (dtype, op), in place and out of place, checked exactly (check.h)
// with ranks as threads over a real transport, at the sizes that break algorithms: nothing,
// one element, a count that is not a multiple of the rank count, and one long enough to
// fill the pipelines many times over (the chunk is made small for it).
#include "bench/allreduce/algorithm.h"
#include "bench/allreduce/buffer.h"
#include "bench/allreduce/check.h"
#include "lightpath/config.h"
#include "tests/transport/rank_threads.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <mutex>

namespace lp::bench::allreduce {
namespace {

using namespace std::chrono_literals;

std::string backend() { return LP_HAVE_UCX ? "ucx" : "tcp"; }

// Host layouts for hier: blocks of three ranks, and ranks alternating between two hosts.
std::vector<std::vector<int>> host_layouts(int n) {
  std::vector<int> blocks, alternating;
  for (int i = 0; i < n; ++i) {
    blocks.push_back(i / 3);
    alternating.push_back(i % 2);
  }
  return {blocks, alternating};
}

class Algorithms : public ::testing::TestWithParam<int> {};

TEST_P(Algorithms, EveryAlgorithmTypeOperationAndPlacementIsExact) {
  const int n = GetParam();
  const std::vector<std::size_t> counts = {0, 1, static_cast<std::size_t>(3 * n + 1), 20011};
  std::mutex mu;
  std::vector<std::string> failures;
  int checked = 0;
  transport::TransportOptions options;
  options.timeout = 60s;
  options.yield_when_idle = true;  // n threads on fewer cores
  transport::run_transport_ranks(backend(), n, options, [&](transport::Transport& t) {
    const Group world = Group::world(t);
    const std::size_t largest = 20011 * 8;
    Buffer send(largest), recv(largest);
    for (const Algorithm& algo : algorithms()) {
      const auto layouts = algo.name == "hier" ? host_layouts(n)
                                               : std::vector<std::vector<int>>{std::vector<int>(n, 0)};
      for (const std::vector<int>& hosts : layouts) {
        // In place the plans share one Scratch (as a training step's buckets do).
        Scratch shared;
        const allreduce::Setup own{&world, hosts, Pipeline{1024, 2}, nullptr};
        const allreduce::Setup sharing{&world, hosts, Pipeline{1024, 2}, &shared};
        for (Dtype d : kAllDtypes) {
          for (Op op : kAllOps) {
            if (!supports(d, op)) continue;
            for (bool in_place : {false, true}) {
              for (std::size_t count : counts) {
                const Seeding seeding{d, op, n, 7 + count};
                fill_input(seeding, t.rank(), send.data(), count);
                Job job{send.data(), in_place ? send.data() : recv.data(), count,
                        Reduction::make(d, op)};
                const std::unique_ptr<Plan> plan = algo.prepare(in_place ? sharing : own, job);
                plan->run();
                const auto bad = verify_result(seeding, job.recv, count);
                const std::lock_guard lock(mu);
                ++checked;
                if (bad) {
                  failures.push_back(fmt::format(
                      "{} {} {} {} count {} rank {}: index {} expected {} got {} ({} wrong)",
                      algo.name, name(d), name(op), in_place ? "in-place" : "out-of-place", count,
                      t.rank(), bad->index, bad->expected, bad->actual, bad->wrong));
                }
              }
            }
          }
        }
      }
    }
  });
  for (std::size_t i = 0; i < failures.size() && i < 20; ++i) ADD_FAILURE() << failures[i];
  EXPECT_TRUE(failures.empty()) << failures.size() << " wrong results";
  // 5 algorithms (hier twice) x 24 (dtype, op) pairs x 2 placements x 4 sizes, on n ranks.
  EXPECT_EQ(checked, 6 * 24 * 2 * 4 * n);
}

INSTANTIATE_TEST_SUITE_P(Ranks, Algorithms, ::testing::Values(1, 2, 3, 4, 5, 8),
                         [](const auto& info) { return std::to_string(info.param) + "ranks"; });

}  // namespace
}  // namespace lp::bench::allreduce
