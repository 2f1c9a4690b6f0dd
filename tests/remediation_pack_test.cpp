// The rule pack's fix data, tested against its own rule cases: every failing case, written
// as a JSON report and read back the way `smbaudit remediate --report` reads it, must be
// planned as an automatic fix that turns the rule to pass, and whose rollback gives back
// the original verdict; or, for rules without a safe automatic fix, as a manual step.
// This is what catches a fix that does not match its check.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "../src/remediate/plan.h"
#include "../src/report/json_writer.h"
#include "../src/report/report_reader.h"
#include "support/rule_cases.h"
#include "support/temp_dir.h"

namespace smbaudit {
namespace {

using nlohmann::json;
using test_support::builtin_pack;
using test_support::case_files;

// Failing cases a registry fix cannot (or must not) fix automatically, and why.
struct Exempt {
  std::string_view rule, case_name, why_contains;
};
constexpr std::string_view kAlreadySet = "but the running configuration does not";
constexpr std::string_view kUpdateFirst = "update Windows first";
constexpr std::string_view kStillFails = "would not make the rule pass";
constexpr Exempt kNotAutomatic[] = {
    // The host itself has to change: no setting gives these builds the feature.
    {"smb-client-min-dialect", "build 15063 predates the floor even with the value set", kUpdateFirst},
    // Live: the registry already holds the fix, the running configuration (WMI) disagrees;
    // writing it again changes nothing, a restart (and a re-audit) does.
    {"smb-client-payload-integrity",
     "live: LW says 1 but WMI (effective configuration) reports signing not required, no encryption", kAlreadySet},
    {"smb-client-signing-required", "live: LW says 1 but WMI (effective configuration) reports signing not required",
     kAlreadySet},
    {"smb-server-encryption-required", "WMI EncryptData false beats a registry EncryptData 1", kAlreadySet},
    {"smb-server-payload-integrity",
     "live: LS says 1 but WMI (effective configuration) reports signing not required, no encryption", kAlreadySet},
    {"smb-server-signing-required", "live: LS says 1 but WMI (effective configuration) reports signing not required",
     kAlreadySet},
    {"smb1-access-auditing", "WMI says not audited, beats AuditSmb1Access = 1 in the registry", kAlreadySet},
    {"smb1-server-disabled", "WMI says enabled, beats a stale SMB1 = 0 in the registry", kAlreadySet},
    // A narrower HardenedPaths entry switches a flag off; deleting someone's entry is a decision.
    {"unc-hardened-paths", "server-specific entry switching mutual auth off for one DC", kStillFails},
    {"unc-hardened-paths", "\\\\dc01\\* switching integrity off covers that DC's SYSVOL", "and the rule still fails"},
    {"unc-hardened-paths",
     "issue 13 #7: \\\\corp.example\\SYSVOL with mutual authentication only, beside a hardened \\\\*\\SYSVOL (was a "
     "pass)",
     "and the rule still fails"},
    // Editions that cannot run Credential Guard: no setting changes the licence.
    {"credential-guard",
     "issue 13 #2: offline, LSA LsaCfgFlags = 1 on Pro: Pro cannot run Credential Guard (was a pass)", kStillFails},
    {"credential-guard", "issue 13 #2: policy LsaCfgFlags = 1 with VBS on Pro Education: not licensed (was a pass)",
     kStillFails},
    {"credential-guard", "Windows 11 SE (CloudEdition) with policy on: not licensed", "and the rule still fails"},
    {"credential-guard", "default: 22631 Professional, off", kStillFails},
    // An exception list that exempts every server: emptying someone's list is a decision.
    {"ntlm-outgoing-audited", "issue 13 #3: Deny all with ClientAllowedNTLMServers = * fails strict (was a pass)",
     "and the rule still fails"},
    {"smb-client-ntlm-blocked", "issue 13 #3: BlockNTLM 1 with policy exception list * (was a pass)",
     "and the rule still fails"},
    {"smb-client-ntlm-blocked", "issue 13 #3: BlockNTLM 1 with Parameters exception list * (was a pass)",
     "and the rule still fails"},
    {"ntlm-outgoing-audited",
     "issue 13 #3: Deny all with ClientAllowedNTLMServers = *.corp.example fails strict (was a pass)",
     "and the rule still fails"},
    {"smb-client-ntlm-blocked", "issue 13 #3: BlockNTLM 1 with policy exception list *.example (was a pass)",
     "and the rule still fails"},
    {"smb-client-ntlm-blocked", "issue 13 #3: BlockNTLM 1 with policy exception list 10.0.* (was a pass)",
     "and the rule still fails"},
    // Pipes or shares a null session may still open: emptying someone's list is a decision.
    {"null-session-access-restricted", "issue 13: workstation whose NullSessionPipes names COMNAP (was a pass)",
     "and the rule still fails"},
    {"null-session-access-restricted", "issue 13: NullSessionShares names a share (was a pass)",
     "and the rule still fails"},
    {"null-session-access-restricted",
     "issue 13: domain controller with BROWSER beside netlogon, samr, lsarpc (was a pass)", "and the rule still fails"},
    {"null-session-access-restricted", "member server with a domain controller's pipes: not a DC, so none is allowed",
     "and the rule still fails"},
    // Disabled already: what is left is stopping it, which the script leaves to a restart.
    {"webclient-disabled", "issue 13 #11: live: WebClient disabled but still running (was a pass)",
     "already disabled but still running"},
    {"print-spooler-disabled-on-dc", "issue 13: live: Spooler disabled but still running on a DC (was a pass)",
     "already disabled but still running"},
};

const Exempt* exempt(const std::string& rule, const std::string& name) {
  for (const auto& e : kNotAutomatic)
    if (e.rule == rule && e.case_name == name) return &e;
  return nullptr;
}

// WMI mirrors the registry only after the service re-reads it; a re-audit straight after the
// change is modelled without WMI (as offline), the state the fix verification also uses.
void drop_wmi(FactSet& facts) {
  for (auto& [cls, result] : facts.wmi) result = Unexpected(FactError{FactProblem::Unknown, "not modelled"});
}

ReadReport as_read_report(const Finding& finding, const HostFacts& host) {
  Report report;
  report.tool_version = "test";
  report.generated_at = "2026-11-20T02:00:00Z";
  report.profile = "test";
  report.host = host;
  report.findings.push_back(finding);
  report.score = score(report.findings);
  auto read = parse_report(report_to_json(report).dump(), "case.json");
  EXPECT_TRUE(read) << read.error();
  return read ? *read : ReadReport{};
}

TEST(RemediationPack, EveryRuleHasAnAutomaticFixOrSaysWhyNot) {
  const RulePack pack = builtin_pack();
  for (const auto& rule : pack.rules) {
    SCOPED_TRACE(rule.id);
    EXPECT_TRUE(rule.remediation.automatic() || !rule.remediation.manual.empty());
  }
}

TEST(RemediationPack, EveryFixTurnsEveryFailingCaseToPassAndItsRollbackRestoresTheVerdict) {
  const RulePack pack = builtin_pack();
  std::set<std::string> fixed_rules;
  int exempted = 0;
  for (const auto& file : case_files()) {
    const json doc = json::parse(test_support::read_file(file));
    const Rule* rule = pack.find(doc.at("rule").get<std::string>());
    ASSERT_NE(rule, nullptr);
    for (const auto& c : doc.at("cases")) {
      if (c.at("expect") != "fail") continue;
      const std::string name = c.at("name");
      SCOPED_TRACE(rule->id + ": " + name);
      const auto observed = test_support::case_facts(*rule, c);
      ASSERT_TRUE(observed);
      const HostFacts* host = &observed->host;
      const FactSet* facts = &observed->facts;
      const auto params = test_support::case_parameters(c);
      const Finding before = evaluate(*rule, *host, *facts, params);
      ASSERT_EQ(before.status, Status::Fail) << before.explanation;

      const RemediationPlan plan = plan_remediation(as_read_report(before, *host), pack, {{rule->id, params}});
      if (!rule->remediation.automatic()) {
        ASSERT_EQ(plan.manual.size(), 1u);
        EXPECT_EQ(plan.manual[0].why, rule->remediation.manual);
        EXPECT_TRUE(plan.fixes.empty());
        continue;
      }
      if (const Exempt* e = exempt(rule->id, name)) {
        if (plan.manual.size() != 1u) {
          ADD_FAILURE() << "expected a manual step";
          continue;
        }
        EXPECT_NE(plan.manual[0].why.find(e->why_contains), std::string::npos) << plan.manual[0].why;
        ++exempted;
        continue;
      }
      if (plan.fixes.size() != 1u) {
        ADD_FAILURE() << "not fixed automatically: " << (plan.manual.empty() ? "" : plan.manual[0].why);
        continue;
      }
      const RuleFix& fix = plan.fixes[0];

      FactSet after = *facts;
      drop_wmi(after);
      const Finding unchanged = evaluate(*rule, *host, after, params);
      apply_changes(after, fix.registry, fix.services, fix.account_policy);
      const Finding fixed = evaluate(*rule, *host, after, params);
      EXPECT_EQ(fixed.status, Status::Pass) << fixed.explanation;

      apply_rollback(after, fix.registry, fix.services, fix.account_policy);
      const Finding rolled_back = evaluate(*rule, *host, after, params);
      EXPECT_EQ(rolled_back.status, unchanged.status);
      EXPECT_EQ(rolled_back.explanation, unchanged.explanation);
      fixed_rules.insert(rule->id);
    }
  }
  EXPECT_EQ(exempted, static_cast<int>(std::size(kNotAutomatic))) << "an exemption no longer matches a case";
  for (const auto& rule : pack.rules)
    if (rule.remediation.automatic()) {
      EXPECT_TRUE(fixed_rules.count(rule.id)) << rule.id << ": no failing case was fixed automatically";
    }
}

}  // namespace
}  // namespace smbaudit
