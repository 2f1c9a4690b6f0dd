#include "plan.h"

#include <gtest/gtest.h>

#include "../report/json_writer.h"
#include "smbaudit/rule_loader.h"

namespace smbaudit {
namespace {

constexpr const char* kLw = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters";

// Two rules read the same value; "signing" and "integrity" fix it alike, "lenient" wants 2.
const char* kPack = R"J({"schema": "smbaudit-rules/1", "rules": [
  {"id": "signing", "title": "t", "layer": "transit", "severity": "high",
   "check": {"setting": {"sources": [{"registry": "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters", "value": "RequireSecuritySignature"}],
     "default": [{"value": 0}]}, "op": "equals", "value": 1},
   "rationale": "r", "remediation": {"summary": "s", "powershell": "p", "caution": "breaks old NAS",
     "registry": [{"key": "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters", "value": "RequireSecuritySignature", "type": "REG_DWORD", "data": 1}]}},
  {"id": "integrity", "title": "t", "layer": "transit", "severity": "high",
   "check": {"setting": {"sources": [{"registry": "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters", "value": "RequireSecuritySignature"}],
     "default": [{"value": 0}]}, "op": "equals", "value": 1},
   "rationale": "r", "remediation": {"summary": "s", "powershell": "p",
     "registry": [{"key": "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters", "value": "RequireSecuritySignature", "type": "REG_DWORD", "data": 1}]}},
  {"id": "lenient", "title": "t", "layer": "transit", "severity": "low",
   "check": {"setting": {"sources": [{"registry": "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters", "value": "RequireSecuritySignature"}],
     "default": [{"value": 0}]}, "op": "at_least", "value": 1},
   "rationale": "r", "remediation": {"summary": "s", "powershell": "p",
     "registry": [{"key": "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters", "value": "RequireSecuritySignature", "type": "REG_DWORD", "data": 2}]}},
  {"id": "firewall", "title": "t", "layer": "attack-surface", "severity": "medium",
   "check": {"setting": {"sources": [{"registry": "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters", "value": "RequireSecuritySignature"}],
     "default": [{"value": 0}]}, "op": "equals", "value": 1},
   "rationale": "r", "remediation": {"summary": "s", "powershell": "p", "manual": "depends on the network design"}},
  {"id": "length", "title": "t", "layer": "identity", "severity": "medium",
   "parameters": {"min_length": {"default": 15, "description": "d"}},
   "check": {"account_policy": "min_password_length", "op": "at_least", "value": {"param": "min_length"}},
   "rationale": "r", "remediation": {"summary": "s", "powershell": "p",
     "account_policy": [{"setting": "MinimumPasswordLength", "value": {"param": "min_length"}}]}}
]})J";

class PlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = load_rule_pack({RuleFile{"inline.json", kPack}}, "inline");
    ASSERT_TRUE(loaded) << loaded.error().front().to_string();
    pack_ = std::move(*loaded);
    host_.name = "H";
    host_.build = 22631;
  }

  // Audits `ids` on `facts`, writes the JSON report and reads it back, as remediate --report does.
  RemediationPlan plan(const std::vector<std::string>& ids, const FactSet& facts) {
    Report report;
    report.host = host_;
    for (const auto& id : ids) report.findings.push_back(evaluate(*pack_.find(id), host_, facts, {}));
    report.score = score(report.findings);
    auto read = parse_report(report_to_json(report).dump(), "r.json");
    EXPECT_TRUE(read) << read.error();
    return plan_remediation(*read, pack_, {});
  }

  FactSet with_value(std::int64_t v) {
    FactSet f;
    f.registry.emplace(
        kLw, RegistryKeyFact{Presence::Present, {RegValue{"RequireSecuritySignature", RegType::Dword, Value{v}}}, ""});
    return f;
  }

  RulePack pack_;
  HostFacts host_;
};

