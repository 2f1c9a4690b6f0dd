// The Group Policy layer: GPO folders written by the test support, read from disk, layered
// over a snapshot, then read back as facts.
#include "gpo_layer.h"

#include <gtest/gtest.h>

#include "smbaudit/snapshot.h"
#include "support/gpo_fixtures.h"
#include "support/temp_dir.h"

namespace smbaudit::gpo {
namespace {

using test_support::GpoFiles;
using test_support::GppItem;
using test_support::gpttmpl_with_preamble;
using test_support::PregBuilder;

constexpr const char* kServer = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters";
constexpr const char* kServerPol = "SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters";
const WmiClassRef kSmbServer{"root\\Microsoft\\Windows\\SMB", "MSFT_SmbServerConfiguration"};
const WmiClassRef kUpdates{"root\\cimv2", "Win32_QuickFixEngineering"};

std::unique_ptr<FactSource> base() {
  auto source = parse_snapshot(R"({
    "schema": "smbaudit-facts/1",
    "host": {"name": "WS01", "os_build": 26100, "role": "workstation"},
    "registry": {
      "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters": {"values": {
        "RequireSecuritySignature": {"type": "REG_DWORD", "data": 0},
        "EnableSecuritySignature": {"type": "REG_DWORD", "data": 1}}}
    },
    "services": {"WebClient": {"present": true, "start_type": "manual"}},
    "wmi": {
      "root\\Microsoft\\Windows\\SMB": {"classes": {"MSFT_SmbServerConfiguration": [{"RequireSecuritySignature": false}]}},
      "root\\cimv2": {"classes": {"Win32_QuickFixEngineering": [{"HotFixID": "KB5044284"}]}}
    },
    "account_policy": {"min_password_length": 0}
  })",
                               "base.json");
  EXPECT_TRUE(source) << source.error().message;
  return std::move(*source);
}

FactPlan plan() {
  FactPlan p;
  p.registry_keys.insert(kServer);
  p.services.insert("WebClient");
  p.wmi_classes.insert(kSmbServer);
  p.wmi_classes.insert(kUpdates);
  p.account_policy = true;
  return p;
}

FactSet collect(const std::vector<GpoFiles>& gpos) {
  test_support::TempDir dir;
  std::vector<std::filesystem::path> folders;
  for (const auto& g : gpos) folders.push_back(test_support::write_sysvol_gpo(dir.path(), g));
  auto layer = open_gpo_layer(folders);
  EXPECT_TRUE(layer) << layer.error();
  auto source = layer_sources(base(), {*layer});
  auto facts = source->collect(plan());
  EXPECT_TRUE(facts) << facts.error().message;
  return *facts;
}

TEST(GpoLayer, SecurityTemplateSettingsReachTheHostAndNameTheirGpo) {
  GpoFiles g;
  g.display_name = "Baseline";
  g.gpttmpl = gpttmpl_with_preamble(
      "[System Access]\nMinimumPasswordLength = 14\n"
      "[Service General Setting]\n\"WebClient\",4,\"\"\n"
      "[Registry Values]\n"
      "MACHINE\\System\\CurrentControlSet\\Services\\LanmanServer\\Parameters\\RequireSecuritySignature=4,1\n");
  const FactSet facts = collect({g});
  const auto key = facts.registry_key(kServer);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->find("RequireSecuritySignature")->data, Value{std::int64_t{1}});
  EXPECT_EQ(key->find("EnableSecuritySignature")->data, Value{std::int64_t{1}}) << "the host's own value stays";
  const LayerNote* note = key->decided_by("RequireSecuritySignature");
  ASSERT_NE(note, nullptr);
  EXPECT_EQ(note->origin.layer, "GPO 'Baseline' {31B2F340-016D-11D2-945F-00C04FB984F9}");
  EXPECT_NE(note->origin.location.find("GptTmpl.inf line "), std::string::npos) << note->origin.location;
  const auto web = facts.service("WebClient");
  ASSERT_TRUE(web);
  EXPECT_EQ(web->start_type, StartType::Disabled);
  const auto account = facts.account_policy_fact();
  ASSERT_TRUE(account);
  EXPECT_EQ(account->min_password_length, 14);
  // The effective SMB configuration was read before the policy: no longer trusted. Updates stay.
  const auto smb = facts.wmi_class(kSmbServer);
  ASSERT_FALSE(smb);
  EXPECT_EQ(smb.error().problem, FactProblem::Unknown);
  EXPECT_TRUE(facts.wmi_class(kUpdates));
}

