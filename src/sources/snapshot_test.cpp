#include "smbaudit/snapshot.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "smbaudit/limits.h"

namespace smbaudit {
namespace {

const char* kFacts = R"J({
  "schema": "smbaudit-facts/1",
  "host": {"name": "WS01", "os_build": 26100, "ubr": 2314, "edition": "Enterprise", "role": "workstation",
           "domain_joined": true, "elevated": true},
  "registry": {
    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters": {
      "values": {"SMB1": {"type": "REG_DWORD", "data": 0},
                 "NullSessionPipes": {"type": "REG_MULTI_SZ", "data": ["a", "b"]},
                 "Blob": {"type": "REG_BINARY", "data": "00ff"}}},
    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\mrxsmb10": {"present": false},
    "HKLM\\SOFTWARE\\Policies\\Denied": {"error": {"kind": "error", "message": "access denied (5)"}}
  },
  "services": {"WebClient": {"present": true, "start_type": "manual", "state": "running"}},
  "wmi": {
    "root\\Microsoft\\Windows\\SMB": {"error": {"kind": "unknown", "message": "0x8004100e"}},
    "root\\cimv2": {"classes": {"Win32_OperatingSystem": [{"BuildNumber": "26100"}]}}
  }
})J";

FactPlan full_plan() {
  FactPlan plan;
  plan.registry_keys = {"HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters",
                        "HKLM\\SYSTEM\\CurrentControlSet\\Services\\mrxsmb10", "HKLM\\SOFTWARE\\Policies\\Denied",
                        "HKLM\\SOFTWARE\\NotRecorded"};
  plan.services = {"WebClient", "Spooler"};
  plan.wmi_classes = {WmiClassRef{"root\\Microsoft\\Windows\\SMB", "MSFT_SmbServerConfiguration"},
                      WmiClassRef{"root\\cimv2", "Win32_OperatingSystem"}};
  return plan;
}

TEST(Snapshot, ReadsHostFactsAndEveryFactKind) {
  auto source = parse_snapshot(kFacts, "facts.json");
  ASSERT_TRUE(source) << source.error().message;
  auto host = (*source)->host();
  ASSERT_TRUE(host);
  EXPECT_EQ(host->build, 26100);
  EXPECT_EQ(host->role, Role::Workstation);
  EXPECT_EQ(host->membership, Membership::Domain);
  auto facts = (*source)->collect(full_plan());
  ASSERT_TRUE(facts);
  auto params = facts->registry_key("HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters");
  ASSERT_TRUE(params);
  EXPECT_EQ(params->find("smb1")->data, Value{std::int64_t{0}});
  EXPECT_EQ(params->find("NullSessionPipes")->data, (Value{StringList{"a", "b"}}));
  EXPECT_EQ(params->find("Blob")->data, (Value{Bytes{0x00, 0xff}}));
  EXPECT_EQ(facts->registry_key("HKLM\\SYSTEM\\CurrentControlSet\\Services\\mrxsmb10")->presence, Presence::Absent);
  EXPECT_EQ(facts->registry_key("HKLM\\SOFTWARE\\Policies\\Denied").error().problem, FactProblem::Error);
  EXPECT_EQ(facts->service("WebClient")->state, ServiceState::Running);
}

TEST(Snapshot, FactsNotRecordedAreUnknownNotAbsent) {
  auto source = parse_snapshot(kFacts, "facts.json");
  ASSERT_TRUE(source);
  auto facts = (*source)->collect(full_plan());
  ASSERT_TRUE(facts);
  auto missing = facts->registry_key("HKLM\\SOFTWARE\\NotRecorded");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().problem, FactProblem::Unknown);
  EXPECT_EQ(facts->service("Spooler").error().problem, FactProblem::Unknown);
}

TEST(Snapshot, MissingNamespaceMakesEveryClassInItUnknown) {
  auto source = parse_snapshot(kFacts, "facts.json");
  ASSERT_TRUE(source);
  auto facts = (*source)->collect(full_plan());
  auto smb = facts->wmi_class(WmiClassRef{"root\\Microsoft\\Windows\\SMB", "MSFT_SmbServerConfiguration"});
  ASSERT_FALSE(smb);
  EXPECT_EQ(smb.error().problem, FactProblem::Unknown);
  EXPECT_NE(smb.error().message.find("0x8004100e"), std::string::npos);
  EXPECT_TRUE(facts->wmi_class(WmiClassRef{"root\\cimv2", "Win32_OperatingSystem"}));
}

