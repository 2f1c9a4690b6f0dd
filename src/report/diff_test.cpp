#include "diff.h"

#include <gtest/gtest.h>

namespace smbaudit {
namespace {

ReadFinding finding(std::string rule, Status status, Severity severity = Severity::High) {
  ReadFinding f;
  f.rule = std::move(rule);
  f.title = "title of " + f.rule;
  f.status = status;
  f.severity = severity;
  return f;
}

ReadReport report(std::vector<ReadFinding> findings, std::optional<double> score = std::nullopt) {
  ReadReport r;
  r.host_name = "WS01";
  r.generated_at = "2026-11-21T02:00:00Z";
  r.overall = score;
  r.findings = std::move(findings);
  return r;
}

TEST(Classify, FailingOrLosingAPassIsARegression) {
  EXPECT_EQ(classify(Status::Pass, Status::Fail), Drift::Regressed);
  EXPECT_EQ(classify(Status::NotApplicable, Status::Fail), Drift::Regressed);
  EXPECT_EQ(classify(Status::Unknown, Status::Fail), Drift::Regressed);
  EXPECT_EQ(classify(Status::Pass, Status::Unknown), Drift::Regressed);
  EXPECT_EQ(classify(Status::Pass, Status::Error), Drift::Regressed);
  EXPECT_EQ(classify(Status::Fail, Status::Pass), Drift::Improved);
  EXPECT_EQ(classify(Status::Error, Status::Pass), Drift::Improved);
  EXPECT_EQ(classify(Status::Fail, Status::Unknown), Drift::Changed) << "not knowing is no improvement";
  EXPECT_EQ(classify(Status::Fail, Status::NotApplicable), Drift::Changed);
  EXPECT_EQ(classify(Status::Pass, Status::NotApplicable), Drift::Changed);
  EXPECT_EQ(classify(Status::Fail, Status::Fail), std::nullopt);
}

TEST(DiffReports, ListsRegressedImprovedAppearedAndDisappeared) {
  const auto before = report({finding("a", Status::Pass), finding("b", Status::Fail), finding("c", Status::Pass),
                              finding("gone", Status::Fail, Severity::Low)},
                             80.0);
  const auto after = report({finding("a", Status::Fail), finding("b", Status::Pass), finding("c", Status::Pass),
                             finding("new", Status::Fail)},
                            70.5);
  const ReportDiff d = diff_reports(before, after);
  ASSERT_EQ(d.changes.size(), 4u);
  EXPECT_EQ(d.changes[0].rule, "a");
  EXPECT_EQ(d.changes[0].kind, Drift::Regressed);
  EXPECT_EQ(d.changes[1].kind, Drift::Improved);
  EXPECT_EQ(d.changes[2].rule, "new");
  EXPECT_EQ(d.changes[2].kind, Drift::Appeared);
  EXPECT_EQ(d.changes[2].old_status, std::nullopt);
  EXPECT_EQ(d.changes[3].rule, "gone");
  EXPECT_EQ(d.changes[3].kind, Drift::Disappeared);
  EXPECT_EQ(d.changes[3].severity, Severity::Low);
  EXPECT_TRUE(d.regressed());
  const std::string text = diff_text(d);
  EXPECT_NE(text.find("Score    80.0 -> 70.5 (-9.5)"), std::string::npos) << text;
  EXPECT_NE(text.find("Regressed (1)\n  high     a"), std::string::npos) << text;
  EXPECT_NE(text.find("pass -> fail"), std::string::npos) << text;
  const auto j = diff_json(d);
  EXPECT_EQ(j["any_regression"], true);
  EXPECT_EQ(j["regressed"][0]["rule"], "a");
  EXPECT_EQ(j["appeared"][0]["new_status"], "fail");
  EXPECT_EQ(j["disappeared"][0]["new_status"], nullptr);
}

TEST(DiffReports, AWaivedRegressionIsListedButDoesNotTripTheGate) {
  auto after = report({finding("a", Status::Fail)});
  after.findings[0].waiver = WaiverState::Active;
  const ReportDiff d = diff_reports(report({finding("a", Status::Pass)}), after);
  ASSERT_EQ(d.changes.size(), 1u);
  EXPECT_TRUE(d.changes[0].waived);
  EXPECT_FALSE(d.regressed());
  after.findings[0].waiver = WaiverState::Expired;
  EXPECT_TRUE(diff_reports(report({finding("a", Status::Pass)}), after).regressed());
}

TEST(DiffReports, SaysSoWhenNothingChanged) {
  const auto r = report({finding("a", Status::Pass)});
  const ReportDiff d = diff_reports(r, r);
  EXPECT_TRUE(d.changes.empty());
  EXPECT_FALSE(d.regressed());
  EXPECT_NE(diff_text(d).find("No rule changed its verdict."), std::string::npos);
}

}  // namespace
}  // namespace smbaudit
