// The hivex reader over fixture hives built at test time, and what it does with damaged ones.
#include <gtest/gtest.h>

#include "hive.h"
#include "hive_file.h"
#include "offline_source.h"
#include "smbaudit/limits.h"
#include "support/hive_builder.h"
#include "support/temp_dir.h"
#include "support/windows_images.h"

namespace smbaudit::offline {
namespace {

using test_support::dword;
using test_support::HiveSpec;
using test_support::multi_sz;
using test_support::read_file;
using test_support::sz;
using test_support::TempDir;

std::filesystem::path build(const TempDir& dir, const std::string& name, const HiveSpec& spec) {
  const auto path = dir.path() / name;
  auto failed = test_support::write_hive(spec, path);
  EXPECT_FALSE(failed) << *failed;
  return path;
}

std::unique_ptr<Hive> open(const std::filesystem::path& file) {
  auto checked = check_hive_file(file);
  EXPECT_TRUE(checked) << checked.error();
  auto hive = open_hive(file);
  EXPECT_TRUE(hive) << hive.error();
  return hive ? std::move(*hive) : nullptr;
}

std::uint32_t get32(const std::string& b, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 4; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}
void put32(std::string& b, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) b[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}
void reseal(std::string& b) {
  std::uint32_t sum = 0;
  for (std::size_t at = 0; at < 0x1FC; at += 4) sum ^= get32(b, at);
  put32(b, 0x1FC, sum);
}

// Offsets (from the first bin) of every nk cell named `name`, found by walking the cells.
std::vector<std::uint32_t> key_cells(const std::string& hive, std::string_view name) {
  std::vector<std::uint32_t> out;
  for (std::size_t bin = 0x1000; bin + 0x20 <= hive.size(); bin += get32(hive, bin + 8)) {
    if (hive.compare(bin, 4, "hbin") != 0 || get32(hive, bin + 8) == 0) break;
    for (std::size_t cell = bin + 0x20; cell < bin + get32(hive, bin + 8);) {
      const auto size = static_cast<std::int32_t>(get32(hive, cell));
      const std::size_t len = static_cast<std::size_t>(size < 0 ? -size : size);
      if (len == 0) break;
      if (size < 0 && hive.compare(cell + 4, 2, "nk") == 0) {
        const std::size_t name_len = static_cast<unsigned char>(hive[cell + 4 + 0x48]);
        if (hive.compare(cell + 4 + 0x4C, name_len, name) == 0)
          out.push_back(static_cast<std::uint32_t>(cell - 0x1000));
      }
      cell += len;
    }
  }
  return out;
}

TEST(HivexHive, ReadsEveryValueTypeAndTheDefaultValue) {
  TempDir dir;
  HiveSpec spec;
  spec.set("Key\\Sub", {sz("", "default"),
                        sz("Text", "Grüße"),
                        {"Path", RegType::ExpandSz, std::string("%windir%")},
                        multi_sz("List", {"a", "b"}),
                        dword("Number", 0x311),
                        {"Big", RegType::Qword, std::int64_t{1} << 40},
                        {"Blob", RegType::Binary, Bytes{1, 2, 3}}});
  auto hive = open(build(dir, "hive", spec));
  ASSERT_TRUE(hive);
  auto key = hive->read_key("Key\\Sub");
  ASSERT_TRUE(key) << key.error();
  ASSERT_TRUE(*key);
  std::map<std::string, Value> got;
  for (const auto& v : **key) got[v.name] = v.data;
  EXPECT_EQ(got[""], Value{std::string("default")});
  EXPECT_EQ(got["Text"], Value{std::string("Grüße")});
  EXPECT_EQ(got["Path"], Value{std::string("%windir%")});
  EXPECT_EQ(got["List"], (Value{StringList{"a", "b"}}));
  EXPECT_EQ(got["Number"], Value{std::int64_t{0x311}});
  EXPECT_EQ(got["Big"], Value{std::int64_t{1} << 40});
  EXPECT_EQ(got["Blob"], (Value{Bytes{1, 2, 3}}));
}

TEST(HivexHive, MatchesKeyNamesInAnyCaseAndTellsAbsentFromPresent) {
  TempDir dir;
  HiveSpec spec;
  spec.set("ControlSet001\\Services\\LanmanWorkstation\\Parameters", {dword("RequireSecuritySignature", 1)});
  spec.set("ControlSet001\\Services\\Empty");
  auto hive = open(build(dir, "hive", spec));
  ASSERT_TRUE(hive);
  auto key = hive->read_key("controlset001\\SERVICES\\lanmanworkstation\\parameters");
  ASSERT_TRUE(key && *key);
  EXPECT_EQ((**key).at(0).name, "RequireSecuritySignature");
  auto empty = hive->read_key("ControlSet001\\Services\\Empty");
  ASSERT_TRUE(empty && *empty) << "a key without values is present";
  EXPECT_TRUE((**empty).empty());
  auto absent = hive->read_key("ControlSet001\\Services\\mrxsmb10");
  ASSERT_TRUE(absent);
  EXPECT_FALSE(*absent);
  auto root = hive->read_key("");
  ASSERT_TRUE(root && *root);
}

TEST(HivexHive, ListsAKeysSubkeysByThePathReadKeyTakes) {
  TempDir dir;
  HiveSpec spec;
  spec.set("ControlSet001\\Services\\NetBT\\Parameters\\Interfaces\\Tcpip_{A}", {dword("NetbiosOptions", 2)});
  spec.set("ControlSet001\\Services\\NetBT\\Parameters\\Interfaces\\Tcpip_{B}\\Deeper");
  spec.set("ControlSet001\\Services\\Empty");
  auto hive = open(build(dir, "hive", spec));
  ASSERT_TRUE(hive);
  auto names = hive->subkeys("controlset001\\services\\NETBT\\parameters\\interfaces");
  ASSERT_TRUE(names && *names);
  EXPECT_EQ(**names, (std::vector<std::string>{"Tcpip_{A}", "Tcpip_{B}"})) << "direct subkeys only";
  auto none = hive->subkeys("ControlSet001\\Services\\Empty");
  ASSERT_TRUE(none && *none);
  EXPECT_TRUE((**none).empty());
  auto absent = hive->subkeys("ControlSet001\\Services\\Absent");
  ASSERT_TRUE(absent);
  EXPECT_FALSE(*absent);
}

TEST(HivexHive, TheEmptyBaseHiveOpensWithARootKeyOnly) {
  TempDir dir;
  auto hive = open(dir.write("empty", test_support::empty_hive_bytes()));
  ASSERT_TRUE(hive);
  EXPECT_TRUE(*hive->read_key(""));
  EXPECT_FALSE(*hive->read_key("Select"));
}

TEST(HivexHive, DeepKeysAreReadAndPathsDeeperThanTheLimitAreRefused) {
  TempDir dir;
  std::string deep = "K";
  for (int i = 1; i < 100; ++i) deep += "\\K";
  HiveSpec spec;
  spec.set(deep, {dword("Depth", 100)});
  auto hive = open(build(dir, "hive", spec));
  ASSERT_TRUE(hive);
  const std::string sixty = deep.substr(0, 60 * 2 - 1);
  auto ok = hive->read_key(sixty);
  ASSERT_TRUE(ok && *ok);
  auto refused = hive->read_key(deep);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), "key path deeper than 64 names");
}

