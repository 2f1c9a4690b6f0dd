#include "summary.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace smbaudit {
namespace {

HostReport host(std::string name, std::string when, std::optional<double> score,
                std::vector<std::pair<std::string, Status>> verdicts, std::string version = "0.2.0") {
  HostReport h;
  h.host = std::move(name);
  h.generated_at = std::move(when);
  h.tool_version = std::move(version);
  h.file = h.host + "-" + h.generated_at + ".json";
  h.overall = score;
  h.layers["transit"] = score;
  for (auto& [rule, status] : verdicts)
    h.verdicts.push_back(
        {rule, "title " + rule, "transit", rule == "crit" ? Severity::Critical : Severity::Medium, status, false});
  return h;
}

TEST(Summarize, EachHostCountsOnceByItsNewestReport) {
  std::vector<HostReport> reports{
      host("WS01", "2026-11-20T02:00:00Z", 40.0, {{"a", Status::Fail}}),
      host("ws01", "2026-11-21T02:00:00Z", 100.0, {{"a", Status::Pass}}),  // newer, other case
      host("WS02", "2026-11-21T02:00:00Z", 50.0, {{"a", Status::Fail}}, "0.1.0"),
  };
  const FleetSummary s = summarize(std::move(reports), {}, 10);
  EXPECT_EQ(s.reports, 3);
  EXPECT_EQ(s.hosts, 2);
  EXPECT_EQ(s.superseded, 1);
  ASSERT_EQ(s.rules.size(), 1u);
  EXPECT_EQ(s.rules[0].fail, 1) << "only WS02 fails now";
  EXPECT_EQ(s.rules[0].pass, 1);
  EXPECT_EQ(s.tool_versions.at("0.1.0"), 1);
  EXPECT_EQ(s.tool_versions.at("0.2.0"), 2);
}

TEST(Summarize, RanksRulesByFailuresAndCountsWaiversAndUnknowns) {
  std::vector<HostReport> reports;
  reports.push_back(host("A", "t", 10.0, {{"crit", Status::Fail}, {"b", Status::Fail}, {"c", Status::Unknown}}));
  reports.push_back(host("B", "t", 20.0, {{"crit", Status::Pass}, {"b", Status::Fail}, {"c", Status::Error}}));
  reports.push_back(host("C", "t", 30.0, {{"crit", Status::Fail}, {"b", Status::NotApplicable}, {"c", Status::Fail}}));
  reports[2].verdicts[0].waived = true;
  const FleetSummary s = summarize(std::move(reports), {"bad.json: not valid JSON"}, 10);
  ASSERT_EQ(s.rules.size(), 3u);
  EXPECT_EQ(s.rules[0].rule, "crit") << "2 failures, critical, before b's 2 failures at medium";
  EXPECT_EQ(s.rules[0].fail, 2);
  EXPECT_EQ(s.rules[0].waived, 1);
  EXPECT_EQ(s.rules[1].rule, "b");
  EXPECT_EQ(s.rules[2].rule, "c");
  EXPECT_EQ(s.rules[2].unknown, 1);
  EXPECT_EQ(s.rules[2].error, 1);
  EXPECT_EQ(s.worst[0].host, "A");
  EXPECT_EQ(s.worst[0].fail, 2);
  EXPECT_EQ(s.worst[0].unknown_or_error, 1);
  EXPECT_EQ(s.worst[2].fail, 1) << "C fails crit (waived) and c: only c counts";
  EXPECT_EQ(s.skipped.size(), 1u);
}

TEST(Summarize, DescribesEachLayersScoreDistribution) {
  std::vector<HostReport> reports;
  const double values[] = {100, 95, 80, 75, 60, 40, 20, 100};
  for (std::size_t i = 0; i < std::size(values); ++i)
    reports.push_back(host("H" + std::to_string(i), "t", values[i], {}));
  reports.push_back(host("NOSCORE", "t", std::nullopt, {{"a", Status::Unknown}}));
  const FleetSummary s = summarize(std::move(reports), {}, 3);
  const Distribution& d = s.layers.at("overall");
  EXPECT_EQ(d.scored, 8);
  EXPECT_EQ(d.not_scored, 1);
  EXPECT_EQ(d.min, 20);
  EXPECT_EQ(d.max, 100);
  EXPECT_EQ(d.median, 75);  // nearest rank: the 4th of 8
  EXPECT_EQ(d.p25, 40);
  EXPECT_EQ(d.p75, 95);
  EXPECT_EQ(d.mean, 71.3);
  EXPECT_EQ(d.bands, (std::array<int, 5>{2, 1, 2, 1, 2}));
  EXPECT_TRUE(s.layers.contains("transit"));
  ASSERT_EQ(s.worst.size(), 3u);
  EXPECT_EQ(s.worst[0].overall, 20);
  ASSERT_EQ(s.unscored.size(), 1u);
  EXPECT_EQ(s.unscored[0].host, "NOSCORE");
  const std::string text = summary_text(s);
  EXPECT_NE(text.find("smbaudit fleet summary: 9 hosts from 9 reports"), std::string::npos) << text;
  EXPECT_NE(text.find("Hosts with nothing scored (1): NOSCORE"), std::string::npos) << text;
  EXPECT_EQ(summary_json(s)["layers"]["overall"]["bands"]["100"], 2);
}

TEST(Summarize, SinceLeavesOutReportsCollectedBeforeItAndNamesHostsLeftWithNone) {
  std::vector<HostReport> reports{
      host("WS01", "2026-11-21T02:00:00Z", 90.0, {{"a", Status::Pass}}),
      host("WS01", "2026-11-10T02:00:00Z", 10.0, {{"a", Status::Fail}}),
      host("WS02", "2026-11-12T02:00:00Z", 20.0, {{"a", Status::Fail}}),
      host("ws02", "2026-11-15T02:00:00Z", 30.0, {{"a", Status::Fail}}),
      host("WS03", "not a time", 30.0, {{"a", Status::Fail}}),
  };
  // Audited today from a snapshot collected long ago: the facts' age is what counts.
  reports.push_back(host("WS04", "2026-11-22T02:00:00Z", 50.0, {{"a", Status::Fail}}));
  reports.back().collected_at = "2026-11-02T02:00:00Z";
  const FleetSummary s = summarize(std::move(reports), {}, 10, "2026-11-20");
  EXPECT_EQ(s.reports, 6);
  EXPECT_EQ(s.older, 5);
  EXPECT_EQ(s.hosts, 1);
  EXPECT_EQ(s.superseded, 0) << "WS01's older report was left out before choosing the newest";
  ASSERT_EQ(s.rules.size(), 1u);
  EXPECT_EQ(s.rules[0].pass, 1);
  EXPECT_EQ(s.rules[0].fail, 0);
  ASSERT_EQ(s.stale.size(), 3u);
  EXPECT_EQ(s.stale[0].host, "ws02") << "its newest report names it";
  EXPECT_EQ(s.stale[0].collected_at, "2026-11-15T02:00:00Z");
  EXPECT_EQ(s.stale[1].host, "WS03");
  EXPECT_EQ(s.stale[2].host, "WS04");
  EXPECT_EQ(s.stale[2].collected_at, "2026-11-02T02:00:00Z");
  const std::string text = summary_text(s);
  EXPECT_NE(text.find("(collected since 2026-11-20: 5 older reports left out)"), std::string::npos) << text;
  EXPECT_NE(text.find("Hosts with no report collected since 2026-11-20 (3): ws02 (2026-11-15)"), std::string::npos)
      << text;
  EXPECT_EQ(summary_json(s)["stale_hosts"].size(), 3u);
  EXPECT_NE(summary_html(s).find("Hosts with no report collected since 2026-11-20 (3)"), std::string::npos);
}

TEST(Summarize, SinceATimeComparesToTheSecond) {
  std::vector<HostReport> reports{host("A", "2026-11-20T02:00:00Z", 90.0, {}),
                                  host("B", "2026-11-20T01:59:59Z", 90.0, {})};
  const FleetSummary s = summarize(std::move(reports), {}, 10, "2026-11-20T02:00:00Z");
  EXPECT_EQ(s.hosts, 1);
  ASSERT_EQ(s.stale.size(), 1u);
  EXPECT_EQ(s.stale[0].host, "B");
}

TEST(Summarize, WithoutSinceSaysNothingAboutIt) {
  const FleetSummary s = summarize({host("A", "2026-11-20T02:00:00Z", 90.0, {})}, {}, 10);
  EXPECT_EQ(summary_text(s).find("since"), std::string::npos);
  EXPECT_TRUE(summary_json(s)["since"].is_null());
  EXPECT_EQ(summary_json(s)["older"], 0);
}

TEST(SinceBound, TakesADateOrAUtcTimeAndNothingElse) {
  EXPECT_EQ(*since_bound("2026-11-20"), "2026-11-20");
  EXPECT_EQ(*since_bound("2026-11-20T02:00:00Z"), "2026-11-20T02:00:00Z");
  for (const char* bad : {"", "2026-11-31", "2026-11-20T24:00:00Z", "2026-11-20T02:00:00", "20261120", "2026-1-20",
                          "2026-11-20T02:0a:00Z"}) {
    auto r = since_bound(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().find("is not a date (2026-11-20) or a UTC time"), std::string::npos) << r.error();
  }
}

TEST(ReadHostReports, CountsFilesAsTheyAreRead) {
  test_support::TempDir dir;
  for (int i = 0; i < 5; ++i) dir.write("r" + std::to_string(i) + ".json", "not json");
  auto files = report_files({dir.path().string()});
  ASSERT_TRUE(files);
  std::atomic<std::size_t> read{0};
  (void)read_host_reports(*files, 2, &read);
  EXPECT_EQ(read.load(), 5u);
}

TEST(ReadHostReports, NamesAndKeepsInOrderWhatCouldNotBeRead) {
  test_support::TempDir dir;
  dir.write("fleet/a/broken.json", "{\"schema\": \"smbaudit-report/1\", ");
  dir.write("fleet/notes.txt", "not a report");
  dir.write("fleet/b/facts.json", R"({"schema": "smbaudit-facts/1"})");
  auto files = report_files({(dir.path() / "fleet").string()});
  ASSERT_TRUE(files) << files.error();
  ASSERT_EQ(files->size(), 2u) << "only *.json, found recursively";
  const auto read = read_host_reports(*files, 2);
  ASSERT_EQ(read.size(), 2u);
  ASSERT_FALSE(read[0]);
  EXPECT_NE(read[0].error().find("broken.json: not valid JSON"), std::string::npos) << read[0].error();
  ASSERT_FALSE(read[1]);
  EXPECT_NE(read[1].error().find("facts.json: at /schema: unsupported schema 'smbaudit-facts/1'"), std::string::npos);
  auto missing = report_files({(dir.path() / "nope").string()});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("nope: no such file or folder"), std::string::npos);
}

}  // namespace
}  // namespace smbaudit
