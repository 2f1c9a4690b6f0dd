// End-to-end tests of Group Policy as a source (issue 14, docs/group-policy.md): the real
// binary over fixture GPOs written from the specifications by tests/support/gpo_fixtures,
// layered over a facts snapshot (--facts) or over a described host (--target).
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "../support/gpo_fixtures.h"
#include "../support/temp_dir.h"
#include "run.h"

namespace smbaudit {
namespace {

using test_support::GpoFiles;
using test_support::gpttmpl_with_preamble;
using test_support::PregBuilder;
using test_support::run_smbaudit;
using test_support::TempDir;

constexpr const char* kWksPolicy = "Software\\Policies\\Microsoft\\Windows\\LanmanWorkstation";
constexpr const char* kFacts = "examples/ws01-facts.json";
constexpr const char* kGuidA = "{6AC1786C-016F-11D2-945F-00C04FB984F9}";
constexpr const char* kGuidB = "{0C1D2E3F-4A5B-4C6D-8E9F-A0B1C2D3E4F5}";

// Security Options raising LmCompatibilityLevel to 5 and requiring client signing, as the
// Security Settings editor writes them ([MS-GPSB] 2.2.5), and a Registry.pol that turns
// insecure guest logons on.
GpoFiles baseline() {
  GpoFiles g;
  g.guid = kGuidA;
  g.display_name = "SMB baseline";
  g.gpttmpl = gpttmpl_with_preamble(
      "[Registry Values]\n"
      "MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\LmCompatibilityLevel=4,5\n"
      "MACHINE\\System\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters\\RequireSecuritySignature=4,1\n");
  g.registry_pol = PregBuilder().dword(kWksPolicy, "AllowInsecureGuestAuth", 1).bytes();
  return g;
}

// A later GPO, as a Backup-GPO folder: insecure guest logons off again.
GpoFiles guest_off() {
  GpoFiles g;
  g.guid = kGuidB;
  g.display_name = "Guest off";
  g.registry_pol = PregBuilder().dword(kWksPolicy, "AllowInsecureGuestAuth", 0).bytes();
  return g;
}

struct Audit {
  int exit_code = -1;
  std::string err;
  nlohmann::json report;
  std::map<std::string, std::string> verdicts;

