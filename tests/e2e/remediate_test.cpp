// End-to-end tests of `smbaudit remediate` and `smbaudit explain` with the built-in rule
// pack, over the fixture reports in tests/remediate/ and the example host's facts.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "../support/temp_dir.h"
#include "run.h"

namespace smbaudit {
namespace {

namespace fs = std::filesystem;
using test_support::read_file;
using test_support::run_smbaudit;
using test_support::TempDir;

const std::string kSource = SMBAUDIT_SOURCE_DIR;
const std::string kWs01Report = kSource + "/tests/remediate/ws01-guide.report.json";
const std::string kDc01Report = kSource + "/tests/remediate/dc01-strict.report.json";
const std::string kWs01Facts = kSource + "/examples/ws01-facts.json";

int lines(const std::string& s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

// The lines of a script that change the host, so two runs can be compared whatever their headers say.
std::vector<std::string> changes(const std::string& script) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < script.size()) {
    auto end = script.find('\n', start);
    if (end == std::string::npos) end = script.size();
    const std::string line = script.substr(start, end - start);
    if (line.rfind("Set-", 0) == 0 || line.rfind("Remove-", 0) == 0 || line.rfind("Assert-Was ", 0) == 0)
      out.push_back(line);
    start = end + 1;
  }
  return out;
}

TEST(Remediate, WritesTheRegFileAndItsUndoBesideItInUtf16) {
  TempDir dir;
  const auto out = (dir.path() / "ws01-fix.reg").string();
  auto r = run_smbaudit({"remediate", "--report", kWs01Report, "--format", "reg", "--output", out});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty()) << "the script goes to the file";
  const std::string fix = read_file(out);
  const std::string undo = read_file(dir.path() / "ws01-fix.undo.reg");
  ASSERT_GT(fix.size(), 2u);
  ASSERT_GT(undo.size(), 2u);
  EXPECT_EQ(fix.substr(0, 2), "\xff\xfe");
  EXPECT_EQ(undo.substr(0, 2), "\xff\xfe");
  // "Windows" in UTF-16LE right after the BOM.
  EXPECT_EQ(fix.substr(2, 4), std::string("W\0i\0", 4));
}

TEST(Remediate, WritesThePowerShellScriptAndItsRollback) {
  TempDir dir;
  const auto out = (dir.path() / "dc01.ps1").string();
  auto r = run_smbaudit({"remediate", "--report", kDc01Report, "--format", "ps1", "--output", out});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string fix = read_file(out);
  const std::string rollback = read_file(dir.path() / "dc01.rollback.ps1");
  EXPECT_EQ(fix.substr(0, 3), "\xef\xbb\xbf") << "Windows PowerShell needs the BOM to read UTF-8";
  EXPECT_NE(fix.find("[CmdletBinding(SupportsShouldProcess = $true)]"), std::string::npos);
  EXPECT_NE(fix.find("$ErrorActionPreference = 'Stop'"), std::string::npos);
  EXPECT_NE(fix.find("IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)"), std::string::npos);
  EXPECT_NE(fix.find("Set-Value 'smb-server-signing-required'"), std::string::npos);
  // Risky changes first: the header's caution list and the first block.
  EXPECT_LT(fix.find("CAUTION"), fix.find("Set-Value"));
  EXPECT_NE(rollback.find("Remove-Value 'ntlm-domain-audited'"), std::string::npos) << "absent before: deleted";
  EXPECT_NE(rollback.find("'DependOnService' 'MultiString' ([string[]]@('Bowser', 'MRxSmb10', 'MRxSmb20', 'NSI'))"),
            std::string::npos);
  // Rules without a safe automatic fix are listed, never guessed.
  EXPECT_NE(fix.find("outbound-smb-blocked: The firewall rule depends on the network design"), std::string::npos);
}

TEST(Remediate, StraightFromAnAuditMakesTheSameChangesAsFromItsReport) {
  TempDir dir;
  const auto report = (dir.path() / "ws01.json").string();
  ASSERT_EQ(run_smbaudit({"audit", "--facts", kWs01Facts, "--format", "json", "--output", report}).exit_code, 0);
  auto from_report = run_smbaudit({"remediate", "--report", report, "--format", "ps1"});
  auto from_audit = run_smbaudit({"remediate", "--facts", kWs01Facts, "--format", "ps1"});
  EXPECT_EQ(from_report.exit_code, 0) << from_report.err;
  EXPECT_EQ(from_audit.exit_code, 0) << from_audit.err;
  EXPECT_FALSE(changes(from_report.out).empty());
  EXPECT_EQ(changes(from_report.out), changes(from_audit.out));
  EXPECT_NE(from_audit.err.find("rollback is written only with --output"), std::string::npos) << from_audit.err;
}

