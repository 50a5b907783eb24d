// The verbs backend in the factory: listed always, and where it cannot run (no RDMA device,
// or not compiled in) asking for it fails with why and with the transports that can run.
#include "core/error.h"
#include "lightpath/config.h"
#include "transport/transport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace lp::transport {
namespace {

TEST(VerbsBackend, IsListedWithWhyItCannotRunHere) {
  const auto all = backends();
  const auto verbs = std::find_if(all.begin(), all.end(), [](const BackendInfo& b) { return b.name == "verbs"; });
  ASSERT_NE(verbs, all.end());
  EXPECT_EQ(verbs->compiled, LP_HAVE_VERBS == 1);
  if (!LP_HAVE_VERBS) {
    EXPECT_EQ(verbs->unavailable_reason, "not compiled in");
  } else if (!verbs->unavailable_reason.empty()) {
    EXPECT_TRUE(verbs->unavailable_reason.starts_with("no RDMA device found") ||
                verbs->unavailable_reason.starts_with("no active RDMA port"))
        << verbs->unavailable_reason;
  }
}

TEST(VerbsBackend, AskingForItWhereItCannotRunNamesTheTransportsThatCan) {
  const auto all = backends();
  const auto verbs = std::find_if(all.begin(), all.end(), [](const BackendInfo& b) { return b.name == "verbs"; });
  ASSERT_NE(verbs, all.end());
  if (verbs->unavailable_reason.empty()) GTEST_SKIP() << "an RDMA port is active here";
  auto boots = make_thread_bootstraps(1);
  try {
    make_transport("verbs", *boots[0]);
    ADD_FAILURE() << "verbs was made where it cannot run";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("--transport verbs"), std::string::npos) << what;
    if (LP_HAVE_VERBS) {
      EXPECT_NE(what.find(verbs->unavailable_reason), std::string::npos) << what;
    }
    EXPECT_NE(what.find("available here: "), std::string::npos) << what;
    EXPECT_NE(what.find("tcp"), std::string::npos) << "tcp runs everywhere: " << what;
    EXPECT_EQ(what.find("verbs,"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace lp::transport
