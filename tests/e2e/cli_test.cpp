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

TEST_F(Cli, WritesSarifJunitMarkdownAndNdjsonChosenByExtension) {
  const auto out = dir_.path();
  auto r = audit({"--output", (out / "r.sarif").string(), "--output", (out / "r.xml").string(), "--output",
                  (out / "r.md").string(), "--output", (out / "r.ndjson").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto sarif = nlohmann::json::parse(read_file(out / "r.sarif"));
  EXPECT_EQ(sarif["version"], "2.1.0");
  ASSERT_EQ(sarif["runs"][0]["results"].size(), 1u) << "one result: the failing client-signing rule";
  EXPECT_EQ(sarif["runs"][0]["results"][0]["ruleId"], "client-signing");
  EXPECT_NE(read_file(out / "r.xml").find("<failure message="), std::string::npos);
  EXPECT_NE(read_file(out / "r.md").find("#### FAIL `client-signing`"), std::string::npos);
  const std::string ndjson = read_file(out / "r.ndjson");
  EXPECT_EQ(std::count(ndjson.begin(), ndjson.end(), '\n'), 3) << "a host line and two findings";
  EXPECT_EQ(nlohmann::json::parse(ndjson.substr(0, ndjson.find('\n')))["record"], "host");
  // --format names them too, whatever the extension.
  auto md = audit({"--format", "markdown"});
  EXPECT_EQ(md.out.rfind("## smbaudit: WS01", 0), 0u) << md.out;
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

TEST_F(Cli, WaivedFailureKeepsItsStatusShowsAsWaivedAndPassesTheGate) {
  const auto waivers = dir_.write("waivers.json", R"J({"schema": "smbaudit-waivers/1", "waivers": [
      {"rule": "client-signing", "hosts": ["WS*"], "justification": "Legacy NAS until CHG-7.", "expires": "2099-12-31"}]})J");
  const auto json_path = (dir_.path() / "r.json").string();
  auto r = audit({"--waivers", waivers.string(), "--fail-on", "high", "--output", json_path, "--format", "text"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("WAIVED   high     client-signing"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("waived until 2099-12-31: Legacy NAS until CHG-7."), std::string::npos) << r.out;
  const auto report = nlohmann::json::parse(read_file(json_path));
  EXPECT_EQ(report["findings"][0]["status"], "fail") << "a waiver accepts a risk; it does not turn it into a pass";
  EXPECT_EQ(report["findings"][0]["waiver"]["state"], "active");
  EXPECT_EQ(report["score"]["overall"], 37.5) << "nor does it change the score";
  EXPECT_EQ(audit({"--waivers", waivers.string(), "--fail-under", "40"}).exit_code, 1);
}

TEST_F(Cli, ExpiredWaiverNoLongerAppliesAndTheReportSaysSo) {
  const auto waivers = dir_.write("waivers.json", R"J({"schema": "smbaudit-waivers/1", "waivers": [
      {"rule": "client-signing", "justification": "Until the NAS is replaced.", "expires": "2020-01-31"}]})J");
  auto r = audit({"--waivers", waivers.string(), "--fail-on", "high"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("FAIL     high     client-signing"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("waiver expired on 2020-01-31, so it no longer applies"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("WS01: the waiver for client-signing (" + waivers.string() +
                       " /waivers/0) expired on 2020-01-31, so it no longer applies"),
            std::string::npos)
      << r.err;
}

TEST_F(Cli, AWaiverExpiresByTheDayOfTheRunNotTheDayTheFactsWereCollected) {
  // Collected in 2020, when the waiver still applied; audited now, when it no longer does.
  const auto facts = dir_.write("old.json", R"J({"schema": "smbaudit-facts/1",
    "host": {"name": "WS01", "os_build": 22631, "role": "workstation", "collected_at": "2020-06-01T02:00:00Z"},
    "registry": {"HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters": {"values": {}}}})J");
  const auto waivers = dir_.write("waivers.json", R"J({"schema": "smbaudit-waivers/1", "waivers": [
      {"rule": "client-signing", "justification": "Until the NAS is replaced.", "expires": "2021-01-31"}]})J");
  auto r = run_smbaudit({"audit", "--rules", rules_, "--facts", facts.string(), "--only", "client-signing", "--waivers",
                         waivers.string(), "--format", "json", "--fail-on", "high"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["findings"][0]["waiver"]["state"], "expired") << r.out;
}

TEST_F(Cli, WaiverNamingAnUnknownRuleIsBadInput) {
  const auto waivers = dir_.write("w.json", R"J({"schema": "smbaudit-waivers/1", "waivers": [
      {"rule": "client-signin", "justification": "typo", "expires": "2099-01-01"}]})J");
  auto r = audit({"--waivers", waivers.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("w.json at /waivers/0/rule: no rule 'client-signin' in the pack"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(r.out.empty()) << "no report from a run with bad input";
  auto missing = audit({"--waivers", (dir_.path() / "none.json").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("none.json: cannot read waivers file"), std::string::npos) << missing.err;
}

TEST_F(Cli, UnknownGateWarnsByDefaultAndTripsWhenAskedTo) {
  // The signing key cannot be read on this host, so client-signing (high) is unknown.
  const auto facts = dir_.write("ws02.json", R"J({"schema": "smbaudit-facts/1",
    "host": {"name": "WS02", "os_build": 22631, "role": "workstation"},
    "registry": {
      "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters": {"error": {"kind": "unknown", "message": "offline image"}},
      "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa": {"values": {"LmCompatibilityLevel": {"type": "REG_DWORD", "data": 5}}}
    }})J");
  const auto run = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"audit", "--rules", rules_, "--facts", facts.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_smbaudit(args);
  };
  auto warn = run({"--fail-on", "high"});
  EXPECT_EQ(warn.exit_code, 0) << warn.err;
  EXPECT_NE(warn.err.find("WS02: 1 rule(s) could not be evaluated (unknown or error), which is not a pass: "
                          "client-signing"),
            std::string::npos)
      << warn.err;
  auto quiet = run({"--unknown", "pass"});
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.err.find("could not be evaluated"), std::string::npos) << quiet.err;
  auto fail = run({"--unknown", "fail"});
  EXPECT_EQ(fail.exit_code, 1);
  EXPECT_NE(fail.err.find("gate --unknown fail: 1 rule(s) could not be evaluated"), std::string::npos) << fail.err;
  EXPECT_EQ(run({"--unknown", "fail", "--fail-on", "high"}).exit_code, 1);
  EXPECT_EQ(run({"--unknown", "fail", "--fail-on", "critical"}).exit_code, 0) << "below --fail-on's severity";
  const auto waivers = dir_.write("w.json", R"J({"schema": "smbaudit-waivers/1", "waivers": [
      {"rule": "client-signing", "justification": "offline image", "expires": "2099-01-01"}]})J");
  EXPECT_EQ(run({"--unknown", "fail", "--waivers", waivers.string()}).exit_code, 0);
  EXPECT_EQ(run({"--unknown", "maybe"}).exit_code, 2);
}

