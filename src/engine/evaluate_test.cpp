#include <gtest/gtest.h>

#include "compare.h"
#include "smbaudit/engine.h"

namespace smbaudit {
namespace {

constexpr const char* kPolicy = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation";
constexpr const char* kParams = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters";

// A rule reading a policy key, then the preference key, then WMI (skipped when unavailable),
// with Windows' default depending on build and edition.
const char* kSigningRule = R"J({"schema": "smbaudit-rules/1", "rules": [{
  "id": "client-signing", "title": "t", "layer": "transit", "severity": "high",
  "applies_to": {"roles": ["workstation", "member_server"]},
  "check": {"setting": {
      "sources": [
        {"registry": "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation", "value": "RequireSecuritySignature"},
        {"registry": "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters", "value": "RequireSecuritySignature"},
        {"wmi": "root\\Microsoft\\Windows\\SMB", "class": "MSFT_SmbClientConfiguration", "property": "RequireSecuritySignature", "when_unavailable": "skip"}],
      "default": [
        {"when": {"min_build": 26100, "not_editions": ["Core"]}, "value": 1, "note": "required from 26100"},
        {"value": 0, "note": "not required before 26100"}]},
    "op": "equals", "value": 1},
  "rationale": "r", "remediation": {"summary": "s", "powershell": "p"}}]})J";

class EvaluateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = load_rule_pack({RuleFile{"inline.json", kSigningRule}}, "inline");
    ASSERT_TRUE(loaded) << loaded.error().front().to_string();
    pack_ = std::move(*loaded);
    host_.name = "H";
    host_.build = 26100;
    host_.edition = "Enterprise";
    host_.role = Role::Workstation;
    facts_.registry.emplace(kPolicy, RegistryKeyFact{Presence::Absent, {}, ""});
    facts_.registry.emplace(kParams, RegistryKeyFact{Presence::Present, {}, ""});
    facts_.wmi.emplace(WmiClassRef{"root\\Microsoft\\Windows\\SMB", "MSFT_SmbClientConfiguration"},
                       Unexpected(FactError{FactProblem::Unknown, "namespace missing (0x8004100e)"}));
  }

  void set(const char* key, std::int64_t data) {
    facts_.registry.insert_or_assign(
        key, RegistryKeyFact{Presence::Present, {RegValue{"RequireSecuritySignature", RegType::Dword, data}}, ""});
  }

  Finding run() { return evaluate(pack_.rules.front(), host_, facts_, {}); }

  RulePack pack_;
  HostFacts host_;
  FactSet facts_;
};

TEST_F(EvaluateTest, AppliesWindowsDefaultThatDependsOnBuild) {
  host_.build = 26100;
  Finding f = run();
  EXPECT_EQ(f.status, Status::Pass) << f.explanation;
  EXPECT_NE(f.explanation.find("Windows default: required from 26100"), std::string::npos) << f.explanation;

  host_.build = 22621;
  f = run();
  EXPECT_EQ(f.status, Status::Fail) << f.explanation;
  ASSERT_FALSE(f.evidence.empty());
  EXPECT_EQ(f.evidence.back().kind, EvidenceKind::Default);
  EXPECT_EQ(f.evidence.back().role, EvidenceRole::Decided);
}

TEST_F(EvaluateTest, RecordsRegistrySourcesBelowTheDecidingOneAsConsulted) {
  set(kPolicy, 0);
  set(kParams, 1);
  const Finding f = run();
  EXPECT_EQ(f.status, Status::Fail);
  ASSERT_EQ(f.evidence.size(), 2u);
  EXPECT_EQ(f.evidence[0].path, kPolicy);
  EXPECT_EQ(f.evidence[0].role, EvidenceRole::Decided);
  // What a fix of the preference value would overwrite, shown but deciding nothing.
  EXPECT_EQ(f.evidence[1].path, kParams);
  EXPECT_EQ(f.evidence[1].role, EvidenceRole::Consulted);
  EXPECT_EQ(f.evidence[1].data, Value{std::int64_t{1}});
}

