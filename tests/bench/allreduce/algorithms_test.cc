// Every algorithm, every (dtype, op), in place and out of place, checked exactly (check.h)
// with ranks as threads over a real transport, at the sizes that break algorithms: nothing,
// one element, a count that is not a multiple of the rank count, and one long enough to
// fill the pipelines many times over (the chunk is made small for it).
#include "bench/allreduce/algorithm.h"
#include "bench/allreduce/buffer.h"
#include "bench/allreduce/check.h"
#include "bench/allreduce/stream_copy.h"
#include "lightpath/config.h"
#include "tests/transport/rank_threads.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <mutex>

namespace lp::bench::allreduce {
namespace {

using namespace std::chrono_literals;

std::string backend() { return LP_HAVE_UCX ? "ucx" : "tcp"; }

// What an algorithm is run with besides the data: hier under two host layouts (blocks of
// three ranks, and ranks alternating between two hosts); ring and rd with their buffers in
// ordinary memory (messages) and in transport memory (rd puts; ring maps its peers on one
// host and puts across hosts). `transfer` is what the plan must say it does.
struct Variant {
  std::string label;
  std::vector<int> hosts;
  bool regions = false;
  std::string transfer = "send";
};

std::vector<Variant> variants(const Algorithm& algo, int n) {
  std::vector<int> one(static_cast<std::size_t>(n), 0), blocks, alternating;
  for (int i = 0; i < n; ++i) {
    blocks.push_back(i / 3);
    alternating.push_back(i % 2);
  }
  if (algo.name == "hier") return {{"hosts of 3", blocks, false}, {"2 hosts alternating", alternating, false}};
  const std::string one_sided = (n & (n - 1)) == 0 && n > 1 ? "put" : "send";
  if (algo.name == "rd") return {{"messages", one, false}, {"put", one, true, one_sided}};
  if (algo.name == "ring") {
    return {{"messages", one, false},
            {"map", one, true, n > 1 ? "map" : "send"},
            {"put", alternating, true, n > 1 ? "put" : "send"}};
  }
  return {{"", one, false}};
}

// The buffers of one rank: ordinary memory and transport memory.
struct Buffers {
  Buffers(transport::Transport& t, std::size_t bytes)
      : send(bytes), recv(bytes), send_region(t.allocate_memory(bytes)),
        recv_region(t.allocate_memory(bytes)), landing(t.allocate_memory(bytes)) {}

  Job job(const Variant& v, std::size_t count, Dtype d, Op op, bool in_place) const {
    auto* in = v.regions ? static_cast<unsigned char*>(send_region->data()) : send.data();
    auto* out = v.regions ? static_cast<unsigned char*>(recv_region->data()) : recv.data();
    Job j{in, in_place ? in : out, count, Reduction::make(d, op)};
    if (v.regions) {
      j.send_region = send_region.get();
      j.recv_region = in_place ? send_region.get() : recv_region.get();
    }
    return j;
  }