TEST_F(PlanTest, OneChangeServesTwoRulesAndRemembersThePriorValue) {
  const RemediationPlan p = plan({"integrity", "signing"}, with_value(0));
  ASSERT_EQ(p.fixes.size(), 2u);
  EXPECT_EQ(p.fixes[0].rule, "signing") << "a fix with a caution comes first";
  ASSERT_EQ(p.fixes[0].registry.size(), 1u);
  EXPECT_EQ(p.fixes[0].registry[0].data, Value{std::int64_t{1}});
  ASSERT_TRUE(p.fixes[0].registry[0].before);
  EXPECT_EQ(p.fixes[0].registry[0].before->data, Value{std::int64_t{0}});
  EXPECT_TRUE(p.fixes[1].registry.empty());
  EXPECT_EQ(p.fixes[1].shared, std::vector<std::string>{std::string(kLw) + "\\RequireSecuritySignature"});
}

TEST_F(PlanTest, AnAbsentValueIsDeletedByTheRollback) {
  FactSet f;
  f.registry.emplace(kLw, RegistryKeyFact{Presence::Absent, {}, ""});
  const RemediationPlan p = plan({"signing"}, f);
  ASSERT_EQ(p.fixes.size(), 1u);
  ASSERT_EQ(p.fixes[0].registry.size(), 1u);
  EXPECT_FALSE(p.fixes[0].registry[0].before);
}

TEST_F(PlanTest, RulesThatWantDifferentDataInOneValueAreBothManual) {
  const RemediationPlan p = plan({"signing", "lenient"}, with_value(0));
  EXPECT_TRUE(p.fixes.empty());
  ASSERT_EQ(p.manual.size(), 2u);
  EXPECT_NE(p.manual[0].why.find("write different data"), std::string::npos) << p.manual[0].why;
}

TEST_F(PlanTest, AnUnreadableValueMakesAnErrorFindingThatIsListedNotRemediated) {
  FactSet f;
  f.registry.emplace(kLw, Unexpected(FactError{FactProblem::Error, "access denied"}));
  const RemediationPlan p = plan({"signing"}, f);
  EXPECT_TRUE(p.fixes.empty());
  ASSERT_EQ(p.not_evaluated.size(), 1u) << "an unreadable value makes the finding an error, not a failure";
  EXPECT_EQ(p.not_evaluated[0].second, Status::Error);
}

TEST_F(PlanTest, ManualRulesAndRulesOutsideThePackAreListedNeverGuessed) {
  const RemediationPlan p = plan({"firewall"}, with_value(0));
  ASSERT_EQ(p.manual.size(), 1u);
  EXPECT_EQ(p.manual[0].why, "depends on the network design");

  Report report;
  report.host = host_;
  Rule stranger = *pack_.find("signing");
  stranger.id = "not-in-pack";
  report.findings.push_back(evaluate(stranger, host_, with_value(0), {}));
  report.score = score(report.findings);
  auto read = parse_report(report_to_json(report).dump(), "r.json");
  ASSERT_TRUE(read);
  const RemediationPlan q = plan_remediation(*read, pack_, {});
  ASSERT_EQ(q.manual.size(), 1u);
  EXPECT_NE(q.manual[0].why.find("not in the rule pack"), std::string::npos);
}

// Issue 16, item 2: a waiver accepts a risk; remediate must not change it unasked.
TEST_F(PlanTest, AWaivedFailureIsLeftOutAndListedUnlessIncluded) {
  Report report;
  report.host = host_;
  report.findings.push_back(evaluate(*pack_.find("signing"), host_, with_value(0), {}));
  report.findings.back().waiver = AppliedWaiver{WaiverState::Active, "old NAS", "2099-12-31", "w.json", 0};
  report.score = score(report.findings);
  auto read = parse_report(report_to_json(report).dump(), "r.json");
  ASSERT_TRUE(read) << read.error();
  const RemediationPlan left = plan_remediation(*read, pack_, {});
  EXPECT_FALSE(left.has_changes());
  ASSERT_EQ(left.waived.size(), 1u);
  EXPECT_EQ(left.waived[0].rule, "signing");
  EXPECT_EQ(left.waived[0].justification, "old NAS");
  EXPECT_EQ(left.waived[0].expires, "2099-12-31");
  const RemediationPlan included = plan_remediation(*read, pack_, {}, WaivedFindings::Include);
  ASSERT_EQ(included.fixes.size(), 1u);
  EXPECT_TRUE(included.waived.empty());
  EXPECT_EQ(included.included_waived, std::vector<std::string>{"signing"});
  // An expired waiver no longer applies: the failure is fixed.
  report.findings.back().waiver->state = WaiverState::Expired;
  auto expired = parse_report(report_to_json(report).dump(), "r.json");
  ASSERT_TRUE(expired);
  EXPECT_EQ(plan_remediation(*expired, pack_, {}).fixes.size(), 1u);
}

