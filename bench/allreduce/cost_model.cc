#include "bench/allreduce/cost_model.h"

#include "bench/allreduce/buffer.h"
#include "bench/allreduce/settle.h"

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

enum class Transfer { kPut, kMap };

// Half the best round trip of `bytes` written into the partner's transport memory, by a put
// or by a copy into that memory mapped here, announced by a message, between group members
// 0 and 1. 0 for kMap where the transport maps no peer memory (both members see the same).
double write_pong(const Group& pair, std::size_t bytes, int reps, Transfer how) {
  transport::Transport& t = pair.transport();
  const auto mine = t.allocate_memory(bytes);
  const std::string key = mine->pack();
  std::string theirs(64 * 1024, '\0');
  Request r[2];
  const int other = 1 - pair.index();
  pair.irecv(other, 2, theirs.data(), theirs.size(), r[0]);
  pair.isend(other, 2, key.data(), key.size(), r[1]);
  pair.wait_all(r, 2);
  theirs.resize(r[0].bytes);
  const auto remote = t.attach_remote(pair.rank_of(other), theirs);
  auto* mapped = static_cast<unsigned char*>(remote->mapped());
  if (how == Transfer::kMap && mapped == nullptr) return 0;
  char note = 0;
  double best = 1e30;
  for (int i = 0; i < reps; ++i) {
    const Clock::time_point t0 = Clock::now();
    for (int turn = 0; turn < 2; ++turn) {
      if ((turn == 0) == (pair.index() == 0)) {
        if (how == Transfer::kMap) {
          std::memcpy(mapped, mine->data(), bytes);
        } else {
          t.put(*mine, 0, *remote, 0, bytes, r[0]);
          t.wait(r[0]);
        }
        pair.isend(other, 3, &note, 1, r[1]);
        pair.wait(r[1]);
      } else {
        pair.irecv(other, 3, &note, 1, r[1]);
        pair.wait(r[1]);
      }
    }
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return best / 2;
}

struct Link {
  double alpha = 0, beta = 0, beta_put = 0, beta_map = 0;
};

double per_byte(double seconds, double alpha, std::size_t bytes) {
  return std::max(seconds - alpha, 1e-12) / static_cast<double>(bytes);
}

// alpha, beta (and beta_put, beta_map) between rank 0 and `peer`.
Link link(transport::Transport& t, int peer, Buffer& buf) {
  if (t.rank() != 0 && t.rank() != peer) return {};
  const Group pair(t, {0, peer}, kProbeSlot);
  ping_pong(pair, buf.data(), kSmall, 20);  // warm-up: connection and protocol set-up
  Link l;
  l.alpha = ping_pong(pair, buf.data(), kSmall, 200);
  ping_pong(pair, buf.data(), kLarge, 3);
  const double large = ping_pong(pair, buf.data(), kLarge, 10);
  l.beta = per_byte(large, l.alpha, kLarge);
  if (t.supports(transport::Capability::kPut)) {
    write_pong(pair, kLarge, 3, Transfer::kPut);
    l.beta_put = per_byte(write_pong(pair, kLarge, 10, Transfer::kPut), l.alpha, kLarge);
    if (write_pong(pair, kLarge, 3, Transfer::kMap) > 0) {
      l.beta_map = per_byte(write_pong(pair, kLarge, 10, Transfer::kMap), l.alpha, kLarge);
    }
  }
  return l;
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
  // alpha, beta, beta_put on one host, then between hosts, then gamma, then beta_map.
  double figures[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  const int n = t.size();
  int local_peer = -1;
  int remote_peer = -1;
  for (int r = 1; r < n; ++r) {
    const bool same = host_of[static_cast<std::size_t>(r)] == host_of[0];
    if (same && local_peer < 0) local_peer = r;
    if (!same && remote_peer < 0) remote_peer = r;
  }
  if (local_peer > 0) {
    const Link l = link(t, local_peer, buf);
    figures[0] = l.alpha, figures[1] = l.beta, figures[2] = l.beta_put;
    figures[7] = l.beta_map;
  }
  if (remote_peer > 0) {
    const Link l = link(t, remote_peer, buf);
    figures[3] = l.alpha, figures[4] = l.beta, figures[5] = l.beta_put;
  }
  if (t.rank() == 0) figures[6] = reduce_seconds_per_byte(red);
  // Rank 0's figures for everyone.
  const std::string mine(reinterpret_cast<const char*>(figures), sizeof figures);
  const std::vector<std::string> all = settle_and_allgather(t, mine);
  std::memcpy(figures, all.at(0).data(), sizeof figures);
  // Without a rank on the same host (or another), the other pair stands in for it.
  if (local_peer < 0) std::copy(figures + 3, figures + 6, figures);
  if (remote_peer < 0) std::copy(figures, figures + 3, figures + 3);
  net.alpha = figures[0];
  net.beta = figures[1];
  net.beta_put = figures[2];
  net.alpha_inter = figures[3];
  net.beta_inter = figures[4];
  net.beta_put_inter = figures[5];
  net.gamma = figures[6];
  net.beta_map = figures[7];
  return net;
}

std::string describe(const Network& net, bool multi_host) {
  auto pair = [](double a, double b, double p) {
    std::string s = fmt::format("alpha {:.2f} us, beta {:.3f} ns/B ({:.1f} GB/s)", a * 1e6, b * 1e9,
                                b > 0 ? 1e-9 / b : 0.0);
    if (p > 0) s += fmt::format(", put {:.3f} ns/B ({:.1f} GB/s)", p * 1e9, 1e-9 / p);
    return s;
  };
  std::string out = pair(net.alpha, net.beta, net.beta_put);
  if (net.beta_map > 0) {
    out += fmt::format(", map {:.3f} ns/B ({:.1f} GB/s)", net.beta_map * 1e9, 1e-9 / net.beta_map);
  }
  if (multi_host) out += "; between hosts " + pair(net.alpha_inter, net.beta_inter, net.beta_put_inter);
  return out + fmt::format("; reduction gamma {:.3f} ns/B", net.gamma * 1e9);
}

}  // namespace lp::bench::allreduce