TEST(Remediate, GpoTableListsSettingsAndManualSteps) {
  auto r = run_smbaudit({"remediate", "--report", kDc01Report, "--format", "gpo"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("| Rule | Severity | Group Policy setting | Registry values | Caution |"), std::string::npos);
  EXPECT_NE(r.out.find("## Manual steps"), std::string::npos);
  EXPECT_TRUE(r.err.empty()) << "no rollback for a table: " << r.err;
}

TEST(Remediate, BadInputIsOneLineAndExitTwo) {
  TempDir dir;
  auto missing = run_smbaudit({"remediate", "--report", (dir.path() / "nope.json").string(), "--format", "reg"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope.json: cannot read"), std::string::npos) << missing.err;
  EXPECT_EQ(lines(missing.err), 1) << missing.err;

  const auto bad = dir.write("bad.json", "{\"schema\": \"smbaudit-report/1\", \"host\": 3}").string();
  auto malformed = run_smbaudit({"remediate", "--report", bad, "--format", "reg"});
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_NE(malformed.err.find("bad.json: "), std::string::npos) << malformed.err;
  EXPECT_EQ(lines(malformed.err), 1) << malformed.err;

  const auto not_json = dir.write("text.json", "FAIL high client-signing").string();
  auto garbage = run_smbaudit({"remediate", "--report", not_json, "--format", "reg"});
  EXPECT_EQ(garbage.exit_code, 2);
  EXPECT_NE(garbage.err.find("text.json: not valid JSON"), std::string::npos) << garbage.err;

  auto format = run_smbaudit({"remediate", "--report", kWs01Report, "--format", "bat"});
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_NE(format.err.find("bat"), std::string::npos) << format.err;

  auto both = run_smbaudit({"remediate", "--report", kWs01Report, "--facts", kWs01Facts, "--format", "reg"});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("not both"), std::string::npos) << both.err;
  EXPECT_EQ(lines(both.err), 1) << both.err;
}

TEST(Remediate, RefusesAReportWhoseProfileThePackLacks) {
  TempDir dir;
  std::string text = read_file(kWs01Report);
  const std::string from = "\"profile\": \"guide\"";
  text.replace(text.find(from), from.size(), "\"profile\": \"site-baseline\"");
  const auto report = dir.write("custom.json", text).string();
  auto r = run_smbaudit({"remediate", "--report", report, "--format", "reg"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no profile 'site-baseline'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("pass --profile"), std::string::npos) << r.err;
  // With the profile named, it works (the guide's parameters, say).
  auto ok = run_smbaudit({"remediate", "--report", report, "--profile", "guide", "--format", "reg"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

TEST(Explain, SaysWhatTheRuleProtectsAgainstAndHowItIsEvaluated) {
  auto r = run_smbaudit({"explain", "smb-client-min-dialect"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("What it protects against:\n  Only SMB 3.1.1 has pre-authentication integrity"),
            std::string::npos)
      << r.out;
  // Sources in precedence order, with the condition under which Windows reads each, and the default.
  const auto policy = r.out.find(
      "source registry HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation\\MinSmb2Dialect "
      "(read only on build >= 26100)");
  const auto preference = r.out.find(
      "source registry HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters\\MinSMB2Dialect");
  ASSERT_NE(policy, std::string::npos) << r.out;
  ASSERT_NE(preference, std::string::npos) << r.out;
  EXPECT_LT(policy, preference);
  EXPECT_NE(r.out.find("default when any host: 514 (0x202)"), std::string::npos);
  EXPECT_NE(r.out.find("parameter min_dialect = 785 (0x311)"), std::string::npos);
  EXPECT_EQ(r.out.find("\nOn "), std::string::npos) << "no host given: no evaluation";
}

TEST(Explain, DefaultsByBuildEditionAndRoleAreListed) {
  auto r = run_smbaudit({"explain", "smb-server-signing-required"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("default when domain_controller: 0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("default when member_server, build >= 26100: 0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("default when workstation, build >= 26100, edition Enterprise*/Professional*/Education*: 1"),
            std::string::npos)
      << r.out;
  // The first default that matches the host applies: the catch-all comes last.
  const auto first = r.out.find("default when domain_controller"), last = r.out.find("default when any host: 0");
  ASSERT_NE(first, std::string::npos) << r.out;
  ASSERT_NE(last, std::string::npos) << r.out;
  EXPECT_LT(first, last) << r.out;
}

TEST(Explain, GivenAHostWalksThroughEachSourceAndTheVerdict) {
  auto r = run_smbaudit({"explain", "smb-client-signing-required", "--facts", kWs01Facts});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto on = r.out.find("On WS01 (workstation, build 26100.2314, Professional, domain corp.example)");
  ASSERT_NE(on, std::string::npos) << r.out;
  // WMI reports the effective configuration first and decides; the registry below it decides nothing.
  const auto wmi = r.out.find("MSFT_SmbClientConfiguration.RequireSecuritySignature: false: the first", on);
  const auto below = r.out.find("below the deciding source, so it decides nothing", on);
  ASSERT_NE(wmi, std::string::npos) << r.out;
  ASSERT_NE(below, std::string::npos) << r.out;
  EXPECT_LT(wmi, below);
  EXPECT_NE(r.out.find("Verdict: FAIL"), std::string::npos) << r.out;
}

TEST(Explain, UnknownRuleIsOneLineAndExitTwo) {
  auto r = run_smbaudit({"explain", "smb-client-signing", "--facts", kWs01Facts});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no rule 'smb-client-signing'"), std::string::npos) << r.err;
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_TRUE(r.out.empty());
}

}  // namespace
}  // namespace smbaudit