TEST(GpoLayer, WritesIntoEverySubkeyOfAListedKeyItNamesAndAddsTheOnesItCreates) {
  const std::string interfaces = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces";
  auto base = parse_snapshot(R"({"schema": "smbaudit-facts/1", "host": {"name": "WS01", "os_build": 26100},
    "registry": {
      "HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces":
        {"values": {}, "subkeys": ["Tcpip_{A}", "Tcpip_{B}"]},
      "HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces\\Tcpip_{A}":
        {"values": {"NetbiosOptions": {"type": "REG_DWORD", "data": 0}}},
      "HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces\\Tcpip_{B}": {"values": {}}}})",
                             "base.json");
  ASSERT_TRUE(base) << base.error().message;
  GpoFiles g;
  g.display_name = "NetBIOS off";
  const std::string pol = "SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces\\";
  g.registry_pol = PregBuilder()
                       .dword(pol + "Tcpip_{A}", "NetbiosOptions", 2)
                       .dword(pol + "Tcpip_{C}", "NetbiosOptions", 2)
                       .dword(pol + "Tcpip_{D}\\Deeper", "Other", 1)
                       .bytes();
  test_support::TempDir dir;
  auto layer = open_gpo_layer({test_support::write_sysvol_gpo(dir.path(), g)});
  ASSERT_TRUE(layer) << layer.error();
  FactPlan p;
  p.registry_keys = {interfaces};
  p.registry_subkeys = {interfaces};
  auto facts = layer_sources(std::move(*base), {*layer})->collect(p);
  ASSERT_TRUE(facts) << facts.error().message;
  auto key = facts->registry_key(interfaces);
  ASSERT_TRUE(key && key->subkeys);
  EXPECT_EQ(*key->subkeys, (std::vector<std::string>{"Tcpip_{A}", "Tcpip_{B}", "Tcpip_{C}", "Tcpip_{D}"}));
  auto a = facts->registry_key(interfaces + "\\Tcpip_{A}");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->find("NetbiosOptions")->data, Value{std::int64_t{2}}) << "the policy wins over the host's 0";
  ASSERT_NE(a->decided_by("NetbiosOptions"), nullptr);
  EXPECT_NE(a->decided_by("NetbiosOptions")->origin.layer.find("NetBIOS off"), std::string::npos);
  auto b = facts->registry_key(interfaces + "\\Tcpip_{B}");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->find("NetbiosOptions"), nullptr) << "a subkey the policy does not name keeps the host's values";
  auto c = facts->registry_key(interfaces + "\\Tcpip_{C}");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->find("NetbiosOptions")->data, Value{std::int64_t{2}});
  auto d = facts->registry_key(interfaces + "\\Tcpip_{D}");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->presence, Presence::Present) << "a key written below a subkey creates it";
  EXPECT_EQ(d->find("NetbiosOptions"), nullptr);
}

TEST(GpoLayer, AValueTwoExtensionsLeaveDifferentlyIsUnknown) {
  GpoFiles g;
  g.registry_pol = PregBuilder().dword(kServerPol, "RequireSecuritySignature", 1).bytes();
  g.registry_xml = test_support::registry_xml(
      {GppItem{"U", "HKEY_LOCAL_MACHINE", kServerPol, "RequireSecuritySignature", false, "REG_DWORD", "00000000"}});
  const FactSet facts = collect({g});
  const auto key = facts.registry_key(kServer);
  ASSERT_TRUE(key);
  const auto value = key->value("RequireSecuritySignature");
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().problem, FactProblem::Unknown);
  EXPECT_NE(value.error().message.find("contested"), std::string::npos) << value.error().message;
}

TEST(GpoLayer, AnItemThatMayNotApplyMakesTheValueUnknown) {
  GpoFiles g;
  GppItem item{"U", "HKEY_LOCAL_MACHINE", kServerPol, "RequireSecuritySignature", false, "REG_DWORD", "00000001"};
  item.filters = R"(<FilterComputer bool="AND" not="0" type="NETBIOS" name="WS01"/>)";
  g.registry_xml = test_support::registry_xml({item});
  const FactSet facts = collect({g});
  // The item may create the key too, so the model leaves the key's presence in doubt and the
  // whole key reads as unknown (coarser than the value alone, never a pass or a fail).
  const auto key = facts.registry_key(kServer);
  if (key) {
    ASSERT_FALSE(key->value("RequireSecuritySignature")) << "a targeted item can make neither a pass nor a fail";
  }
  const FactError why = key ? key->value("RequireSecuritySignature").error() : key.error();
  EXPECT_EQ(why.problem, FactProblem::Unknown);
  EXPECT_NE(why.message.find("may not apply"), std::string::npos) << why.message;
}

TEST(GpoLayer, AFolderThatIsNotAGpoIsOneLineNamingIt) {
  test_support::TempDir dir;
  auto layer = open_gpo_layer({dir.path() / "missing"});
  ASSERT_FALSE(layer);
  EXPECT_NE(layer.error().find("missing: no such folder"), std::string::npos) << layer.error();
}

}  // namespace
}  // namespace smbaudit::gpo