TEST_F(EvaluateTest, LeavesOutUnreadableSourcesBelowTheDecidingOne) {
  set(kPolicy, 1);
  facts_.registry.insert_or_assign(kParams, Unexpected(FactError{FactProblem::Error, "access denied"}));
  const Finding f = run();
  EXPECT_EQ(f.status, Status::Pass);
  ASSERT_EQ(f.evidence.size(), 1u);
  EXPECT_EQ(f.evidence[0].path, kPolicy);
}

TEST_F(EvaluateTest, TraceShowsEachSourceReadWhichDecidedAndTheVerdict) {
  set(kParams, 0);
  std::vector<TraceStep> trace;
  const Finding f = evaluate_traced(pack_.rules.front(), host_, facts_, {}, &trace);
  EXPECT_EQ(f.status, Status::Fail);
  ASSERT_EQ(trace.size(), 4u);
  EXPECT_EQ(trace[0].depth, 0);
  EXPECT_NE(trace[0].text.find("applies to this host"), std::string::npos) << trace[0].text;
  EXPECT_EQ(trace[1].depth, 0);
  EXPECT_EQ(trace[1].status, Status::Fail);
  EXPECT_EQ(trace[1].text, f.explanation);
  EXPECT_EQ(trace[2].depth, 1);
  EXPECT_EQ(trace[2].text, std::string(kPolicy) + "\\RequireSecuritySignature: absent (the key is absent)");
  EXPECT_EQ(trace[3].text,
            std::string(kParams) + "\\RequireSecuritySignature: 0 (REG_DWORD): the first source set, so it decides");
  EXPECT_FALSE(trace[3].status);
  // The same verdict and evidence as without a trace.
  const Finding plain = run();
  EXPECT_EQ(plain.status, f.status);
  EXPECT_EQ(plain.evidence, f.evidence);
}

TEST_F(EvaluateTest, TraceNamesWindowsDefaultWhenNoSourceIsSet) {
  host_.build = 22621;
  std::vector<TraceStep> trace;
  (void)evaluate_traced(pack_.rules.front(), host_, facts_, {}, &trace);
  ASSERT_EQ(trace.size(), 6u);
  EXPECT_NE(trace[4].text.find("cannot be known here (namespace missing (0x8004100e)); skipped"), std::string::npos)
      << trace[4].text;
  EXPECT_EQ(trace[5].text, "no source is set: Windows' default is 0 (not required before 26100), so it decides");
}

TEST_F(EvaluateTest, AppliesWindowsDefaultThatDependsOnEdition) {
  host_.edition = "Core";
  EXPECT_EQ(run().status, Status::Fail);
}

TEST_F(EvaluateTest, PolicyValueWinsOverPreferenceValue) {
  set(kParams, 1);
  set(kPolicy, 0);
  Finding f = run();
  EXPECT_EQ(f.status, Status::Fail);
  EXPECT_NE(f.explanation.find("SOFTWARE\\Policies"), std::string::npos) << f.explanation;
}

TEST_F(EvaluateTest, PreferenceValueDecidesWhenNoPolicy) {
  set(kParams, 1);
  host_.build = 7601;
  Finding f = run();
  EXPECT_EQ(f.status, Status::Pass);
  // Evidence names every source consulted and marks the one that decided.
  ASSERT_EQ(f.evidence.size(), 2u);
  EXPECT_EQ(f.evidence[0].presence, Presence::Absent);
  EXPECT_EQ(f.evidence[0].role, EvidenceRole::Consulted);
  EXPECT_EQ(f.evidence[1].role, EvidenceRole::Decided);
  EXPECT_EQ(std::get<std::int64_t>(f.evidence[1].data), 1);
}

TEST_F(EvaluateTest, WmiValueDecidesWhenRegistryIsSilentAndNamespaceExists) {
  facts_.wmi.insert_or_assign(WmiClassRef{"root\\Microsoft\\Windows\\SMB", "MSFT_SmbClientConfiguration"},
                              WmiClassFact{{WmiInstance{{"RequireSecuritySignature", Value{false}}}}});
  Finding f = run();
  EXPECT_EQ(f.status, Status::Fail) << f.explanation;
  EXPECT_NE(f.explanation.find("reported by root\\Microsoft\\Windows\\SMB"), std::string::npos);
}

