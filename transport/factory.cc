#include "core/error.h"
#include "lightpath/config.h"
#include "transport/backends.h"

#include <functional>

namespace lp::transport {
namespace {

struct Backend {
  const char* name;
  bool compiled;
  std::function<std::string()> unavailable_reason;  // empty string: can run here
  std::function<std::unique_ptr<Transport>(Bootstrap&, const TransportOptions&)> make;
};

const std::vector<Backend>& table() {
  static const std::vector<Backend> kBackends = {
      {"mpi", true, [] { return std::string(); }, make_mpi_transport},
#if LP_HAVE_UCX
      {"ucx", true, [] { return std::string(); }, make_ucx_transport},
#endif
#if LP_HAVE_VERBS
      {"verbs", true, verbs_unavailable_reason, make_verbs_transport},
#else
      {"verbs", false, nullptr, nullptr},
#endif
      {"tcp", true, [] { return std::string(); }, make_tcp_transport},
  };
  return kBackends;
}

}  // namespace

std::vector<BackendInfo> backends() {
  std::vector<BackendInfo> out;
  for (const Backend& b : table()) {
    out.push_back({b.name, b.compiled, b.compiled ? b.unavailable_reason() : "not compiled in"});
  }
  return out;
}

std::unique_ptr<Transport> make_transport(const std::string& name, Bootstrap& boot,
                                          const TransportOptions& options) {
  std::string usable;
  for (const BackendInfo& b : backends()) {
    if (b.unavailable_reason.empty()) usable += (usable.empty() ? "" : ", ") + b.name;
  }
  for (const Backend& b : table()) {
    if (name != b.name) continue;
    if (!b.compiled) {
      throw InputError(fmt::format("--transport {}: this build has no {} backend (rebuild with "
                                   "its LP_WITH_ option); available here: {}",
                                   name, name, usable));
    }
    if (std::string why = b.unavailable_reason(); !why.empty()) {
      throw InputError(fmt::format("--transport {}: cannot run here: {}; available here: {}", name,
                                   why, usable));
    }
    return b.make(boot, options);
  }
  throw InputError(fmt::format("--transport {}: unknown transport; available here: {}", name, usable));
}

}  // namespace lp::transport
