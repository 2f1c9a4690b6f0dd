#include "parse.h"

#include <gtest/gtest.h>

namespace smbaudit {
namespace {

TEST(ParseInt, ReadsWholeDecimalNumbersOnly) {
  EXPECT_EQ(parse_int("26100"), 26100);
  EXPECT_EQ(parse_int("-1"), -1);
  for (std::string_view bad : {"", " 1", "1 ", "+1", "12abc", "0x10", "99999999999999999999"})
    EXPECT_FALSE(parse_int(bad)) << bad;
}

TEST(ParseInt, KeepsToItsRange) {
  EXPECT_EQ(parse_int("65535", 0, 65535), 65535);
  EXPECT_FALSE(parse_int("65536", 0, 65535));
  EXPECT_FALSE(parse_int("-1", 0, 65535));
}

TEST(ParseInt, ReadsHexadecimalWithItsPrefix) {
  EXPECT_EQ(parse_int_or_hex("0x311"), 0x311);
  EXPECT_EQ(parse_int_or_hex("0XfF"), 255);
  EXPECT_EQ(parse_int_or_hex("785"), 785);
  EXPECT_FALSE(parse_int_or_hex("0x"));
  EXPECT_FALSE(parse_int_or_hex("0x-1"));
  EXPECT_FALSE(parse_int_or_hex("0xg"));
}

}  // namespace
}  // namespace smbaudit
