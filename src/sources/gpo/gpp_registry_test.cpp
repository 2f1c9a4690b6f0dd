#include "gpp_registry.h"

#include <gtest/gtest.h>

#include "support/gpo_fixtures.h"

namespace smbaudit::gpo {
namespace {

using test_support::GppCollection;
using test_support::GppItem;
using test_support::registry_xml;

constexpr const char* kServer = "SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters";

GppRegistryFile parsed(const std::vector<GppItem>& items, const std::vector<GppCollection>& collections = {}) {
  auto file = parse_gpp_registry(registry_xml(items, collections));
  EXPECT_TRUE(file) << file.error();
  return file ? *file : GppRegistryFile{};
}

std::string error_of(std::string_view xml) {
  auto file = parse_gpp_registry(xml);
  EXPECT_FALSE(file);
  return file ? std::string() : file.error();
}

// A Registry.xml with one item whose <Properties> attributes are `props`.
std::string one(std::string_view props, std::string_view inner = "") {
  return "<RegistrySettings><Registry name=\"x\"><Properties hive=\"HKEY_LOCAL_MACHINE\" key=\"Software\\X\" " +
         std::string(props) + (inner.empty() ? "/>" : ">" + std::string(inner) + "</Properties>") +
         "</Registry></RegistrySettings>";
}

TEST(GppRegistry, ReadsEachActionOnValuesAndKeys) {
  const auto file = parsed({
      {.action = "U", .key = kServer, .name = "EncryptData", .value = "00000001"},
      {.action = "C", .key = kServer, .name = "AuditSmb1Access", .value = "00000001"},
      {.action = "R", .key = kServer, .name = "RejectUnencryptedAccess", .value = "00000001"},
      {.action = "D", .key = kServer, .name = "SMB1", .type = "", .value = ""},
      {.action = "D", .key = "Software\\Old", .name = ""},
      {.action = "R", .key = "Software\\Fresh", .name = ""},
  });
  ASSERT_EQ(file.items.size(), 6u);
  const auto& u = file.items[0];
  EXPECT_EQ(u.action, GppAction::Update);
  EXPECT_TRUE(u.machine);
  EXPECT_EQ(u.key, kServer);
  EXPECT_FALSE(u.key_item);
  EXPECT_EQ(u.value.name, "EncryptData");
  EXPECT_EQ(u.value.type, RegType::Dword);
  EXPECT_EQ(u.value.data, Value{std::int64_t{1}});
  EXPECT_EQ(u.item_name, "EncryptData");
  EXPECT_EQ(u.line, 3);
  EXPECT_EQ(file.items[1].action, GppAction::Create);
  EXPECT_EQ(file.items[2].action, GppAction::Replace);
  EXPECT_EQ(file.items[3].action, GppAction::Delete);
  EXPECT_FALSE(file.items[3].key_item);
  EXPECT_TRUE(file.items[4].key_item);
  EXPECT_EQ(file.items[4].action, GppAction::Delete);
  EXPECT_TRUE(file.items[5].key_item);
  EXPECT_EQ(to_string(file.items[5].action), "R");
}

TEST(GppRegistry, DecodesEveryValueTypeTheEditorWrites) {
  const auto file = parsed({
      {.key = "Software\\X", .name = "S", .type = "REG_SZ", .value = "a & b"},
      {.key = "Software\\X", .name = "E", .type = "REG_EXPAND_SZ", .value = "%SystemRoot%"},
      {.key = "Software\\X", .name = "D", .type = "REG_DWORD", .value = "0000002a"},
      {.key = "Software\\X", .name = "Q", .type = "REG_QWORD", .value = "0000000100000000"},
      {.key = "Software\\X", .name = "B", .type = "REG_BINARY", .value = "00 0f ff"},
      {.key = "Software\\X",
       .name = "M",
       .type = "REG_MULTI_SZ",
       .value = "Bowser MRxSmb20 NSI",
       .values = {"Bowser", "MRxSmb20", "NSI"}},
      {.key = "Software\\X", .name = "", .is_default = true, .type = "REG_SZ", .value = "default"},
  });
  ASSERT_EQ(file.items.size(), 7u);
  EXPECT_EQ(file.items[0].value.data, Value{std::string("a & b")});
  EXPECT_EQ(file.items[1].value.type, RegType::ExpandSz);
  EXPECT_EQ(file.items[2].value.data, Value{std::int64_t{42}}) << "hex, whatever displayDecimal says";
  EXPECT_EQ(file.items[3].value.type, RegType::Qword);
  EXPECT_EQ(file.items[3].value.data, Value{std::int64_t{0x100000000}});
  EXPECT_EQ(file.items[4].value.data, (Value{Bytes{0, 0x0F, 0xFF}}));
  EXPECT_EQ(file.items[5].value.data, (Value{StringList{"Bowser", "MRxSmb20", "NSI"}}));
  EXPECT_EQ(file.items[6].value.name, "");
  EXPECT_FALSE(file.items[6].key_item) << "the default value is a value, not the key";
}

TEST(GppRegistry, MarksDisabledAndTargetedItemsIncludingThroughCollections) {
  const auto file = parsed(
      {
          {.key = "Software\\X", .name = "A", .value = "00000001", .disabled = true},
          {.key = "Software\\X", .name = "B", .value = "00000001", .filters = "<FilterOs bool=\"AND\" not=\"0\"/>"},
          {.key = "Software\\X", .name = "C", .value = "00000001"},
          {.key = "Software\\X", .name = "D", .value = "00000001"},
          {.key = "Software\\X", .name = "E", .value = "00000001"},
      },
      {{.first = 2, .last = 3, .disabled = true},
       {.first = 3, .last = 4, .filters = "<FilterGroup bool=\"AND\" not=\"0\" name=\"X\"/>"}});
  ASSERT_EQ(file.items.size(), 5u);
  EXPECT_TRUE(file.items[0].disabled);
  EXPECT_FALSE(file.items[0].filtered);
  EXPECT_TRUE(file.items[1].filtered);
  EXPECT_EQ(file.items[1].filters, "FilterOs");
  EXPECT_TRUE(file.items[2].disabled) << "inside a disabled collection";
  EXPECT_TRUE(file.items[3].filtered) << "inside a targeted collection";
  EXPECT_EQ(file.items[3].filters, "FilterGroup");
  EXPECT_FALSE(file.items[4].disabled);
  EXPECT_FALSE(file.items[4].filtered);
}

TEST(GppRegistry, ResolvesHiveAliasesAndMarksOtherHivesAsNotMachine) {
  const auto file = parsed({
      {.hive = "HKEY_CLASSES_ROOT", .key = "CLSID\\{X}", .name = "A", .value = "00000001"},
      {.hive = "HKEY_CURRENT_USER", .key = "Software\\X", .name = "A", .value = "00000001"},
      {.hive = "hkey_local_machine", .key = "Software\\X", .name = "A", .value = "00000001"},
  });
  ASSERT_EQ(file.items.size(), 3u);
  EXPECT_TRUE(file.items[0].machine);
  EXPECT_EQ(file.items[0].key, "Software\\Classes\\CLSID\\{X}");
  EXPECT_FALSE(file.items[1].machine);
  EXPECT_TRUE(file.items[2].machine);
}

TEST(GppRegistry, RefusesWhatItCannotReadWithTheLine) {
  EXPECT_EQ(error_of("<Other/>"), "line 1: the root element is <Other>, not <RegistrySettings>");
  EXPECT_EQ(error_of("<RegistrySettings><Shortcut/></RegistrySettings>"),
            "line 1: <Shortcut> where a <Registry> item or a <Collection> was expected");
  EXPECT_EQ(error_of("<RegistrySettings>\n<Registry/></RegistrySettings>"),
            "line 2: a <Registry> item without <Properties>");
  EXPECT_EQ(error_of(one("action=\"X\" name=\"A\" type=\"REG_DWORD\" value=\"1\"")),
            "line 1: the action 'X' is not C, R, U or D");
  EXPECT_EQ(error_of("<RegistrySettings><Registry><Properties key=\"K\"/></Registry></RegistrySettings>"),
            "line 1: an item without a hive");
  EXPECT_EQ(error_of("<RegistrySettings><Registry><Properties hive=\"HKLM\" key=\"K\"/></Registry></RegistrySettings>"),
            "line 1: the hive 'HKLM' is not a registry root");
  EXPECT_EQ(
      error_of("<RegistrySettings><Registry><Properties hive=\"HKEY_LOCAL_MACHINE\"/></Registry></RegistrySettings>"),
      "line 1: an item without a key");
  EXPECT_EQ(error_of("<RegistrySettings><Registry><Properties hive=\"HKEY_LOCAL_MACHINE\" key=\"\"/></Registry>"
                     "</RegistrySettings>"),
            "line 1: the key path is empty");
  EXPECT_EQ(error_of(one("name=\"A\" value=\"1\"")), "line 1: a value item without a type");
  EXPECT_EQ(error_of(one("name=\"A\" type=\"REG_DWORD\" value=\"123456789\"")),
            "line 1: the REG_DWORD value '123456789' is not 1 to 8 hex digits");
  EXPECT_EQ(error_of(one("name=\"A\" type=\"REG_DWORD\" value=\"\"")),
            "line 1: the REG_DWORD value '' is not 1 to 8 hex digits");
  EXPECT_EQ(error_of(one("name=\"A\" type=\"REG_QWORD\" value=\"xyz\"")),
            "line 1: the REG_QWORD value 'xyz' is not 1 to 16 hex digits");
  EXPECT_EQ(error_of(one("name=\"A\" type=\"REG_BINARY\" value=\"0f0\"")),
            "line 1: the REG_BINARY value '0f0' is not hex bytes");
  EXPECT_EQ(error_of(one("name=\"A\" type=\"REG_MULTI_SZ\" value=\"a b\"")),
            "line 1: a REG_MULTI_SZ item without its <Values> list");
  EXPECT_EQ(error_of(one("name=\"A\" type=\"REG_MULTI_SZ\" value=\"a\"", "<Values><Other/></Values>")),
            "line 1: <Other> inside <Values>");
  EXPECT_EQ(error_of(one("name=\"A\" type=\"REG_LINK\" value=\"x\"")),
            "line 1: the value type 'REG_LINK' is not one Group Policy Preferences writes");
  EXPECT_EQ(error_of("<RegistrySettings>"), "line 1: <RegistrySettings> is not closed");
}

}  // namespace
}  // namespace smbaudit::gpo
