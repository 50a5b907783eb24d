#include "ocs/planner.h"

#include "core/error.h"
#include "ocs/block_program.h"
#include "ocs/factorize.h"
#include "ocs/mlu.h"
#include "ocs/mlu_search.h"
#include "ocs/spare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lp::ocs {
namespace {

// The fast path stops splitting classes when the program would pass this many integer columns.
constexpr int kMaxSplitColumns = 60000;
constexpr int kSplitRounds = 4;
constexpr int kSplitNodes = 2000;
// F and MLU differences below these are ties (both are recomputed from the same circuits).
constexpr double kFTie = 1e-9;
constexpr double kMluTie = 1e-9;

std::string names(const topo::Fabric& f, const std::vector<int>& blocks) {
  std::string out;
  const std::size_t shown = std::min<std::size_t>(blocks.size(), 6);
  for (std::size_t k = 0; k < shown; ++k) {
    out += (k ? ", '" : "'") + f.blocks[static_cast<std::size_t>(blocks[k])].name + "'";
  }
  if (blocks.size() > shown) out += fmt::format(" and {} more", blocks.size() - shown);
  return out;
}

double block_traffic_gbps(const PlanInput& in, int b) {
  double sum = 0;
  for (int k = 0; k < in.demand.blocks; ++k) sum += in.demand.at(b, k) + in.demand.at(k, b);
  return sum;
}

// Reasons a fabric cannot carry any plan, found before solving, in words an operator acts on.
void check_plannable(const PlanInput& in) {
  const topo::Fabric& f = *in.fabric;
  const int n = in.pairs.blocks();
  if (n == 0) throw input_error(in.fabric_source, "the fabric lists no blocks");
  if (n == 1) return;
  for (int b = 0; b < n; ++b) {
    if (in.ports.uplinks(b) > 0) continue;
    const double gbps = block_traffic_gbps(in, b);
    throw input_error(in.fabric_source,
                      fmt::format("block '{}' has no working uplink (none wired, or every one failed): it cannot "
                                  "be part of a connected block graph{}",
                                  f.blocks[static_cast<std::size_t>(b)].name,
                                  gbps > 0 ? fmt::format(", and its {:.6g} Gbit/s of traffic cannot be carried", gbps) : ""));
  }
  // Blocks that share no OCS with the rest can never be joined.
  std::vector<int> reach{0};
  std::vector<char> seen(static_cast<std::size_t>(n), 0);
  seen[0] = 1;
  for (std::size_t k = 0; k < reach.size(); ++k) {
    for (int v = 0; v < n; ++v) {
      if (!seen[static_cast<std::size_t>(v)] && in.ports.pair_capacity(reach[k], v) > 0) {
        seen[static_cast<std::size_t>(v)] = 1;
        reach.push_back(v);
      }
    }
  }
  if (static_cast<int>(reach.size()) < n) {
    std::vector<int> apart;
    for (int v = 0; v < n; ++v) {
      if (!seen[static_cast<std::size_t>(v)]) apart.push_back(v);
    }
    throw input_error(in.fabric_source,
                      fmt::format("blocks {} share no OCS with blocks {}: the block graph cannot be connected",
                                  names(f, apart), names(f, reach)));
  }
  const int k = in.settings.min_pair_circuits;
  if (k <= 0) return;
  for (int b = 0; b < n; ++b) {
    if (in.ports.uplinks(b) < k * (n - 1)) {
      throw input_error("--min-pair-circuits",
                        fmt::format("{} circuits to each of {} other blocks needs {} uplinks, block '{}' has {} working",
                                    k, n - 1, k * (n - 1), f.blocks[static_cast<std::size_t>(b)].name, in.ports.uplinks(b)));
    }
  }
  for (int p = 0; p < in.pairs.count(); ++p) {
    const int cap = in.ports.pair_capacity(in.pairs.first(p), in.pairs.second(p));
    if (cap < k) {
      throw input_error("--min-pair-circuits",
                        fmt::format("{} circuits needed, but blocks '{}' and '{}' share working ports for at most {}", k,
                                    f.blocks[static_cast<std::size_t>(in.pairs.first(p))].name,
                                    f.blocks[static_cast<std::size_t>(in.pairs.second(p))].name, cap));
    }
  }
}

bool feasible_with(const PlanInput& in, const std::vector<OcsClass>& classes, PlanSettings settings) {
  PlanInput relaxed = in;
  relaxed.settings = settings;
  BlockProgram program(relaxed, classes);
  return program.max_direct().has_value();
}

// No topology met the constraints: find which setting is to blame by relaxing one at a time.
[[noreturn]] void explain_infeasible(const PlanInput& in, const std::vector<OcsClass>& classes) {
  const PlanSettings& st = in.settings;
  if (st.max_churn) {
    PlanSettings s = st;
    s.max_churn.reset();
    if (feasible_with(in, classes, s)) {
      throw input_error("--max-churn", fmt::format("no configuration within {} changes of the current one meets the "
                                                   "constraints (a connected block graph, --min-pair-circuits, "
                                                   "--min-capacity); allow more changes", *st.max_churn));
    }
  }
  if (st.min_pair_circuits > 0) {
    PlanSettings s = st;
    s.min_pair_circuits = 0;
    s.max_churn.reset();
    if (feasible_with(in, classes, s)) {
      throw input_error("--min-pair-circuits", fmt::format("the working ports cannot give every block pair {} circuits "
                                                           "on shared OCSes while keeping the other constraints",
                                                           st.min_pair_circuits));
    }
  }
  if (in.has_current && st.min_capacity > 0) {
    throw input_error("--min-capacity", fmt::format("no configuration keeps {} of every block's current circuits on "
                                                    "the working ports (have ports failed since?)", st.min_capacity));
  }
  throw input_error(in.fabric_source, "no connected block graph fits the working ports (blocks with one uplink each, "
                                      "for example, can only pair off)");
}

struct Candidate {
  std::string name;
  topo::OcsConfig config;
  Metrics metrics;
  std::string invalid;  // empty when every constraint holds
};

bool mlu_at_most(const std::optional<double>& a, const std::optional<double>& limit) {
  if (!limit) return true;  // the reference cannot route everything either
  return a && *a <= *limit;
}

Candidate measure(const PlanInput& in, MluSolver& mlu, std::string name, topo::OcsConfig config) {
  Candidate c{std::move(name), std::move(config), {}, {}};
  const topo::BlockGraph g = topo::block_graph(*in.fabric, c.config);
  c.metrics.direct_fraction = direct_fraction(in.demand, g.circuits, in.link_gbps());
  c.metrics.hop_count = hop_count(c.metrics.direct_fraction);
  c.metrics.mlu = mlu.solve(g.circuits).mlu;
  c.metrics.churn = churn(in.current, c.config);
  const PlanSettings& st = in.settings;
  const topo::Fabric& f = *in.fabric;
  if (g.blocks > 1 && !g.connected) c.invalid = "the block graph is not connected";
  for (int p = 0; p < in.pairs.count() && c.invalid.empty(); ++p) {
    const int i = in.pairs.first(p);
    const int j = in.pairs.second(p);
    if (g.circuits[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] < st.min_pair_circuits) {
      c.invalid = fmt::format("blocks '{}' and '{}' have fewer than {} circuits", f.blocks[static_cast<std::size_t>(i)].name,
                              f.blocks[static_cast<std::size_t>(j)].name, st.min_pair_circuits);
    }
  }
  for (int b = 0; b < g.blocks && c.invalid.empty(); ++b) {
    const int keep = static_cast<int>(std::ceil(st.min_capacity * in.base_degree[static_cast<std::size_t>(b)] - 1e-9));
    if (g.degree[static_cast<std::size_t>(b)] < keep) {
      c.invalid = fmt::format("block '{}' keeps {} circuits, under --min-capacity", f.blocks[static_cast<std::size_t>(b)].name,
                              g.degree[static_cast<std::size_t>(b)]);
    }
  }
  if (c.invalid.empty() && st.max_churn && c.metrics.churn > *st.max_churn) {
    c.invalid = fmt::format("{} changes, over --max-churn {}", c.metrics.churn, *st.max_churn);
  }
  return c;
}

nlohmann::json describe(const Candidate& c, bool qualified) {
  return {{"name", c.name},
          {"direct_fraction", c.metrics.direct_fraction},
          {"mlu", c.metrics.mlu ? nlohmann::json(*c.metrics.mlu) : nlohmann::json(nullptr)},
          {"churn", c.metrics.churn},
          {"qualified", qualified},
          {"invalid", c.invalid}};
}

// Stages the first candidate (in order) that can be staged.
Plan finish(const PlanInput& in, const Candidate& current, const std::vector<const Candidate*>& order, double bound,
            nlohmann::json method) {
  std::string first_error;
  for (const Candidate* c : order) {
    try {
      Plan plan;
      plan.stages = plan_stages(in, c->config);
      plan.base = in.current;
      plan.target = c->config;
      plan.after = c->metrics;
      plan.before = current.metrics;
      plan.bound = std::max(bound, plan.after.direct_fraction);
      method["chosen"] = c->name;
      plan.method = std::move(method);
      return plan;
    } catch (const Error& e) {
      if (first_error.empty()) first_error = e.what();
    }
  }
  throw input_error("--min-capacity", fmt::format("{} (with --min-capacity {})", first_error, in.settings.min_capacity));
}

Plan exact_plan(const PlanInput& in, std::vector<OcsClass> classes) {
  for (std::size_t c = classes.size(); c-- > 0;) {
    if (classes[c].members.size() > 1) classes = split_class(classes, c, in.ports);
  }
  BlockProgram program(in, classes);
  if (program.integer_columns() > kExactMaxColumns) {
    throw input_error("--exact", fmt::format("the integer program over every OCS would have {} integer columns, more "
                                             "than the {} it is meant for; plan without --exact",
                                             program.integer_columns(), kExactMaxColumns));
  }
  if (!program.max_direct()) explain_infeasible(in, classes);
  const double bound = program.direct_bound();
  const std::optional<double> lambda = program.max_concurrent();
  const ClassCounts counts = program.settle(lambda, in.settings.mlu_slack);
  const Layout layout = factorize(in, classes, counts, true, in.settings.max_churn);
  LP_ENFORCE_EQ(layout.unplaced, 0, "per-OCS counts of the exact program always fit");
  MluSolver mlu(in.demand, in.link_gbps());
  const Candidate current = measure(in, mlu, "current", in.current);
  Candidate exact = measure(in, mlu, "exact", assign_ports(in, layout.counts, true));
  if (!exact.invalid.empty()) throw Error("the exact program's solution breaks a constraint: " + exact.invalid);
  nlohmann::json method = {{"path", "exact"},
                           {"ocs_classes", classes.size()},
                           {"integer_columns", program.integer_columns()},
                           {"direct_program", to_string(program.direct_outcome())},
                           {"mlu_program", to_string(program.concurrent_outcome())},
                           {"churn_program", to_string(program.settle_outcome())},
                           {"candidates", {describe(exact, true)}}};
  return finish(in, current, {&exact}, bound, std::move(method));
}

}  // namespace

