#include "bench/rpc/run.h"

#include "bench/common/tick_clock.h"
#include "bench/rpc/client.h"
#include "bench/rpc/server.h"

#include <chrono>

namespace lp::bench::rpc {
namespace {

// Past a level's last possible answer (end + request timeout), how long ranks still wait for
// each other's end-of-level messages before giving up on them.
constexpr std::int64_t kGraceNs = 1'000'000'000;

}  // namespace

Run::Run(transport::Transport& t, const RpcConfig& config, Leftovers& leftovers)
    : t_(t),
      config_(config),
      leftovers_(leftovers),
      roles_(config, t.size()),
      kv_(make_kv_link(t, config, roles_)),
      banned_(static_cast<std::size_t>(t.size()), false) {
  TickClock::get();  // calibrated now, not inside the first level's schedule
}

std::string Run::kv_method() const {
  if (!kv_) return "";
  return kv_->by_put ? "put" : "message";
}

LevelOutcome Run::run_level(int index, double rate) {
  LevelPlan plan;
  plan.index = index;
  plan.rate = rate;
  plan.warmup_ns = config_.warmup.count();
  plan.end_ns = plan.warmup_ns + config_.duration.count();
  plan.timeout_ns = config_.request_timeout.count();
  plan.deadline_ns = plan.end_ns + plan.timeout_ns + kGraceNs;

  // Each role posts its receives first; the level's clock starts when every rank is ready.
  std::unique_ptr<Server> server;
  std::unique_ptr<Client> client;
  if (roles_.is_server(t_.rank())) {
    server = std::make_unique<Server>(t_, config_, roles_, plan, kv_.get(), banned_);
  } else {
    client = std::make_unique<Client>(t_, config_, roles_, plan);
  }
  t_.bootstrap().barrier();
  const auto started = std::chrono::steady_clock::now();
  const LevelClock clock;
  if (server) {
    server->run(clock);
  } else {
    client->run(clock);
  }
  const RankResults& mine = server ? server->results() : client->results();
  std::unique_ptr<RankResults> merged = gather_results(t_.bootstrap(), mine);
  elapsed_s_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (server && !server->quiescent()) leftovers_.keep(std::move(server));
  if (client && !client->quiescent()) leftovers_.keep(std::move(client));
  return summarize(config_, plan, std::move(merged));
}

std::vector<LevelOutcome> Run::run_all(const std::function<void(const LevelOutcome&)>& on_level) {
  std::vector<LevelOutcome> out;
  const int levels = config_.sweep ? config_.sweep_steps : 1;
  double rate = config_.arrival.rate;
  for (int i = 0; i < levels; ++i) {
    out.push_back(run_level(i, rate));
    on_level(out.back());
    if (!out.back().ok()) break;
    rate *= config_.sweep_factor;
  }
  return out;
}

double capacity_rps(const std::vector<LevelOutcome>& levels) {
  double best = 0;
  for (const LevelOutcome& l : levels) {
    if (l.ok()) best = std::max(best, l.plan.rate);
  }
  return best;
}

}  // namespace lp::bench::rpc
