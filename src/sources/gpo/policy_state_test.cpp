#include "policy_state.h"

#include <gtest/gtest.h>

#include "support/gpo_fixtures.h"
#include "support/temp_dir.h"

namespace smbaudit::gpo {
namespace {

using test_support::GppItem;
using test_support::gpttmpl_with_preamble;
using test_support::PregBuilder;
using test_support::registry_xml;

constexpr const char* kWks = "Software\\Policies\\Microsoft\\Windows\\LanmanWorkstation";
constexpr const char* kWksPath = "HKLM\\Software\\Policies\\Microsoft\\Windows\\LanmanWorkstation";
constexpr const char* kServer = "SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters";
constexpr const char* kServerPath = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters";

// A GPO read from bytes, as load_gpo would give it (files named after the GPO).
struct GpoSpec {
  std::string name;
  std::optional<std::string> pol, inf, xml;
};
Gpo make(const GpoSpec& s) {
  Gpo g;
  g.location.info.display_name = s.name;
  g.location.info.guid = "{" + s.name + "}";
  g.location.info.folder = s.name;
  if (s.pol) {
    g.location.registry_pol = s.name + "/Machine/Registry.pol";
    auto records = parse_registry_pol(*s.pol);
    EXPECT_TRUE(records) << records.error();
    if (records) g.registry_pol = *records;
  }
  if (s.inf) {
    g.location.gpttmpl = s.name + "/Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf";
    auto inf = parse_gpttmpl(*s.inf);
    EXPECT_TRUE(inf) << inf.error();
    if (inf) g.gpttmpl = *inf;
  }
  if (s.xml) {
    g.location.registry_xml = s.name + "/Machine/Preferences/Registry/Registry.xml";
    auto xml = parse_gpp_registry(*s.xml);
    EXPECT_TRUE(xml) << xml.error();
    if (xml) g.registry_xml = *xml;
  }
  return g;
}

PolicyState apply(const std::vector<GpoSpec>& specs) {
  PolicyState state;
  for (const auto& s : specs) state.add(make(s));
  return state;
}

std::string dword_pol(std::string_view key, std::string_view name, std::uint32_t v) {
  return PregBuilder().dword(key, name, v).bytes();
}

ResolvedValue value(const PolicyState& state, std::string_view path, std::string_view name) {
  auto v = state.resolve_value(path, name);
  EXPECT_TRUE(v) << path << "\\" << name;
  return v ? *v : ResolvedValue{};
}

TEST(PolicyState, ALaterGpoWinsAndTheHistoryKeepsWhatItOverrode) {
  const auto state = apply({{"Domain", dword_pol(kWks, "RequireSecuritySignature", 0)},
                            {"Workstations", dword_pol(kWks, "requiresecuritysignature", 1)}});
  const ResolvedValue v = value(state, kWksPath, "RequireSecuritySignature");
  EXPECT_EQ(v.state, ValueState::Set);
  EXPECT_EQ(v.value->data, Value{std::int64_t{1}});
  EXPECT_EQ(v.origin.display_name, "Workstations");
  EXPECT_EQ(v.origin.offset, 8u);
  ASSERT_EQ(v.history.size(), 2u);
  EXPECT_EQ(v.history[0].origin.display_name, "Domain");
  EXPECT_EQ(v.history[0].what, "set to 0 (REG_DWORD)");
  EXPECT_EQ(v.origin.describe(),
            "GPO 'Workstations' {Workstations}, Workstations/Machine/Registry.pol record at byte 8");
}

TEST(PolicyState, DelRemovesTheValueAnEarlierGpoSet) {
  const auto state = apply({{"A", dword_pol(kWks, "EnableSecuritySignature", 1)},
                            {"B", PregBuilder().sz(kWks, "**del.EnableSecuritySignature", " ").bytes()}});
  const ResolvedValue v = value(state, kWksPath, "EnableSecuritySignature");
  EXPECT_EQ(v.state, ValueState::Deleted);
  EXPECT_FALSE(v.value);
  EXPECT_EQ(v.origin.display_name, "B");
  EXPECT_EQ(v.origin.item, "**del.EnableSecuritySignature");
  EXPECT_EQ(v.history.back().what, "deleted");
}

TEST(PolicyState, DeleteValuesRemovesEachNamedValue) {
  const auto state = apply({{"A", PregBuilder().dword(kWks, "X", 1).dword(kWks, "Y", 1).dword(kWks, "Z", 1).bytes()},
                            {"B", PregBuilder().sz(kWks, "**DeleteValues", "X;Y").bytes()}});
  EXPECT_EQ(value(state, kWksPath, "X").state, ValueState::Deleted);
  EXPECT_EQ(value(state, kWksPath, "Y").state, ValueState::Deleted);
  EXPECT_EQ(value(state, kWksPath, "Z").state, ValueState::Set);
  EXPECT_EQ(state.resolve_key(kWksPath).base_values, BaseValues::Visible) << "the host's other values stay";
}

TEST(PolicyState, DelvalsRemovesEarlierAndHostValuesButNotValuesSetAfterIt) {
  const std::string hardened = "Software\\Policies\\Microsoft\\Windows\\NetworkProvider\\HardenedPaths";
  const std::string path = "HKLM\\" + hardened;
  const auto state = apply({
      {"A", PregBuilder()
                .sz(hardened, "\\\\*\\NETLOGON", "RequireMutualAuthentication=0")
                .sz(hardened, "\\\\x\\y", "a")
                .bytes()},
      {"B", PregBuilder().sz(hardened, "**delvals.", " ").sz(hardened, "\\\\*\\SYSVOL", "RequireIntegrity=1").bytes()},
  });
  const ResolvedKey key = state.resolve_key(path);
  EXPECT_EQ(key.base_values, BaseValues::Hidden) << "the host's own hardened paths are gone too";
  ASSERT_TRUE(key.base_values_origin);
  EXPECT_EQ(key.base_values_origin->display_name, "B");
  EXPECT_EQ(key.find("\\\\*\\NETLOGON")->state, ValueState::Deleted) << "an earlier GPO's value is gone";
  EXPECT_EQ(key.find("\\\\*\\SYSVOL")->state, ValueState::Set) << "the record after **delvals. sets its value";
  const auto host_value = state.resolve_value(path, "\\\\host\\share");
  ASSERT_TRUE(host_value);
  EXPECT_EQ(host_value->state, ValueState::Deleted);

  const auto later = apply({
      {"A", PregBuilder().sz(hardened, "**delvals.", " ").bytes()},
      {"B", PregBuilder().sz(hardened, "\\\\*\\NETLOGON", "RequireMutualAuthentication=1").bytes()},
  });
  EXPECT_EQ(later.resolve_key(path).find("\\\\*\\NETLOGON")->state, ValueState::Set) << "a later GPO sets it again";
}

TEST(PolicyState, DelvalsActsFirstForItsKeyWhereverItStandsInTheFile) {
  const std::string hardened = "Software\\Policies\\Microsoft\\Windows\\NetworkProvider\\HardenedPaths";
  const auto state = apply({{"A", PregBuilder()
                                      .sz(hardened, "\\\\*\\SYSVOL", "RequireIntegrity=1")
                                      .dword(kWks, "Other", 1)
                                      .sz(hardened, "**delvals.", " ")
                                      .sz(hardened, "\\\\*\\NETLOGON", "RequireIntegrity=1")
                                      .bytes()}});
  const ResolvedKey key = state.resolve_key("HKLM\\" + hardened);
  EXPECT_EQ(key.base_values, BaseValues::Hidden);
  EXPECT_EQ(key.find("\\\\*\\SYSVOL")->state, ValueState::Set) << "listed before **delvals. in the file, still set";
  EXPECT_EQ(key.find("\\\\*\\NETLOGON")->state, ValueState::Set);
  EXPECT_EQ(key.find("\\\\*\\SYSVOL")->history.front().what, "every value of the key deleted");
}

TEST(PolicyState, DeleteKeysRemovesTheSubtreeUntilALaterValueRecreatesIt) {
  const std::string parent = "Software\\Policies\\Vendor";
  const std::string deep = "HKLM\\Software\\Policies\\Vendor\\Sub\\Deeper";
  auto state = apply({{"A", PregBuilder().dword(parent + "\\Sub\\Deeper", "V", 1).bytes()},
                      {"B", PregBuilder().sz(parent, "**DeleteKeys", "Sub").bytes()}});
  ResolvedKey key = state.resolve_key(deep);
  EXPECT_EQ(key.presence, KeyPresence::Deleted);
  EXPECT_EQ(key.base_values, BaseValues::Hidden);
  EXPECT_EQ(key.find("V")->state, ValueState::Deleted);
  EXPECT_EQ(key.find("V")->history.back().what, "key HKLM\\Software\\Policies\\Vendor\\Sub deleted with its subkeys");
  EXPECT_EQ(state.resolve_key("HKLM\\Software\\Policies\\Vendor").presence, KeyPresence::Present)
      << "the parent, created when A wrote below it, stays";

  state.add(make({"C", PregBuilder().dword(parent + "\\Sub\\Deeper", "W", 1).bytes()}));
  key = state.resolve_key(deep);
  EXPECT_EQ(key.presence, KeyPresence::Present);
  EXPECT_EQ(key.find("W")->state, ValueState::Set);
  EXPECT_EQ(key.find("V")->state, ValueState::Deleted);
  EXPECT_EQ(key.base_values, BaseValues::Hidden) << "recreated empty: the host's old values do not come back";
  EXPECT_EQ(state.resolve_key("HKLM\\Software\\Policies\\Vendor\\Sub").presence, KeyPresence::Present)
      << "a key on the path of a value set below it exists";
}

TEST(PolicyState, SoftValuesSetOnlyWhereNoValueExists) {
  auto state = apply({{"A", dword_pol(kWks, "X", 1)}, {"B", PregBuilder().dword(kWks, "**soft.X", 2).bytes()}});
  ResolvedValue v = value(state, kWksPath, "X");
  EXPECT_EQ(v.state, ValueState::Set);
  EXPECT_EQ(v.value->data, Value{std::int64_t{1}}) << "an earlier GPO's value stays";
  EXPECT_EQ(v.origin.display_name, "A");

  state = apply({{"B", PregBuilder().dword(kWks, "**soft.X", 2).bytes()}});
  v = value(state, kWksPath, "X");
  EXPECT_EQ(v.state, ValueState::SetIfAbsent) << "over the host's value it depends on the host";
  EXPECT_EQ(v.value->data, Value{std::int64_t{2}});

  state = apply(
      {{"A", PregBuilder().sz(kWks, "**del.X", " ").bytes()}, {"B", PregBuilder().dword(kWks, "**soft.X", 2).bytes()}});
  EXPECT_EQ(value(state, kWksPath, "X").state, ValueState::Set) << "over a deleted value it sets";
}

TEST(PolicyState, AKeyOnlyRecordCreatesTheKeyAndSecureKeyChangesNoValue) {
  const auto state = apply({{"A", PregBuilder().record(kWks, "", 0, "").dword(kWks, "**SecureKey", 1).bytes()}});
  const ResolvedKey key = state.resolve_key(kWksPath);
  EXPECT_EQ(key.presence, KeyPresence::Present);
  EXPECT_TRUE(key.values.empty());
  EXPECT_EQ(key.base_values, BaseValues::Visible);
}

TEST(PolicyState, SecurityOptionsServicesAndAccountPolicyComeFromGptTmpl) {
  const auto state = apply({
      {"Domain", std::nullopt, gpttmpl_with_preamble("[System Access]\nMinimumPasswordLength = 8\n")},
      {"Baseline", std::nullopt,
       gpttmpl_with_preamble("[System Access]\nMinimumPasswordLength = 14\n"
                             "[Registry Values]\n"
                             "MACHINE\\System\\CurrentControlSet\\Services\\LanmanServer\\Parameters\\"
                             "RequireSecuritySignature=4,1\n"
                             "[Service General Setting]\n\"WebClient\",4,\"\"\n")},
  });
  const ResolvedValue signing = value(state, kServerPath, "RequireSecuritySignature");
  EXPECT_EQ(signing.state, ValueState::Set);
  EXPECT_EQ(signing.value->data, Value{std::int64_t{1}});
  EXPECT_EQ(signing.origin.extension, Extension::Security);
  EXPECT_EQ(signing.origin.line, 6);
  EXPECT_EQ(signing.origin.describe(),
            "GPO 'Baseline' {Baseline}, Baseline/Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf line 6");

  const auto web = state.resolve_service_start("webclient");
  ASSERT_TRUE(web);
  EXPECT_EQ(web->value->data, Value{std::int64_t{4}});
  EXPECT_EQ(web->origin.line, 8);

  const auto length = state.account_setting("minimumpasswordlength");
  ASSERT_TRUE(length);
  EXPECT_EQ(length->value, (std::variant<std::int64_t, std::string>{std::int64_t{14}}));
  EXPECT_EQ(length->origin.display_name, "Baseline");
  ASSERT_EQ(length->overridden.size(), 1u);
  EXPECT_EQ(length->overridden[0].display_name, "Domain");
  EXPECT_FALSE(state.account_setting("LockoutBadCount"));
}

TEST(PolicyState, ExtensionsThatDisagreeOnAValueMakeItUncertainNamingBoth) {
  // GPO B (later) writes the service's start through Registry.pol; GPO A's security
  // template sets it too. Canonically the Security extension runs second and wins; but when
  // only the Registry extension reruns, B's value is what the host ends with.
  const auto state = apply({
      {"A", std::nullopt, gpttmpl_with_preamble("[Service General Setting]\n\"WebClient\",4,\"\"\n")},
      {"B", dword_pol("SYSTEM\\CurrentControlSet\\Services\\WebClient", "Start", 3)},
  });
  const auto start = state.resolve_service_start("WebClient");
  ASSERT_TRUE(start);
  EXPECT_EQ(start->state, ValueState::Uncertain);
  ASSERT_EQ(start->doubts.size(), 1u);
  EXPECT_NE(start->doubts[0].find("contested"), std::string::npos);
  EXPECT_NE(start->doubts[0].find("GPO 'A' {A}"), std::string::npos) << start->doubts[0];
  EXPECT_NE(start->doubts[0].find("GPO 'B' {B}"), std::string::npos) << start->doubts[0];
  EXPECT_EQ(start->origin.display_name, "A") << "the canonical order's last writer";
  EXPECT_EQ(start->history.size(), 2u);

  const auto agree = apply({
      {"A", std::nullopt, gpttmpl_with_preamble("[Service General Setting]\n\"WebClient\",4,\"\"\n")},
      {"B", dword_pol("SYSTEM\\CurrentControlSet\\Services\\WebClient", "Start", 4)},
  });
  EXPECT_EQ(agree.resolve_service_start("WebClient")->state, ValueState::Set) << "the same data is no contest";
}

TEST(PolicyState, PreferencesApplyLastSoTheyOutrankEarlierExtensionsCanonically) {
  const auto state = apply({
      {"A", std::nullopt, std::nullopt, registry_xml({{.key = kServer, .name = "EncryptData", .value = "00000001"}})},
      {"B", std::nullopt,
       gpttmpl_with_preamble("[Registry Values]\nMACHINE\\" + std::string(kServer) + "\\EncryptData=4,1\n")},
  });
  const ResolvedValue v = value(state, kServerPath, "EncryptData");
  EXPECT_EQ(v.state, ValueState::Set) << "both write 1";
  EXPECT_EQ(v.origin.extension, Extension::Preferences) << "the GPP extension runs after Security Settings";
  EXPECT_EQ(v.origin.display_name, "A");
}

TEST(PolicyState, GppActionsSetCreateReplaceAndDelete) {
  const auto state = apply({
      {"Base", dword_pol(kServer, "Existing", 1)},
      {"Prefs", std::nullopt, std::nullopt,
       registry_xml({
           {.action = "U", .key = kServer, .name = "EncryptData", .value = "00000001"},
           {.action = "C", .key = kServer, .name = "Existing", .value = "00000000"},
           {.action = "C", .key = kServer, .name = "New", .value = "00000002"},
           {.action = "R", .key = kServer, .name = "Replaced", .type = "REG_SZ", .value = "x"},
           {.action = "D", .key = kServer, .name = "SMB1", .type = "", .value = ""},
           {.action = "D", .key = "Software\\Old", .name = ""},
           {.action = "R", .key = "Software\\Fresh", .name = ""},
       })},
  });
  EXPECT_EQ(value(state, kServerPath, "EncryptData").state, ValueState::Set);
  const ResolvedValue existing = value(state, kServerPath, "Existing");
  EXPECT_EQ(existing.value->data, Value{std::int64_t{1}}) << "create leaves an existing value alone";
  EXPECT_EQ(value(state, kServerPath, "New").state, ValueState::SetIfAbsent);
  EXPECT_EQ(value(state, kServerPath, "Replaced").value->data, Value{std::string("x")});
  EXPECT_EQ(value(state, kServerPath, "SMB1").state, ValueState::Deleted);
  EXPECT_EQ(state.resolve_key("HKLM\\Software\\Old\\Sub").presence, KeyPresence::Deleted);
  const ResolvedKey fresh = state.resolve_key("HKLM\\Software\\Fresh");
  EXPECT_EQ(fresh.presence, KeyPresence::Present);
  EXPECT_EQ(fresh.base_values, BaseValues::Hidden) << "replace empties the key";
  EXPECT_EQ(state.resolve_key("HKLM\\Software\\Fresh\\Child").presence, KeyPresence::Deleted) << "and its subkeys";
}

TEST(PolicyState, DisabledItemsAndOtherHivesAreNotAppliedAndAreNoted) {
  const auto state = apply({{"Prefs", std::nullopt, std::nullopt,
                             registry_xml({
                                 {.key = kServer, .name = "EncryptData", .value = "00000000", .disabled = true},
                                 {.hive = "HKEY_CURRENT_USER", .key = "Software\\X", .name = "A", .value = "00000001"},
                             })}});
  EXPECT_FALSE(state.resolve_value(kServerPath, "EncryptData"));
  ASSERT_EQ(state.notes().size(), 2u);
  EXPECT_NE(state.notes()[0].find("item 'EncryptData'): disabled; Windows skips it"), std::string::npos)
      << state.notes()[0];
  EXPECT_NE(state.notes()[1].find("hive HKEY_CURRENT_USER; not audited"), std::string::npos) << state.notes()[1];
}

TEST(PolicyState, AnItemThatMayNotApplyMakesWhatItChangesUncertainUntilADefiniteSetting) {
  const GppItem targeted{.key = kServer,
                         .name = "RequireSecuritySignature",
                         .value = "00000000",
                         .filters = "<FilterOs bool=\"AND\" not=\"0\"/>"};
  auto state = apply({{"A", dword_pol(kServer, "RequireSecuritySignature", 1)},
                      {"B", std::nullopt, std::nullopt, registry_xml({targeted})}});
  ResolvedValue v = value(state, kServerPath, "RequireSecuritySignature");
  EXPECT_EQ(v.state, ValueState::Uncertain);
  ASSERT_FALSE(v.doubts.empty());
  EXPECT_NE(v.doubts[0].find("may not apply: item-level targeting (FilterOs) decides"), std::string::npos)
      << v.doubts[0];
  EXPECT_EQ(v.history.back().what, "set to 0 (REG_DWORD) (if it applies: item-level targeting (FilterOs))");

  state.add(make({"C", std::nullopt, std::nullopt,
                  registry_xml({{.key = kServer, .name = "RequireSecuritySignature", .value = "00000001"}})}));
  v = value(state, kServerPath, "RequireSecuritySignature");
  EXPECT_EQ(v.state, ValueState::Set) << "a later definite setting decides again";

  const GppItem same{.key = kServer, .name = "X", .value = "00000001", .filters = "<FilterOs/>"};
  state = apply(
      {{"A", std::nullopt, std::nullopt, registry_xml({{.key = kServer, .name = "X", .value = "00000001"}, same})}});
  EXPECT_EQ(value(state, kServerPath, "X").state, ValueState::Set) << "applying or not changes nothing";

  const GppItem delete_key{.action = "D", .key = kServer, .name = "", .filters = "<FilterOs/>"};
  state = apply({{"A", std::nullopt, std::nullopt, registry_xml({delete_key})}});
  const ResolvedKey key = state.resolve_key(kServerPath);
  EXPECT_EQ(key.presence, KeyPresence::Uncertain);
  EXPECT_EQ(key.base_values, BaseValues::Uncertain);
  const auto host = state.resolve_value(kServerPath, "SMB1");
  ASSERT_TRUE(host);
  EXPECT_EQ(host->state, ValueState::Uncertain) << "the host's own value may be deleted";
}

TEST(PolicyState, AGpoWhoseComputerSettingsAreDisabledIsSkippedWithANote) {
  Gpo g = make({"Off", dword_pol(kWks, "X", 1)});
  g.location.info.computer_settings_disabled = true;
  PolicyState state;
  state.add(g);
  EXPECT_FALSE(state.resolve_value(kWksPath, "X"));
  ASSERT_EQ(state.notes().size(), 1u);
  EXPECT_EQ(state.notes()[0],
            "GPO 'Off' {Off}: its computer settings are disabled (Backup.xml), so Windows applies none of its machine "
            "policy; not applied");
  EXPECT_EQ(state.gpos().size(), 1u);
}

TEST(PolicyState, KeysAreFoundInAnyCaseAndUntouchedKeysSayNothing) {
  const auto state = apply({{"A", dword_pol(kWks, "X", 1)}});
  EXPECT_TRUE(state.resolve_key("hklm\\software\\policies\\microsoft\\windows\\lanmanworkstation").touched());
  EXPECT_FALSE(state.resolve_key("HKLM\\Software\\Other").touched());
  EXPECT_FALSE(state.resolve_value("HKLM\\Software\\Other", "X"));
  EXPECT_EQ(state.keys(), std::vector<std::string>{kWksPath});
  EXPECT_EQ(state.resolve_key("HKLM\\Software\\Policies").presence, KeyPresence::Present)
      << "a parent of a written key exists";
}

TEST(PolicyState, GposReadFromBothFolderFormsApplyInTheOrderGiven) {
  test_support::TempDir dir;
  test_support::GpoFiles domain;
  domain.display_name = "Default Domain Policy";
  domain.registry_pol = PregBuilder().dword(kWks, "RequireSecuritySignature", 0).dword(kWks, "X", 1).bytes();
  domain.gpttmpl = gpttmpl_with_preamble("[System Access]\nMinimumPasswordLength = 7\n");
  test_support::GpoFiles ou;
  ou.guid = "{0D2B6C4E-1F00-4A3B-9C5D-6E7F8A9B0C1D}";
  ou.display_name = "Workstation Baseline";
  ou.lower_case_names = true;
  ou.registry_pol = PregBuilder().dword(kWks, "RequireSecuritySignature", 1).sz(kWks, "**del.X", " ").bytes();
  ou.gpttmpl = gpttmpl_with_preamble("[System Access]\nMinimumPasswordLength = 14\n");

  PolicyState state;
  for (const auto& folder :
       {test_support::write_backup_gpo(dir.path(), domain, "{B-1}"), test_support::write_sysvol_gpo(dir.path(), ou)}) {
    auto gpo = load_gpo(folder);
    ASSERT_TRUE(gpo) << gpo.error();
    state.add(*gpo);
  }
  const ResolvedValue signing = value(state, kWksPath, "RequireSecuritySignature");
  EXPECT_EQ(signing.value->data, Value{std::int64_t{1}});
  EXPECT_EQ(signing.origin.gpo, "'Workstation Baseline' {0D2B6C4E-1F00-4A3B-9C5D-6E7F8A9B0C1D}");
  EXPECT_NE(signing.origin.file.find("registry.pol"), std::string::npos) << signing.origin.file;
  EXPECT_EQ(signing.history.at(0).origin.display_name, "Default Domain Policy");
  EXPECT_EQ(value(state, kWksPath, "X").state, ValueState::Deleted);
  EXPECT_EQ(state.account_setting("MinimumPasswordLength")->value,
            (std::variant<std::int64_t, std::string>{std::int64_t{14}}));
  EXPECT_EQ(state.gpos().at(0).form, GpoForm::Backup);
  EXPECT_EQ(state.gpos().at(1).form, GpoForm::Sysvol);
}

}  // namespace
}  // namespace smbaudit::gpo