TEST(Snapshot, RoundTripsThroughTheWriter) {
  auto source = parse_snapshot(kFacts, "facts.json");
  ASSERT_TRUE(source);
  auto facts = (*source)->collect(full_plan());
  const std::string written = write_snapshot(*(*source)->host(), *facts);
  auto again = parse_snapshot(written, "again.json");
  ASSERT_TRUE(again) << again.error().message;
  auto facts2 = (*again)->collect(full_plan());
  EXPECT_EQ(write_snapshot(*(*again)->host(), *facts2), written);
}

TEST(Snapshot, KeepsWhyAHostPropertyIsUnknown) {
  const std::string text = R"J({"schema": "smbaudit-facts/1",
    "host": {"name": "WS02", "unknown_reasons": {"domain_joined": "DsRoleGetPrimaryDomainInformation: Access is denied (5)"}}})J";
  auto source = parse_snapshot(text, "facts.json");
  ASSERT_TRUE(source) << source.error().message;
  auto host = (*source)->host();
  ASSERT_TRUE(host);
  EXPECT_EQ(host->membership, std::nullopt);
  EXPECT_EQ(host->unknown_reasons.at("domain_joined"), "DsRoleGetPrimaryDomainInformation: Access is denied (5)");
  auto again = parse_snapshot(write_snapshot(*host, FactSet{}), "again.json");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ((*again)->host()->unknown_reasons, host->unknown_reasons);
}

TEST(Snapshot, ReadsAValueAsTheRegistryWouldHandItBack) {
  // A string ends at its first NUL and a list at its first empty string, live and offline.
  const std::string text = R"J({"schema": "smbaudit-facts/1", "host": {"name": "WS03"},
    "registry": {"HKLM\\SYSTEM\\X": {"values": {
      "S": {"type": "REG_SZ", "data": "a\u0000b"},
      "M": {"type": "REG_MULTI_SZ", "data": ["a", "", "b"]}}}}})J";
  auto source = parse_snapshot(text, "facts.json");
  ASSERT_TRUE(source) << source.error().message;
  FactPlan plan;
  plan.registry_keys.insert("HKLM\\SYSTEM\\X");
  auto facts = (*source)->collect(plan);
  ASSERT_TRUE(facts);
  auto key = facts->registry_key("HKLM\\SYSTEM\\X");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->find("S")->data, Value{std::string("a")});
  EXPECT_EQ(key->find("M")->data, Value{StringList{"a"}});
}

std::string error_of(const std::string& text) {
  auto source = parse_snapshot(text, "f.json");
  return source ? "" : source.error().message;
}

TEST(Snapshot, BadInputNamesTheFileAndPointer) {
  EXPECT_EQ(error_of("[]"), "f.json: expected an object, got array");
  EXPECT_NE(error_of("{").find("f.json: not valid JSON"), std::string::npos);
  EXPECT_EQ(error_of(R"J({"schema": "smbaudit-facts/2", "host": {"name": "x"}})J"),
            "f.json: at /schema: unsupported schema 'smbaudit-facts/2' (this version reads 'smbaudit-facts/1')");
  EXPECT_EQ(error_of(R"J({"schema": "smbaudit-facts/1", "host": {"name": "x", "os_build": "26100"}})J"),
            "f.json: at /host/os_build: expected an integer, got string");
  EXPECT_EQ(
      error_of(R"J({"schema": "smbaudit-facts/1", "host": {"name": "x", "unknown_reasons": {"shoe_size": "?"}}})J"),
      "f.json: at /host/unknown_reasons/shoe_size: unknown field 'shoe_size'");
  EXPECT_EQ(error_of(R"J({"schema": "smbaudit-facts/1", "host": {"name": "x"},
      "registry": {"HKLM\\SYSTEM\\X": {"values": {"A": {"type": "REG_DWORD", "data": "1"}}}}})J"),
            "f.json: at /registry/HKLM\\SYSTEM\\X/values/A/data: data does not fit type REG_DWORD (got string)");
  EXPECT_EQ(error_of(R"J({"schema": "smbaudit-facts/1", "host": {"name": "x"}, "registry": {"HKCU\\X": {}}})J"),
            "f.json: at /registry/HKCU\\X: registry path must start with HKLM\\ (only HKEY_LOCAL_MACHINE is "
            "audited): HKCU\\X");
}

