#include "core/utf8.h"

#include <gtest/gtest.h>

namespace lp {
namespace {

TEST(Utf8, AcceptsWellFormed) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("node001,node002"));
  EXPECT_TRUE(is_valid_utf8("n\xC3\xB6" "de"));          // ö
  EXPECT_TRUE(is_valid_utf8("\xE2\x82\xAC"));         // €
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));     // U+1F600
}

TEST(Utf8, RejectsMalformed) {
  EXPECT_FALSE(is_valid_utf8("n\xFF" "de"));          // invalid byte
  EXPECT_FALSE(is_valid_utf8("\xC3"));                // truncated
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));            // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));        // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));    // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\x80"));                // lone continuation
}

}  // namespace
}  // namespace lp
