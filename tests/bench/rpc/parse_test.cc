// The rpc benchmark's inputs: every bad value is an InputError naming its flag or file.
#include "bench/rpc/config.h"
#include "core/error.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace lp::bench::rpc {
namespace {

using namespace std::chrono_literals;

// Runs `f`, expects an InputError whose message contains every one of `needles`.
template <typename F>
void expect_input_error(F&& f, std::initializer_list<const char*> needles) {
  try {
    f();
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    const std::string what = e.what();
    for (const char* n : needles) EXPECT_NE(what.find(n), std::string::npos) << what << " / " << n;
  }
}

TEST(Slo, ParsesBoundsAndPercentileNames) {
  const auto b = parse_slo("p99=1ms,p999=5ms,p9999=10ms,p50=200us,p99.5=2ms,max=1s", "--slo");
  ASSERT_EQ(b.size(), 6u);
  EXPECT_EQ(b[0].name, "p99");
  EXPECT_DOUBLE_EQ(b[0].percentile, 99);
  EXPECT_EQ(b[0].limit, 1ms);
  EXPECT_DOUBLE_EQ(b[1].percentile, 99.9);
  EXPECT_DOUBLE_EQ(b[2].percentile, 99.99);
  EXPECT_DOUBLE_EQ(b[3].percentile, 50);
  EXPECT_EQ(b[3].limit, 200us);
  EXPECT_DOUBLE_EQ(b[4].percentile, 99.5);
  EXPECT_DOUBLE_EQ(b[5].percentile, 100);
  EXPECT_DOUBLE_EQ(parse_slo("p100=1s", "--slo")[0].percentile, 100);
}

TEST(Slo, RejectsBadSpecsNamingTheFlag) {
  for (const char* bad :
       {"", "p99", "q99=1ms", "p99=abc", "p99=0", "p99=1ms,p99=2ms", "p99=1ms,p99.0=2ms",
        "p100.5=1ms", "p0=1ms", "p=1ms", "p9x=1ms", "p99=1ms,", "p99=-1ms"}) {
    SCOPED_TRACE(bad);
    expect_input_error([&] { parse_slo(bad, "--slo"); }, {"--slo"});
  }
}

TEST(WorkTime, ParsesFixedExponentialAndNone) {
  const WorkTime f = parse_work_time("fixed:50us", "--service-time");
  EXPECT_EQ(f.kind, WorkTime::Kind::kFixed);
  EXPECT_EQ(f.mean, 50us);
  std::mt19937_64 rng(1);
  EXPECT_EQ(f.sample(rng), 50000);
  const WorkTime e = parse_work_time("exp:2ms", "--service-time");
  EXPECT_EQ(e.kind, WorkTime::Kind::kExponential);
  double sum = 0;
  for (int i = 0; i < 20000; ++i) sum += static_cast<double>(e.sample(rng));
  EXPECT_NEAR(sum / 20000, 2e6, 2e6 * 0.03);
  EXPECT_TRUE(parse_work_time("0", "--service-time").none());
  EXPECT_TRUE(parse_work_time("fixed:0us", "--service-time").none());
  for (const char* bad : {"50us", "fixed:", "fixed", "gauss:1us", "exp:abc", ""}) {
    SCOPED_TRACE(bad);
    expect_input_error([&] { parse_work_time(bad, "--service-time"); }, {"--service-time"});
  }
}

TEST(Stall, ParsesLengthAtTime) {
  const Stall s = parse_stall("50ms@2s", "--stall");
  EXPECT_EQ(s.length, 50ms);
  EXPECT_EQ(s.at, 2s);
  for (const char* bad : {"50ms", "@2s", "0ms@1s", "50ms@", "x@1s"}) {
    SCOPED_TRACE(bad);
    expect_input_error([&] { parse_stall(bad, "--stall"); }, {"--stall"});
  }
}

TEST(Rate, ParsesSuffixesAndRejectsNonsense) {
  EXPECT_DOUBLE_EQ(parse_rate("50000", "--rate"), 50000);
  EXPECT_DOUBLE_EQ(parse_rate("50k", "--rate"), 50000);
  EXPECT_DOUBLE_EQ(parse_rate("1.5M", "--rate"), 1.5e6);
  EXPECT_DOUBLE_EQ(parse_rate("2500.5", "--rate"), 2500.5);
  for (const char* bad : {"abc", "0", "-5", "2e9", "5x", "", "inf", "nan"}) {
    SCOPED_TRACE(bad);
    expect_input_error([&] { parse_rate(bad, "--rate"); }, {"--rate"});
  }
}

TEST(SizeMix, ParsesEntriesAndSamplesByWeight) {
  const SizeMix m = SizeMix::parse(
      R"({"format": "lightpath.rpc-sizes/1",
          "mix": [{"req": "4K", "resp": 64, "tokens": 16, "weight": 3},
                  {"req": 512, "resp": "1K", "weight": 1}]})",
      "mix.json", 2);
  ASSERT_EQ(m.entries().size(), 2u);
  EXPECT_EQ(m.entries()[0].req, 4096u);
  EXPECT_EQ(m.entries()[0].tokens, 16u);
  EXPECT_EQ(m.entries()[1].resp, 1024u);
  EXPECT_EQ(m.entries()[1].tokens, 2u);  // the default (--stream)
  EXPECT_EQ(m.max_req(), 4096u);
  EXPECT_EQ(m.max_resp(), 1024u);
  EXPECT_EQ(m.max_tokens(), 16u);
  EXPECT_DOUBLE_EQ(m.mean_req(), 0.75 * 4096 + 0.25 * 512);
  std::mt19937_64 rng(3);
  int first = 0;
  for (int i = 0; i < 40000; ++i) first += m.sample(rng).req == 4096 ? 1 : 0;
  EXPECT_NEAR(first / 40000.0, 0.75, 0.01);
}

