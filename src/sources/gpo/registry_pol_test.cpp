#include "registry_pol.h"

#include <gtest/gtest.h>

#include "support/gpo_fixtures.h"

namespace smbaudit::gpo {
namespace {

using test_support::le32;
using test_support::PregBuilder;
using test_support::utf16;

constexpr const char* kKey = "Software\\Policies\\Microsoft\\Windows\\LanmanWorkstation";

std::string nul() {
  return std::string(2, '\0');
}

std::string error_of(std::string_view bytes) {
  auto parsed = parse_registry_pol(bytes);
  EXPECT_FALSE(parsed);
  return parsed ? std::string() : parsed.error();
}

PolInstruction only_instruction(const PregBuilder& b) {
  auto records = parse_registry_pol(b.bytes());
  EXPECT_TRUE(records) << records.error();
  EXPECT_EQ(records->size(), 1u);
  auto in = interpret(records->at(0));
  EXPECT_TRUE(in) << in.error();
  return *in;
}

TEST(RegistryPol, AFileWithOnlyItsHeaderHoldsNoRecords) {
  const auto records = parse_registry_pol(PregBuilder().bytes());
  ASSERT_TRUE(records) << records.error();
  EXPECT_TRUE(records->empty());
}

TEST(RegistryPol, ReadsRecordsWithTheirOffsetsKeysNamesTypesAndData) {
  PregBuilder b;
  b.dword(kKey, "AllowInsecureGuestAuth", 0);
  const std::size_t second = b.size();
  b.sz("Software\\Policies\\Microsoft\\Windows\\NetworkProvider\\HardenedPaths", "\\\\*\\SYSVOL",
       "RequireMutualAuthentication=1, RequireIntegrity=1");
  const auto records = parse_registry_pol(b.bytes());
  ASSERT_TRUE(records) << records.error();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].offset, 8u);
  EXPECT_EQ((*records)[0].key, kKey);
  EXPECT_EQ((*records)[0].value_name, "AllowInsecureGuestAuth");
  EXPECT_EQ((*records)[0].type, 4u);
  EXPECT_EQ((*records)[0].data, le32(0));
  EXPECT_EQ((*records)[1].offset, second);
  EXPECT_EQ((*records)[1].value_name, "\\\\*\\SYSVOL");
}

TEST(RegistryPol, DecodesEveryValueTypeThroughTheRegistryValueDecoder) {
  struct Case {
    std::uint32_t type;
    std::string data;
    RegType expected_type;
    Value expected;
  };
  const std::vector<Case> cases{
      {1, utf16("text") + nul(), RegType::Sz, std::string("text")},
      {2, utf16("%SystemRoot%") + nul(), RegType::ExpandSz, std::string("%SystemRoot%")},
      {3, std::string("\x01\x02", 2), RegType::Binary, Bytes{1, 2}},
      {4, le32(0x311), RegType::Dword, std::int64_t{0x311}},
      // A big-endian DWORD is not read as a number by the components audited (the one decoder
      // keeps its bytes, as every other source does).
      {5, std::string("\x00\x00\x03\x11", 4), RegType::Other, Bytes{0, 0, 3, 0x11}},
      {7, utf16("a") + nul() + utf16("b") + nul() + nul(), RegType::MultiSz, StringList{"a", "b"}},
      {11, le32(1) + le32(2), RegType::Qword, std::int64_t{0x200000001}},
      {0, std::string("\x07", 1), RegType::Other, Bytes{7}},
      {6, utf16("\\Registry\\Machine"), RegType::Other, Bytes{}},
      {8, std::string("\x09", 1), RegType::Other, Bytes{9}},
  };
  for (const auto& c : cases) {
    const auto in = only_instruction(PregBuilder().record(kKey, "V", c.type, c.data));
    EXPECT_EQ(in.op, PolOp::SetValue) << c.type;
    EXPECT_EQ(in.value.name, "V");
    EXPECT_EQ(in.value.type, c.expected_type) << c.type;
    if (c.type != 6) {
      EXPECT_EQ(in.value.data, c.expected) << c.type;
    }
  }
}

