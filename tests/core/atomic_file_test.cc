#include "core/atomic_file.h"
#include "core/error.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace lp {
namespace {

namespace fs = std::filesystem;

class AtomicFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("lp_atomic_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(AtomicFile, WriteReplacesAndLeavesNoTemporaries) {
  const std::string p = (dir_ / "out.json").string();
  write_file_atomic(p, "one");
  write_file_atomic(p, "two");
  EXPECT_EQ(read_file(p), "two");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator{}), 1);
}

TEST_F(AtomicFile, AppendKeepsWholeLines) {
  const std::string p = (dir_ / "r.jsonl").string();
  append_lines_atomic(p, "{\"a\":1}\n");
  write_file_atomic(p, read_file(p) + "{\"partial\"");  // a line someone left unterminated
  append_lines_atomic(p, "{\"b\":2}\n");
  EXPECT_EQ(read_file(p), "{\"a\":1}\n{\"partial\"\n{\"b\":2}\n");
}

TEST_F(AtomicFile, UnwritableDirectoryIsAClearErrorAndTouchesNothing) {
  const std::string p = (dir_ / "missing" / "out.json").string();
  try {
    write_file_atomic(p, "x");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(p));
}

TEST_F(AtomicFile, ReadMissingNamesTheFile) {
  try {
    read_file((dir_ / "nope").string());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos);
  }
}

}  // namespace
}  // namespace lp
