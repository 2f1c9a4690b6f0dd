// End-to-end tests of what a CI gate relies on: --only never evaluates nothing in silence,
// and a score says how many rules it stands on (--min-coverage).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/temp_dir.h"
#include "run.h"

namespace smbaudit {
namespace {

using test_support::read_file;
using test_support::run_smbaudit;
using test_support::TempDir;

const std::string kWs01Facts = test_support::source_path("examples/ws01-facts.json");

// Four rules: signing passes; the other three read keys this host could not read.
const char* kRules = R"J({"schema": "smbaudit-rules/1", "rules": [
  {"id": "client-signing", "title": "SMB client requires signing", "layer": "transit", "severity": "high",
   "check": {"setting": {"sources": [
       {"registry": "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters", "value": "RequireSecuritySignature"}]},
     "op": "equals", "value": 1},
   "rationale": "r", "remediation": {"summary": "Require signing.", "powershell": "Set-SmbClientConfiguration -RequireSecuritySignature $true -Force"}},
  {"id": "lm-level", "title": "NTLMv2 only", "layer": "identity", "severity": "high",
   "check": {"setting": {"sources": [{"registry": "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa", "value": "LmCompatibilityLevel"}]},
     "op": "equals", "value": 5}, "rationale": "r", "remediation": {"summary": "s", "group_policy": "g"}},
  {"id": "no-lm-hash", "title": "No LM hash", "layer": "identity", "severity": "high",
   "check": {"setting": {"sources": [{"registry": "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa", "value": "NoLMHash"}]},
     "op": "equals", "value": 1}, "rationale": "r", "remediation": {"summary": "s", "group_policy": "g"}},
  {"id": "dc-only", "title": "Domain controller rule", "layer": "identity", "severity": "low",
   "applies_to": {"roles": ["domain_controller"]},
   "check": {"setting": {"sources": [{"registry": "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Netlogon\\Parameters", "value": "AuditNTLMInDomain"}]},
     "op": "equals", "value": 7}, "rationale": "r", "remediation": {"summary": "s", "group_policy": "g"}}
]})J";

// What an offline audit with one hive gives: one rule readable, the rest unknown.
const char* kFacts = R"J({"schema": "smbaudit-facts/1",
  "host": {"name": "IMG01", "os_build": 26100, "role": "workstation"},
  "registry": {
    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters": {"values": {"RequireSecuritySignature": {"type": "REG_DWORD", "data": 1}}},
    "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa": {"error": {"kind": "unknown", "message": "offline image: SYSTEM hive not read"}}
  }})J";

class Gates : public ::testing::Test {
 protected:
  void SetUp() override {
    rules_ = dir_.write("pack/rules.json", kRules).parent_path().string();
    dir_.write("pack/profiles/guide.json", R"J({"schema": "smbaudit-profile/1", "name": "guide", "include": ["*"]})J");
    facts_ = dir_.write("img01.json", kFacts).string();
  }
  test_support::RunResult audit(std::vector<std::string> extra) {
    std::vector<std::string> args{"audit", "--rules", rules_, "--facts", facts_};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_smbaudit(args);
  }
  TempDir dir_;
  std::string rules_, facts_;
};

// Issue 16, item 3: `--only RULE` with a rule the profile leaves out evaluated nothing and
// exited 0, so a gate written that way always passed.
TEST(OnlyGate, ANamedRuleTheProfileDoesNotSelectIsEvaluatedAndTheRunSaysSo) {
  // The guide profile leaves ntlm-incoming-denied out (strict only); the example host fails it.
  auto r = run_smbaudit(
      {"audit", "--facts", kWs01Facts, "--only", "ntlm-incoming-denied", "--format", "json", "--fail-on", "low"});
  EXPECT_EQ(r.exit_code, 1) << "the named rule fails on this host, so the gate trips\n" << r.err;
  auto report = nlohmann::json::parse(r.out);
  ASSERT_EQ(report["findings"].size(), 1u);
  EXPECT_EQ(report["findings"][0]["rule"], "ntlm-incoming-denied");
  EXPECT_EQ(report["findings"][0]["status"], "fail");
  EXPECT_NE(r.err.find("warning: --only ntlm-incoming-denied: profile guide does not select this rule; it is "
                       "evaluated because it was named"),
            std::string::npos)
      << r.err;
}

