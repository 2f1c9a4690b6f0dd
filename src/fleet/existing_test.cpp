#include "existing.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace smbaudit::fleet {
namespace {

using test_support::TempDir;

// Expands {host}, {date} and {utc} the way smbaudit's output paths do (the command passes its own).
std::string expand(std::string_view pattern, const std::string& host, const std::string& iso) {
  std::string out(pattern);
  const auto replace = [&out](std::string_view key, const std::string& value) {
    for (auto at = out.find(key); at != std::string::npos; at = out.find(key, at + value.size()))
      out.replace(at, key.size(), value);
  };
  std::string utc;
  for (char c : iso)
    if (c != '-' && c != ':') utc += c;
  replace("{host}", host);
  replace("{date}", iso.substr(0, 10));
  replace("{utc}", utc);
  return out;
}

class ExistingOutput : public ::testing::Test {
 protected:
  // In the platform's own separators ('\\' on Windows), as the search reports what it found.
  std::string path(const std::string& relative) const { return (dir_.path() / relative).lexically_normal().string(); }
  std::optional<std::string> find(const std::vector<std::string>& relative_patterns, const std::string& host,
                                  std::string_view date = "2026-11-22") {
    std::vector<std::string> patterns;
    for (const auto& p : relative_patterns) patterns.push_back(path(p));
    return existing_output(patterns, host, date, expand);
  }
  TempDir dir_;
};

TEST_F(ExistingOutput, FindsTodaysReportWhenThePathHasTheDate) {
  dir_.write("WS01-2026-11-22.json", "{}");
  EXPECT_EQ(find({"{host}-{date}.json"}, "WS01"), path("WS01-2026-11-22.json"));
  EXPECT_FALSE(find({"{host}-{date}.json"}, "WS02"));
}

TEST_F(ExistingOutput, FindsAReportWrittenAtAnyTimeOfTheDateWhenThePathHasTheTime) {
  dir_.write("WS01-20261122T023112Z.json", "{}");
  EXPECT_EQ(find({"{host}-{utc}.json"}, "WS01"), path("WS01-20261122T023112Z.json"));
  EXPECT_EQ(find({"{host}-{utc}.json"}, "ws01"), path("WS01-20261122T023112Z.json"))
      << "host names are case-insensitive";
}

TEST_F(ExistingOutput, DoesNotCountAnotherDaysReportOrAnotherHostsOrAHalfWrittenOne) {
  dir_.write("WS01-20261121T235959Z.json", "{}");
  dir_.write("WS011-20261122T023112Z.json", "{}");
  dir_.write(".WS01-20261122T023112Z.json.tmp-0badcafe", "{");
  dir_.write("WS01-20261122T0231Z.json", "{}");
  EXPECT_FALSE(find({"{host}-{utc}.json"}, "WS01"));
}

TEST_F(ExistingOutput, LooksThroughFoldersNamedByTheTime) {
  dir_.write("20261122T020000Z/WS01.json", "{}");
  dir_.write("20261122T030000Z/WS02.json", "{}");
  EXPECT_EQ(find({"{utc}/{host}.json"}, "WS02"), path("20261122T030000Z/WS02.json"));
  EXPECT_FALSE(find({"{utc}/{host}.json"}, "WS03"));
}

TEST_F(ExistingOutput, NeedsEveryOutputOfTheHostToBeThere) {
  dir_.write("share/WS01-20261122T023112Z.json", "{}");
  EXPECT_FALSE(find({"share/{host}-{utc}.json", "local/{host}-{utc}.ndjson"}, "WS01"))
      << "an interrupted run may have written one output and not the other";
  dir_.write("local/WS01-20261122T023113Z.ndjson", "{}");
  EXPECT_EQ(find({"share/{host}-{utc}.json", "local/{host}-{utc}.ndjson"}, "WS01"),
            path("share/WS01-20261122T023112Z.json"));
}

TEST_F(ExistingOutput, AFolderIsNotAReport) {
  std::filesystem::create_directories(dir_.path() / "WS01-2026-11-22.json");
  std::filesystem::create_directories(dir_.path() / "WS01-20261122T023112Z.json");
  EXPECT_FALSE(find({"{host}-{date}.json"}, "WS01"));
  EXPECT_FALSE(find({"{host}-{utc}.json"}, "WS01"));
}

TEST_F(ExistingOutput, AMissingFolderIsNothingDoneYet) {
  EXPECT_FALSE(find({"no-such-folder/{host}-{utc}.json"}, "WS01"));
}

TEST(UndatedPattern, IsAProblemBecauseYesterdaysFileWouldCountAsToday) {
  EXPECT_FALSE(undated_pattern_problem("reports/{host}-{date}.json"));
  EXPECT_FALSE(undated_pattern_problem("reports/{host}-{utc}.json"));
  auto problem = undated_pattern_problem("reports/{host}.json");
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("reports/{host}.json"), std::string::npos) << *problem;
  EXPECT_NE(problem->find("neither {date} nor {utc}"), std::string::npos) << *problem;
}

}  // namespace
}  // namespace smbaudit::fleet
