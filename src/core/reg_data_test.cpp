#include "reg_data.h"

#include <gtest/gtest.h>

namespace smbaudit {
namespace {

std::vector<std::uint8_t> bytes(std::string_view s) {
  return {s.begin(), s.end()};
}

RegValue decode(RegTypeCode code, std::string_view data) {
  return decode_reg_value("x", static_cast<std::uint32_t>(code), bytes(data));
}

RegValue round_trip(const RegValue& v) {
  auto raw = encode_reg_value(v);
  EXPECT_TRUE(raw) << raw.error();
  return decode_reg_value(v.name, raw->type_code, bytes(raw->bytes));
}

TEST(RegData, EveryModelledTypeSurvivesEncodingAndDecoding) {
  const std::vector<RegValue> values{
      {"s", RegType::Sz, std::string("Grüße \xF0\x9F\x94\x92")},
      {"e", RegType::ExpandSz, std::string("%SystemRoot%\\x")},
      {"m", RegType::MultiSz, StringList{"Bowser", "MRxSmb20", "NSI"}},
      {"d", RegType::Dword, std::int64_t{0xFFFFFFFF}},
      {"q", RegType::Qword, std::int64_t{0x0123456789ABCDEF}},
      {"b", RegType::Binary, Bytes{0, 1, 0xFF}},
      {"o", RegType::Other, Bytes{7}},
  };
  for (const auto& v : values) {
    const RegValue back = round_trip(v);
    EXPECT_EQ(back.type, v.type) << v.name;
    EXPECT_EQ(back.data, v.data) << v.name;
  }
}

TEST(RegData, StringsEndAtTheirFirstNul) {
  EXPECT_EQ(decode(RegTypeCode::Sz, std::string("a\0b\0\0\0c\0", 8)).data, Value{std::string("ab")});
}

TEST(RegData, UnterminatedAndOddLengthStringsAreReadAsFarAsTheyGo) {
  EXPECT_EQ(decode(RegTypeCode::Sz, std::string("a\0b\0", 4)).data, Value{std::string("ab")});
  EXPECT_EQ(decode(RegTypeCode::ExpandSz, std::string("a\0b", 3)).data, Value{std::string("a")});
}

TEST(RegData, MultiStringEndsAtItsFirstEmptyStringOrTheData) {
  EXPECT_EQ(decode(RegTypeCode::MultiSz, std::string("a\0\0\0\0\0b\0", 8)).data, Value{StringList{"a"}});
  EXPECT_EQ(decode(RegTypeCode::MultiSz, std::string("a\0b\0", 4)).data, Value{StringList{"ab"}});
  EXPECT_EQ(decode(RegTypeCode::MultiSz, std::string("a\0\0\0b\0", 6)).data, (Value{StringList{"a", "b"}}));
  EXPECT_EQ(decode(RegTypeCode::MultiSz, "").data, Value{StringList{}});
}

TEST(RegData, DwordOfTheWrongLengthIsKeptAsOtherBytes) {
  for (std::string_view data :
       {std::string_view("\x01\x00", 2), std::string_view("\x01\x00\x00\x00\x00", 5), std::string_view()}) {
    const auto v = decode(RegTypeCode::Dword, data);
    EXPECT_EQ(v.type, RegType::Other) << data.size();
    EXPECT_EQ(v.data, Value{bytes(data)});
  }
  EXPECT_EQ(decode(RegTypeCode::Qword, std::string("\x01\x00\x00\x00", 4)).type, RegType::Other);
}

TEST(RegData, BigEndianDwordIsNotANumberWindowsReads) {
  const auto v = decode(RegTypeCode::DwordBigEndian, std::string("\x00\x00\x00\x01", 4));
  EXPECT_EQ(v.type, RegType::Other);
  EXPECT_EQ(v.data, (Value{Bytes{0, 0, 0, 1}}));
}

TEST(RegData, TypesFactsDoNotModelKeepTheirBytes) {
  for (auto code : {RegTypeCode::None, RegTypeCode::Link, RegTypeCode::ResourceList}) {
    const auto v = decode(code, "ab");
    EXPECT_EQ(v.type, RegType::Other);
    EXPECT_EQ(v.data, (Value{Bytes{'a', 'b'}}));
  }
  EXPECT_EQ(decode_reg_value("x", 0x12345678, bytes("z")).type, RegType::Other);
}

TEST(RegData, UnpairedSurrogateBecomesReplacementCharacter) {
  EXPECT_EQ(decode(RegTypeCode::Sz, std::string("\x00\xD8\x41\x00", 4)).data, Value{std::string("\xEF\xBF\xBD"
                                                                                                "A")});
}

TEST(RegData, DwordOutOfRangeCannotBeEncoded) {
  EXPECT_FALSE(encode_reg_value({"d", RegType::Dword, std::int64_t{-1}}));
  EXPECT_FALSE(encode_reg_value({"d", RegType::Dword, std::string("1")}));
}

TEST(RegData, StoredValueIsWhatTheRegistryWouldHandBack) {
  EXPECT_EQ(stored_reg_value({"s", RegType::Sz, std::string("a\0b", 3)}).data, Value{std::string("a")});
  EXPECT_EQ(stored_reg_value({"m", RegType::MultiSz, StringList{"a", "", "b"}}).data, Value{StringList{"a"}});
  EXPECT_EQ(stored_reg_value({"d", RegType::Dword, std::int64_t{5}}).data, Value{std::int64_t{5}});
  EXPECT_EQ(stored_reg_value({"bad", RegType::Dword, std::string("x")}).data, Value{std::string("x")});
}

}  // namespace
}  // namespace smbaudit