  // The layer (name and location) that decided `value` in rule `rule`'s evidence, "" when none.
  [[nodiscard]] std::string layer_of(const std::string& rule, const std::string& value) const {
    for (const auto& f : report["findings"])
      if (f["rule"] == rule)
        for (const auto& e : f["evidence"])
          if (e.value("name", "") == value && e.contains("layer"))
            return e["layer"]["name"].get<std::string>() + " | " + e["layer"]["action"].get<std::string>() + " | " +
                   e["layer"]["location"].get<std::string>();
    return "";
  }
};

Audit audit(std::vector<std::string> args) {
  args.insert(args.begin(), "audit");
  args.insert(args.end(), {"--format", "json"});
  const auto r = run_smbaudit(args);
  Audit a{r.exit_code, r.err, {}, {}};
  if (r.exit_code != 0 && r.exit_code != 1) return a;
  a.report = nlohmann::json::parse(r.out);
  for (const auto& f : a.report["findings"]) a.verdicts[f["rule"]] = f["status"];
  return a;
}

class Gpo : public ::testing::Test {
 protected:
  std::string sysvol(const GpoFiles& g) { return test_support::write_sysvol_gpo(dir_.path() / "sysvol", g).string(); }
  std::string backup(const GpoFiles& g, const std::string& id) {
    return test_support::write_backup_gpo(dir_.path() / "backups", g, id).string();
  }
  TempDir dir_;
};

TEST_F(Gpo, PolicyOverAFactsSnapshotTurnsRulesAsItSaysAndEvidenceNamesTheGpo) {
  const auto before = audit({"--facts", test_support::source_path(kFacts)});
  ASSERT_TRUE(before.exit_code == 0 || before.exit_code == 1) << before.err;
  EXPECT_EQ(before.verdicts.at("lm-compatibility-level"), "fail");
  EXPECT_EQ(before.verdicts.at("smb-client-signing-required"), "fail");
  EXPECT_EQ(before.verdicts.at("insecure-guest-logons-disabled"), "pass");

  const std::string a = sysvol(baseline());
  const auto after = audit({"--facts", test_support::source_path(kFacts), "--gpo", a});
  ASSERT_TRUE(after.exit_code == 0 || after.exit_code == 1) << after.err;
  EXPECT_EQ(after.verdicts.at("lm-compatibility-level"), "pass");
  EXPECT_EQ(after.verdicts.at("smb-client-signing-required"), "pass");
  EXPECT_EQ(after.verdicts.at("insecure-guest-logons-disabled"), "fail");
  // Evidence names the GPO (display name and GUID), the file and the place in it.
  const std::string lm = after.layer_of("lm-compatibility-level", "LmCompatibilityLevel");
  EXPECT_NE(lm.find("GPO 'SMB baseline' {6AC1786C-016F-11D2-945F-00C04FB984F9} | set_value | "), std::string::npos)
      << lm;
  EXPECT_NE(lm.find("GptTmpl.inf line "), std::string::npos) << lm;
  const std::string guest = after.layer_of("insecure-guest-logons-disabled", "AllowInsecureGuestAuth");
  EXPECT_NE(guest.find("GPO 'SMB baseline'"), std::string::npos) << guest;
  EXPECT_NE(guest.find("Registry.pol record at byte 8"), std::string::npos) << guest;
  // The report's source says the policy is layered over the snapshot.
  const std::string source = after.report["source"]["description"];
  EXPECT_NE(source.find("GPO 'SMB baseline'"), std::string::npos) << source;
}

TEST_F(Gpo, TheLaterGpoWinsInTheOrderGiven) {
  const std::string a = sysvol(baseline());
  const std::string b = backup(guest_off(), "{B0000000-0000-0000-0000-000000000001}");
  const auto a_then_b = audit({"--facts", test_support::source_path(kFacts), "--gpo", a, "--gpo", b});
  ASSERT_TRUE(a_then_b.exit_code == 0 || a_then_b.exit_code == 1) << a_then_b.err;
  EXPECT_EQ(a_then_b.verdicts.at("insecure-guest-logons-disabled"), "pass");
  EXPECT_NE(a_then_b.layer_of("insecure-guest-logons-disabled", "AllowInsecureGuestAuth").find("GPO 'Guest off'"),
            std::string::npos);
  const auto b_then_a = audit({"--facts", test_support::source_path(kFacts), "--gpo", b, "--gpo", a});
  EXPECT_EQ(b_then_a.verdicts.at("insecure-guest-logons-disabled"), "fail");
  // Settings only the first GPO makes stay.
  EXPECT_EQ(a_then_b.verdicts.at("lm-compatibility-level"), "pass");
}

TEST_F(Gpo, DeletingAnEarlierGpoValueLeavesTheHostWithoutIt) {
  GpoFiles del = guest_off();
  del.registry_pol = PregBuilder().dword(kWksPolicy, "**del.AllowInsecureGuestAuth", 0).bytes();
  const auto r = audit({"--facts", test_support::source_path(kFacts), "--gpo", sysvol(baseline()), "--gpo",
                        backup(del, "{B0000000-0000-0000-0000-000000000002}")});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  // The value is gone (the snapshot's 0 too): the rule falls back to Windows' default, and the
  // evidence says which GPO deleted it.
  EXPECT_NE(r.verdicts.at("insecure-guest-logons-disabled"), "fail");
  const std::string layer = r.layer_of("insecure-guest-logons-disabled", "AllowInsecureGuestAuth");
  EXPECT_NE(layer.find("GPO 'Guest off' {0C1D2E3F-4A5B-4C6D-8E9F-A0B1C2D3E4F5} | delete_value"), std::string::npos)
      << layer;
}

TEST_F(Gpo, ATargetTakesWindowsDefaultsWhereThePolicyIsSilent) {
  const std::string a = sysvol(baseline());
  for (const std::string target : {"26100:Enterprise:workstation", "20348:ServerStandard:member_server",
                                   "17763:ServerDatacenter:domain_controller"}) {
    SCOPED_TRACE(target);
    const auto alone = audit({"--target", target});
    ASSERT_TRUE(alone.exit_code == 0 || alone.exit_code == 1) << alone.err;
    EXPECT_EQ(alone.report["source"]["kind"], "target");
    EXPECT_EQ(alone.report["host"]["role"], target.substr(target.rfind(':') + 1));
    // Running state and installed updates are unknown, never assumed.
    EXPECT_EQ(alone.verdicts.at("security-updates-current"), "unknown");

    const auto with = audit({"--target", target, "--gpo", a});
    ASSERT_TRUE(with.exit_code == 0 || with.exit_code == 1) << with.err;
    EXPECT_EQ(with.verdicts.at("lm-compatibility-level"), "pass");
    EXPECT_EQ(with.verdicts.at("insecure-guest-logons-disabled"), "fail");
    EXPECT_NE(with.layer_of("lm-compatibility-level", "LmCompatibilityLevel").find("GPO 'SMB baseline'"),
              std::string::npos);
    // What the GPO does not set is what the target would have without it.
    for (const auto& [rule, status] : alone.verdicts) {
      if (rule != "lm-compatibility-level" && rule != "insecure-guest-logons-disabled" &&
          rule != "smb-client-signing-required" && rule != "smb-client-payload-integrity" &&
          rule != "smb-relay-client-protected") {
        EXPECT_EQ(with.verdicts.at(rule), status) << rule;
      }
    }
  }
}

TEST_F(Gpo, APreferenceItemDecidesAndAValueTwoExtensionsContestIsUnknown) {
  constexpr const char* kParameters = "SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters";
  const std::string target = "26100:Enterprise:workstation";
  EXPECT_EQ(audit({"--target", target}).verdicts.at("smb-client-signing-required"), "pass") << "24H2's default";
  GpoFiles gpp;
  gpp.display_name = "Preferences";
  gpp.registry_xml = test_support::registry_xml({test_support::GppItem{
      "U", "HKEY_LOCAL_MACHINE", kParameters, "RequireSecuritySignature", false, "REG_DWORD", "00000000"}});
  const auto weakened = audit({"--target", target, "--gpo", sysvol(gpp)});
  EXPECT_EQ(weakened.verdicts.at("smb-client-signing-required"), "fail");
  EXPECT_NE(weakened.layer_of("smb-client-signing-required", "RequireSecuritySignature").find("Registry.xml line"),
            std::string::npos);
  // Registry.pol says 1, the preference 0: whichever extension ran last wins, so no verdict.
  GpoFiles both = gpp;
  both.guid = kGuidB;
  both.registry_pol = PregBuilder().dword(kParameters, "RequireSecuritySignature", 1).bytes();
  const auto contested = audit({"--target", target, "--gpo", sysvol(both)});
  EXPECT_EQ(contested.verdicts.at("smb-client-signing-required"), "unknown");
}

TEST_F(Gpo, ExplainShowsWhichGpoSetAValueAndWhichLaterOneOverrodeIt) {
  const std::string a = sysvol(baseline());
  const std::string b = backup(guest_off(), "{B0000000-0000-0000-0000-000000000003}");
  const auto r = run_smbaudit({"explain", "insecure-guest-logons-disabled", "--facts",
                               test_support::source_path(kFacts), "--gpo", a, "--gpo", b});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto first = r.out.find("GPO 'SMB baseline'");
  const auto second = r.out.find("GPO 'Guest off'");
  EXPECT_NE(first, std::string::npos) << r.out;
  EXPECT_NE(second, std::string::npos) << r.out;
}

TEST_F(Gpo, RemediateWritesAGpoThatFixesTheFailedRulesAndARollbackGpoThatRestoresTheAudit) {
  const std::string facts = test_support::source_path(kFacts);
  const std::string fix = (dir_.path() / "fix").string();
  const auto written = run_smbaudit({"remediate", "--facts", facts, "--format", "gpo-files", "--output", fix});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "fix" / "GPT.INI"));
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "fix" / "Machine" / "Registry.pol"));
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "fix.rollback" / "Machine" / "Registry.pol"));
  // The account policy has no registry value: it goes in the security template.
  const auto template_of = [&](const std::string& folder) {
    return dir_.path() / folder / "Machine" / "Microsoft" / "Windows NT" / "SecEdit" / "GptTmpl.inf";
  };
  EXPECT_TRUE(std::filesystem::exists(template_of("fix")));
  EXPECT_TRUE(std::filesystem::exists(template_of("fix.rollback")));

  const auto before = audit({"--facts", facts});
  const auto fixed = audit({"--facts", facts, "--gpo", fix});
  ASSERT_TRUE(fixed.exit_code == 0 || fixed.exit_code == 1) << fixed.err;
  EXPECT_EQ(fixed.verdicts.at("lm-compatibility-level"), "pass");
  EXPECT_EQ(fixed.verdicts.at("smb-client-signing-required"), "pass");
  EXPECT_NE(fixed.layer_of("lm-compatibility-level", "LmCompatibilityLevel").find("GPO 'smbaudit fixes for WS01'"),
            std::string::npos);
  int turned = 0;
  for (const auto& [rule, status] : before.verdicts) {
    if (status == "pass") {
      EXPECT_EQ(fixed.verdicts.at(rule), "pass") << rule << ": a fix must not break a rule";
    }
    if (status == "fail" && fixed.verdicts.at(rule) == "pass") ++turned;
  }
  EXPECT_GE(turned, 3);
  // 12 -> 15 needs "Relax minimum password length limits", which the fix's Registry.pol sets.
  EXPECT_EQ(before.verdicts.at("minimum-password-length"), "fail");
  EXPECT_EQ(fixed.verdicts.at("minimum-password-length"), "pass");
  EXPECT_NE(fixed.layer_of("minimum-password-length", "account policy").find("GptTmpl.inf"), std::string::npos);
  EXPECT_NE(fixed.layer_of("minimum-password-length", "RelaxMinimumPasswordLengthLimits").find("Registry.pol"),
            std::string::npos);

  const auto rolled_back = audit({"--facts", facts, "--gpo", fix, "--gpo", fix + ".rollback"});
  ASSERT_TRUE(rolled_back.exit_code == 0 || rolled_back.exit_code == 1) << rolled_back.err;
  EXPECT_EQ(rolled_back.verdicts, before.verdicts) << "the rollback GPO restores what the audit saw";
}

