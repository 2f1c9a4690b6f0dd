#include <gtest/gtest.h>

#include "smbaudit/engine.h"

namespace smbaudit {
namespace {

class ApplyWaivers : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* id : {"signing", "smb1", "guest"}) {
      Rule r;
      r.id = id;
      rules_.push_back(r);
    }
    report_.host.name = "WS01";
    for (auto [rule, status] : {std::pair{0, Status::Fail}, {1, Status::Unknown}, {2, Status::Pass}}) {
      Finding f;
      f.rule = &rules_[static_cast<std::size_t>(rule)];
      f.status = status;
      report_.findings.push_back(f);
    }
  }

  static Waiver waiver(std::string rule, std::string expires, std::vector<std::string> hosts = {}) {
    return Waiver{std::move(rule), std::move(hosts), "accepted", std::move(expires)};
  }

  std::vector<Rule> rules_;
  Report report_;
};

TEST_F(ApplyWaivers, WaivesAFailureButKeepsItsStatus) {
  apply_waivers(report_, {"w.json", {waiver("signing", "2026-12-31")}}, "2026-11-21");
  const Finding& f = report_.findings[0];
  ASSERT_TRUE(f.waiver);
  EXPECT_TRUE(f.waived());
  EXPECT_EQ(f.status, Status::Fail);
  EXPECT_EQ(f.waiver->file, "w.json");
  EXPECT_EQ(f.waiver->index, 0u);
}

TEST_F(ApplyWaivers, TheExpiryDayIsStillCoveredAndTheDayAfterIsNot) {
  apply_waivers(report_, {"w.json", {waiver("signing", "2026-11-21")}}, "2026-11-21");
  EXPECT_TRUE(report_.findings[0].waived());
  report_.findings[0].waiver.reset();
  apply_waivers(report_, {"w.json", {waiver("signing", "2026-11-20")}}, "2026-11-21");
  ASSERT_TRUE(report_.findings[0].waiver);
  EXPECT_EQ(report_.findings[0].waiver->state, WaiverState::Expired);
  EXPECT_FALSE(report_.findings[0].waived());
}

TEST_F(ApplyWaivers, MatchesHostGlobsCaseInsensitively) {
  apply_waivers(report_,
                {"w.json", {waiver("smb1", "2027-01-01", {"SRV*", "ws0?"}), waiver("signing", "2027-01-01", {"ws*"})}},
                "2026-11-21");
  EXPECT_FALSE(report_.findings[1].waiver) << "no pattern matches WS01";
  EXPECT_TRUE(report_.findings[0].waived());
}

TEST_F(ApplyWaivers, AnActiveWaiverWinsOverAnExpiredOneInEitherOrder) {
  apply_waivers(report_, {"w.json", {waiver("smb1", "2026-01-01"), waiver("smb1", "2027-01-01")}}, "2026-11-21");
  EXPECT_TRUE(report_.findings[1].waived());
  EXPECT_EQ(report_.findings[1].waiver->index, 1u);
  report_.findings[1].waiver.reset();
  apply_waivers(report_, {"w.json", {waiver("smb1", "2027-01-01"), waiver("smb1", "2026-01-01")}}, "2026-11-21");
  EXPECT_EQ(report_.findings[1].waiver->index, 0u);
}

TEST_F(ApplyWaivers, LeavesPassesAndTheScoreAlone) {
  report_.score = score(report_.findings);
  apply_waivers(report_, {"w.json", {waiver("guest", "2027-01-01"), waiver("signing", "2027-01-01")}}, "2026-11-21");
  EXPECT_FALSE(report_.findings[2].waiver) << "a passing rule needs no waiver";
  EXPECT_EQ(score(report_.findings).overall, report_.score.overall);
}

}  // namespace
}  // namespace smbaudit
