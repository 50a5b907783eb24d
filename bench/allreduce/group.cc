#include "bench/allreduce/group.h"

#include "core/error.h"

#include <algorithm>
#include <numeric>

namespace lp::bench::allreduce {

Group::Group(transport::Transport& t, std::vector<int> members, unsigned slot)
    : t_(&t), members_(std::move(members)) {
  LP_ENFORCE_LT(slot, 16u, "group tag slot");
  LP_ENFORCE(!members_.empty(), "a group needs members");
  base_ = static_cast<Tag>(slot) * kGroupTags;
  const auto it = std::find(members_.begin(), members_.end(), t.rank());
  LP_ENFORCE(it != members_.end(), "rank {} is not in the group", t.rank());
  index_ = static_cast<int>(it - members_.begin());
}

Group Group::world(transport::Transport& t) {
  std::vector<int> all(static_cast<std::size_t>(t.size()));
  std::iota(all.begin(), all.end(), 0);
  return Group(t, std::move(all), 0);
}

}  // namespace lp::bench::allreduce
