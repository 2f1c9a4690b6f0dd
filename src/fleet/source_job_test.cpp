#include "source_job.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <map>
#include <mutex>

#include "progress.h"
#include "support/simulated_fleet.h"

namespace smbaudit::fleet {
namespace {

using namespace std::chrono_literals;
using test_support::Behaviour;
using test_support::HangRelease;
using test_support::SimulatedHost;
using test_support::SimulatedSource;
using test_support::SimulatedWorld;

// A simulated fleet run through the real scheduler, with a finish that records what it saw.
class SimulatedRun {
 public:
  SimulatedRun() { world_->release = release_.future(); }

  // Runs every host, at most `parallel` at once, each bounded by `timeout`.
  void run(const std::vector<SimulatedHost>& hosts, int parallel, std::optional<Clock::duration> timeout) {
    auto shared = std::make_shared<SourceRun>();
    shared->already_done = already_done;
    shared->finish = [this](Collected& c) {
      HostOutcome outcome;
      outcome.host = c.result ? c.result->host.name : c.result.error().host;
      if (!c.result) {
        outcome.state = HostState::Failed;
        outcome.cause = c.result.error().message;
      }
      const std::lock_guard lock(mutex_);
      finished_[outcome.host] = outcome;
      return outcome;
    };
    std::size_t next = 0;
    Tally tally(hosts.size());
    const auto started = Clock::now();
    fleet::run(
        [&]() -> std::shared_ptr<HostJob> {
          if (next == hosts.size()) return nullptr;
          return std::make_shared<SourceJob>(std::make_unique<SimulatedSource>(hosts[next++], world_), shared);
        },
        Schedule{.parallel = parallel, .timeout = timeout}, tally);
    wall_ = Clock::now() - started;
    counts_ = tally.counts();
  }

  std::shared_ptr<SimulatedWorld> world_ = std::make_shared<SimulatedWorld>();
  HangRelease release_;  // ends the hangs when the test does
  std::function<std::optional<std::string>(const std::string&)> already_done;
  std::mutex mutex_;
  std::map<std::string, HostOutcome> finished_;  // what finish saw, by host
  Counts counts_;
  Clock::duration wall_{};
};

TEST(SourceJob, ASimulatedFleetNeverHasMoreThanParallelHostsContactedAtOnce) {
  SimulatedRun run;
  run.run(test_support::simulated_fleet(40, 5ms, 30ms, 0, 0, 1), 6, std::nullopt);
  EXPECT_EQ(run.counts_.done, 40u);
  EXPECT_EQ(run.counts_.failed, 0u);
  EXPECT_EQ(run.finished_.size(), 40u);
  EXPECT_LE(run.world_->most_contacting.load(), 6);
  EXPECT_GE(run.world_->most_contacting.load(), 2) << "hosts ran one after another";
  EXPECT_EQ(run.world_->contacted.load(), 40);
}

// A source that answers host() and then hangs in collect() until the test ends, saying what
// it is doing.
class StuckInWmi final : public FactSource {
 public:
  explicit StuckInWmi(std::shared_future<void> release) : release_(std::move(release)) {}
  [[nodiscard]] SourceInfo info() const override { return {"live", "remote host WS07"}; }
  Expected<HostFacts, CollectError> host() override { return HostFacts{.name = "WS07"}; }
  Expected<FactSet, CollectError> collect(const FactPlan&) override {
    release_.wait();
    return FactSet{};
  }
  [[nodiscard]] std::string known_host() const override { return "WS07"; }
  [[nodiscard]] std::function<std::string()> activity() const override {
    return [] { return std::string("querying WMI"); };
  }