TEST(RegistryPol, InterpretsEverySpecialValueName) {
  auto in = only_instruction(PregBuilder().sz(kKey, "**del.RequireSecuritySignature", " "));
  EXPECT_EQ(in.op, PolOp::DeleteValue);
  EXPECT_EQ(in.value.name, "RequireSecuritySignature");
  EXPECT_EQ(only_instruction(PregBuilder().sz(kKey, "**Del.X", " ")).value.name, "X") << "matched in any case";

  EXPECT_EQ(only_instruction(PregBuilder().sz(kKey, "**delvals.", " ")).op, PolOp::DeleteAllValues);
  EXPECT_EQ(only_instruction(PregBuilder().sz(kKey, "**DelVals", " ")).op, PolOp::DeleteAllValues);

  in = only_instruction(PregBuilder().sz(kKey, "**DeleteValues", "A;B;;C;"));
  EXPECT_EQ(in.op, PolOp::DeleteValues);
  EXPECT_EQ(in.names, (std::vector<std::string>{"A", "B", "C"}));

  in = only_instruction(PregBuilder().sz(kKey, "**DeleteKeys ", "NoRun;Sub\\Deeper"));
  EXPECT_EQ(in.op, PolOp::DeleteKeys);
  EXPECT_EQ(in.names, (std::vector<std::string>{"NoRun", "Sub\\Deeper"}));

  in = only_instruction(PregBuilder().dword(kKey, "**SecureKey", 1));
  EXPECT_EQ(in.op, PolOp::SecureKey);
  EXPECT_TRUE(in.secure);
  EXPECT_FALSE(only_instruction(PregBuilder().dword(kKey, "**SecureKey", 0)).secure);

  in = only_instruction(PregBuilder().dword(kKey, "**soft.EnableSecuritySignature", 1));
  EXPECT_EQ(in.op, PolOp::SoftSetValue);
  EXPECT_EQ(in.value.name, "EnableSecuritySignature");
  EXPECT_EQ(in.value.data, Value{std::int64_t{1}});
}

TEST(RegistryPol, KeyOnlyRecordsCreateTheKey) {
  EXPECT_EQ(only_instruction(PregBuilder().record(kKey, "", 0, "")).op, PolOp::CreateKey);
  EXPECT_EQ(only_instruction(PregBuilder().record(kKey, "", 1, utf16("x") + nul())).op, PolOp::CreateKey);
  EXPECT_EQ(only_instruction(PregBuilder().record(kKey, "Name", 4, "")).op, PolOp::CreateKey)
      << "a record without data only creates its key";
}

TEST(RegistryPol, RefusesAFileThatIsNotPRegVersionOne) {
  EXPECT_EQ(error_of(""), "not a Registry.pol file: 0 bytes, shorter than its 8-byte header");
  EXPECT_EQ(error_of("PReg\x01"), "not a Registry.pol file: 5 bytes, shorter than its 8-byte header");
  EXPECT_EQ(error_of(PregBuilder("REGF").bytes()), "not a Registry.pol file (no 'PReg' signature)");
  EXPECT_EQ(error_of(PregBuilder("PReg", 2).bytes()), "unsupported Registry.pol version 2 (only version 1 exists)");
}