TEST(HivexHive, AKeyWithMoreValuesThanTheLimitIsRefusedWithOneLineNamingFileAndKey) {
  TempDir dir;
  HiveSpec spec;
  spec.set("Select", {dword("Current", 1)});
  for (const char* key : {"ControlSet001\\Full", "ControlSet001\\Control\\ComputerName\\ComputerName"}) {
    const bool over = std::string_view(key).ends_with("ComputerName");
    auto& values = spec.keys[key];  // filled directly: set() looks for a same-named value each time
    for (std::size_t i = 0; i < limits::kMaxValuesPerKey + (over ? 1 : 0); ++i)
      values.push_back(dword("v" + std::to_string(i), 1));
  }
  const auto file = build(dir, "SYSTEM", spec);
  auto hive = open(file);
  ASSERT_TRUE(hive);
  auto full = hive->read_key("ControlSet001\\Full");
  ASSERT_TRUE(full && *full) << (full ? "" : full.error());
  EXPECT_EQ((*full)->size(), limits::kMaxValuesPerKey);
  auto over = hive->read_key("ControlSet001\\Control\\ComputerName\\ComputerName");
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error(), "more than 65536 values in one key");

  // Through the source, as `--system` reads it: host() reads that key first.
  SourceArgs options;
  options.set("--system", file.string());
  auto sources = open_offline_sources(options);
  ASSERT_TRUE(sources) << sources.error().message;
  auto host = sources->front()->host();
  ASSERT_FALSE(host);
  EXPECT_EQ(host.error().failure, CollectFailure::BadInput);
  EXPECT_EQ(host.error().message, file.string() +
                                      ": more than 65536 values in one key (reading key "
                                      "\\ControlSet001\\Control\\ComputerName\\ComputerName)");
}