TEST_F(PlanTest, PassingFindingsNeedNothing) {
  const RemediationPlan p = plan({"signing"}, with_value(1));
  EXPECT_FALSE(p.has_changes());
  EXPECT_TRUE(p.manual.empty());
}

constexpr const char* kSam = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SAM";

FactSet with_length(int length, std::optional<std::int64_t> relax) {
  FactSet f;
  f.account_policy = AccountPolicyFact{length, {}};
  std::vector<RegValue> values;
  if (relax) values.push_back(RegValue{"RelaxMinimumPasswordLengthLimits", RegType::Dword, Value{*relax}});
  f.registry.emplace(kSam, RegistryKeyFact{Presence::Present, values, ""});
  return f;
}

TEST_F(PlanTest, ALengthAbove14SetsTheRelaxValueFirstAndTheRollbackDeletesIt) {
  const RemediationPlan p = plan({"length"}, with_length(12, std::nullopt));
  ASSERT_EQ(p.fixes.size(), 1u) << (p.manual.empty() ? "" : p.manual[0].why);
  const RuleFix& fix = p.fixes[0];
  ASSERT_EQ(fix.account_policy.size(), 1u);
  EXPECT_EQ(fix.account_policy[0].setting, "MinimumPasswordLength");
  EXPECT_EQ(fix.account_policy[0].value, 15);
  EXPECT_EQ(fix.account_policy[0].before, 12);
  ASSERT_EQ(fix.registry.size(), 1u);
  EXPECT_EQ(fix.registry[0].name, "RelaxMinimumPasswordLengthLimits");
  EXPECT_EQ(fix.registry[0].data, Value{std::int64_t{1}});
  EXPECT_FALSE(fix.registry[0].before) << "absent before: the rollback deletes it";
}

TEST_F(PlanTest, ARelaxValueAlreadyOneIsLeftAlone) {
  const RemediationPlan p = plan({"length"}, with_length(8, 1));
  ASSERT_EQ(p.fixes.size(), 1u);
  EXPECT_TRUE(p.fixes[0].registry.empty());
  EXPECT_EQ(p.fixes[0].account_policy.size(), 1u);
}

TEST_F(PlanTest, ALengthAbove14IsManualWhereWindowsCannotTakeIt) {
  host_.build = 17763;  // Windows Server 2019: no relax setting
  const RemediationPlan p = plan({"length"}, with_length(12, std::nullopt));
  ASSERT_EQ(p.manual.size(), 1u);
  EXPECT_NE(p.manual[0].why.find("only from build 19041"), std::string::npos) << p.manual[0].why;
}

TEST_F(PlanTest, TheAccountPolicyOfADomainControllerIsManual) {
  host_.role = Role::DomainController;
  const RemediationPlan p = plan({"length"}, with_length(7, 1));
  ASSERT_EQ(p.manual.size(), 1u);
  EXPECT_NE(p.manual[0].why.find("Default Domain Policy"), std::string::npos) << p.manual[0].why;
}

TEST_F(PlanTest, AnUnreadRelaxValueMeansNoExactRollback) {
  FactSet facts = with_length(12, std::nullopt);
  facts.registry.erase(kSam);
  facts.registry.emplace(kSam, Unexpected(FactError{FactProblem::Unknown, "not recorded"}));
  const RemediationPlan p = plan({"length"}, facts);
  ASSERT_EQ(p.manual.size(), 1u);
  EXPECT_NE(p.manual[0].why.find("RelaxMinimumPasswordLengthLimits"), std::string::npos) << p.manual[0].why;
}

TEST_F(PlanTest, AnUnreadableAccountPolicyIsManual) {
  FactSet facts = with_length(12, 1);
  facts.account_policy = Unexpected(FactError{FactProblem::Unknown, "offline image"});
  const RemediationPlan p = plan({"length"}, facts);
  // The finding is unknown, not failed: nothing to fix, and it is listed as not evaluated.
  EXPECT_TRUE(p.fixes.empty());
}

}  // namespace
}  // namespace smbaudit
