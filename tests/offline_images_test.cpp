// The whole built-in pack over fixture images built at test time: each image's hives are
// written from an empty base hive through hivex and audited through the offline source, the
// way `smbaudit audit --image-root` does. Verdicts follow from each image's settings and
// Windows' defaults for its build, edition and role; what only a live host can show (WMI, the
// account policy, a service's running state) must come out unknown, never pass.
#include <gtest/gtest.h>

#include "../src/sources/offline/offline_source.h"
#include "smbaudit/engine.h"
#include "support/temp_dir.h"
#include "support/windows_images.h"

namespace smbaudit {
namespace {

using test_support::TempDir;

struct Audit {
  Report report;
  std::map<std::string, std::string> verdicts;  // rule id -> status
};

std::optional<Audit> audit_image(const TempDir& dir, const std::string& name, std::string_view config_folder) {
  auto image = test_support::windows_image(name);
  EXPECT_TRUE(image) << name;
  if (!image) return std::nullopt;
  const auto root = dir.path() / name;
  const auto config = root / config_folder;
  std::filesystem::create_directories(config);
  auto failed = test_support::write_image_hives(*image, config / "SYSTEM", config / "SOFTWARE");
  EXPECT_FALSE(failed) << *failed;
  SourceArgs options;
  options.set("--image-root", root.string());
  auto sources = offline::open_offline_sources(options);
  EXPECT_TRUE(sources) << sources.error().message;
  if (!sources) return std::nullopt;
  auto pack = load_rule_pack(builtin_rule_files(), "built-in", builtin_data_files());
  EXPECT_TRUE(pack);
  static const RulePack kPack = std::move(*pack);
  auto every_rule = select_rules(kPack, nullptr, {}, {});
  EXPECT_TRUE(every_rule);
  auto& source = *sources->front();
  auto host = source.host();
  auto facts = source.collect(plan_for(every_rule->rules));
  EXPECT_TRUE(host && facts);
  if (!host || !facts) return std::nullopt;
  Audit audit{build_report(*every_rule, *host, *facts), {}};
  audit.report.source = source.info();
  for (const auto& f : audit.report.findings) audit.verdicts[f.rule->id] = std::string(to_string(f.status));
  return audit;
}

// Every rule of the pack, in one table per image.
using Verdicts = std::map<std::string, std::string>;

void expect_verdicts(const Audit& audit, const Verdicts& expected) {
  EXPECT_EQ(audit.verdicts.size(), expected.size()) << "the table must list every rule of the pack";
  for (const auto& [rule, status] : expected) {
    auto it = audit.verdicts.find(rule);
    ASSERT_NE(it, audit.verdicts.end()) << rule;
    const auto finding = std::find_if(audit.report.findings.begin(), audit.report.findings.end(),
                                      [&](const Finding& f) { return f.rule->id == rule; });
    EXPECT_EQ(it->second, status) << rule << ": " << finding->explanation;
  }
}

// Live-only facts: every WMI read is unknown with the offline reason, and so is the outcome
// of every rule that nothing but live facts could decide.
void expect_live_only_parts_unknown(const Audit& audit) {
  for (const auto& f : audit.report.findings)
    for (const auto& e : f.evidence) {
      if (e.kind != EvidenceKind::Wmi) continue;
      EXPECT_EQ(e.readability, Readability::Unknown) << f.rule->id;
      EXPECT_NE(e.note.find("offline image"), std::string::npos) << f.rule->id;
    }
  EXPECT_EQ(audit.verdicts.at("security-updates-current"), "unknown");
  EXPECT_EQ(audit.verdicts.at("minimum-password-length"), "unknown");
}

const Verdicts kCommon = {
    {"minimum-password-length", "unknown"},
    {"security-updates-current", "unknown"},
};

Verdicts with(Verdicts v) {
  v.insert(kCommon.begin(), kCommon.end());
  return v;
}

TEST(OfflineImages, HardenedEnterpriseWorkstationPassesEverythingAHiveCanShow) {
  TempDir dir;
  auto audit = audit_image(dir, "hardened-26100-enterprise", test_support::kConfigFolder);
  ASSERT_TRUE(audit);
  EXPECT_EQ(audit->report.host.name, "WS-HARDENED");
  EXPECT_EQ(audit->report.host.role, Role::Workstation);
  EXPECT_EQ(audit->report.host.build, 26100);
  EXPECT_EQ(audit->report.host.ubr, 8655);
  EXPECT_EQ(audit->report.host.edition, "Enterprise");
  EXPECT_EQ(audit->report.host.domain, "corp.example");
  Verdicts expected = with({{"ntlm-domain-audited", "not_applicable"},
                            {"entra-password-protection-dc-agent", "not_applicable"},
                            {"ldap-server-signing-required", "not_applicable"},
                            {"ldap-channel-binding", "not_applicable"},
                            {"print-spooler-disabled-on-dc", "not_applicable"},
                            {"ntlm-domain-restricted", "not_applicable"}});
  for (const auto& [rule, status] : audit->verdicts)
    if (!expected.count(rule)) expected[rule] = "pass";
  EXPECT_EQ(expected.size(), 53u);
  expect_verdicts(*audit, expected);
  expect_live_only_parts_unknown(*audit);
}

TEST(OfflineImages, DefaultHomeFailsWhatHomeLeavesOpen) {
  TempDir dir;
  auto audit = audit_image(dir, "default-26100-home", test_support::kConfigFolder);
  ASSERT_TRUE(audit);
  EXPECT_EQ(audit->report.host.membership, Membership::Workgroup);
  expect_verdicts(*audit, with({
                              {"smb-client-min-dialect", "fail"},
                              {"smb-server-min-dialect", "fail"},
                              {"smb-server-encryption-required", "fail"},
                              {"smb-client-encryption-required", "fail"},
                              {"outbound-smb-blocked", "fail"},
                              {"insecure-guest-logons-disabled", "fail"},  // Home allows guest logons
                              {"webclient-disabled", "fail"},
                              {"kerberos-armoring", "not_applicable"},  // workgroup
                              {"credential-guard", "fail"},
                              {"ntlm-incoming-audited", "fail"},
                              {"ntlm-outgoing-audited", "fail"},
                              {"ntlm-incoming-denied", "fail"},
                              {"ntlm-domain-audited", "not_applicable"},
                              {"lm-compatibility-level", "fail"},
                              {"no-lm-hash", "pass"},
                              {"ntlm-session-security", "fail"},
                              {"smb-client-ntlm-blocked", "fail"},
                              {"smb-server-auth-rate-limiter", "pass"},  // on by default from 26100
                              {"windows-hello-for-business", "fail"},
                              {"entra-password-protection-dc-agent", "not_applicable"},
                              {"smb-server-signing-required", "fail"},  // Home is not signing by default
                              {"smb-client-signing-required", "fail"},
                              {"security-patch-level", "fail"},  // 26100.2314 lacks the fixes from CVE-2025-21311 on
                              {"smb-client-payload-integrity", "fail"},
                              {"smb-server-payload-integrity", "fail"},
                              {"smb-insecure-peer-auditing", "fail"},  // nothing audited by default
                              {"smb1-server-disabled", "pass"},
                              {"smb1-client-disabled", "pass"},
                              {"smb1-access-auditing", "pass"},
                              {"llmnr-disabled", "fail"},
                              {"netbios-name-resolution-restricted", "fail"},
                              {"mdns-disabled", "fail"},
                              {"smb-server-relay-protected", "fail"},
                              {"smb-server-spn-validation", "fail"},
                              {"smb-client-plaintext-password-disabled", "pass"},
                              {"smb-remote-mailslots-disabled", "pass"},  // off by default from 26100
                              {"ldap-client-signing", "pass"},
                              {"ldap-client-encryption", "fail"},  // 24H2 clients: default undocumented
                              {"ldap-server-signing-required", "not_applicable"},
                              {"ldap-channel-binding", "not_applicable"},
                              {"anonymous-enumeration-restricted", "fail"},
                              {"null-session-access-restricted", "pass"},
                              {"remote-sam-restricted", "pass"},
                              {"lsa-protection", "fail"},
                              {"wdigest-disabled", "pass"},
                              {"local-account-token-filter", "pass"},
                              {"print-spooler-disabled-on-dc", "not_applicable"},
                              {"print-spooler-remote-rpc-disabled", "fail"},
                              {"ntlm-domain-restricted", "not_applicable"},
                              {"kerberos-armoring-required", "not_applicable"},
                              {"unc-hardened-paths", "not_applicable"},
                          }));
  expect_live_only_parts_unknown(*audit);
}

TEST(OfflineImages, Windows7ProfessionalReadsItsActiveControlSetAndFailsOnSmb1) {
  TempDir dir;
  auto audit = audit_image(dir, "default-7601-professional", test_support::kConfigFolder);
  ASSERT_TRUE(audit);
  EXPECT_NE(audit->report.source.description.find("CurrentControlSet = ControlSet002"), std::string::npos);
  EXPECT_FALSE(audit->report.host.ubr) << "Windows 7 has no UBR value";
  expect_verdicts(*audit, with({
                              {"smb-client-min-dialect", "fail"},  // no dialect floor before 16299
                              {"smb-server-min-dialect", "not_applicable"},
                              {"smb-server-encryption-required", "fail"},
                              {"smb-client-encryption-required", "not_applicable"},
                              {"outbound-smb-blocked", "fail"},
                              {"insecure-guest-logons-disabled", "fail"},
                              {"webclient-disabled", "fail"},
                              {"kerberos-armoring", "fail"},
                              {"credential-guard", "fail"},
                              {"ntlm-incoming-audited", "fail"},
                              {"ntlm-outgoing-audited", "fail"},
                              {"ntlm-incoming-denied", "fail"},
                              {"ntlm-domain-audited", "not_applicable"},
                              {"lm-compatibility-level", "fail"},  // ControlSet001's stale 5 is not read
                              {"no-lm-hash", "pass"},
                              {"ntlm-session-security", "fail"},
                              {"smb-client-ntlm-blocked", "not_applicable"},
                              {"smb-server-auth-rate-limiter", "not_applicable"},
                              {"windows-hello-for-business", "fail"},
                              {"entra-password-protection-dc-agent", "not_applicable"},
                              {"smb-server-signing-required", "fail"},  // ControlSet001's stale 1 is not read
                              {"smb-client-signing-required", "fail"},
                              {"security-patch-level", "unknown"},  // build 7601 is not in the patch-level table
                              {"smb-client-payload-integrity", "fail"},
                              {"smb-server-payload-integrity", "fail"},
                              {"smb-insecure-peer-auditing", "not_applicable"},
                              {"smb1-server-disabled", "fail"},
                              {"smb1-client-disabled", "fail"},
                              {"smb1-access-auditing", "fail"},
                              {"llmnr-disabled", "fail"},
                              {"netbios-name-resolution-restricted", "fail"},
                              {"mdns-disabled", "fail"},
                              {"smb-server-relay-protected", "fail"},
                              {"smb-server-spn-validation", "fail"},
                              {"smb-client-plaintext-password-disabled", "pass"},
                              {"smb-remote-mailslots-disabled", "not_applicable"},
                              {"ldap-client-signing", "pass"},
                              {"ldap-client-encryption", "not_applicable"},
                              {"ldap-server-signing-required", "not_applicable"},
                              {"ldap-channel-binding", "not_applicable"},
                              {"anonymous-enumeration-restricted", "fail"},
                              {"null-session-access-restricted", "pass"},
                              {"remote-sam-restricted", "fail"},  // no check before 14393
                              {"lsa-protection", "fail"},
                              {"wdigest-disabled", "fail"},  // stored by default before 9600
                              {"local-account-token-filter", "pass"},
                              {"print-spooler-disabled-on-dc", "not_applicable"},
                              {"print-spooler-remote-rpc-disabled", "fail"},
                              {"ntlm-domain-restricted", "not_applicable"},
                              {"kerberos-armoring-required", "fail"},
                              {"unc-hardened-paths", "fail"},  // no default hardening before 10240
                          }));
  expect_live_only_parts_unknown(*audit);
}

TEST(OfflineImages, MemberServer1709PassesItsServerSettingsAndDefaults) {
  TempDir dir;
  auto audit = audit_image(dir, "member-server-16299", test_support::kConfigFolder);
  ASSERT_TRUE(audit);
  EXPECT_EQ(audit->report.host.role, Role::MemberServer);
  expect_verdicts(*audit, with({
                              {"smb-client-min-dialect", "fail"},
                              {"smb-server-min-dialect", "not_applicable"},
                              {"smb-server-encryption-required", "pass"},
                              {"smb-client-encryption-required", "not_applicable"},
                              {"outbound-smb-blocked", "fail"},
                              {"insecure-guest-logons-disabled", "pass"},  // Server default from 16299
                              {"webclient-disabled", "pass"},              // not installed on servers
                              {"kerberos-armoring", "fail"},
                              {"credential-guard", "fail"},
                              {"ntlm-incoming-audited", "fail"},
                              {"ntlm-outgoing-audited", "fail"},
                              {"ntlm-incoming-denied", "fail"},
                              {"ntlm-domain-audited", "not_applicable"},
                              {"lm-compatibility-level", "pass"},
                              {"no-lm-hash", "pass"},
                              {"ntlm-session-security", "fail"},
                              {"smb-client-ntlm-blocked", "not_applicable"},
                              {"smb-server-auth-rate-limiter", "not_applicable"},
                              {"windows-hello-for-business", "not_applicable"},
                              {"entra-password-protection-dc-agent", "not_applicable"},
                              {"smb-server-signing-required", "pass"},
                              {"smb-client-signing-required", "fail"},
                              {"security-patch-level", "unknown"},  // build 16299 is not in the patch-level table
                              {"smb-client-payload-integrity", "fail"},
                              {"smb-server-payload-integrity", "pass"},
                              {"smb-insecure-peer-auditing", "not_applicable"},
                              {"smb1-server-disabled", "pass"},  // no srv key on a clean 1709 install
                              {"smb1-client-disabled", "pass"},
                              {"smb1-access-auditing", "pass"},
                              {"llmnr-disabled", "fail"},
                              {"netbios-name-resolution-restricted", "fail"},
                              {"mdns-disabled", "fail"},
                              {"smb-server-relay-protected", "pass"},
                              {"smb-server-spn-validation", "fail"},
                              {"smb-client-plaintext-password-disabled", "pass"},
                              {"smb-remote-mailslots-disabled", "not_applicable"},
                              {"ldap-client-signing", "pass"},
                              {"ldap-client-encryption", "not_applicable"},
                              {"ldap-server-signing-required", "not_applicable"},
                              {"ldap-channel-binding", "not_applicable"},
                              {"anonymous-enumeration-restricted", "fail"},
                              {"null-session-access-restricted", "pass"},
                              {"remote-sam-restricted", "pass"},
                              {"lsa-protection", "fail"},
                              {"wdigest-disabled", "pass"},
                              {"local-account-token-filter", "pass"},
                              {"print-spooler-disabled-on-dc", "not_applicable"},
                              {"print-spooler-remote-rpc-disabled", "fail"},
                              {"ntlm-domain-restricted", "not_applicable"},
                              {"kerberos-armoring-required", "fail"},
                              {"unc-hardened-paths", "pass"},  // Windows' own hardening from 10240
                          }));
  expect_live_only_parts_unknown(*audit);
}

TEST(OfflineImages, DomainControllerLeavesTheAgentsRunningStateUnknown) {
  TempDir dir;
  auto audit = audit_image(dir, "domain-controller-20348", test_support::kConfigFolder);
  ASSERT_TRUE(audit);
  EXPECT_EQ(audit->report.host.role, Role::DomainController);
  EXPECT_EQ(audit->report.host.membership, Membership::Domain);
  expect_verdicts(*audit, with({
                              {"smb-client-min-dialect", "fail"},
                              {"smb-server-min-dialect", "not_applicable"},
                              {"smb-server-encryption-required", "fail"},
                              {"smb-client-encryption-required", "not_applicable"},
                              {"outbound-smb-blocked", "fail"},
                              {"insecure-guest-logons-disabled", "pass"},
                              {"webclient-disabled", "pass"},
                              {"kerberos-armoring", "pass"},  // client and KDC both set
                              {"credential-guard", "not_applicable"},
                              {"ntlm-incoming-audited", "fail"},
                              {"ntlm-outgoing-audited", "fail"},
                              {"ntlm-incoming-denied", "fail"},
                              {"ntlm-domain-audited", "pass"},
                              {"lm-compatibility-level", "fail"},
                              {"no-lm-hash", "pass"},
                              {"ntlm-session-security", "fail"},
                              {"smb-client-ntlm-blocked", "not_applicable"},
                              {"smb-server-auth-rate-limiter", "not_applicable"},
                              {"windows-hello-for-business", "not_applicable"},
                              {"entra-password-protection-dc-agent", "unknown"},  // installed; running only live
                              {"smb-server-signing-required", "pass"},  // the Default Domain Controllers Policy value
                              {"smb-client-signing-required", "fail"},
                              {"security-patch-level", "fail"},  // 20348.2966 lacks the fixes from CVE-2025-21377 on
                              {"smb-client-payload-integrity", "fail"},
                              {"smb-server-payload-integrity", "pass"},
                              {"smb-insecure-peer-auditing", "not_applicable"},
                              {"smb1-server-disabled", "pass"},
                              {"smb1-client-disabled", "pass"},
                              {"smb1-access-auditing", "pass"},
                              {"llmnr-disabled", "fail"},
                              {"netbios-name-resolution-restricted", "fail"},
                              {"mdns-disabled", "fail"},
                              {"smb-server-relay-protected", "pass"},
                              {"smb-server-spn-validation", "fail"},
                              {"smb-client-plaintext-password-disabled", "pass"},
                              {"smb-remote-mailslots-disabled", "not_applicable"},
                              {"ldap-client-signing", "pass"},
                              {"ldap-client-encryption", "not_applicable"},
                              {"ldap-server-signing-required", "fail"},
                              {"ldap-channel-binding", "fail"},
                              {"anonymous-enumeration-restricted", "fail"},
                              {"null-session-access-restricted", "pass"},
                              {"remote-sam-restricted", "not_applicable"},
                              {"lsa-protection", "fail"},
                              {"wdigest-disabled", "pass"},
                              {"local-account-token-filter", "not_applicable"},
                              {"print-spooler-disabled-on-dc", "fail"},  // the Spooler starts automatically
                              {"print-spooler-remote-rpc-disabled", "fail"},
                              {"ntlm-domain-restricted", "fail"},
                              {"kerberos-armoring-required", "fail"},  // supported, not required
                              {"unc-hardened-paths", "pass"},
                          }));
  expect_live_only_parts_unknown(*audit);
  const auto agent = std::find_if(audit->report.findings.begin(), audit->report.findings.end(),
                                  [](const Finding& f) { return f.rule->id == "entra-password-protection-dc-agent"; });
  ASSERT_FALSE(agent->evidence.empty());
  EXPECT_EQ(agent->evidence.front().start_type, StartType::AutomaticDelayed);
  EXPECT_NE(agent->explanation.find("running state is unknown: offline image"), std::string::npos)
      << agent->explanation;
}

TEST(OfflineImages, EvidenceNamesTheHiveFileAndTheKeyInsideIt) {
  TempDir dir;
  auto audit = audit_image(dir, "default-7601-professional", "windows/system32/CONFIG");
  ASSERT_TRUE(audit);
  const auto lm = std::find_if(audit->report.findings.begin(), audit->report.findings.end(),
                               [](const Finding& f) { return f.rule->id == "lm-compatibility-level"; });
  ASSERT_FALSE(lm->evidence.empty());
  const Evidence& e = lm->evidence.front();
  EXPECT_EQ(e.path, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa");
  const auto config = dir.path() / "default-7601-professional" / "windows/system32/CONFIG";
  EXPECT_EQ(e.origin, (config / "SYSTEM").string() + ":\\ControlSet002\\Control\\Lsa");
}

}  // namespace
}  // namespace smbaudit
