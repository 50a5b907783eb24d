// Ranks as threads for transport tests: each runs the same body on its own bootstrap (and
// transport); the first failure of any rank is rethrown on the test's thread.
#pragma once

#include "transport/bootstrap.h"
#include "transport/transport.h"

#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace lp::transport {

inline void run_ranks(std::vector<std::unique_ptr<Bootstrap>>& boots,
                      const std::function<void(Bootstrap&)>& body) {
  std::vector<std::thread> threads;
  std::vector<std::exception_ptr> errors(boots.size());
  for (std::size_t r = 0; r < boots.size(); ++r) {
    threads.emplace_back([&, r] {
      try {
        body(*boots[r]);
      } catch (...) {
        errors[r] = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

// `n` ranks as threads, each with its own `backend` transport, running body(transport).
inline void run_transport_ranks(const std::string& backend, int n, const TransportOptions& options,
                                const std::function<void(Transport&)>& body) {
  auto boots = make_thread_bootstraps(n);
  run_ranks(boots, [&](Bootstrap& boot) {
    const std::unique_ptr<Transport> t = make_transport(backend, boot, options);
    body(*t);
  });
}

}  // namespace lp::transport