Plan make_plan(const PlanInput& in) {
  check_plannable(in);
  std::vector<OcsClass> classes = ocs_classes(in.ports);
  if (in.settings.exact) return exact_plan(in, std::move(classes));

  const PlanSettings& st = in.settings;
  // With --max-churn every step counts changes against the current configuration.
  const bool bounded = st.max_churn.has_value();
  int splits = 0;
  for (;;) {
    BlockProgram program(in, classes);
    // Split classes hold identical OCSes apart, a symmetry that slows proofs: bound the search.
    if (splits > 0) program.direct_nodes(kSplitNodes);
    if (!program.max_direct()) explain_infeasible(in, classes);
    MluSolver mlu(in.demand, in.link_gbps());
    ClassCounts ref_counts = spend_spare(in, classes, program.round_to(program.mlu_capacities()), bounded, st.max_churn);
    if (!bounded) ref_counts = lower_mlu(in, classes, std::move(ref_counts), mlu);  // moves cost churn
    const Layout ref_layout = factorize(in, classes, ref_counts, bounded, st.max_churn);

    // A class that could not hold its circuits is solved per device next round.
    if (ref_layout.unplaced > 0 && splits < kSplitRounds) {
      std::vector<OcsClass> finer = classes;
      for (auto it = ref_layout.short_classes.rbegin(); it != ref_layout.short_classes.rend(); ++it) {
        if (finer[static_cast<std::size_t>(*it)].members.size() > 1) finer = split_class(finer, static_cast<std::size_t>(*it), in.ports);
      }
      if (finer.size() > classes.size() && BlockProgram(in, finer).integer_columns() <= kMaxSplitColumns) {
        classes = std::move(finer);
        ++splits;
        continue;
      }
    }

    const double bound = program.direct_bound();
    const Candidate current = measure(in, mlu, "current", in.current);
    std::vector<Candidate> candidates;
    candidates.push_back(measure(in, mlu, "reference", assign_ports(in, ref_layout.counts, bounded)));
    if (in.has_current) {
      if (!bounded) {
        candidates.push_back(measure(in, mlu, "reference, least churn",
                                     assign_ports(in, factorize(in, classes, ref_counts, true, std::nullopt).counts, true)));
      }
      const ClassCounts near = spend_spare(in, classes, program.near_current(), true, st.max_churn);
      candidates.push_back(measure(in, mlu, "least churn", assign_ports(in, factorize(in, classes, near, true, st.max_churn).counts, true)));
      if (!bounded) {
        // The least-churn topology with MLU searched down: a few moves may reach the
        // reference's MLU at far fewer changes than the reference's own block graph.
        const ClassCounts searched = lower_mlu(in, classes, near, mlu);
        if (searched != near) {
          candidates.push_back(measure(in, mlu, "least churn, MLU searched",
                                       assign_ports(in, factorize(in, classes, searched, true, std::nullopt).counts, true)));
        }
      }
      candidates.push_back(current);
    }

    const Candidate& ref = candidates.front();
    std::vector<const Candidate*> qualified;
    nlohmann::json list = nlohmann::json::array();
    for (const Candidate& c : candidates) {
      bool ok = c.invalid.empty();
      if (ok && ref.invalid.empty()) {
        const auto limit = ref.metrics.mlu ? std::optional<double>(*ref.metrics.mlu * (1 + st.mlu_slack) * (1 + kMluTie))
                                           : std::nullopt;
        ok = c.metrics.direct_fraction >= ref.metrics.direct_fraction - kFTie && mlu_at_most(c.metrics.mlu, limit);
      }
      if (ok) qualified.push_back(&c);
      list.push_back(describe(c, ok));
    }
    if (qualified.empty()) {
      throw Error("no configuration the planner built meets every constraint: " + ref.invalid);
    }
    if (ref.invalid.empty()) {
      // Least churn among those as good as the reference.
      std::stable_sort(qualified.begin(), qualified.end(),
                       [](const Candidate* a, const Candidate* b) { return a->metrics.churn < b->metrics.churn; });
    } else {
      // The reference broke a constraint: best valid one, lexicographically.
      std::stable_sort(qualified.begin(), qualified.end(), [](const Candidate* a, const Candidate* b) {
        if (std::abs(a->metrics.direct_fraction - b->metrics.direct_fraction) > kFTie) {
          return a->metrics.direct_fraction > b->metrics.direct_fraction;
        }
        const double ma = a->metrics.mlu.value_or(kInfinity);
        const double mb = b->metrics.mlu.value_or(kInfinity);
        if (std::abs(ma - mb) > kMluTie * std::max(1.0, std::abs(mb))) return ma < mb;
        return a->metrics.churn < b->metrics.churn;
      });
    }
    nlohmann::json method = {{"path", "fast"},
                             {"ocs_classes", classes.size()},
                             {"class_splits", splits},
                             {"direct_program", to_string(program.direct_outcome())},
                             {"integer_columns", program.integer_columns()},
                             {"unplaced_circuits", ref_layout.unplaced},
                             {"candidates", list}};
    return finish(in, current, qualified, bound, std::move(method));
  }
}

}  // namespace lp::ocs
