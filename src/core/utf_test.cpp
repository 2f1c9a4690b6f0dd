#include "utf.h"

#include <gtest/gtest.h>

#include <vector>

namespace smbaudit::utf {
namespace {

std::vector<std::uint8_t> bytes(std::string_view s) {
  return {s.begin(), s.end()};
}

const std::string kMixed = "W\xC3\xB6rkstation \xE2\x80\x94 \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x94\x92";
const std::string kFffd = "\xEF\xBF\xBD";

TEST(Utf, RoundTripsEveryPlaneThroughUtf16) {
  const std::u16string units = utf8_to_utf16(kMixed);
  EXPECT_EQ(units.size(), 19u);  // 18 BMP code points and one surrogate pair
  EXPECT_EQ(utf16_to_utf8(units), kMixed);
  EXPECT_EQ(utf16le_to_utf8(bytes(utf8_to_utf16le(kMixed))), kMixed);
  EXPECT_EQ(utf8_to_utf16(""), u"");
  EXPECT_EQ(utf16_to_utf8(u""), "");
}

TEST(Utf, WritesUtf16LittleEndian) {
  EXPECT_EQ(utf8_to_utf16le("A\xC3\xA9"), std::string("A\0\xE9\0", 4));
  EXPECT_EQ(utf8_to_utf16le("\xF0\x9F\x94\x92"), std::string("\x3D\xD8\x12\xDD", 4));
}

TEST(Utf, ReplacesUnpairedSurrogatesInUtf16) {
  EXPECT_EQ(utf16_to_utf8(std::u16string{u'a', char16_t(0xD800), u'b'}), "a" + kFffd + "b");
  EXPECT_EQ(utf16_to_utf8(std::u16string{char16_t(0xDC00)}), kFffd);
  EXPECT_EQ(utf16_to_utf8(std::u16string{char16_t(0xD83D)}), kFffd);  // a high surrogate at the end
}

TEST(Utf, DropsTheOddLastByteOfUtf16le) {
  const std::uint8_t odd[] = {'a', 0, 'b'};
  EXPECT_EQ(utf16le_to_utf8(odd), "a");
}

TEST(Utf, ReplacesEachInvalidUtf8ByteWithOneReplacementCharacter) {
  EXPECT_EQ(utf8_to_utf16("a\xFF"
                          "b"),
            (std::u16string{u'a', 0xFFFD, u'b'}));
  EXPECT_EQ(utf8_to_utf16("\xC3"), std::u16string(1, 0xFFFD));                       // cut short
  EXPECT_EQ(utf8_to_utf16("\xC0\xAF"), std::u16string(2, 0xFFFD));                   // overlong '/'
  EXPECT_EQ(utf8_to_utf16("\xED\xA0\x80"), std::u16string(3, 0xFFFD));               // an encoded surrogate
  EXPECT_EQ(utf8_to_utf16("\xF4\x90\x80\x80"), std::u16string(4, 0xFFFD));           // past U+10FFFF
  EXPECT_EQ(utf8_to_utf16("\xE2\x28\xA1"), (std::u16string{0xFFFD, u'(', 0xFFFD}));  // bad continuation
}

TEST(Utf, DecodesOneSequenceAtATime) {
  const Utf8Step euro = decode_utf8("x\xE2\x82\xAC", 1);
  EXPECT_TRUE(euro.valid);
  EXPECT_EQ(euro.code_point, U'\u20AC');
  EXPECT_EQ(euro.length, 3u);
  EXPECT_FALSE(decode_utf8("\x80", 0).valid);
}

TEST(Utf, AppendsReplacementForWhatIsNotAScalarValue) {
  std::string out;
  append_utf8(out, U'\u00E9');
  append_utf8(out, 0xD800);
  append_utf8(out, 0x110000);
  EXPECT_EQ(out, "\xC3\xA9" + kFffd + kFffd);
}

std::string text_bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out += static_cast<char>(v);
  return out;
}

TEST(Utf16Text, DecodesBothByteOrdersIntoUtf8) {
  EXPECT_EQ(utf16_text_to_utf8(text_bytes({'{', 0, '}', 0}), ByteOrder::LittleEndian).value(), "{}");
  EXPECT_EQ(utf16_text_to_utf8(text_bytes({0, '{', 0, '}'}), ByteOrder::BigEndian).value(), "{}");
  // é (U+00E9), € (U+20AC) and U+1F512 (a surrogate pair).
  EXPECT_EQ(
      utf16_text_to_utf8(text_bytes({0xe9, 0, 0xac, 0x20, 0x3d, 0xd8, 0x12, 0xdd}), ByteOrder::LittleEndian).value(),
      "\xc3\xa9\xe2\x82\xac\xf0\x9f\x94\x92");
  EXPECT_EQ(utf16_text_to_utf8("", ByteOrder::LittleEndian).value(), "");
}

TEST(Utf16Text, RefusesAnOddLengthAndLoneSurrogatesNamingTheOffset) {
  EXPECT_EQ(utf16_text_to_utf8(text_bytes({'{', 0, '}'}), ByteOrder::LittleEndian).error(),
            "UTF-16 text has an odd number of bytes (3): the file is cut short");
  EXPECT_EQ(utf16_text_to_utf8(text_bytes({'a', 0, 0x3d, 0xd8, 'b', 0}), ByteOrder::LittleEndian).error(),
            "invalid UTF-16 at byte 2: a high surrogate without a low one");
  EXPECT_EQ(utf16_text_to_utf8(text_bytes({0x3d, 0xd8}), ByteOrder::LittleEndian).error(),
            "invalid UTF-16 at byte 0: a high surrogate without a low one");
  EXPECT_EQ(utf16_text_to_utf8(text_bytes({0xdc, 0x00}), ByteOrder::BigEndian).error(),
            "invalid UTF-16 at byte 0: a low surrogate without a high one");
}

}  // namespace
}  // namespace smbaudit::utf