// A value nested 100,000 deep used to overflow the stack when the reader copied it.
TEST(Snapshot, DeepNestingIsRefusedBeforeParsing) {
  const std::string deep = R"J({"schema": "smbaudit-facts/1", "host": {"name": "x"},
      "registry": {"HKLM\\SYSTEM\\X": {"present": )J" +
                           std::string(100'000, '[') + std::string(100'000, ']') + "}}}";
  EXPECT_EQ(error_of(deep).rfind("f.json: JSON nests deeper than 64 levels", 0), 0u) << error_of(deep);
}

TEST(Snapshot, CapsValuesPerKeyAndInstancesPerClass) {
  std::string values;
  for (std::size_t i = 0; i <= limits::kMaxValuesPerKey; ++i)
    values += fmt::format("{}\"v{}\": {{\"type\": \"REG_DWORD\", \"data\": 1}}", i ? "," : "", i);
  EXPECT_EQ(
      error_of(
          R"J({"schema": "smbaudit-facts/1", "host": {"name": "x"}, "registry": {"HKLM\\SYSTEM\\X": {"values": {)J" +
          values + "}}}}"),
      "f.json: at /registry/HKLM\\SYSTEM\\X/values: more than 65536 values in one key");
  std::string instances;
  for (std::size_t i = 0; i <= limits::kMaxWmiInstances; ++i) instances += i ? ",{}" : "{}";
  EXPECT_EQ(
      error_of(R"J({"schema": "smbaudit-facts/1", "host": {"name": "x"}, "wmi": {"root\\cimv2": {"classes": {"C": [)J" +
               instances + "]}}}}"),
      "f.json: at /wmi/root\\cimv2/classes/C: more than 65536 instances of one class");
}

// Two spellings of one registry key, value or service would let a facts file say two
// things at once; which one a reader keeps must not decide an audit. (The reader sees
// object members in sorted order, so the second spelling named is the later one.)
TEST(Snapshot, RefusesAFactGivenTwiceInAnotherSpelling) {
  const std::string head = R"J({"schema": "smbaudit-facts/1", "host": {"name": "x"}, )J";
  EXPECT_EQ(error_of(head + R"J("registry": {"HKLM\\SYSTEM\\X": {}, "HKEY_LOCAL_MACHINE\\system\\x": {}}})J"),
            "f.json: at /registry/HKLM\\SYSTEM\\X: key given twice (paths are case-insensitive; "
            "HKEY_LOCAL_MACHINE is HKLM)");
  EXPECT_EQ(error_of(head + R"J("registry": {"HKLM\\SYSTEM\\X": {"values": {
      "SMB1": {"type": "REG_DWORD", "data": 0}, "smb1": {"type": "REG_DWORD", "data": 1}}}}})J"),
            "f.json: at /registry/HKLM\\SYSTEM\\X/values/smb1: value 'smb1' is given twice (names are "
            "case-insensitive)");
  EXPECT_EQ(error_of(head + R"J("services": {"WebClient": {"present": false}, "webclient": {"present": true}}})J"),
            "f.json: at /services/webclient: service given twice (names are case-insensitive)");
  EXPECT_EQ(
      error_of(head + R"J("wmi": {"root\\cimv2": {"classes": {"C": []}}, "ROOT\\CIMV2": {"classes": {"C": []}}}})J"),
      "f.json: at /wmi/root\\cimv2/classes/C: given twice (names are case-insensitive)");
  EXPECT_EQ(error_of(head + R"J("services": {"A": {"present": false}, "A": {"present": true}}})J"),
            "f.json: at /services: the key 'A' appears twice in one object");
}

TEST(Snapshot, ErrorsStayOnOneLine) {
  const std::string error = error_of(R"J({"schema": "smbaudit-facts/1", "host": {"name": "x", "a\nb": 1}})J");
  EXPECT_EQ(error, "f.json: at /host/a\\x0ab: unknown field 'a\\x0ab'");
}

