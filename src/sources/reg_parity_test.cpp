// The same bytes give the same fact from every source: each raw value of
// tests/support/reg_value_cases.h goes through the snapshot reader, the hive reader (hivex,
// native builds) and the live reader (Windows and Wine), and each must give the table's fact.
// Windows' own hive reader (RegLoadAppKeyW) calls the same decoder but cannot run under Wine.
#include <gtest/gtest.h>

#include "smbaudit/snapshot.h"
#include "support/reg_value_cases.h"

#ifdef SMBAUDIT_HAVE_HIVEX
#include "offline/offline_source.h"
#include "support/hive_builder.h"
#include "support/temp_dir.h"
#endif
#ifdef _WIN32
#include <windows.h>

#include "live/registry.h"
#include "win/handles.h"
#endif

namespace smbaudit {
namespace {

using test_support::raw_value_cases;
using test_support::RawValueCase;

constexpr const char* kKey = "HKLM\\SOFTWARE\\smbaudit-parity";

// Every case's fact must be exactly the table's, value by value.
void expect_table_facts(const RegistryKeyFact& key, const char* source) {
  const auto cases = raw_value_cases();
  EXPECT_EQ(key.values.size(), cases.size()) << source;
  for (const RawValueCase& c : cases) {
    const RegValue* v = key.find(c.name);
    ASSERT_NE(v, nullptr) << source << ": " << c.name;
    EXPECT_EQ(v->name, c.name) << source;
    EXPECT_EQ(v->type, c.type) << source << ": " << c.name << " is " << to_string(v->type);
    EXPECT_EQ(v->data, c.data) << source << ": " << c.name << " reads " << describe(v->data);
  }
}

FactPlan plan() {
  FactPlan p;
  p.registry_keys.insert(kKey);
  return p;
}

// What `collect` writes and `audit --facts` reads back.
TEST(RegistryValueParity, TheSnapshotReaderGivesTheDecodersFacts) {
  RegistryKeyFact key{Presence::Present, {}, ""};
  for (const RawValueCase& c : raw_value_cases()) key.values.push_back(RegValue{c.name, c.type, c.data});
  FactSet facts;
  facts.registry.emplace(kKey, key);
  HostFacts host;
  host.name = "parity";
  auto source = parse_snapshot(write_snapshot(host, facts), "parity.json");
  ASSERT_TRUE(source) << source.error().message;
  auto collected = (*source)->collect(plan());
  ASSERT_TRUE(collected) << collected.error().message;
  auto read = collected->registry_key(kKey);
  ASSERT_TRUE(read) << read.error().message;
  expect_table_facts(*read, "snapshot");
}

#ifdef SMBAUDIT_HAVE_HIVEX
TEST(RegistryValueParity, TheHiveReaderGivesTheDecodersFacts) {
  test_support::TempDir dir;
  test_support::HiveSpec software;
  software.set("Microsoft\\Windows NT\\CurrentVersion", {test_support::sz("CurrentBuildNumber", "26100")});
  for (const RawValueCase& c : raw_value_cases()) software.set_raw("smbaudit-parity", {c.name, c.type_code, c.bytes});
  const auto path = dir.path() / "SOFTWARE";
  auto failed = test_support::write_hive(software, path);
  ASSERT_FALSE(failed) << *failed;

  auto file = offline::open_hive_file(offline::LocatedHive::file(path), offline::HiveRole::Software);
  ASSERT_TRUE(file) << file.error().message;
  offline::OfflineImage image;
  image.software = std::move(*file);
  auto source = offline::make_offline_source(std::move(image));
  ASSERT_TRUE(source) << source.error().message;
  auto collected = (*source)->collect(plan());
  ASSERT_TRUE(collected) << collected.error().message;
  auto read = collected->registry_key(kKey);
  ASSERT_TRUE(read) << read.error().message;
  expect_table_facts(*read, "hive");
}
#endif

#ifdef _WIN32
// A scratch key under HKCU stands in for HKLM: the reader is given HKCU as its root.
TEST(RegistryValueParity, TheLiveReaderGivesTheDecodersFacts) {
  const std::wstring subkey = L"Software\\smbaudit-parity-" + std::to_wstring(GetCurrentProcessId());
  win::UniqueHkey key;
  ASSERT_EQ(RegCreateKeyExW(HKEY_CURRENT_USER, subkey.c_str(), 0, nullptr, REG_OPTION_VOLATILE, KEY_ALL_ACCESS, nullptr,
                            key.put(), nullptr),
            ERROR_SUCCESS);
  for (const RawValueCase& c : raw_value_cases()) {
    const std::wstring name(c.name.begin(), c.name.end());  // the names are ASCII
    ASSERT_EQ(RegSetValueExW(key.get(), name.c_str(), 0, c.type_code, reinterpret_cast<const BYTE*>(c.bytes.data()),
                             static_cast<DWORD>(c.bytes.size())),
              ERROR_SUCCESS)
        << c.name;
  }
  live::RegistryReader reader(HKEY_CURRENT_USER);
  auto read = reader.read_key("HKLM\\Software\\smbaudit-parity-" + std::to_string(GetCurrentProcessId()));
  key.reset();
  RegDeleteTreeW(HKEY_CURRENT_USER, subkey.c_str());
  ASSERT_TRUE(read) << read.error().message;
  expect_table_facts(*read, "live");
}
#endif

}  // namespace
}  // namespace smbaudit
