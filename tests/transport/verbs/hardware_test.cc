// The verbs backend on a real RDMA port: what it reports choosing, and how it refuses a
// device that does not exist. Skipped, with the reason, where no port can run it (the
// protocol itself is tested everywhere over the in-memory NIC).
#include "core/error.h"
#include "tests/transport/rank_threads.h"
#include "transport/transport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace lp::transport {
namespace {

class VerbsHardware : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto all = backends();
    const auto verbs = std::find_if(all.begin(), all.end(), [](const BackendInfo& b) { return b.name == "verbs"; });
    if (verbs == all.end() || !verbs->unavailable_reason.empty()) {
      GTEST_SKIP() << "no RDMA device: "
                   << (verbs == all.end() ? "no verbs backend" : verbs->unavailable_reason);
    }
  }
};

TEST_F(VerbsHardware, DetailsNameThePortGidAndMtuItChose) {
  TransportOptions options;
  options.timeout = std::chrono::seconds(20);
  run_transport_ranks("verbs", 2, options, [](Transport& t) {
    const nlohmann::json d = t.details();
    EXPECT_FALSE(d.at("device").get<std::string>().empty()) << d.dump();
    EXPECT_GE(d.at("port").get<int>(), 1) << d.dump();
    const std::string link = d.at("link_layer");
    EXPECT_TRUE(link == "InfiniBand" || link == "Ethernet") << d.dump();
    if (link == "Ethernet") {
      EXPECT_TRUE(d.at("gid_index").is_number()) << "RoCE needs a GID: " << d.dump();
    }
    const int mtu = d.at("mtu");
    EXPECT_TRUE(mtu == 256 || mtu == 512 || mtu == 1024 || mtu == 2048 || mtu == 4096) << d.dump();
    EXPECT_LE(mtu, d.at("active_mtu").get<int>()) << d.dump();
    EXPECT_TRUE(d.at("max_inline").is_number()) << d.dump();
    EXPECT_GT(d.at("eager_limit").get<std::size_t>(), 0u) << d.dump();
    t.barrier();
  });
}

TEST_F(VerbsHardware, AnUnknownDeviceIsBadInputListingThePorts) {
  auto boots = make_thread_bootstraps(1);
  TransportOptions options;
  options.device = "nosuchdevice0:1";
  try {
    make_transport("verbs", *boots[0], options);
    ADD_FAILURE() << "a device that does not exist was opened";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("--device nosuchdevice0:1: no such RDMA device"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace lp::transport