// Windows applies a minimum password length above 14 only with "Relax minimum password length
// limits" and only from build 19041 on: a GPO that sets 15 without it is not protection.
TEST_F(Gpo, AMinimumPasswordLengthAbove14PassesOnlyWhereWindowsAppliesIt) {
  GpoFiles length;
  length.display_name = "Passwords";
  length.gpttmpl = gpttmpl_with_preamble("[System Access]\nMinimumPasswordLength = 15\n");
  const std::string target = "26100:Enterprise:workstation";
  EXPECT_EQ(audit({"--target", target}).verdicts.at("minimum-password-length"), "unknown")
      << "the local account policy of a described host is not known";

  const auto without = audit({"--target", target, "--gpo", sysvol(length)});
  EXPECT_EQ(without.verdicts.at("minimum-password-length"), "fail");
  for (const auto& f : without.report["findings"]) {
    if (f["rule"] == "minimum-password-length") {
      EXPECT_NE(f["explanation"].get<std::string>().find("RelaxMinimumPasswordLengthLimits"), std::string::npos)
          << f["explanation"];
    }
  }

  GpoFiles relaxed = length;
  relaxed.guid = kGuidB;
  relaxed.gpttmpl = gpttmpl_with_preamble(
      "[System Access]\nMinimumPasswordLength = 15\n[Registry Values]\n"
      "MACHINE\\System\\CurrentControlSet\\Control\\SAM\\RelaxMinimumPasswordLengthLimits=4,1\n");
  const std::string with_relax = sysvol(relaxed);
  EXPECT_EQ(audit({"--target", target, "--gpo", with_relax}).verdicts.at("minimum-password-length"), "pass");
  // Windows Server 2019 (17763) has no relax setting: 15 never applies there.
  EXPECT_EQ(audit({"--target", "17763:ServerStandard:member_server", "--gpo", with_relax})
                .verdicts.at("minimum-password-length"),
            "fail");
  // 14 needs no relaxing, and fails the default of 15 on its own merits.
  GpoFiles fourteen = length;
  fourteen.guid = "{11111111-2222-3333-4444-555555555555}";
  fourteen.gpttmpl = gpttmpl_with_preamble("[System Access]\nMinimumPasswordLength = 14\n");
  const auto at14 = audit({"--target", target, "--gpo", sysvol(fourteen)});
  EXPECT_EQ(at14.verdicts.at("minimum-password-length"), "fail");
}

TEST_F(Gpo, RemediateGpoFilesNeedsAnOutputFolder) {
  const auto r = run_smbaudit({"remediate", "--facts", test_support::source_path(kFacts), "--format", "gpo-files"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--output DIR"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace smbaudit