 private:
  std::shared_future<void> release_;
};

TEST(SourceJob, AHostGivenUpOnSaysWhatItsSourceWasDoing) {
  std::promise<void> release;
  auto run = std::make_shared<SourceRun>();
  std::string cause;
  run->finish = [&cause](Collected& c) {
    HostOutcome outcome;
    outcome.host = "WS07";
    outcome.state = c.result ? HostState::Done : HostState::Failed;
    if (!c.result) cause = c.result.error().message;
    return outcome;
  };
  bool given = false;
  Tally tally(1);
  fleet::run(
      [&]() -> std::shared_ptr<HostJob> {
        if (given) return nullptr;
        given = true;
        return std::make_shared<SourceJob>(std::make_unique<StuckInWmi>(release.get_future().share()), run);
      },
      Schedule{.parallel = 1, .timeout = 200ms}, tally);
  release.set_value();
  EXPECT_EQ(cause, "WS07: no answer within 0.2 s while collecting facts (--timeout; it was querying WMI)");
}

TEST(SourceJob, AHungHostIsGivenUpOnAtItsDeadlineWhileTheOthersGoOn) {
  SimulatedRun run;
  std::vector<SimulatedHost> hosts{{"hung", 0ms, Behaviour::Hangs}};
  for (int i = 0; i < 10; ++i) hosts.push_back({"quick-" + std::to_string(i), 10ms, Behaviour::Answers});
  // The hang lasts until the test ends: without the deadline this run would never return.
  run.run(hosts, 2, 1s);
  ASSERT_EQ(run.finished_.size(), 11u);
  const HostOutcome& hung = run.finished_.at("hung");
  EXPECT_EQ(hung.state, HostState::Failed);
  EXPECT_EQ(hung.cause, "hung: no answer within 1 s while connecting and reading its version (--timeout)");
  for (int i = 0; i < 10; ++i) EXPECT_EQ(run.finished_.at("quick-" + std::to_string(i)).state, HostState::Done);
  EXPECT_EQ(run.counts_.failed, 1u);
  EXPECT_EQ(run.counts_.first_failures, std::vector<std::string>{hung.cause});
  // At least the deadline; far less than a hang (generous: a loaded machine is slow, not stuck).
  EXPECT_GE(run.wall_, 1s);
  EXPECT_LT(run.wall_, 10s);
}

TEST(SourceJob, AnUnreachableHostFailsAtOnceWithItsOwnCause) {
  SimulatedRun run;
  run.run({{"gone", 0ms, Behaviour::Unreachable}, {"there", 0ms, Behaviour::Answers}}, 2, 30s);
  EXPECT_EQ(run.finished_.at("gone").state, HostState::Failed);
  EXPECT_EQ(run.finished_.at("gone").cause, "gone: cannot connect: simulated: the network path was not found (53)");
  EXPECT_EQ(run.finished_.at("there").state, HostState::Done);
  EXPECT_LT(run.wall_, 10s);
}

TEST(SourceJob, SkipsAHostThatIsAlreadyDoneWithoutContactingIt) {
  SimulatedRun run;
  run.already_done = [](const std::string& host) -> std::optional<std::string> {
    if (host == "done-before") return "reports/done-before-2026-11-22.json";
    return std::nullopt;
  };
  run.run({{"done-before", 0ms, Behaviour::Answers}, {"new", 0ms, Behaviour::Answers}}, 2, std::nullopt);
  EXPECT_EQ(run.world_->contacted.load(), 1) << "only the new host is contacted";
  EXPECT_FALSE(run.finished_.contains("done-before")) << "a skipped host is not finished";
  EXPECT_EQ(run.counts_.skipped, 1u);
  EXPECT_EQ(run.counts_.succeeded(), 1u);
}

// A source that learns the host's name only by reading it, like a facts snapshot.
class UnnamedSource final : public FactSource {
 public:
  explicit UnnamedSource(int* reads) : reads_(reads) {}
  [[nodiscard]] SourceInfo info() const override { return {"snapshot", "ws01.json"}; }
  Expected<HostFacts, CollectError> host() override {
    HostFacts h;
    h.name = "WS01";
    return h;
  }
  Expected<FactSet, CollectError> collect(const FactPlan&) override {
    ++*reads_;
    return FactSet{};
  }

 private:
  int* reads_;
};

TEST(SourceJob, ASourceThatDoesNotKnowItsHostIsCheckedForSkippingAfterReadingIt) {
  int reads = 0;
  auto shared = std::make_shared<SourceRun>();
  std::string asked;
  shared->already_done = [&asked](const std::string& host) -> std::optional<std::string> {
    asked = host;
    return "WS01-2026-11-22.json";
  };
  shared->finish = [](Collected&) { return HostOutcome{}; };
  SourceJob job(std::make_unique<UnnamedSource>(&reads), shared);
  EXPECT_EQ(job.name(), "ws01.json");
  job.collect();
  EXPECT_EQ(asked, "WS01");
  EXPECT_EQ(reads, 0) << "the plan's facts are not read for a host that is skipped";
  const HostOutcome outcome = job.finish();
  EXPECT_EQ(outcome.state, HostState::Skipped);
  EXPECT_EQ(outcome.skipped_because, "WS01-2026-11-22.json");
  EXPECT_EQ(outcome.host, "WS01") << "named as read, not by the file it came from";
}

TEST(SourceJob, GivingUpReportsTheHostAsACollectionFailureThroughTheSameFinish) {
  auto world = std::make_shared<SimulatedWorld>();
  auto shared = std::make_shared<SourceRun>();
  std::optional<CollectError> seen;
  shared->finish = [&seen](Collected& c) {
    if (!c.result) seen = c.result.error();
    return HostOutcome{};
  };
  SourceJob job(std::make_unique<SimulatedSource>(SimulatedHost{"WS07", 0ms, Behaviour::Answers}, world), shared);
  (void)job.give_up(30s);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->failure, CollectFailure::CollectionFailed);
  EXPECT_EQ(seen->host, "WS07");
  EXPECT_EQ(seen->message, "WS07: no answer within 30 s while connecting and reading its version (--timeout)");
}

TEST(CollectFrom, StopsBeforeThePlanWhenToldTo) {
  int reads = 0;
  UnnamedSource source(&reads);
  const Collected c = collect_from(source, FactPlan{}, [](const HostFacts&) { return false; });
  EXPECT_FALSE(c.result);
  EXPECT_EQ(reads, 0);
  const Collected all = collect_from(source, FactPlan{});
  ASSERT_TRUE(all.result);
  EXPECT_EQ(all.result->host.name, "WS01");
  EXPECT_EQ(all.source.description, "ws01.json");
}

}  // namespace
}  // namespace smbaudit::fleet
