#include "bench/p2p/pairing.h"

namespace lp::bench::p2p {

std::vector<Round> halves_schedule(int ranks) {
  Round round;
  const int half = ranks / 2;
  for (int i = 0; i < half; ++i) round.push_back({i, i + half});
  return {round};
}

std::vector<Round> round_robin_schedule(const std::vector<int>& members) {
  std::vector<int> seats = members;
  const bool odd = seats.size() % 2 == 1;
  if (odd) seats.push_back(-1);  // a bye: whoever meets it rests this round
  const std::size_t n = seats.size();
  std::vector<Round> rounds;
  if (n < 2) return rounds;
  // Seat 0 stays; the others rotate one place per round.
  for (std::size_t r = 0; r + 1 < n; ++r) {
    Round round;
    for (std::size_t i = 0; i < n / 2; ++i) {
      const int x = seats[i];
      const int y = seats[n - 1 - i];
      if (x < 0 || y < 0) continue;
      round.push_back(x < y ? Pair{x, y} : Pair{y, x});
    }
    rounds.push_back(std::move(round));
    const int last = seats.back();
    for (std::size_t i = n - 1; i > 1; --i) seats[i] = seats[i - 1];
    seats[1] = last;
  }
  return rounds;
}

const Pair* pair_of(const Round& round, int rank) {
  for (const Pair& p : round) {
    if (p.a == rank || p.b == rank) return &p;
  }
  return nullptr;
}

}  // namespace lp::bench::p2p
