#include "core/error.h"
#include "core/sizes.h"

#include <gtest/gtest.h>

namespace lp {
namespace {

TEST(ParseSize, Units) {
  EXPECT_EQ(parse_size("0"), 0u);
  EXPECT_EQ(parse_size("64"), 64u);
  EXPECT_EQ(parse_size("4K"), 4096u);
  EXPECT_EQ(parse_size("4k"), 4096u);
  EXPECT_EQ(parse_size("4KiB"), 4096u);
  EXPECT_EQ(parse_size("1M"), 1u << 20);
  EXPECT_EQ(parse_size("2G"), std::size_t{2} << 30);
  EXPECT_EQ(parse_size("3T"), std::size_t{3} << 40);
  EXPECT_EQ(parse_size("17B"), 17u);
}

TEST(ParseSize, RejectsGarbageWithTheFlagName) {
  for (const char* bad : {"", "K", "-1", "4X", "4KX", "1.5M", "abc", "99999999999999999999",
                          "99999999999999T"}) {
    try {
      parse_size(bad, "--req");
      FAIL() << "accepted '" << bad << "'";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("--req"), std::string::npos) << e.what();
    }
  }
}

TEST(ParseSizeRange, DoublesAndIncludesMax) {
  EXPECT_EQ(parse_size_range("1:8"), (std::vector<std::size_t>{1, 2, 4, 8}));
  EXPECT_EQ(parse_size_range("1:10"), (std::vector<std::size_t>{1, 2, 4, 8, 10}));
  EXPECT_EQ(parse_size_range("0:4"), (std::vector<std::size_t>{0, 1, 2, 4}));
  EXPECT_EQ(parse_size_range("4K"), (std::vector<std::size_t>{4096}));
  EXPECT_EQ(parse_size_range("1K:1M:32"), (std::vector<std::size_t>{1024, 32768, 1 << 20}));
  EXPECT_EQ(parse_size_range("0"), (std::vector<std::size_t>{0}));
}

TEST(ParseSizeRange, BeyondTwoGigabytesWithoutOverflow) {
  const auto sizes = parse_size_range("1G:16G");
  ASSERT_EQ(sizes.size(), 5u);
  EXPECT_EQ(sizes.back(), std::size_t{16} << 30);
}

TEST(ParseSizeRange, Rejects) {
  for (const char* bad : {"8:1", "1:2:1", "1:2:x", "1:2:3:4", ":", "1:"}) {
    EXPECT_THROW(parse_size_range(bad), InputError) << bad;
  }
}

TEST(ParseDuration, Units) {
  using namespace std::chrono;
  EXPECT_EQ(parse_duration("10s"), seconds(10));
  EXPECT_EQ(parse_duration("500ms"), milliseconds(500));
  EXPECT_EQ(parse_duration("50us"), microseconds(50));
  EXPECT_EQ(parse_duration("1.5s"), milliseconds(1500));
  EXPECT_EQ(parse_duration("2m"), minutes(2));
  EXPECT_EQ(parse_duration("7"), seconds(7));
  for (const char* bad : {"", "s", "-1s", "1d", "nan", "inf", "1e30s"}) {
    EXPECT_THROW(parse_duration(bad), InputError) << bad;
  }
}

TEST(FormatSize, Suffixes) {
  EXPECT_EQ(format_size(0), "0");
  EXPECT_EQ(format_size(8), "8");
  EXPECT_EQ(format_size(4096), "4K");
  EXPECT_EQ(format_size(3 << 20), "3M");
  EXPECT_EQ(format_size(1000), "1000");
}

}  // namespace
}  // namespace lp
