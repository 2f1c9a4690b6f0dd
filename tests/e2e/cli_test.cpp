// End-to-end tests: drive the real binary the way users and CI scripts do, over fixture
// rule packs and facts files written inline.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/temp_dir.h"
#include "run.h"

namespace smbaudit {
namespace {

using test_support::read_file;
using test_support::run_smbaudit;
using test_support::TempDir;

const char* kRules = R"J({"schema": "smbaudit-rules/1", "rules": [
  {"id": "client-signing", "title": "SMB client requires signing", "layer": "transit", "severity": "high",
   "check": {"setting": {"sources": [
       {"registry": "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters", "value": "RequireSecuritySignature"}],
     "default": [{"when": {"min_build": 26100}, "value": 1}, {"value": 0}]}, "op": "equals", "value": 1},
   "rationale": "r", "remediation": {"summary": "Require signing.", "powershell": "Set-SmbClientConfiguration -RequireSecuritySignature $true"}},
  {"id": "lm-compatibility", "title": "NTLMv2 only", "layer": "identity", "severity": "medium",
   "check": {"setting": {"sources": [{"registry": "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa", "value": "LmCompatibilityLevel"}],
     "default": [{"value": 3}]}, "op": "equals", "value": 5},
   "rationale": "r", "remediation": {"summary": "Set level 5.", "group_policy": "LAN Manager authentication level"}}
]})J";

const char* kProfile = R"J({"schema": "smbaudit-profile/1", "name": "guide", "include": ["*"]})J";

// Build 22631: client signing is not required by default, so it fails; LM level 5 passes.
const char* kFacts = R"J({"schema": "smbaudit-facts/1",
  "host": {"name": "WS01", "os_build": 22631, "edition": "Enterprise", "role": "workstation", "domain_joined": false},
  "registry": {
    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters": {"values": {}},
    "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa": {"values": {"LmCompatibilityLevel": {"type": "REG_DWORD", "data": 5}}}
  }})J";

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    rules_ = dir_.write("pack/rules.json", kRules).parent_path().string();
    dir_.write("pack/profiles/guide.json", kProfile);
    facts_ = dir_.write("ws01.json", kFacts).string();
  }

  test_support::RunResult audit(std::vector<std::string> extra) {
    std::vector<std::string> args{"audit", "--rules", rules_, "--facts", facts_};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_smbaudit(args);
  }

  TempDir dir_;
  std::string rules_, facts_;
};

