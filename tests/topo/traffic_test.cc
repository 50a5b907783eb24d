// lightpath.traffic/1 and the CSV edge list: round trips, and every rejected input.
#include "core/error.h"
#include "topo/traffic.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace lp::topo {
namespace {

using nlohmann::json;

json good_traffic() {
  return json::parse(R"({"format": "lightpath.traffic/1", "level": "host", "unit": "bytes",
    "duration_s": 12.5, "names": ["node001", "node002", "node003"],
    "matrix": [[0, 1048576, 3], [2097152, 0, 0], [7, 0.5, 0]]})");
}

std::string traffic_error(const std::string& text) {
  try {
    parse_traffic(text, "t.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

void expect_traffic_problem(const json& doc, const std::string& path, const std::string& problem) {
  const std::string msg = traffic_error(doc.dump());
  EXPECT_NE(msg.find("t.json: " + path), std::string::npos) << msg;
  EXPECT_NE(msg.find(problem), std::string::npos) << msg;
}

void expect_same(const TrafficMatrix& a, const TrafficMatrix& b) {
  EXPECT_EQ(a.level, b.level);
  EXPECT_EQ(a.duration_s, b.duration_s);
  EXPECT_EQ(a.names, b.names);
  EXPECT_EQ(a.hosts, b.hosts);
  EXPECT_EQ(a.bytes, b.bytes);
}

TEST(Traffic, ParsesJson) {
  const TrafficMatrix m = parse_traffic(good_traffic().dump(), "t.json");
  EXPECT_EQ(m.level, TrafficLevel::kHost);
  EXPECT_EQ(m.duration_s, 12.5);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m.at(0, 1), 1048576);
  EXPECT_EQ(m.at(1, 0), 2097152);
  EXPECT_EQ(m.at(2, 1), 0.5);
  EXPECT_EQ(m.total(), 1048576 + 2097152 + 3 + 7 + 0.5);
}

TEST(Traffic, JsonRoundTripThroughFile) {
  TrafficMatrix m = parse_traffic(good_traffic().dump(), "t.json");
  m.level = TrafficLevel::kRank;
  m.names = {"0", "1", "2"};
  m.hosts = {"a", "a", "b"};
  m.source = {{"benchmark", "p2p"}};
  const std::string path = testing::TempDir() + "/traffic_roundtrip.json";
  save_traffic(m, path);
  const TrafficMatrix back = load_traffic(path);
  expect_same(back, m);
  EXPECT_EQ(back.source, m.source);
  std::filesystem::remove(path);
}

TEST(Traffic, CsvRoundTripThroughFile) {
  TrafficMatrix m = parse_traffic(good_traffic().dump(), "t.json");
  m.names.push_back("idle");  // a name without traffic survives through "# names="
  m.bytes = std::vector<double>(16, 0.0);
  m.at(0, 1) = 1e15;
  m.at(3, 0) = 0.25;
  m.at(2, 1) = 12345;
  const std::string path = testing::TempDir() + "/traffic_roundtrip.csv";
  save_traffic(m, path);
  expect_same(load_traffic(path), m);
  std::filesystem::remove(path);
}

TEST(Traffic, CsvEdgeListWithoutExtras) {
  const TrafficMatrix m = parse_traffic("# duration_s=2\nsrc,dst,bytes\na,b,10\nb,a,4\na,b,5\nc,a,1e3\n", "t.csv");
  EXPECT_EQ(m.level, TrafficLevel::kHost);
  EXPECT_EQ(m.duration_s, 2);
  EXPECT_EQ(m.names, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(m.at(0, 1), 15);  // repeated pairs add up
  EXPECT_EQ(m.at(1, 0), 4);
  EXPECT_EQ(m.at(2, 0), 1000);
}

TEST(Traffic, CsvRejectsBadLines) {
  auto csv_error = [](const std::string& text) {
    try {
      parse_traffic(text, "t.csv");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(csv_error("a,b,1\n").find("t.csv: missing the '# duration_s=SECONDS' header"), std::string::npos);
  const std::string msg = csv_error("# duration_s=1\na,b,-1\na,b,nan\na,b,inf\na,b\na,b,x\n# level=rack\n");
  EXPECT_NE(msg.find("t.csv: line 2: bytes -1 is negative"), std::string::npos) << msg;
  EXPECT_NE(msg.find("t.csv: line 3: bytes is NaN"), std::string::npos) << msg;
  EXPECT_NE(msg.find("t.csv: line 4: bytes is infinite"), std::string::npos) << msg;
  EXPECT_NE(msg.find("t.csv: line 5: expected src,dst,bytes, got 2 fields"), std::string::npos) << msg;
  EXPECT_NE(msg.find("t.csv: line 6: bytes 'x' is not a number"), std::string::npos) << msg;
  EXPECT_NE(msg.find("t.csv: line 7: unknown level 'rack'"), std::string::npos) << msg;
  EXPECT_NE(csv_error("# duration_s=0\na,b,1\n").find("not a positive"), std::string::npos);
  EXPECT_NE(csv_error("# duration_s=1\n# names=a,a\na,a,1\n").find("duplicate name 'a'"), std::string::npos);
  EXPECT_NE(csv_error("# duration_s=1\n# names=a,b\na,c,1\n").find("'c' is not in the '# names='"), std::string::npos);
}

TEST(Traffic, RejectsUnknownFormat) {
  json doc = good_traffic();
  doc["format"] = "lightpath.traffic/7";
  expect_traffic_problem(doc, "format", "unknown format");
  doc["format"] = "other";
  expect_traffic_problem(doc, "format", "expected \"lightpath.traffic/1\"");
}

TEST(Traffic, RejectsBadEntries) {
  json doc = good_traffic();
  doc["matrix"][0][1] = -1;
  doc["matrix"][1][0] = "many";
  doc["matrix"][2][0] = 1e300;
  expect_traffic_problem(doc, "matrix[0][1]", "out of range");
  expect_traffic_problem(doc, "matrix[1][0]", "expected a number");
  expect_traffic_problem(doc, "matrix[2][0]", "out of range");
  json nan = good_traffic();
  nan["matrix"][0][2] = std::numeric_limits<double>::quiet_NaN();  // dumps as null
  expect_traffic_problem(nan, "matrix[0][2]", "expected a number, got null");
  const std::string text = good_traffic().dump();
  const std::string inf = std::string(text).replace(text.find("0.5"), 3, "1e999");
  EXPECT_NE(traffic_error(inf).find("t.json"), std::string::npos);  // overflow: rejected, named
}

TEST(Traffic, RejectsMismatchedDimensions) {
  json doc = good_traffic();
  doc["matrix"][1] = {1, 2};
  expect_traffic_problem(doc, "matrix[1]", "has 2 columns for 3 names");
  doc = good_traffic();
  doc["matrix"].erase(2);
  expect_traffic_problem(doc, "matrix", "has 2 rows for 3 names");
  doc = good_traffic();
  doc["hosts"] = {"a"};
  expect_traffic_problem(doc, "hosts", "has 1 entries for 3 names");
}

TEST(Traffic, RejectsDuplicateNames) {
  json doc = good_traffic();
  doc["names"][2] = "node001";
  expect_traffic_problem(doc, "names[2]", "duplicate name 'node001' (also names[0])");
}

TEST(Traffic, RejectsUnknownLevelUnitAndBadDuration) {
  json doc = good_traffic();
  doc["level"] = "rack";
  doc["unit"] = "packets";
  doc["duration_s"] = 0;
  expect_traffic_problem(doc, "level", "unknown level 'rack'");
  expect_traffic_problem(doc, "unit", "unknown unit 'packets'");
  expect_traffic_problem(doc, "duration_s", "must be positive");
  EXPECT_THROW(parse_level("rack", "--level"), InputError);
  EXPECT_EQ(parse_level("block", "--level"), TrafficLevel::kBlock);
}

TEST(Traffic, RejectsBrokenJsonAndEmptyFiles) {
  EXPECT_NE(traffic_error("{\"format\": ").find("t.json: not valid JSON"), std::string::npos);
  EXPECT_NE(traffic_error("  \n").find("t.json: empty file"), std::string::npos);
}

}  // namespace
}  // namespace lp::topo
