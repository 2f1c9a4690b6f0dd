#include "utf16.h"

#include <gtest/gtest.h>

namespace smbaudit {
namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out += static_cast<char>(v);
  return out;
}

TEST(Utf16, DecodesBothByteOrdersIntoUtf8) {
  EXPECT_EQ(utf16_to_utf8(bytes({'{', 0, '}', 0}), ByteOrder::LittleEndian).value(), "{}");
  EXPECT_EQ(utf16_to_utf8(bytes({0, '{', 0, '}'}), ByteOrder::BigEndian).value(), "{}");
  // é (U+00E9), € (U+20AC) and U+1F512 (a surrogate pair).
  EXPECT_EQ(utf16_to_utf8(bytes({0xe9, 0, 0xac, 0x20, 0x3d, 0xd8, 0x12, 0xdd}), ByteOrder::LittleEndian).value(),
            "\xc3\xa9\xe2\x82\xac\xf0\x9f\x94\x92");
  EXPECT_EQ(utf16_to_utf8("", ByteOrder::LittleEndian).value(), "");
}

TEST(Utf16, RefusesAnOddLengthAndLoneSurrogatesNamingTheOffset) {
  EXPECT_EQ(utf16_to_utf8(bytes({'{', 0, '}'}), ByteOrder::LittleEndian).error(),
            "UTF-16 text has an odd number of bytes (3): the file is cut short");
  EXPECT_EQ(utf16_to_utf8(bytes({'a', 0, 0x3d, 0xd8, 'b', 0}), ByteOrder::LittleEndian).error(),
            "invalid UTF-16 at byte 2: a high surrogate without a low one");
  EXPECT_EQ(utf16_to_utf8(bytes({0x3d, 0xd8}), ByteOrder::LittleEndian).error(),
            "invalid UTF-16 at byte 0: a high surrogate without a low one");
  EXPECT_EQ(utf16_to_utf8(bytes({0xdc, 0x00}), ByteOrder::BigEndian).error(),
            "invalid UTF-16 at byte 0: a low surrogate without a high one");
}

}  // namespace
}  // namespace smbaudit
