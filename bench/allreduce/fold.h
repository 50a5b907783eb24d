// Rank counts that are not a power of two, for the algorithms that pair ranks by bits (rd,
// rabenseifner): the first 2 * extra members pair up, even with odd. Each even one ("extra")
// hands its vector to its odd partner ("proxy") and gets the result back at the end, so a
// power of two of members ("core") runs the algorithm proper.
#pragma once

namespace lp::bench::allreduce {

struct Fold {
  enum Role { kExtra, kProxy, kCore };

  int pof2 = 1;    // largest power of two <= size
  int extra = 0;   // size - pof2
  Role role = kCore;
  int core = -1;   // this member's index among the pof2 core members (-1 for an extra)

  static Fold make(int size, int index) {
    Fold f;
    while (f.pof2 * 2 <= size) f.pof2 *= 2;
    f.extra = size - f.pof2;
    if (index < 2 * f.extra) {
      f.role = index % 2 == 0 ? kExtra : kProxy;
      f.core = f.role == kProxy ? index / 2 : -1;
    } else {
      f.core = index - f.extra;
    }
    return f;
  }

  // The group index of core member `c`.
  int index_of(int c) const { return c < extra ? 2 * c + 1 : c + extra; }
};

}  // namespace lp::bench::allreduce
