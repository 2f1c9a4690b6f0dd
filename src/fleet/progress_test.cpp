#include "progress.h"

#include <gtest/gtest.h>

#include <sstream>

#include "support/manual_timer.h"

namespace smbaudit::fleet {
namespace {

using namespace std::chrono_literals;

HostOutcome failed(std::string host, std::string cause) {
  HostOutcome o;
  o.host = std::move(host);
  o.state = HostState::Failed;
  o.cause = std::move(cause);
  return o;
}

HostOutcome done(std::string host, bool gate = false) {
  HostOutcome o;
  o.host = std::move(host);
  o.gate_tripped = gate;
  return o;
}

TEST(Tally, CountsHostsAsTheyStartAndEnd) {
  Tally tally(5);
  for (const char* h : {"a", "b", "c", "d"}) tally.started(h);
  tally.finished(done("a", true));
  tally.finished(failed("b", "b: cannot connect"));
  HostOutcome skipped = done("c");
  skipped.state = HostState::Skipped;
  tally.finished(skipped);
  const Counts& c = tally.counts();
  EXPECT_EQ(c.done, 3u);
  EXPECT_EQ(c.failed, 1u);
  EXPECT_EQ(c.skipped, 1u);
  EXPECT_EQ(c.gates_tripped, 1u);
  EXPECT_EQ(c.in_flight(), 1u);
  EXPECT_EQ(c.left(), 1u);
  EXPECT_EQ(c.succeeded(), 1u);
  EXPECT_FALSE(c.bad_input);
}

TEST(Tally, KeepsOnlyTheFirstFewFailureCauses) {
  Tally tally(5);
  for (int i = 0; i < 5; ++i) tally.finished(failed("h" + std::to_string(i), "cause " + std::to_string(i)));
  EXPECT_EQ(tally.counts().first_failures, (std::vector<std::string>{"cause 0", "cause 1", "cause 2"}));
  EXPECT_EQ(tally.counts().failed, 5u);
}

TEST(DurationText, ReadsLikeAPersonWouldSayIt) {
  EXPECT_EQ(duration_text(0s), "0 s");
  EXPECT_EQ(duration_text(45s), "45 s");
  EXPECT_EQ(duration_text(200s), "3 min 20 s");
  EXPECT_EQ(duration_text(180s), "3 min");
  EXPECT_EQ(duration_text(3900s), "1 h 5 min");
  EXPECT_EQ(duration_text(7200s), "2 h");
}

TEST(ProgressLine, ShowsDoneFailedInFlightLeftAndAnEstimate) {
  Counts c;
  c.total = 1000;
  c.started = 428;
  c.done = 412;
  c.failed = 7;
  // 412 hosts in 103 s: a quarter second each, 588 to go.
  EXPECT_EQ(progress_line(c, 103s, 200),
            "hosts 412/1000 done, 7 failed, 16 in flight, 572 left, about 2 min 27 s to go");
}

TEST(ProgressLine, HasNoEstimateBeforeAHostHasFinished) {
  Counts c;
  c.total = 10;
  c.started = 4;
  EXPECT_EQ(progress_line(c, 5s, 200), "hosts 0/10 done, 0 failed, 4 in flight, 6 left");
}

TEST(ProgressLine, IsCutToTheTerminalSoItNeverWraps) {
  Counts c;
  c.total = 1000;
  c.started = 20;
  c.done = 4;
  const std::string line = progress_line(c, 10s, 40);
  EXPECT_EQ(line.size(), 39u);
  EXPECT_EQ(line, "hosts 4/1000 done, 0 failed, 16 in flig");
}

TEST(FinalLine, CountsAuditedFailedAndGatesAndQuotesTheFirstFailures) {
  Tally tally(6);
  tally.finished(done("a", true));
  tally.finished(done("b"));
  for (int i = 1; i <= 4; ++i) tally.finished(failed("x", "WS0" + std::to_string(i) + ": cannot connect (53)"));
  EXPECT_EQ(final_line(tally.counts(), Verb::Audited),
            "6 hosts: 2 audited, 4 failed to collect (WS01: cannot connect (53); WS02: cannot connect (53); WS03: "
            "cannot connect (53); and 1 more), gates tripped on 1");
}

TEST(FinalLine, SaysWhenNothingFailedAndNamesSkippedHostsAndUnwrittenFiles) {
  Tally tally(3);
  tally.finished(done("a"));
  HostOutcome unwritten = done("b");
  unwritten.output_failed = true;
  tally.finished(unwritten);
  HostOutcome skipped = done("c");
  skipped.state = HostState::Skipped;
  tally.finished(skipped);
  EXPECT_EQ(final_line(tally.counts(), Verb::Audited),
            "3 hosts: 2 audited, 0 failed to collect, gates tripped on 0, 1 skipped (already done for this date), 1 "
            "whose reports could not be written");
  EXPECT_EQ(final_line(tally.counts(), Verb::Collected),
            "3 hosts: 2 collected, 0 failed to collect, 1 skipped (already done for this date), 1 whose snapshots "
            "could not be written");
}

TEST(StatusLine, RedrawsInPlaceAndBlanksWhatALongerLineLeft) {
  std::ostringstream out;
  StatusLine line(out);
  line.show("hosts 1/3 done");
  line.show("hosts 2/3");
  EXPECT_EQ(out.str(), "\rhosts 1/3 done\rhosts 2/3     \b\b\b\b\b");
}

TEST(StatusLine, PrintsLogLinesAboveItselfAndRedrawsAfter) {
  std::ostringstream out;
  StatusLine line(out);
  line.show("status");
  line.above([&] { out << "smbaudit: error: WS07: cannot connect\n"; });
  EXPECT_EQ(out.str(), "\rstatus\r      \rsmbaudit: error: WS07: cannot connect\nstatus");
  line.clear();
  EXPECT_EQ(out.str(), "\rstatus\r      \rsmbaudit: error: WS07: cannot connect\nstatus\r      \r");
}

TEST(StatusLine, WritesNothingExtraWhenNothingIsShown) {
  std::ostringstream out;
  StatusLine line(out);
  line.above([&] { out << "log\n"; });
  line.clear();
  EXPECT_EQ(out.str(), "log\n");
}

TEST(ProgressDisplay, RendersTheTallyOnATerminalAsHostsStartEndAndTimePasses) {
  test_support::ManualTimer timer;
  Tally tally(3);
  std::ostringstream out;
  StatusLine line(out);
  ProgressDisplay display(tally, line, 80, timer);
  display.started("a");
  display.started("b");
  timer.advance(10s);
  display.finished(done("a"));
  EXPECT_EQ(tally.counts().done, 1u) << "the display keeps the tally";
  timer.advance(5s);
  display.tick();
  const std::string text = out.str();
  const std::string last = text.substr(text.rfind('\r') + 1);
  // One host in 15 s: two more at that rate.
  EXPECT_EQ(last, "hosts 1/3 done, 0 failed, 1 in flight, 1 left, about 30 s to go");
  EXPECT_EQ(text.find('\n'), std::string::npos) << "a status line never scrolls the terminal";
}

}  // namespace
}  // namespace smbaudit::fleet