  Buffer send, recv;
  std::unique_ptr<transport::MemoryRegion> send_region, recv_region, landing;
};

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
    const Buffers buffers(t, counts.back() * 8);
    for (const Algorithm& algo : algorithms()) {
      for (const Variant& v : variants(algo, n)) {
        // In place the plans share working memory and a landing buffer (as a training step's
        // buckets do).
        Scratch shared;
        const allreduce::Setup own{&world, v.hosts, Pipeline{1024, 2}, nullptr, nullptr};
        const allreduce::Setup sharing{&world, v.hosts, Pipeline{1024, 2}, &shared,
                                       buffers.landing.get()};
        for (Dtype d : kAllDtypes) {
          for (Op op : kAllOps) {
            if (!supports(d, op)) continue;
            for (bool in_place : {false, true}) {
              for (std::size_t count : counts) {
                const Seeding seeding{d, op, n, 7 + count};
                const Job job = buffers.job(v, count, d, op, in_place);
                fill_input(seeding, t.rank(), const_cast<void*>(job.send), count);
                const std::unique_ptr<Plan> plan = algo.prepare(in_place ? sharing : own, job);
                plan->run();
                const auto bad = verify_result(seeding, job.recv, count);
                const std::lock_guard lock(mu);
                ++checked;
                if (count > 0 && plan->transfer() != v.transfer) {
                  failures.push_back(fmt::format("{} ({}) count {}: transfer {}, expected {}", algo.name,
                                                 v.label, count, plan->transfer(), v.transfer));
                }
                if (!bad) continue;
                failures.push_back(fmt::format(
                    "{} ({}) {} {} {} count {} rank {}: index {} expected {} got {} ({} wrong)",
                    algo.name, v.label, name(d), name(op), in_place ? "in place" : "out of place",
                    count, t.rank(), bad->index, bad->expected, bad->actual, bad->wrong));
              }
            }
          }
        }
      }
    }
  });
  for (std::size_t i = 0; i < failures.size() && i < 20; ++i) ADD_FAILURE() << failures[i];
  EXPECT_TRUE(failures.empty()) << failures.size() << " wrong results";
  // 5 algorithms (hier and rd twice, ring three times) x 24 (dtype, op) pairs x 2 placements
  // x 4 sizes.
  EXPECT_EQ(checked, 9 * 24 * 2 * 4 * n);
}

INSTANTIATE_TEST_SUITE_P(Ranks, Algorithms, ::testing::Values(1, 2, 3, 4, 5, 8),
                         [](const auto& info) { return std::to_string(info.param) + "ranks"; });

// Past the caches, two ranks' mapped ring streams each sum into both outputs at once
// (ReduceTwoFn): exact too, for a float, a 16-bit type in place and an integer type, at
// counts whose blocks do not end on a cache line.
TEST(RingMap, TwoRanksPastTheCachesAreExact) {
  if (!LP_HAVE_UCX) GTEST_SKIP() << "needs UCX (mapped peer memory)";
  std::size_t bytes = std::size_t{32} << 20;
  while (!past_the_caches(bytes)) bytes *= 2;
  const std::size_t count = bytes / 8 + 13;  // in i64 elements: the buffers' size
  const Algorithm& ring = find_algorithm("ring", "test");
  std::mutex mu;
  std::vector<std::string> failures;
  transport::TransportOptions options;
  options.timeout = 60s;
  transport::run_transport_ranks("ucx", 2, options, [&](transport::Transport& t) {
    const Group world = Group::world(t);
    const Buffers buffers(t, count * 8);
    const Variant map{"map", {0, 0}, true, "map"};
    const allreduce::Setup setup{&world, map.hosts, Pipeline{}, nullptr, nullptr};
    struct Case {
      Dtype d;
      Op op;
      bool in_place;
    };
    for (const auto& [d, op, in_place] : {Case{Dtype::kF32, Op::kSum, false},
                                          Case{Dtype::kBf16, Op::kMax, true},
                                          Case{Dtype::kI64, Op::kBxor, false}}) {
      {
        const std::size_t n = count * 8 / element_size(d) - 5;
        const Seeding seeding{d, op, 2, 99 + n};
        const Job job = buffers.job(map, n, d, op, in_place);
        fill_input(seeding, t.rank(), const_cast<void*>(job.send), n);
        const std::unique_ptr<Plan> plan = ring.prepare(setup, job);
        plan->run();
        const auto bad = verify_result(seeding, job.recv, n);
        const std::lock_guard lock(mu);
        if (plan->transfer() != "map") failures.push_back(fmt::format("transfer {}", plan->transfer()));
        if (bad) {
          failures.push_back(fmt::format("{} {} {} rank {}: index {} expected {} got {}", name(d),
                                         name(op), in_place ? "in place" : "out of place",
                                         t.rank(), bad->index, bad->expected, bad->actual));
        }
      }
    }
  });
  for (const std::string& f : failures) ADD_FAILURE() << f;
}

}  // namespace
}  // namespace lp::bench::allreduce
