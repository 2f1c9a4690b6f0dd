// End-to-end tests of what remediate must never do: recreate or delete a key, change an
// accepted (waived) risk without being asked, or write a script for the wrong machine.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "../support/temp_dir.h"
#include "run.h"

namespace smbaudit {
namespace {

using test_support::read_file;
using test_support::run_smbaudit;
using test_support::TempDir;

const std::string kWs01Report = test_support::source_path("tests/remediate/ws01-guide.report.json");
const std::string kDc01Report = test_support::source_path("tests/remediate/dc01-strict.report.json");
const std::string kWs01Facts = test_support::source_path("examples/ws01-facts.json");

// Issue 16, item 1: the scripts remediate writes create keys only where missing
// ($Hklm.CreateSubKey opens an existing key) and the fix deletes nothing; only the rollback
// deletes, and only values the audit saw absent.
TEST(RemediateSafety, FixScriptsNeverDeleteOrRecreateAKey) {
  TempDir dir;
  for (const auto& report : {kWs01Report, kDc01Report}) {
    const auto ps1 = (dir.path() / "fix.ps1").string(), reg = (dir.path() / "fix.reg").string();
    ASSERT_EQ(run_smbaudit({"remediate", "--report", report, "--format", "ps1", "--output", ps1}).exit_code, 0);
    ASSERT_EQ(run_smbaudit({"remediate", "--report", report, "--format", "reg", "--output", reg}).exit_code, 0);
    const std::string fix = read_file(ps1), rollback = read_file(dir.path() / "fix.rollback.ps1");
    for (const std::string& script : {fix, rollback}) {
      EXPECT_FALSE(std::regex_search(
          script, std::regex(R"(New-Item|Remove-Item|DeleteSubKey|reg(\.exe)? delete)", std::regex::icase)))
          << script;
    }
    EXPECT_FALSE(std::regex_search(fix, std::regex(R"(^Remove-Value )", std::regex::multiline)))
        << "the fix only sets values";
    // The .reg files are UTF-16LE: a key deletion is "[-HKEY", a value deletion "=-".
    const auto utf16 = [](const std::string& ascii) {
      std::string out;
      for (char c : ascii) out += std::string{c, '\0'};
      return out;
    };
    const std::string fix_reg = read_file(reg), undo_reg = read_file(dir.path() / "fix.undo.reg");
    EXPECT_EQ(fix_reg.find(utf16("[-")), std::string::npos);
    EXPECT_EQ(fix_reg.find(utf16("=-")), std::string::npos);
    EXPECT_EQ(undo_reg.find(utf16("[-")), std::string::npos) << "the undo deletes values, never keys";
  }
}

// Issue 16, item 2: remediate changed what a waiver accepts.
TEST(RemediateSafety, WaivedFindingsAreLeftAsTheyAreAndListedUnlessIncluded) {
  TempDir dir;
  const auto waivers = dir.write("w.json", R"J({"schema": "smbaudit-waivers/1", "waivers": [
    {"rule": "lm-compatibility-level", "justification": "Old NAS until CHG-7.", "expires": "2099-12-31"}]})J");
  const auto report = dir.path() / "ws01.json";
  ASSERT_EQ(run_smbaudit({"audit", "--facts", kWs01Facts, "--waivers", waivers.string(), "--output", report.string()})
                .exit_code,
            0);
  // The example host fails the LAN Manager level (3, not 5); the waiver accepts it.
  auto audited = nlohmann::json::parse(read_file(report));
  bool waived = false;
  for (const auto& f : audited["findings"])
    if (f["rule"] == "lm-compatibility-level") waived = f["status"] == "fail" && f.contains("waiver");
  ASSERT_TRUE(waived) << "the fixture must have a waived failure";
  for (const char* format : {"ps1", "reg", "gpo"}) {
    SCOPED_TRACE(format);
    auto r = run_smbaudit({"remediate", "--report", report.string(), "--format", format});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string& text = r.out;
    EXPECT_NE(text.find("Waived, not changed"), std::string::npos) << text;
    EXPECT_NE(text.find("lm-compatibility-level: Old NAS until CHG-7. (waiver expires 2099-12-31)"), std::string::npos)
        << text;
    EXPECT_EQ(text.find("LmCompatibilityLevel"), std::string::npos) << "nothing written for it\n" << text;
    auto included = run_smbaudit({"remediate", "--report", report.string(), "--format", format, "--include-waived"});
    ASSERT_EQ(included.exit_code, 0) << included.err;
    EXPECT_NE(included.out.find("LmCompatibilityLevel"), std::string::npos) << included.out;
    EXPECT_NE(included.out.find("--include-waived"), std::string::npos) << included.out;
  }
  // Straight from an audit, --waivers does the same.
  auto direct = run_smbaudit({"remediate", "--facts", kWs01Facts, "--waivers", waivers.string(), "--format", "ps1"});
  ASSERT_EQ(direct.exit_code, 0) << direct.err;
  EXPECT_NE(direct.out.find("Waived, not changed"), std::string::npos) << direct.out;
}

// Issue 16, item 7: a .reg for the running machine's CurrentControlSet, with regedit /s
// instructions, from the audit of an offline image.
TEST(RemediateSafety, AnOfflineImagesReportGetsTheGroupPolicyTableButNoScript) {
  TempDir dir;
  auto report = nlohmann::json::parse(read_file(kWs01Report));
  report["source"] = {{"kind", "offline"},
                      {"description", "SYSTEM /mnt/win/Windows/System32/config/SYSTEM (ControlSet001)"}};
  const auto offline = dir.write("offline.json", report.dump());
  for (const char* format : {"ps1", "reg"}) {
    auto r = run_smbaudit(
        {"remediate", "--report", offline.string(), "--format", format, "--output", (dir.path() / "fix").string()});
    EXPECT_EQ(r.exit_code, 2) << format;
    EXPECT_NE(r.err.find("offline.json: the audit read an offline image, and a " + std::string(format) +
                         " script would change the registry of the computer that runs it, not the image"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "fix.ps1"));
  auto gpo = run_smbaudit({"remediate", "--report", offline.string(), "--format", "gpo"});
  EXPECT_EQ(gpo.exit_code, 0) << gpo.err;
  EXPECT_NE(gpo.out.find("# Group Policy settings for WS01"), std::string::npos) << gpo.out;
  EXPECT_NE(gpo.out.find("The audit read an offline image: build these settings into the image"), std::string::npos)
      << gpo.out;
}

// Issue 16, item 14: PowerShell runs only .ps1 files and regedit imports .reg files.
TEST(RemediateSafety, OutputGetsTheExtensionWindowsNeeds) {
  TempDir dir;
  auto added = run_smbaudit(
      {"remediate", "--report", kWs01Report, "--format", "ps1", "--output", (dir.path() / "fix").string()});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "fix.ps1"));
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "fix.rollback.ps1"));
  auto wrong = run_smbaudit(
      {"remediate", "--report", kWs01Report, "--format", "reg", "--output", (dir.path() / "fix.txt").string()});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("a reg script must end in .reg for Windows to run it"), std::string::npos) << wrong.err;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "fix.txt"));
}

}  // namespace
}  // namespace smbaudit
