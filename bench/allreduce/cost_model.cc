#include "bench/allreduce/cost_model.h"

#include "bench/allreduce/buffer.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <numeric>

namespace lp::bench::allreduce {
namespace {

using Clock = std::chrono::steady_clock;

// The measurement's own tag range, apart from every algorithm's.
constexpr unsigned kProbeSlot = 15;
constexpr std::size_t kSmall = 8;
constexpr std::size_t kLarge = std::size_t{1} << 20;

// Half the best round trip of `bytes` between group members 0 and 1, on both.
double ping_pong(const Group& pair, unsigned char* buf, std::size_t bytes, int reps) {
  double best = 1e30;
  Request r;
  for (int i = 0; i < reps; ++i) {
    const Clock::time_point t0 = Clock::now();
    if (pair.index() == 0) {
      pair.isend(1, 0, buf, bytes, r);
      pair.wait(r);
      pair.irecv(1, 1, buf, bytes, r);
      pair.wait(r);
    } else {
      pair.irecv(0, 0, buf, bytes, r);
      pair.wait(r);
      pair.isend(0, 1, buf, bytes, r);
      pair.wait(r);
    }
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return best / 2;
}

// alpha and beta between rank 0 and `peer`.
std::pair<double, double> link(transport::Transport& t, int peer, Buffer& buf) {
  if (t.rank() != 0 && t.rank() != peer) return {0, 0};
  const Group pair(t, {0, peer}, kProbeSlot);
  ping_pong(pair, buf.data(), kSmall, 20);  // warm-up: connection and protocol set-up
  const double alpha = ping_pong(pair, buf.data(), kSmall, 200);
  ping_pong(pair, buf.data(), kLarge, 3);
  const double large = ping_pong(pair, buf.data(), kLarge, 10);
  return {alpha, std::max(large - alpha, 1e-12) / static_cast<double>(kLarge)};
}

double reduce_seconds_per_byte(const Reduction& red) {
  constexpr std::size_t kBytes = std::size_t{4} << 20;
  Buffer a(kBytes), b(kBytes);
  const std::size_t count = kBytes / red.elem;
  double best = 1e30;
  for (int i = 0; i < 5; ++i) {
    const Clock::time_point t0 = Clock::now();
    red(a.data(), a.data(), b.data(), count);
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return best / static_cast<double>(count * red.elem);
}

}  // namespace

Network measure_network(transport::Transport& t, const std::vector<int>& host_of,
                        const Reduction& red) {
  Network net;
  Buffer buf(kLarge);
  double figures[5] = {0, 0, 0, 0, 0};
  const int n = t.size();
  int local_peer = -1;
  int remote_peer = -1;
  for (int r = 1; r < n; ++r) {
    const bool same = host_of[static_cast<std::size_t>(r)] == host_of[0];
    if (same && local_peer < 0) local_peer = r;
    if (!same && remote_peer < 0) remote_peer = r;
  }
  if (local_peer > 0) std::tie(figures[0], figures[1]) = link(t, local_peer, buf);
  if (remote_peer > 0) std::tie(figures[2], figures[3]) = link(t, remote_peer, buf);
  if (t.rank() == 0) figures[4] = reduce_seconds_per_byte(red);
  // Rank 0's figures for everyone.
  const std::string mine(reinterpret_cast<const char*>(figures), sizeof figures);
  const std::vector<std::string> all = t.bootstrap().allgather(mine);
  std::memcpy(figures, all.at(0).data(), sizeof figures);
  net.gamma = figures[4];
  // Without a rank on the same host (or another), the other pair stands in for it.
  if (local_peer < 0) std::copy(figures + 2, figures + 4, figures);
  if (remote_peer < 0) std::copy(figures, figures + 2, figures + 2);
  net.alpha = figures[0];
  net.beta = figures[1];
  net.alpha_inter = figures[2];
  net.beta_inter = figures[3];
  return net;
}

std::string describe(const Network& net, bool multi_host) {
  auto pair = [](double a, double b) {
    return fmt::format("alpha {:.2f} us, beta {:.3f} ns/B ({:.1f} GB/s)", a * 1e6, b * 1e9,
                       b > 0 ? 1e-9 / b : 0.0);
  };
  std::string out = pair(net.alpha, net.beta);
  if (multi_host) out += "; between hosts " + pair(net.alpha_inter, net.beta_inter);
  return out + fmt::format("; reduction gamma {:.3f} ns/B", net.gamma * 1e9);
}

}  // namespace lp::bench::allreduce