TEST_F(Cli, DiffListsRegressionsAndGatesOnThem) {
  // Yesterday signing was required; today the value is gone (build 22631 default: off).
  std::string yesterday_facts = kFacts;
  const std::string no_values = "{\"values\": {}}";
  yesterday_facts.replace(yesterday_facts.find(no_values), no_values.size(),
                          R"({"values": {"RequireSecuritySignature": {"type": "REG_DWORD", "data": 1}}})");
  const auto old_facts = dir_.write("old-facts.json", yesterday_facts).string();
  const auto old_json = (dir_.path() / "old.json").string(), new_json = (dir_.path() / "new.json").string();
  ASSERT_EQ(run_smbaudit({"audit", "--rules", rules_, "--facts", old_facts, "--output", old_json}).exit_code, 0);
  ASSERT_EQ(audit({"--output", new_json}).exit_code, 0);

  auto worse = run_smbaudit({"diff", old_json, new_json});
  EXPECT_EQ(worse.exit_code, 1) << worse.err;
  EXPECT_NE(worse.out.find("Regressed (1)\n  high     client-signing"), std::string::npos) << worse.out;
  EXPECT_NE(worse.out.find("pass -> fail"), std::string::npos) << worse.out;
  EXPECT_NE(worse.out.find("Score    100.0 -> 37.5 (-62.5)"), std::string::npos) << worse.out;

  auto better = run_smbaudit({"diff", new_json, old_json, "--format", "json"});
  EXPECT_EQ(better.exit_code, 0) << better.err;
  const auto j = nlohmann::json::parse(better.out);
  EXPECT_EQ(j["schema"], "smbaudit-diff/1");
  EXPECT_EQ(j["improved"][0]["rule"], "client-signing");
  EXPECT_EQ(j["any_regression"], false);

  const auto broken = dir_.write("broken.json", R"({"schema": "smbaudit-report/1", "host": {"name": "WS01"}})");
  auto bad = run_smbaudit({"diff", old_json, broken.string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("broken.json: missing field 'score'"), std::string::npos) << bad.err;
  EXPECT_EQ(run_smbaudit({"diff", old_json}).exit_code, 2);
}

TEST_F(Cli, SummaryCountsEachHostOnceAndSkipsMalformedReportsByName) {
  const auto fleet = dir_.path() / "fleet";
  std::filesystem::create_directories(fleet / "site-b");
  ASSERT_EQ(audit({"--output", (fleet / "WS01-today.json").string()}).exit_code, 0);
  // The same host yesterday, from an older smbaudit: all passing (superseded by today's).
  auto yesterday = nlohmann::json::parse(read_file(fleet / "WS01-today.json"));
  yesterday["generated_at"] = "2000-01-01T00:00:00Z";
  yesterday["tool"]["version"] = "0.0.9";
  for (auto& f : yesterday["findings"]) f["status"] = "pass";
  dir_.write("fleet/WS01-old.json", yesterday.dump());
  // Another host, from a later smbaudit that adds fields, in a subfolder.
  auto later = nlohmann::json::parse(read_file(fleet / "WS01-today.json"));
  later["host"]["name"] = "WS02";
  later["tool"]["version"] = "9.0.0";
  later["something_new"] = {{"x", 1}};
  later["findings"][0]["status"] = "pass";
  dir_.write("fleet/site-b/WS02.json", later.dump());
  dir_.write("fleet/site-b/truncated.json", read_file(fleet / "WS01-today.json").substr(0, 300));
  dir_.write("fleet/facts.json", kFacts);

  auto r = run_smbaudit({"summary", fleet.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("smbaudit fleet summary: 2 hosts from 3 reports (1 older reports superseded by a newer one, "
                       "2 malformed reports skipped)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("client-signing                          high            1"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("skipped: " + (fleet / "site-b" / "truncated.json").string() + ": not valid JSON"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("facts.json: at /schema: unsupported schema 'smbaudit-facts/1'"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 2) << "one warning line per malformed report";

  auto j =
      run_smbaudit({"summary", "--format", "json", (fleet / "WS01-today.json").string(), (fleet / "site-b").string()});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  const auto summary = nlohmann::json::parse(j.out);
  EXPECT_EQ(summary["hosts"], 2);
  EXPECT_EQ(summary["rules"][0]["rule"], "client-signing");
  EXPECT_EQ(summary["rules"][0]["fail"], 1);
  EXPECT_EQ(summary["worst_hosts"][0]["host"], "WS01");
  EXPECT_EQ(summary["skipped"].size(), 1u);

  const auto html = dir_.path() / "fleet.html";
  ASSERT_EQ(run_smbaudit({"summary", fleet.string(), "--format", "html", "--output", html.string()}).exit_code, 0);
  EXPECT_NE(read_file(html).find("<h2>Rules by failing hosts</h2>"), std::string::npos);

  EXPECT_EQ(run_smbaudit({"summary", (fleet / "facts.json").string()}).exit_code, 2) << "nothing readable";
  EXPECT_EQ(run_smbaudit({"summary", (dir_.path() / "no-such-dir").string()}).exit_code, 2);
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
  const auto blocker = dir_.write("blocker", "a file where a folder would go");
  auto r = audit({"--output", (blocker / "r.json").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot create the folder"), std::string::npos) << r.err;
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

TEST_F(Cli, FactsThatCouldNotBeReadAreCountedAndNeverPass) {
  const auto unreadable = dir_.write("unreadable.json", R"J({"schema": "smbaudit-facts/1",
    "host": {"name": "WS02", "os_build": 26100, "edition": "Enterprise", "role": "workstation", "domain_joined": true},
    "registry": {
      "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters": {"error": {"kind": "error", "message": "access denied (5)"}},
      "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa": {"error": {"kind": "unknown", "message": "hive not loaded"}}
    }})J");
  const auto json_path = dir_.path() / "r.json";
  auto r = run_smbaudit(
      {"audit", "--rules", rules_, "--facts", unreadable.string(), "--output", json_path.string(), "--format", "text"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(read_file(json_path));
  EXPECT_EQ(report["findings"][0]["status"], "error");
  EXPECT_EQ(report["findings"][1]["status"], "unknown");
  EXPECT_EQ(report["counts"]["total"]["pass"], 0);
  EXPECT_EQ(report["counts"]["total"]["error"], 1);
  EXPECT_EQ(report["counts"]["total"]["unknown"], 1);
  EXPECT_TRUE(report["score"]["overall"].is_null());
  EXPECT_NE(r.out.find("(1 unknown and 1 error are not scored: they are not passes)"), std::string::npos) << r.out;
  // A gate on the score trips: nothing could be scored.
  EXPECT_EQ(run_smbaudit({"audit", "--rules", rules_, "--facts", unreadable.string(), "--fail-under", "0"}).exit_code,
            1);
}

TEST_F(Cli, RulesSha256RefusesAChangedPackAndTheReportRecordsTheDigest) {
  auto digest = run_smbaudit({"rules", "--rules", rules_, "digest"});
  ASSERT_EQ(digest.exit_code, 0) << digest.err;
  const std::string hex = digest.out.substr(0, digest.out.find('\n'));
  ASSERT_EQ(hex.size(), 64u) << digest.out;
  const auto json_path = (dir_.path() / "r.json").string();
  auto ok = audit({"--rules-sha256", hex, "--output", json_path});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  const auto report = nlohmann::json::parse(read_file(json_path));
  EXPECT_EQ(report["rules"]["sha256"], hex);
  EXPECT_TRUE(report["rules"]["version"].is_null()) << "a folder pack has no version of its own";

  // Someone edits a profile on the share: the run is refused, naming both digests.
  dir_.write("pack/profiles/guide.json", R"J({"schema": "smbaudit-profile/1", "name": "guide", "exclude": ["*"]})J");
  auto refused = audit({"--rules-sha256", hex, "--output", json_path});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("rule pack digest mismatch for " + rules_ + ": expected " + hex + ", actual "),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(nlohmann::json::parse(read_file(json_path))["rules"]["sha256"], hex) << "the last report is kept";
  EXPECT_EQ(audit({"--rules-sha256", "not-a-digest"}).exit_code, 2);
}

TEST(CliBuiltInPack, TheBuiltInPackIsTheRepositorysRulesFolderAndHasAVersion) {
  auto builtin = run_smbaudit({"rules", "digest"});
  auto folder = run_smbaudit({"rules", "--rules", std::string(SMBAUDIT_SOURCE_DIR) + "/rules", "digest"});
  ASSERT_EQ(builtin.exit_code, 0) << builtin.err;
  EXPECT_EQ(builtin.out, folder.out);
  auto r = run_smbaudit({"audit", "--facts", std::string(SMBAUDIT_SOURCE_DIR) + "/examples/ws01-facts.json", "--format",
                         "json", "--rules-sha256", builtin.out.substr(0, 64)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["rules"]["sha256"], builtin.out.substr(0, 64));
  EXPECT_EQ(report["rules"]["version"], report["tool"]["version"]);
}

#ifndef _WIN32
// docs/security.md tells users how to compute the digest without smbaudit; keep it true.
TEST(CliBuiltInPack, DigestMatchesTheDocumentedSha256sumRecipe) {
  TempDir dir;
  const auto out = dir.path() / "digest.txt";
  const std::string recipe = "cd '" + std::string(SMBAUDIT_SOURCE_DIR) +
                             "/rules' && printf '%s\\n' *.json profiles/*.json data/*.json | LC_ALL=C sort | "
                             "xargs -d '\\n' sha256sum | sha256sum > '" +
                             out.string() + "'";
  ASSERT_EQ(std::system(recipe.c_str()), 0) << recipe;
  auto r = run_smbaudit({"rules", "digest"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(out).substr(0, 64), r.out.substr(0, 64));
}
#endif

TEST(CliBuiltInPack, RulesDocIsUpToDate) {
  // docs/rules.md is generated: scripts/gen-rules-doc.sh rewrites it from the pack.
  auto r = run_smbaudit({"rules", "list", "--format", "markdown"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, read_file(std::string(SMBAUDIT_SOURCE_DIR) + "/docs/rules.md"))
      << "docs/rules.md is out of date: run scripts/gen-rules-doc.sh";
}

TEST(CliBuiltInPack, RulesDocShowsEachSettingsSourcesAndWindowsDefaults) {
  auto r = run_smbaudit({"rules", "list", "--format", "markdown"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto at = r.out.find("### `smb-client-signing-required`");
  ASSERT_NE(at, std::string::npos);
  const std::string rule = r.out.substr(at, r.out.find("\n### ", at + 1) - at);
  // The sources in precedence, then the defaults by build and edition, first match first.
  EXPECT_NE(rule.find("1. WMI `root\\Microsoft\\Windows\\SMB:MSFT_SmbClientConfiguration.RequireSecuritySignature`"),
            std::string::npos)
      << rule;
  EXPECT_NE(rule.find("2. `HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters\\"
                      "RequireSecuritySignature`"),
            std::string::npos)
      << rule;
  const auto new_default = rule.find("| build >= 26100, edition not Core* | `1` |");
  const auto old_default = rule.find("| any host | `0` |");
  EXPECT_NE(new_default, std::string::npos) << rule;
  EXPECT_NE(old_default, std::string::npos) << rule;
  EXPECT_LT(new_default, old_default);
}

TEST(CliBuiltInPack, AuditsTheBundledExample) {
  auto r = run_smbaudit({"audit", "--facts", std::string(SMBAUDIT_SOURCE_DIR) + "/examples/ws01-facts.json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Host     WS01"), std::string::npos) << r.out;
  auto waived = run_smbaudit({"audit", "--facts", std::string(SMBAUDIT_SOURCE_DIR) + "/examples/ws01-facts.json",
                              "--waivers", std::string(SMBAUDIT_SOURCE_DIR) + "/examples/waivers.json"});
  EXPECT_EQ(waived.exit_code, 0) << waived.err;
  // Waived until 2027-06-30, expired after: the finding carries the waiver's note either way.
  EXPECT_NE(waived.out.find("Local accounts are disabled on workstations"), std::string::npos) << waived.out;
  auto valid = run_smbaudit({"rules", "validate"});
  EXPECT_EQ(valid.exit_code, 0) << valid.err;
}

}  // namespace
}  // namespace smbaudit