TEST_F(Cli, PrintsItsVersion) {
  auto r = run_smbaudit({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("smbaudit ", 0), 0u) << r.out;
}

TEST_F(Cli, AuditWritesTheTextReportWithFailuresFirstAndExitsZero) {
  auto r = audit({});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto fail = r.out.find("FAIL     high     client-signing");
  const auto pass = r.out.find("PASS     medium   lm-compatibility");
  ASSERT_NE(fail, std::string::npos) << r.out;
  ASSERT_NE(pass, std::string::npos) << r.out;
  EXPECT_LT(fail, pass);
  EXPECT_NE(r.out.find("Fix: Require signing."), std::string::npos);
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << "no colour when stdout is not a terminal";
}

TEST_F(Cli, AuditWritesSeveralReportsInOneRun) {
  const auto json_path = (dir_.path() / "out" / "r.json").string();
  const auto text_path = (dir_.path() / "out" / "r.txt").string();
  std::filesystem::create_directories(dir_.path() / "out");
  auto r = audit({"--format", "json", "--output", json_path, "--output", text_path, "-v"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  const auto report = nlohmann::json::parse(read_file(json_path));
  EXPECT_EQ(report["schema"], "smbaudit-report/1");
  EXPECT_EQ(report["host"]["name"], "WS01");
  EXPECT_EQ(report["rules"]["profile"], "guide");
  ASSERT_EQ(report["findings"].size(), 2u);
  const auto& signing = report["findings"][0];
  EXPECT_EQ(signing["rule"], "client-signing");
  EXPECT_EQ(signing["status"], "fail");
  EXPECT_EQ(signing["evidence"][0]["kind"], "registry");
  EXPECT_EQ(signing["evidence"][0]["path"], "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters");
  EXPECT_EQ(signing["evidence"][0]["present"], false);
  EXPECT_EQ(signing["evidence"][1]["kind"], "default");
  EXPECT_EQ(signing["evidence"][1]["data"], 0);
  EXPECT_EQ(report["score"]["layers"]["transit"], 0.0);
  EXPECT_EQ(report["score"]["layers"]["identity"], 100.0);
  EXPECT_NE(read_file(text_path).find("client-signing"), std::string::npos);
  EXPECT_NE(r.err.find("wrote json report"), std::string::npos) << "logs go to stderr with -v";
}

TEST_F(Cli, OutputPathPlaceholdersNameOneFilePerHostAndRun) {
  auto r = audit({"--format", "json", "--output", (dir_.path() / "{host}-{date}-{utc}.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir_.path()))
    if (e.path().filename().string().rfind("WS01-", 0) == 0) names.push_back(e.path().filename().string());
  ASSERT_EQ(names.size(), 1u);
  // WS01-2026-11-22-20261122T031500Z.json: the date, then the compact UTC time.
  const std::string& n = names[0];
  ASSERT_EQ(n.size(), std::string("WS01-2026-11-22-20261122T031500Z.json").size()) << n;
  EXPECT_EQ(n.substr(15, 1), "-") << n;
  EXPECT_EQ(n.substr(5, 4), n.substr(16, 4)) << "the same run's year in {date} and {utc}: " << n;
  EXPECT_EQ(n.substr(24, 1), "T") << n;
  const auto report = nlohmann::json::parse(read_file(dir_.path() / n));
  EXPECT_EQ(report["host"]["name"], "WS01");
}

TEST_F(Cli, JsonOnStdoutStaysCleanWhenVerbose) {
  auto r = audit({"--format", "json", "-vv"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(nlohmann::json::accept(r.out)) << r.out;
  EXPECT_NE(r.err.find("rules selected"), std::string::npos);
}

TEST_F(Cli, FailOnGateTripsAtOrAboveTheSeverity) {
  EXPECT_EQ(audit({"--fail-on", "high"}).exit_code, 1);
  EXPECT_EQ(audit({"--fail-on", "critical"}).exit_code, 0);
  auto r = audit({"--fail-on", "medium", "-q"});
  EXPECT_EQ(r.exit_code, 1);
}

TEST_F(Cli, FailUnderGateComparesTheOverallScore) {
  // high (5) failed, medium (3) passed: 3 / 8 = 37.5.
  EXPECT_EQ(audit({"--fail-under", "40"}).exit_code, 1);
  EXPECT_EQ(audit({"--fail-under", "37.5"}).exit_code, 0);
}

TEST_F(Cli, OnlyAndSkipSelectRules) {
  auto r = audit({"--only", "lm-compatibility", "--fail-on", "high"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("client-signing"), std::string::npos);
  EXPECT_EQ(audit({"--skip", "client-signing", "--fail-on", "high"}).exit_code, 0);
  auto bad = audit({"--only", "no-such-rule"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("no rule 'no-such-rule'"), std::string::npos);
}

TEST_F(Cli, MissingFactsFileIsBadInput) {
  auto r = run_smbaudit({"audit", "--rules", rules_, "--facts", (dir_.path() / "nope.json").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nope.json: cannot open facts file"), std::string::npos) << r.err;
}

TEST_F(Cli, MalformedFactsFileGivesOneLineNamingTheFile) {
  const auto bad = dir_.write("bad.json", R"J({"schema": "smbaudit-facts/1", "host": {"name": 5}})J").string();
  auto r = run_smbaudit({"audit", "--rules", rules_, "--facts", bad});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.json: at /host/name: expected a string, got integer"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(Cli, MalformedRuleFileNamesFileRuleAndPointer) {
  std::string broken = kRules;
  broken.replace(broken.find("\"op\": \"equals\", \"value\": 5"), 14, "\"op\": \"equal\"");
  const auto pack = dir_.write("broken/rules.json", broken).parent_path().string();
  auto r = run_smbaudit({"audit", "--rules", pack, "--facts", facts_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("rules.json: rule 'lm-compatibility' at /rules/1/check/op: unknown operator 'equal'"),
            std::string::npos)
      << r.err;
}

TEST_F(Cli, UnknownProfileAndFormatAreBadUsage) {
  auto r = audit({"--profile", "nonesuch"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no profile 'nonesuch'"), std::string::npos);
  EXPECT_EQ(audit({"--format", "yaml"}).exit_code, 2);
  EXPECT_EQ(run_smbaudit({"audit", "--no-such-flag"}).exit_code, 2);
  EXPECT_EQ(run_smbaudit({}).exit_code, 2);
}

TEST_F(Cli, UnwritableOutputKeepsThePreviousReport) {
  auto r = audit({"--output", (dir_.path() / "missing" / "r.json").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos);
  // A failed run (bad rules) leaves yesterday's report exactly as it was.
  const auto previous = dir_.write("nightly.json", "{\"previous\": true}\n");
  const auto pack = dir_.write("broken2/rules.json", "{ not json").parent_path().string();
  EXPECT_EQ(run_smbaudit({"audit", "--rules", pack, "--facts", facts_, "--output", previous.string()}).exit_code, 2);
  EXPECT_EQ(read_file(previous), "{\"previous\": true}\n");
}

TEST_F(Cli, RecordedCollectionFailureExitsThree) {
  const auto failed = dir_.write("srv9.json", R"J({"schema": "smbaudit-facts/1", "host": {"name": "SRV9"},
      "collection_error": "RegConnectRegistryW failed: the network path was not found (53)"})J");
  auto r = run_smbaudit({"audit", "--rules", rules_, "--facts", failed.string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("collection failed for host SRV9"), std::string::npos) << r.err;
}

#ifndef _WIN32
TEST_F(Cli, WithoutASourceOffWindowsSaysWhichFlagsToUse) {
  auto r = run_smbaudit({"audit", "--rules", rules_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--facts FILE"), std::string::npos) << r.err;
}

TEST_F(Cli, RemoteHostsOffWindowsAreNotAvailableInThisBuild) {
  auto r = run_smbaudit({"audit", "--rules", rules_, "--computer", "FS01"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not available in this build"), std::string::npos) << r.err;
}
#endif

TEST_F(Cli, RulesListShowsTheFactsEachRuleReads) {
  auto r = run_smbaudit({"rules", "--rules", rules_, "list", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto list = nlohmann::json::parse(r.out);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["id"], "client-signing");
  EXPECT_EQ(
      list[0]["facts"][0],
      "registry HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters\\RequireSecuritySignature");
  auto text = run_smbaudit({"rules", "--rules", rules_, "list"});
  EXPECT_NE(text.out.find("lm-compatibility"), std::string::npos);
  // With --profile, only what that profile would audit.
  const auto narrow = dir_.write("narrow.json", R"J({"schema": "smbaudit-profile/1", "name": "narrow",
      "exclude": ["lm-*"]})J");
  auto profiled = run_smbaudit({"rules", "--rules", rules_, "list", "--profile", narrow.string()});
  EXPECT_EQ(profiled.exit_code, 0) << profiled.err;
  EXPECT_NE(profiled.out.find("client-signing"), std::string::npos);
  EXPECT_EQ(profiled.out.find("lm-compatibility"), std::string::npos) << profiled.out;
}

TEST_F(Cli, RulesShowAndValidate) {
  auto show = run_smbaudit({"rules", "--rules", rules_, "show", "client-signing"});
  EXPECT_EQ(show.exit_code, 0);
  EXPECT_NE(show.out.find("default when build >= 26100: 1"), std::string::npos) << show.out;
  EXPECT_EQ(run_smbaudit({"rules", "--rules", rules_, "show", "nope"}).exit_code, 2);
  auto ok = run_smbaudit({"rules", "validate", rules_});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("2 rules in 1 files and 1 profiles are valid"), std::string::npos) << ok.out;
  const auto bad = dir_.write("dup/a.json", kRules).parent_path();
  dir_.write("dup/b.json", kRules);
  auto dup = run_smbaudit({"rules", "validate", bad.string()});
  EXPECT_EQ(dup.exit_code, 2);
  EXPECT_NE(dup.err.find("duplicate rule id"), std::string::npos);
}

TEST(CliBuiltInPack, RulesDocIsUpToDate) {
  // docs/rules.md is generated: scripts/gen-rules-doc.sh rewrites it from the pack.
  auto r = run_smbaudit({"rules", "list", "--format", "markdown"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, read_file(std::string(SMBAUDIT_SOURCE_DIR) + "/docs/rules.md"))
      << "docs/rules.md is out of date: run scripts/gen-rules-doc.sh";
}

TEST(CliBuiltInPack, AuditsTheBundledExample) {
  auto r = run_smbaudit({"audit", "--facts", std::string(SMBAUDIT_SOURCE_DIR) + "/examples/ws01-facts.json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Host     WS01"), std::string::npos) << r.out;
  auto valid = run_smbaudit({"rules", "validate"});
  EXPECT_EQ(valid.exit_code, 0) << valid.err;
}

}  // namespace
}  // namespace smbaudit