TEST_F(EvaluateTest, UnreadablePolicyKeyIsAnErrorNotAPass) {
  set(kParams, 1);
  facts_.registry.insert_or_assign(kPolicy, Unexpected(FactError{FactProblem::Error, "access denied (5)"}));
  Finding f = run();
  EXPECT_EQ(f.status, Status::Error);
  EXPECT_NE(f.explanation.find("access denied"), std::string::npos);
}

TEST_F(EvaluateTest, FactTheSourceCouldNotKnowIsUnknown) {
  facts_.registry.erase(kParams);
  EXPECT_EQ(run().status, Status::Unknown);
}

TEST_F(EvaluateTest, DefaultThatNeedsAnUnknownBuildIsUnknown) {
  host_.build.reset();
  Finding f = run();
  EXPECT_EQ(f.status, Status::Unknown);
  EXPECT_NE(f.explanation.find("OS build is unknown"), std::string::npos);
}

TEST_F(EvaluateTest, AnUnknownHostPropertyCarriesTheSourcesReason) {
  host_.build.reset();
  host_.unknown_reasons["os_build"] = "offline image: SOFTWARE hive not read (no --software hive given)";
  Finding f = run();
  EXPECT_EQ(f.status, Status::Unknown);
  EXPECT_NE(f.explanation.find("OS build is unknown: offline image: SOFTWARE hive not read"), std::string::npos)
      << f.explanation;
  host_.role.reset();
  host_.unknown_reasons["role"] = "DsRoleGetPrimaryDomainInformation: Access is denied (5)";
  f = run();
  EXPECT_EQ(f.status, Status::Unknown);
  EXPECT_NE(f.explanation.find("role is unknown: DsRoleGetPrimaryDomainInformation: Access is denied (5)"),
            std::string::npos)
      << f.explanation;
}

TEST_F(EvaluateTest, RuleForOtherRolesIsNotApplicable) {
  host_.role = Role::DomainController;
  Finding f = run();
  EXPECT_EQ(f.status, Status::NotApplicable);
  EXPECT_EQ(f.explanation, "applies to workstation or member_server; this host is a domain_controller");
}

const char* kComposite = R"J({"schema": "smbaudit-rules/1", "rules": [{
  "id": "webclient", "title": "t", "layer": "attack-surface", "severity": "medium",
  "check": {"any_of": [
    {"service": "WebClient", "op": "absent"},
    {"service": "WebClient", "property": "start_type", "op": "equals", "value": "disabled"}]},
  "rationale": "r", "remediation": {"summary": "s", "powershell": "p"}}]})J";

Finding run_service(const FactResult<ServiceFact>& service) {
  auto pack = load_rule_pack({RuleFile{"inline.json", kComposite}}, "inline");
  EXPECT_TRUE(pack);
  FactSet facts;
  facts.services.emplace("WebClient", service);
  return evaluate(pack->rules.front(), HostFacts{}, facts, {});
}

TEST(CompositeCheck, AnyOfPassesWhenOneBranchHolds) {
  EXPECT_EQ(run_service(ServiceFact{Presence::Absent, {}, {}, ""}).status, Status::Pass);
  EXPECT_EQ(run_service(ServiceFact{Presence::Present, StartType::Disabled, {}, ""}).status, Status::Pass);
  EXPECT_EQ(run_service(ServiceFact{Presence::Present, StartType::Manual, {}, ""}).status, Status::Fail);
}

TEST(CompositeCheck, AnyOfIsUnknownNotFailWhenTheFactIsUnknown) {
  EXPECT_EQ(run_service(Unexpected(FactError{FactProblem::Unknown, "offline"})).status, Status::Unknown);
}

