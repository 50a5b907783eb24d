// Who measures with whom. A schedule is a list of rounds; the pairs of one round run at the
// same time and rounds run one after another. In each pair, `a` starts every exchange.
#pragma once

#include <vector>

namespace lp::bench::p2p {

struct Pair {
  int a = 0;
  int b = 0;
  friend bool operator==(const Pair&, const Pair&) = default;
};
using Round = std::vector<Pair>;

// The default: one round in which rank i pairs with rank i + n/2 (so with ranks placed by
// host, every pair crosses the network). With an odd n the last rank sits out.
std::vector<Round> halves_schedule(int ranks);

// Every pair of `members` exactly once, in n-1 rounds of n/2 disjoint pairs (n rounds when n is
// odd, one member resting in each): the circle method of round-robin tournaments.
std::vector<Round> round_robin_schedule(const std::vector<int>& members);

// The round and pair this rank is in during `round`, or nullptr when it rests.
const Pair* pair_of(const Round& round, int rank);

}  // namespace lp::bench::p2p