TEST(HivexHive, AKeyListedAsItsOwnSubkeyDoesNotHang) {
  TempDir dir;
  HiveSpec spec;
  spec.set("A\\B", {dword("x", 1)});
  std::string bytes = read_file(build(dir, "hive", spec));
  const auto a = key_cells(bytes, "A"), b = key_cells(bytes, "B");
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  // Point A's subkey list entry at A itself: A\A\A... is now an endless chain.
  std::size_t patched = 0;
  for (std::size_t at = 0x1000; at + 4 <= bytes.size(); at += 4)
    if (get32(bytes, at) == b[0] && bytes.compare(at - 4, 1, "l") == 0) {
      put32(bytes, at, a[0]);
      ++patched;
    }
  ASSERT_EQ(patched, 1u) << "one lf/lh entry names B";
  auto hive = open(dir.write("cyclic", bytes));
  ASSERT_TRUE(hive);
  std::string path = "A";
  for (int i = 0; i < 200; ++i) path += "\\A";
  auto r = hive->read_key(path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "key path deeper than 64 names");
  EXPECT_FALSE(*hive->read_key("A\\B")) << "B is no longer reachable";
}

// Audits a damaged copy end to end as the command line does; only BadInput may fail it.
void expect_clean_outcome(const std::filesystem::path& system, const std::filesystem::path& software,
                          const FactPlan& plan, int& refused) {
  SourceArgs options;
  options.set("--system", system.string()).set("--software", software.string());
  auto sources = open_offline_sources(options);
  if (!sources) {
    EXPECT_EQ(sources.error().failure, CollectFailure::BadInput);
    EXPECT_EQ(sources.error().message.find('\n'), std::string::npos);
    EXPECT_EQ(sources.error().message.rfind(system.string(), 0), 0u) << sources.error().message;
    ++refused;
    return;
  }
  auto host = sources->front()->host();
  auto facts = host ? sources->front()->collect(plan) : Expected<FactSet, CollectError>(Unexpected(host.error()));
  if (!facts) {
    EXPECT_EQ(facts.error().failure, CollectFailure::BadInput);
    EXPECT_EQ(facts.error().message.rfind(system.string(), 0), 0u) << facts.error().message;
    ++refused;
  }
}

FactPlan plan_for(const HiveSpec& system) {
  FactPlan plan;
  for (const auto& [path, values] : system.keys) {
    plan.registry_keys.insert("HKLM\\SYSTEM\\" + path);
    plan.registry_subkeys.insert("HKLM\\SYSTEM\\" + path);  // damaged subkey lists too
    if (path.find("\\Services\\") != std::string::npos) plan.services.insert(path.substr(path.rfind('\\') + 1));
  }
  return plan;
}

TEST(HivexHive, EveryFlippedByteGivesAnAuditOrOneBadInputLineNeverACrash) {
  TempDir dir;
  const auto image = *test_support::windows_image("hardened-26100-enterprise");
  const auto system = build(dir, "SYSTEM", image.system);
  const auto software = build(dir, "SOFTWARE", image.software);
  const std::string good = read_file(system);
  const FactPlan plan = plan_for(image.system);
  int refused = 0, runs = 0;
  for (std::size_t at = 0; at < good.size(); at += 31, ++runs) {
    std::string bad = good;
    bad[at] = static_cast<char>(bad[at] ^ 0xA5);
    expect_clean_outcome(dir.write("flipped", bad), software, plan, refused);
  }
  EXPECT_GT(refused, runs / 20) << "damage to cells must be noticed, not read as absent keys";
}

TEST(HivexHive, BinsCutOffUnderAResealedHeaderAreBadInput) {
  TempDir dir;
  const auto image = *test_support::windows_image("hardened-26100-enterprise");
  const auto software = build(dir, "SOFTWARE", image.software);
  const std::string good = read_file(build(dir, "SYSTEM", image.system));
  const FactPlan plan = plan_for(image.system);
  int refused = 0;
  for (std::size_t size = 0x2000; size < good.size(); size += 0x1000) {
    std::string cut = good.substr(0, size);
    put32(cut, 0x28, static_cast<std::uint32_t>(size - 0x1000));
    reseal(cut);
    expect_clean_outcome(dir.write("cut", cut), software, plan, refused);
  }
  EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace smbaudit::offline
