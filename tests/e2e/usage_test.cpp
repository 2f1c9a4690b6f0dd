// End-to-end tests of the command line itself: errors that say what was meant, help without
// noise, outputs that cannot silently collide, logs a scheduled task can keep.
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

const std::string kWs01Facts = test_support::source_path("examples/ws01-facts.json");

// Issue 16, item 14.
TEST(Usage, AMistypedCommandOrOptionGetsASuggestionAndTheErrorPrefix) {
  auto option = run_smbaudit({"audit", "--facts", kWs01Facts, "--formt", "json"});
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_EQ(
      option.err.rfind("smbaudit: error: unknown option '--formt' for smbaudit audit: did you mean '--format'?", 0), 0u)
      << option.err;
  EXPECT_EQ(std::count(option.err.begin(), option.err.end(), '\n'), 1) << option.err;
  auto command = run_smbaudit({"audti", "--facts", kWs01Facts});
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_NE(command.err.find("smbaudit: error: unknown command 'audti' for smbaudit: did you mean 'audit'?"),
            std::string::npos)
      << command.err;
  auto nested = run_smbaudit({"rules", "lst"});
  EXPECT_NE(nested.err.find("smbaudit: error: unknown command 'lst' for smbaudit rules: did you mean 'list'?"),
            std::string::npos)
      << nested.err;
  auto bad_value = run_smbaudit({"audit", "--facts", kWs01Facts, "--unknown", "maybe"});
  EXPECT_EQ(bad_value.exit_code, 2);
  EXPECT_EQ(bad_value.err.rfind("smbaudit: error: ", 0), 0u) << bad_value.err;
}

TEST(Usage, HelpListsTheLoggingFlagsWithoutTypeNoiseAndOnlyTheExitCodesThatApply) {
  auto audit = run_smbaudit({"audit", "--help"});
  EXPECT_EQ(audit.exit_code, 0);
  for (const char* flag :
       {"-v,--verbose", "-q,--quiet", "--log-file FILE", "--min-coverage", "--host-label", "--sarif-category"})
    EXPECT_NE(audit.out.find(flag), std::string::npos) << flag << "\n" << audit.out;
  EXPECT_FALSE(std::regex_search(audit.out, std::regex(R"(INT:INT|FLOAT:|TEXT:|in \[)"))) << audit.out;
  EXPECT_NE(audit.out.find("1 a gate tripped"), std::string::npos) << audit.out;
  auto rules = run_smbaudit({"rules", "--help"});
  EXPECT_EQ(rules.out.find("gate tripped"), std::string::npos) << "rules has no gates\n" << rules.out;
  EXPECT_NE(rules.out.find("Exit codes: 0 ok, 2"), std::string::npos) << rules.out;
}

TEST(Usage, SeveritiesAndTheUnknownPolicyIgnoreCase) {
  auto r = run_smbaudit({"audit", "--facts", kWs01Facts, "--fail-on", "HIGH", "--unknown", "Warn"});
  EXPECT_NE(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err.find("smbaudit: error"), std::string::npos) << r.err;  // no error line
}

TEST(Usage, AFormatThatDisagreesWithTheExtensionWarnsAndTheSameOutputTwiceIsAnError) {
  TempDir dir;
  const auto html = (dir.path() / "r.html").string();
  auto mismatch = run_smbaudit({"audit", "--facts", kWs01Facts, "--format", "json", "--output", html});
  EXPECT_EQ(mismatch.exit_code, 0) << mismatch.err;
  EXPECT_NE(mismatch.err.find("warning: --output " + html +
                              ": written as json (the --format before it), though its extension says html"),
            std::string::npos)
      << mismatch.err;
  EXPECT_TRUE(nlohmann::json::accept(read_file(html)));
  const auto json = (dir.path() / "r.json").string();
  auto twice = run_smbaudit({"audit", "--facts", kWs01Facts, "--output", json, "--format", "json", "--output",
                             (dir.path() / "." / "r.json").string()});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("is given twice: the second report would replace the first"), std::string::npos)
      << twice.err;
}

// Issue 16, item 16.
TEST(Usage, OutputFoldersThatDoNotExistYetAreCreated) {
  TempDir dir;
  auto r = run_smbaudit(
      {"audit", "--facts", kWs01Facts, "--output", (dir.path() / "reports" / "{date}" / "{host}.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::filesystem::path> written;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path() / "reports"))
    if (e.is_regular_file()) written.push_back(e.path());
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].filename(), "WS01.json");
  EXPECT_EQ(written[0].parent_path().filename().string().size(), 10u) << "the {date} folder";
}

TEST(Usage, LogFileKeepsTheLogWithUtcTimesForScheduledTasks) {
  TempDir dir;
  const auto log = dir.path() / "logs" / "smbaudit.log";
  std::filesystem::create_directories(log.parent_path());
  for (int run = 0; run < 2; ++run) {
    auto r = run_smbaudit({"audit", "--facts", kWs01Facts, "--output", (dir.path() / "r.json").string(), "-v",
                           "--log-file", log.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("wrote json report"), std::string::npos) << "stderr keeps its log too";
  }
  const std::string text = read_file(log);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n') % 2, 0) << "two runs appended the same lines:\n" << text;
  EXPECT_TRUE(std::regex_search(
      text, std::regex(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ smbaudit\[\d+\]: info: wrote json report to )",
                       std::regex::multiline)))
      << text;
  const auto blocker = dir.write("blocker", "a file where the log's folder would be");
  auto unwritable = run_smbaudit({"audit", "--facts", kWs01Facts, "--log-file", (blocker / "x.log").string()});
  EXPECT_EQ(unwritable.exit_code, 2);
  EXPECT_NE(unwritable.err.find("smbaudit: error: --log-file"), std::string::npos) << unwritable.err;
}

TEST(Usage, AWaiverForARuleTheRunDoesNotEvaluateIsAWarning) {
  TempDir dir;
  const auto waivers = dir.write("w.json", R"J({"schema": "smbaudit-waivers/1", "waivers": [
    {"rule": "smb-client-encryption-required", "justification": "NAS", "expires": "2099-12-31"}]})J");
  auto r = run_smbaudit({"audit", "--facts", kWs01Facts, "--waivers", waivers.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: " + waivers.string() +
                       " /waivers/0: rule smb-client-encryption-required is not evaluated in this run (profile guide"),
            std::string::npos)
      << r.err;
}

TEST(Usage, TheDocsVersionTheReportSchemaNotTheProseAndTellHowToInstall) {
  const std::string format = read_file(test_support::source_path("docs/report-format.md"));
  EXPECT_FALSE(std::regex_search(format, std::regex(R"((added|new) in 0\.\d)", std::regex::icase)))
      << "docs/report-format.md names tool versions for fields a 0.1.0 binary already writes";
  EXPECT_NE(read_file(test_support::source_path("README.md")).find("cmake --install build/release --prefix"),
            std::string::npos);
  // The waiver example waives a rule the default profile runs.
  const auto example = format.find("\"schema\": \"smbaudit-waivers/1\"");
  ASSERT_NE(example, std::string::npos);
  auto rules = run_smbaudit({"rules", "list", "--profile", "guide"});
  const auto rule_at = format.find("{\"rule\": \"", example) + 10;
  const std::string rule = format.substr(rule_at, format.find('"', rule_at) - rule_at);
  EXPECT_NE(rules.out.find("\n" + rule + " "), std::string::npos) << rule << " is not in the guide profile";
}

}  // namespace
}  // namespace smbaudit
