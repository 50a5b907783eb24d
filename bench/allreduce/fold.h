// Rank counts that are not a power of two, for the algorithms that pair ranks by bits (rd,
// rabenseifner): the first 2 * extra members pair up, even with odd. Each even one ("extra")
// hands its vector to its odd partner ("proxy") and gets the result back at the end, so a
// power of two of members ("core") runs the algorithm proper.
#pragma once

#include "bench/allreduce/algorithm.h"
#include "bench/allreduce/group.h"

namespace lp::bench::allreduce {

// The tags of the fold (an extra's vector to its proxy) and the unfold (the result back).
inline constexpr Tag kFoldTag = 0;
inline constexpr Tag kUnfoldTag = 1;

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

// An extra's whole part of the all-reduce: its vector to its proxy, then the result into
// job.recv. It sends first: in place, the result lands where the vector is read from.
inline void run_extra(const Group& g, const Job& job, Request& req) {
  g.isend(g.index() + 1, kFoldTag, job.send, job.bytes(), req);
  g.wait(req);
  g.irecv(g.index() + 1, kUnfoldTag, job.recv, job.bytes(), req);
  g.wait(req);
}

// A proxy's first step: its extra's vector (received into `scratch`) reduced with its own into
// job.recv, where the proxy's data is from then on.
inline void fold_in(const Group& g, const Job& job, void* scratch, Request& req) {
  g.irecv(g.index() - 1, kFoldTag, scratch, job.bytes(), req);
  g.wait(req);
  job.red(job.recv, job.send, scratch, job.count);
}

// A proxy's last step: the result to its extra.
inline void unfold(const Group& g, const Job& job, Request& req) {
  g.isend(g.index() - 1, kUnfoldTag, job.recv, job.bytes(), req);
  g.wait(req);
}

}  // namespace lp::bench::allreduce