TEST(Compare, OperatorsFollowDocumentedSemantics) {
  const auto holds = [](Op op, std::optional<Value> actual, Value operand, std::vector<Value> choices = {}) {
    return compare(op, actual, operand, choices).verdict == Verdict::Holds;
  };
  EXPECT_TRUE(holds(Op::Equals, Value{std::int64_t{1}}, Value{true}));
  EXPECT_TRUE(holds(Op::Equals, Value{std::string("WinNT")}, Value{std::string("winnt")}));
  EXPECT_TRUE(holds(Op::Equals, Value{std::string("0x311")}, Value{std::int64_t{785}}));
  EXPECT_FALSE(holds(Op::Equals, std::nullopt, Value{std::int64_t{0}}));
  EXPECT_TRUE(holds(Op::AtLeast, Value{std::int64_t{0x311}}, Value{std::int64_t{0x300}}));
  EXPECT_FALSE(holds(Op::AtMost, Value{std::int64_t{3}}, Value{std::int64_t{2}}));
  EXPECT_TRUE(holds(Op::BitsSet, Value{std::int64_t{0x20080000}}, Value{std::int64_t{0x20080000}}));
  EXPECT_FALSE(holds(Op::BitsSet, Value{std::int64_t{0x20000000}}, Value{std::int64_t{0x20080000}}));
  EXPECT_TRUE(holds(Op::BitsClear, Value{std::int64_t{4}}, Value{std::int64_t{3}}));
  EXPECT_TRUE(holds(Op::OneOf, Value{std::int64_t{2}}, Value{}, {Value{std::int64_t{1}}, Value{std::int64_t{2}}}));
  EXPECT_TRUE(holds(Op::Contains, Value{StringList{"a", "MRxSmb10"}}, Value{std::string("mrxsmb10")}));
  // contains wants a whole item; any_item_contains finds a wildcard inside one.
  EXPECT_FALSE(holds(Op::Contains, Value{StringList{"srv1", "*.corp.example"}}, Value{std::string("*")}));
  EXPECT_TRUE(holds(Op::AnyItemContains, Value{StringList{"srv1", "*.corp.example"}}, Value{std::string("*")}));
  EXPECT_FALSE(holds(Op::AnyItemContains, Value{StringList{"srv1", "srv2.corp.example"}}, Value{std::string("*")}));
  EXPECT_FALSE(holds(Op::AnyItemContains, Value{StringList{}}, Value{std::string("*")}));
  // subset_of: only what is allowed; an empty list (or one holding only empty items) holds.
  const Value dc_pipes{StringList{"netlogon", "samr", "lsarpc"}};
  EXPECT_TRUE(holds(Op::SubsetOf, Value{StringList{"LSARPC", "netlogon"}}, dc_pipes));
  EXPECT_TRUE(holds(Op::SubsetOf, Value{StringList{}}, Value{StringList{}}));
  EXPECT_TRUE(holds(Op::SubsetOf, Value{StringList{""}}, Value{StringList{}}));
  EXPECT_FALSE(holds(Op::SubsetOf, Value{StringList{"netlogon", "browser"}}, dc_pipes));
  EXPECT_FALSE(holds(Op::SubsetOf, Value{std::string("COMNAP")}, Value{StringList{}}));
  EXPECT_FALSE(holds(Op::SubsetOf, Value{std::int64_t{0}}, Value{StringList{}}));
  EXPECT_TRUE(holds(Op::Present, Value{std::int64_t{0}}, Value{}));
  EXPECT_TRUE(holds(Op::Absent, std::nullopt, Value{}));
  EXPECT_FALSE(holds(Op::AtLeast, Value{std::string("many")}, Value{std::int64_t{1}}));
}

TEST(KvField, ParsesHardenedPathDataTolerantly) {
  EXPECT_EQ(kv_field("RequireMutualAuthentication=1, RequireIntegrity=1", "requireintegrity"), Value{std::int64_t{1}});
  EXPECT_EQ(kv_field("requireintegrity = 0 ,RequireMutualAuthentication=1", "RequireIntegrity"),
            Value{std::int64_t{0}});
  EXPECT_EQ(kv_field("RequireMutualAuthentication=1", "RequirePrivacy"), std::nullopt);
}

Finding finding(const Rule& rule, Severity severity, Status status) {
  Finding f;
  f.rule = &rule;
  f.severity = severity;
  f.status = status;
  return f;
}

TEST(Score, WeighsBySeverityAndNeverCountsUnknownAsPass) {
  Rule transit;
  transit.layer = Layer::Transit;
  Rule identity;
  identity.layer = Layer::Identity;
  const Score s =
      score({finding(transit, Severity::High, Status::Pass), finding(transit, Severity::Low, Status::Fail),
             finding(transit, Severity::Critical, Status::Unknown), finding(identity, Severity::Medium, Status::Error),
             finding(identity, Severity::Info, Status::Fail)});
  ASSERT_TRUE(s.layers.at(Layer::Transit).score);
  EXPECT_DOUBLE_EQ(*s.layers.at(Layer::Transit).score, 83.3);  // 5 of 6
  EXPECT_EQ(s.layers.at(Layer::Transit).unknown, 1);
  // Identity: the error is not scored and info weighs nothing, so there is no score to give.
  EXPECT_FALSE(s.layers.at(Layer::Identity).score);
  EXPECT_EQ(s.layers.at(Layer::Identity).failed, 1);
  EXPECT_FALSE(s.layers.at(Layer::AttackSurface).score);
  EXPECT_EQ(s.totals.error, 1);
  EXPECT_DOUBLE_EQ(*s.overall, 83.3);
}