TEST(RegistryPol, EveryDamageGivesOneLineNamingTheRecordsOffset) {
  PregBuilder good;
  good.dword(kKey, "A", 1);
  const std::size_t at = good.size();
  const std::string prefix = good.bytes();
  const auto bad = [&](std::string_view tail) { return error_of(prefix + std::string(tail)); };
  const std::string start = "[" + std::string(1, '\0');
  const std::string semi = ";" + std::string(1, '\0');
  const std::string rec = start + utf16("K") + nul() + semi + utf16("N") + nul() + semi + le32(4) + semi;
  const std::string where = "record at byte " + std::to_string(at) + ": ";

  EXPECT_EQ(bad("x"), where + "the record is cut short ('[' expected at the start of a record)");
  EXPECT_EQ(bad(std::string("x\0", 2)), where + "'[' expected at the start of a record");
  EXPECT_EQ(bad(start + utf16("Software")), where + "the key has no NUL terminator before the end of the file");
  EXPECT_EQ(bad(start + utf16("K") + nul() + std::string("!\0", 2)), where + "';' expected after the key");
  EXPECT_EQ(bad(start + utf16("K") + nul() + semi + utf16("Name")),
            where + "the value name has no NUL terminator before the end of the file");
  EXPECT_EQ(bad(start + utf16("K") + nul() + semi + utf16("N") + nul() + semi + std::string("\x04\x00", 2)),
            where + "the record is cut short (in its type field)");
  EXPECT_EQ(bad(rec + "\x04"), where + "the record is cut short (in its size field)");
  EXPECT_EQ(bad(rec + le32(4096) + semi + le32(1)),
            where + "the data size 4096 runs past the end of the file (4 bytes left)");
  EXPECT_EQ(bad(rec + le32(0xFFFFFFFF) + semi),
            where + "the data size 4294967295 runs past the end of the file (0 bytes left)");
  EXPECT_EQ(bad(rec + le32(4) + semi + le32(1)), where + "the record is cut short (']' expected after the data)");
  EXPECT_EQ(bad(rec + le32(4) + semi + le32(1) + ")" + std::string(1, '\0')), where + "']' expected after the data");
  EXPECT_EQ(error_of(PregBuilder().record(kKey, "V", 12, le32(1)).bytes()),
            "record at byte 8: unknown value type 12 (REG_NONE..REG_QWORD are 0..11)");
  EXPECT_EQ(error_of(PregBuilder().dword("", "V", 1).bytes()), "record at byte 8: the key path is empty");
  EXPECT_EQ(error_of(PregBuilder().dword("Software\\\\Policies", "V", 1).bytes()),
            "record at byte 8: the key path 'Software\\\\Policies' has an empty component");
  EXPECT_EQ(error_of(PregBuilder().sz(kKey, "**del.", " ").bytes()), "record at byte 8: '**del.' without a value name");
  EXPECT_EQ(error_of(PregBuilder().sz(kKey, "**DeleteKeys", "a;\\b").bytes()),
            "record at byte 8: in '**DeleteKeys': the key path '\\b' has an empty component");
  EXPECT_EQ(error_of(PregBuilder().sz(kKey, "**Unknown.X", " ").bytes()),
            "record at byte 8: unknown control code in the value name '**Unknown.X'");
}

TEST(RegistryPol, WhatTheWriterWritesReadsBackAsTheSameRecords) {
  std::vector<PolRecord> records{
      {0, kKey, "AllowInsecureGuestAuth", 4, le32(0)},
      {0, "Software\\Policies\\Microsoft\\Windows NT\\DNSClient", "**del.EnableMulticast", 1, utf16(" ") + nul()},
      {0, kKey, "**delvals.", 1, utf16(" ") + nul()},
      {0, kKey, "**DeleteKeys", 1, utf16("A;B") + nul()},
      {0, kKey, "", 0, ""},
      {0, "Software\\Policies\\Grüße", "Wert \xF0\x9F\x94\x92", 7, utf16("x") + nul() + nul()},
      {0, kKey, "Q", 11, le32(1) + le32(0)},
  };
  const auto back = parse_registry_pol(write_registry_pol(records));
  ASSERT_TRUE(back) << back.error();
  ASSERT_EQ(back->size(), records.size());
  std::uint64_t expected_offset = 8;
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ((*back)[i].offset, expected_offset);
    records[i].offset = (*back)[i].offset;
    EXPECT_EQ((*back)[i], records[i]) << i;
    expected_offset += write_registry_pol({records[i]}).size() - 8;
  }
}

TEST(RegistryPol, WriterHelpersSetAndDeleteValuesAsTheReaderUnderstandsThem) {
  auto set = pol_set_value(kKey, RegValue{"RequireSecuritySignature", RegType::Dword, std::int64_t{1}});
  ASSERT_TRUE(set) << set.error();
  const auto records =
      parse_registry_pol(write_registry_pol({*set, pol_delete_value(kKey, "EnableSecuritySignature")}));
  ASSERT_TRUE(records) << records.error();
  auto first = interpret((*records)[0]);
  EXPECT_EQ(first->op, PolOp::SetValue);
  EXPECT_EQ(first->value.data, Value{std::int64_t{1}});
  auto second = interpret((*records)[1]);
  EXPECT_EQ(second->op, PolOp::DeleteValue);
  EXPECT_EQ(second->value.name, "EnableSecuritySignature");

  EXPECT_FALSE(pol_set_value(kKey, RegValue{"D", RegType::Dword, std::string("not a number")}));
}

}  // namespace
}  // namespace smbaudit::gpo