TEST_F(Gates, ARunThatEvaluatesNoRuleIsExitTwoNeverASilentPass) {
  auto r = audit({"--only", "client-signing", "--skip", "client-signing", "--fail-on", "high"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("error: no rule to evaluate: profile guide with --only and --skip selects none"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty()) << "no report that would look like a clean audit";
  const auto empty = dir_.write("none.json", R"J({"schema": "smbaudit-profile/1", "name": "none", "exclude": ["*"]})J");
  auto none = audit({"--profile", empty.string()});
  EXPECT_EQ(none.exit_code, 2) << none.err;
  EXPECT_NE(none.err.find("no rule to evaluate: profile none selects none"), std::string::npos) << none.err;
}

// Issue 16, item 5: with one hive, "100.0 / 100" stood over rules that could not be read and
// `--fail-under 95 --fail-on high` passed.
TEST_F(Gates, FailUnderTripsWhenTooFewOfTheApplicableRulesCouldBeScored) {
  // 1 of 3 applicable rules scored (the domain controller rule does not apply): 33.3%.
  auto r = audit({"--fail-under", "95", "--fail-on", "high"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("IMG01: gate --fail-under 95: only 1 of 3 rules could be scored (33.3%, below "
                       "--min-coverage 50%), so the score stands on too little"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(audit({"--fail-under", "95", "--fail-on", "high", "--min-coverage", "30"}).exit_code, 0);
  EXPECT_EQ(audit({"--fail-on", "high"}).exit_code, 0) << "without --fail-under the default is no gate";
  auto alone = audit({"--min-coverage", "90"});
  EXPECT_EQ(alone.exit_code, 1) << "--min-coverage given alone is a gate";
  EXPECT_NE(alone.err.find("gate --min-coverage: only 1 of 3 rules could be scored"), std::string::npos) << alone.err;
}

TEST_F(Gates, EveryFormatShowsHowManyRulesTheScoreStandsOn) {
  const auto out = dir_.path() / "out";
  auto r = audit({"--output", (out / "r.txt").string(), "--output", (out / "r.json").string(), "--output",
                  (out / "r.sarif").string(), "--output", (out / "r.xml").string(), "--output", (out / "r.md").string(),
                  "--output", (out / "r.html").string(), "--output", (out / "r.ndjson").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(out / "r.txt").find("Score    100.0 / 100   scored 1 of 3 rules: 1 pass, 0 fail, 2 unknown"),
            std::string::npos)
      << read_file(out / "r.txt");
  auto json = nlohmann::json::parse(read_file(out / "r.json"));
  EXPECT_EQ(json["score"]["coverage"], nlohmann::json::parse(R"({"scored": 1, "applicable": 3, "percent": 33.3})"));
  auto sarif = nlohmann::json::parse(read_file(out / "r.sarif"));
  EXPECT_EQ(sarif["runs"][0]["properties"]["score"]["coverage"]["text"], "scored 1 of 3 rules");
  EXPECT_NE(read_file(out / "r.xml").find(R"(<property name="score.coverage" value="scored 1 of 3 rules"/>)"),
            std::string::npos);
  EXPECT_NE(read_file(out / "r.md").find("## smbaudit: IMG01, score 100.0 / 100 (scored 1 of 3 rules)"),
            std::string::npos)
      << read_file(out / "r.md");
  EXPECT_NE(read_file(out / "r.html").find("(scored 1 of 3 rules)"), std::string::npos);
  const std::string ndjson = read_file(out / "r.ndjson");
  auto host = nlohmann::json::parse(ndjson.substr(0, ndjson.find('\n')));
  EXPECT_EQ(host["rules_scored"], 1);
  EXPECT_EQ(host["rules_applicable"], 3);
  EXPECT_EQ(host["coverage"], 33.3);
  // The fleet summary shows it per host too.
  auto summary = run_smbaudit({"summary", (out / "r.json").string()});
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  EXPECT_NE(summary.out.find("scored 1 of 3 rules"), std::string::npos) << summary.out;
  auto summary_json = run_smbaudit({"summary", "--format", "json", (out / "r.json").string()});
  auto fleet = nlohmann::json::parse(summary_json.out);
  EXPECT_EQ(fleet["worst_hosts"][0]["scored"], 1);
  EXPECT_EQ(fleet["worst_hosts"][0]["applicable"], 3);
}

}  // namespace
}  // namespace smbaudit