TEST_F(EvaluateTest, UnreachableHostReportsEveryRuleAsErrorWithTheCause) {
  Selection selection;
  selection.rules = {&pack_.rules.front()};
  selection.severities["client-signing"] = Severity::Low;
  const Report r = build_failed_report(selection, host_, "SRV9: RegConnectRegistryW: network path not found (53)");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].status, Status::Error);
  EXPECT_EQ(r.findings[0].severity, Severity::Low);
  ASSERT_EQ(r.findings[0].evidence.size(), 1u);
  EXPECT_EQ(r.findings[0].evidence[0].readability, Readability::Error);
  EXPECT_NE(r.findings[0].evidence[0].note.find("RegConnectRegistryW"), std::string::npos);
  EXPECT_EQ(r.score.totals.error, 1);
  EXPECT_FALSE(r.score.overall);
}

// A GPO's [System Access] length above 14 applies only where Windows takes it
// (RelaxMinimumPasswordLengthLimits = 1, build 19041 on); the live value needs no such check.
TEST(AccountPolicyCheck, ALayersLengthAbove14CountsOnlyWhereWindowsAppliesIt) {
  const char* pack_text = R"J({"schema": "smbaudit-rules/1", "rules": [{
    "id": "length", "title": "t", "layer": "identity", "severity": "medium",
    "check": {"account_policy": "min_password_length", "op": "at_least", "value": 15},
    "rationale": "r", "remediation": {"summary": "s", "powershell": "p"}}]})J";
  auto pack = load_rule_pack({RuleFile{"inline.json", pack_text}}, "inline");
  ASSERT_TRUE(pack) << pack.error().front().to_string();
  const Rule& rule = pack->rules.front();
  constexpr const char* kSam = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SAM";
  HostFacts host;
  host.build = 26100;
  const auto facts = [&](bool by_gpo, std::optional<std::int64_t> relax) {
    FactSet f;
    AccountPolicyFact policy{15, {}};
    if (by_gpo)
      policy.layers.push_back(
          LayerNote{LayerAction::SetValue, "min_password_length", "", {"GPO 'P'", "GptTmpl.inf line 4"}});
    f.account_policy = policy;
    std::vector<RegValue> values;
    if (relax) values.push_back(RegValue{"RelaxMinimumPasswordLengthLimits", RegType::Dword, Value{*relax}});
    f.registry.emplace(kSam, RegistryKeyFact{Presence::Present, values, ""});
    return f;
  };
  EXPECT_EQ(evaluate(rule, host, facts(false, std::nullopt), {}).status, Status::Pass) << "the live value applied";
  const Finding without = evaluate(rule, host, facts(true, std::nullopt), {});
  EXPECT_EQ(without.status, Status::Fail);
  EXPECT_NE(without.explanation.find("does not apply"), std::string::npos) << without.explanation;
  EXPECT_EQ(evaluate(rule, host, facts(true, 1), {}).status, Status::Pass);
  EXPECT_EQ(evaluate(rule, host, facts(true, 0), {}).status, Status::Fail);
  FactSet unread = facts(true, 1);
  unread.registry.insert_or_assign(kSam, Unexpected(FactError{FactProblem::Unknown, "not recorded"}));
  const Finding unknown = evaluate(rule, host, unread, {});
  EXPECT_EQ(unknown.status, Status::Unknown) << unknown.explanation;
  EXPECT_NE(unknown.explanation.find("may not apply"), std::string::npos) << unknown.explanation;
  host.build = 17763;
  EXPECT_EQ(evaluate(rule, host, facts(true, 1), {}).status, Status::Fail) << "no relaxing before build 19041";
}

}  // namespace
}  // namespace smbaudit