TEST(Snapshot, RecordedCollectionFailureIsACollectionError) {
  auto source = parse_snapshot(
      R"J({"schema": "smbaudit-facts/1", "host": {"name": "SRV9"},
          "collection_error": "SRV9: RegConnectRegistryW failed: the network path was not found (53)"})J",
      "f.json");
  ASSERT_TRUE(source) << source.error().message;
  auto host = (*source)->host();
  ASSERT_FALSE(host);
  EXPECT_EQ(host.error().failure, CollectFailure::CollectionFailed);
  EXPECT_NE(host.error().message.find("network path was not found"), std::string::npos);
  EXPECT_EQ(host.error().host, "SRV9");  // so the audit still reports the host
}

TEST(Snapshot, WriterRecordsACollectionFailureTheReaderReportsAgain) {
  HostFacts host;
  host.name = "SRV9";
  const std::string text = write_snapshot(host, FactSet{}, "SRV9: cannot connect: RegConnectRegistryW: (53)");
  auto source = parse_snapshot(text, "srv9.json");
  ASSERT_TRUE(source) << source.error().message;
  auto read = (*source)->host();
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().message.find("RegConnectRegistryW"), std::string::npos) << read.error().message;
}

}  // namespace
}  // namespace smbaudit

namespace smbaudit {
namespace {

constexpr const char* kInterfaces = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces";

FactPlan subkey_plan() {
  FactPlan plan;
  plan.registry_keys = {kInterfaces};
  plan.registry_subkeys = {kInterfaces};
  return plan;
}

TEST(Snapshot, ListsRecordedSubkeysAndWritesThemBack) {
  auto source = parse_snapshot(R"({"schema": "smbaudit-facts/1", "host": {"name": "WS01"}, "registry": {
      "HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces":
        {"values": {}, "subkeys": ["Tcpip_{A}", "Tcpip_{B}"]},
      "HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces\\Tcpip_{A}":
        {"values": {"NetbiosOptions": {"type": "REG_DWORD", "data": 2}}}}})",
                               "facts.json");
  ASSERT_TRUE(source) << source.error().message;
  auto facts = (*source)->collect(subkey_plan());
  ASSERT_TRUE(facts);
  auto key = facts->registry_key(kInterfaces);
  ASSERT_TRUE(key && key->subkeys);
  EXPECT_EQ(*key->subkeys, (std::vector<std::string>{"Tcpip_{A}", "Tcpip_{B}"}));
  auto a = facts->registry_key(std::string(kInterfaces) + "\\Tcpip_{A}");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->find("NetbiosOptions")->data, Value{std::int64_t{2}});
  auto b = facts->registry_key(std::string(kInterfaces) + "\\Tcpip_{B}");
  ASSERT_FALSE(b) << "listed but not recorded: unknown, not absent";
  EXPECT_EQ(b.error().problem, FactProblem::Unknown);

  const std::string written = write_snapshot(*(*source)->host(), *facts);
  EXPECT_NE(written.find("\"subkeys\""), std::string::npos) << written;
  auto again = parse_snapshot(written, "again.json");
  ASSERT_TRUE(again) << again.error().message;
  auto facts2 = (*again)->collect(subkey_plan());
  ASSERT_TRUE(facts2);
  EXPECT_EQ(write_snapshot(*(*again)->host(), *facts2), written);
}

TEST(Snapshot, AKeyRecordedWithoutItsSubkeysLeavesThemUnknown) {
  auto source = parse_snapshot(R"({"schema": "smbaudit-facts/1", "host": {"name": "WS01"}, "registry": {
      "HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces": {"values": {}}}})",
                               "old.json");
  ASSERT_TRUE(source) << source.error().message;
  auto facts = (*source)->collect(subkey_plan());
  ASSERT_TRUE(facts);
  auto key = facts->registry_key(kInterfaces);
  ASSERT_TRUE(key);
  EXPECT_FALSE(key->subkeys);
  ASSERT_TRUE(key->subkeys_unknown);
  EXPECT_EQ(key->subkeys_unknown->problem, FactProblem::Unknown);
  EXPECT_NE(key->subkeys_unknown->message.find("old.json"), std::string::npos) << key->subkeys_unknown->message;
}

}  // namespace
}  // namespace smbaudit
