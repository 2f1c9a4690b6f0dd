#include "reg_data.h"

#include <gtest/gtest.h>

namespace smbaudit::offline {
namespace {

std::vector<std::uint8_t> bytes(std::string_view s) {
  return {s.begin(), s.end()};
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
  };
  for (const auto& v : values) {
    const RegValue back = round_trip(v);
    EXPECT_EQ(back.type, v.type) << v.name;
    EXPECT_EQ(back.data, v.data) << v.name;
  }
}

TEST(RegData, StringsEndAtTheirFirstNul) {
  const auto v = decode_reg_value("x", 1, bytes(std::string("a\0b\0\0\0c\0", 8)));
  EXPECT_EQ(v.data, Value{std::string("ab")});
}

TEST(RegData, MultiStringWithoutTerminatorKeepsItsLastString) {
  const auto v = decode_reg_value("x", 7, bytes(std::string("a\0\0\0\0\0b\0", 8)));
  EXPECT_EQ(v.data, Value{StringList{"a"}}) << "an empty string ends the list";
  const auto w = decode_reg_value("x", 7, bytes(std::string("a\0b\0", 4)));
  EXPECT_EQ(w.data, Value{StringList{"ab"}});
}

TEST(RegData, DwordOfTheWrongLengthIsKeptAsOtherBytes) {
  const auto v = decode_reg_value("x", 4, bytes(std::string("\x01\x00", 2)));
  EXPECT_EQ(v.type, RegType::Other);
  EXPECT_EQ(v.data, (Value{Bytes{1, 0}}));
}

TEST(RegData, BigEndianDwordReadsAsDword) {
  const auto v = decode_reg_value("x", 5, bytes(std::string("\x00\x00\x03\x11", 4)));
  EXPECT_EQ(v.type, RegType::Dword);
  EXPECT_EQ(v.data, Value{std::int64_t{0x311}});
}

TEST(RegData, DwordOutOfRangeCannotBeEncoded) {
  EXPECT_FALSE(encode_reg_value({"d", RegType::Dword, std::int64_t{-1}}));
  EXPECT_FALSE(encode_reg_value({"d", RegType::Dword, std::string("1")}));
}

}  // namespace
}  // namespace smbaudit::offline