TEST(SizeMix, ReportsEveryProblemWithItsPath) {
  expect_input_error(
      [] {
        SizeMix::parse(R"({"format": "lightpath.rpc-sizes/1",
                           "mix": [{"req": 8, "resp": 64, "weight": 1},
                                   {"req": "4Q", "resp": 64, "weight": 1},
                                   {"req": 64, "resp": 4, "weight": 0},
                                   {"req": 64, "weight": 1, "colour": "red"},
                                   {"req": 64, "resp": 64, "tokens": 0, "weight": 1},
                                   7]})",
                       "mix.json", 1);
      },
      {"mix.json: mix[0].req", "mix[1].req", "mix[2].resp", "mix[2].weight", "mix[3].resp",
       "mix[3].colour", "mix[4].tokens", "mix[5]"});
  expect_input_error([] { SizeMix::parse(R"({"format": "other/1", "mix": []})", "f.json", 1); },
                     {"f.json", "format"});
  expect_input_error(
      [] { SizeMix::parse(R"({"format": "lightpath.rpc-sizes/1", "mix": []})", "f.json", 1); },
      {"f.json: mix", "empty"});
  expect_input_error([] { SizeMix::parse("{not json", "f.json", 1); }, {"f.json", "JSON"});
  expect_input_error([] { SizeMix::load("/nonexistent/sizes.json", 1); },
                     {"/nonexistent/sizes.json"});
}

RpcFlags good_flags() {
  RpcFlags f;
  f.duration = "1s";
  return f;
}

TEST(Config, BadFlagsNameThemselves) {
  struct Case {
    const char* flag;
    void (*mutate)(RpcFlags&);
  };
  const Case cases[] = {
      {"--req", [](RpcFlags& f) { f.req = "16"; }},
      {"--req", [](RpcFlags& f) { f.req = "4Q"; }},
      {"--resp", [](RpcFlags& f) { f.resp = "8"; }},
      {"--rate", [](RpcFlags& f) { f.rate = "fast"; }},
      {"--arrival", [](RpcFlags& f) { f.arrival = "bursty"; }},
      {"--balance", [](RpcFlags& f) { f.balance = "least-loaded"; }},
      {"--duration", [](RpcFlags& f) { f.duration = "0s"; }},
      {"--servers", [](RpcFlags& f) { f.servers = 0; }},
      {"--slo", [](RpcFlags& f) { f.slo = "p99<1ms"; }},
      {"--fail-on-slo", [](RpcFlags& f) { f.fail_on_slo = true; }},
      {"--concurrency",
       [](RpcFlags& f) {
         f.concurrency = 4;
         f.rate_given = true;
       }},
      {"--sweep",
       [](RpcFlags& f) {
         f.sweep = true;
         f.concurrency = 4;
       }},
      {"--sweep-factor", [](RpcFlags& f) { f.sweep_factor = 1.0; }},
      {"--stall", [](RpcFlags& f) { f.stall = "50ms@5s"; }},
      {"--service-time", [](RpcFlags& f) { f.service_time = "50us"; }},
      {"--kv", [](RpcFlags& f) { f.kv = "4G"; }},
      {"--stream", [](RpcFlags& f) { f.stream = 2000000; }},
      {"--max-outstanding", [](RpcFlags& f) { f.max_outstanding = 0; }},
      {"/nonexistent/mix.json", [](RpcFlags& f) { f.size_dist = "/nonexistent/mix.json"; }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.flag);
    RpcFlags f = good_flags();
    c.mutate(f);
    expect_input_error([&] { parse_config(f); }, {c.flag});
  }
  EXPECT_NO_THROW(parse_config(good_flags()));
}

TEST(Config, RolesNeedAClientAndKvNeedsTwoServers) {
  RpcFlags f = good_flags();
  f.servers = 2;
  const RpcConfig c = parse_config(f);
  expect_input_error([&] { Roles(c, 2); }, {"--servers"});
  const Roles roles(c, 5);
  EXPECT_EQ(roles.clients(), 3);
  EXPECT_TRUE(roles.is_server(1));
  EXPECT_EQ(roles.client_rank(0), 2);
  EXPECT_EQ(roles.decode_server(1, true), 0);
  EXPECT_EQ(roles.decode_server(1, false), 1);
  EXPECT_EQ(roles.kv_source(0), 1);
  f.servers = 1;
  f.kv = "1M";
  expect_input_error([&] { Roles(parse_config(f), 3); }, {"--kv"});
  f.kv = "0";
  f.concurrency = 1;
  expect_input_error([&] { Roles(parse_config(f), 4); }, {"--concurrency"});
}

TEST(Config, FingerprintCoversTheSizeFileContent) {
  const std::string path = ::testing::TempDir() + "/rpc_mix.json";
  auto write = [&](const char* text) { std::ofstream(path) << text; };
  RpcFlags f = good_flags();
  f.size_dist = path;
  write(R"({"format": "lightpath.rpc-sizes/1", "mix": [{"req": 64, "resp": 64, "weight": 1}]})");
  const std::string a = parse_config(f).fingerprint();
  write(R"({"format": "lightpath.rpc-sizes/1", "mix": [{"req": 128, "resp": 64, "weight": 1}]})");
  EXPECT_NE(parse_config(f).fingerprint(), a);
  std::remove(path.c_str());
  RpcFlags g = good_flags();
  g.rate = "2000";
  EXPECT_NE(parse_config(g).fingerprint(), parse_config(good_flags()).fingerprint());
}

}  // namespace
}  // namespace lp::bench::rpc
