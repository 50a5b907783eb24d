#include "core/error.h"
#include "transport/bootstrap.h"

namespace lp::transport {

void check_same_everywhere(Bootstrap& boot, std::string_view fingerprint, std::string_view what) {
  const std::vector<std::string> all = boot.allgather(fingerprint);
  std::string differ;
  for (std::size_t r = 1; r < all.size(); ++r) {
    if (all[r] != all[0]) differ += fmt::format("{}{}", differ.empty() ? "" : ", ", r);
  }
  if (!differ.empty()) {
    throw InputError(fmt::format(
        "ranks were started with different {}: rank(s) {} differ from rank 0 ('{}' vs '{}')", what,
        differ, all[0], all[std::stoul(differ.substr(0, differ.find(',')))]));
  }
}

}  // namespace lp::transport
