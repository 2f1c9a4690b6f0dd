#include "scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <map>
#include <stdexcept>
#include <vector>

#include "support/manual_timer.h"

namespace smbaudit::fleet {
namespace {

using namespace std::chrono_literals;
using test_support::ManualTimer;

// What happened, in order, from every thread; tests wait for an entry instead of sleeping.
class Events {
 public:
  void note(std::string event) {
    {
      const std::lock_guard lock(mutex_);
      events_.push_back(std::move(event));
    }
    changed_.notify_all();
  }
  // Waits (10 s at most, a bound no passing run comes near) until `event` has happened.
  bool wait_for(const std::string& event) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return index_of(event) >= 0; });
  }
  bool happened(const std::string& event) const {
    const std::lock_guard lock(mutex_);
    return index_of(event) >= 0;
  }
  // Position of an event in the order things happened; -1 when it has not.
  long position(const std::string& event) const {
    const std::lock_guard lock(mutex_);
    return index_of(event);
  }
  std::vector<std::string> starts() const {
    const std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& e : events_)
      if (e.rfind("started ", 0) == 0) out.push_back(e.substr(8));
    return out;
  }

 private:
  long index_of(const std::string& event) const {
    auto it = std::find(events_.begin(), events_.end(), event);
    return it == events_.end() ? -1 : static_cast<long>(it - events_.begin());
  }
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> events_;
};

// Something a test opens when it decides: a phase of a scripted job waits for it.
class Gate {
 public:
  Gate() : opened_(promise_.get_future().share()) {}
  void open() {
    if (!open_.exchange(true)) promise_.set_value();
  }
  void wait() const { opened_.wait(); }

 private:
  std::promise<void> promise_;
  std::shared_future<void> opened_;
  std::atomic<bool> open_{false};
};

// The test's hold on one host: its gates and what the job should do.
struct Script {
  Gate collect, finish;
  bool throw_in_collect = false;
};

class ScriptedJob final : public HostJob {
 public:
  ScriptedJob(std::string name, std::shared_ptr<Script> script, std::shared_ptr<Events> events)
      : name_(std::move(name)), script_(std::move(script)), events_(std::move(events)) {}
  ~ScriptedJob() override { events_->note("destroyed " + name_); }
  [[nodiscard]] std::string name() const override { return name_; }
  void collect() override {
    events_->note("collect " + name_);
    script_->collect.wait();
    if (script_->throw_in_collect) throw std::runtime_error("a bug in " + name_);
    events_->note("collected " + name_);
  }
  HostOutcome finish() override {
    events_->note("finish " + name_);
    script_->finish.wait();
    return {name_, HostState::Done, {}};
  }
  HostOutcome give_up(Clock::duration waited) override {
    events_->note("give up " + name_);
    HostOutcome o{name_, HostState::Failed, {}};
    o.cause =
        name_ + " waited " + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(waited).count()) + " s";
    return o;
  }

 private:
  std::string name_;
  std::shared_ptr<Script> script_;
  std::shared_ptr<Events> events_;
};

class Recorder final : public Observer {
 public:
  explicit Recorder(std::shared_ptr<Events> events) : events_(std::move(events)) {}
  void started(std::string_view host) override { events_->note("started " + std::string(host)); }
  void finished(const HostOutcome& o) override {
    events_->note("outcome " + o.host + (o.state == HostState::Failed ? " failed: " + o.cause : " done"));
  }
  void tick() override { events_->note("tick " + std::to_string(++ticks_)); }

 private:
  std::shared_ptr<Events> events_;
  int ticks_ = 0;
};

class SchedulerTest : public ::testing::Test {
 protected:
  // Hosts by name, handed out in this order.
  void hosts(std::vector<std::string> names) {
    for (auto& n : names) scripts_[n] = std::make_shared<Script>();
    order_ = std::move(names);
  }
  Script& script(const std::string& name) { return *scripts_.at(name); }

  // Runs the scheduler on its own thread, as smbaudit's main thread would.
  void start(Schedule schedule, Timer& timer) {
    running_ = std::async(std::launch::async, [this, schedule, &timer] {
      std::size_t next = 0;
      fleet::run(
          [this, &next]() -> std::shared_ptr<HostJob> {
            ++asked_;
            if (next == order_.size()) return nullptr;
            const std::string& name = order_[next++];
            return std::make_shared<ScriptedJob>(name, scripts_.at(name), events_);
          },
          schedule, recorder_, timer);
    });
  }
  // True when the run returned (rethrowing what it threw) within 10 s.
  bool finishes() {
    if (running_.wait_for(10s) != std::future_status::ready) return false;
    running_.get();
    return true;
  }
  void open_all() {
    for (auto& [name, s] : scripts_) {
      s->collect.open();
      s->finish.open();
    }
  }
  void TearDown() override {
    open_all();  // nothing outlives the test, whatever failed
    if (running_.valid()) running_.wait();
  }

  std::shared_ptr<Events> events_ = std::make_shared<Events>();
  Recorder recorder_{events_};
  std::map<std::string, std::shared_ptr<Script>> scripts_;
  std::vector<std::string> order_;
  std::atomic<int> asked_{0};
  std::future<void> running_;
  ManualTimer timer_;
};

TEST_F(SchedulerTest, StartsHostsInListOrderAndNeverMoreThanParallelAtOnce) {
  hosts({"a", "b", "c", "d"});
  start({.parallel = 2}, steady_timer());
  ASSERT_TRUE(events_->wait_for("collect a"));
  ASSERT_TRUE(events_->wait_for("collect b"));
  // Both slots are taken until a host ends: c waits.
  EXPECT_FALSE(events_->happened("started c"));
  EXPECT_EQ(asked_.load(), 2) << "the next job is made only when a slot is free";
  script("a").collect.open();
  script("a").finish.open();
  ASSERT_TRUE(events_->wait_for("collect c"));
  EXPECT_FALSE(events_->happened("started d"));
  open_all();
  ASSERT_TRUE(finishes());
  EXPECT_EQ(events_->starts(), (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST_F(SchedulerTest, ReportsEachHostAsItFinishesNotInListOrder) {
  hosts({"slow", "fast"});
  start({.parallel = 2}, steady_timer());
  ASSERT_TRUE(events_->wait_for("collect slow"));
  script("fast").collect.open();
  script("fast").finish.open();
  ASSERT_TRUE(events_->wait_for("outcome fast done"));
  EXPECT_FALSE(events_->happened("outcome slow done"));
  open_all();
  ASSERT_TRUE(finishes());
  EXPECT_LT(events_->position("outcome fast done"), events_->position("outcome slow done"));
}

TEST_F(SchedulerTest, GivesUpOnAHungHostAtItsDeadlineAndStartsTheNext) {
  hosts({"hung", "next"});
  start({.parallel = 1, .timeout = 30s, .tick = 1s}, timer_);
  ASSERT_TRUE(events_->wait_for("collect hung"));
  timer_.advance(29s);
  // The tick comes after the deadlines in the same look at the clock: at 29 s, none passed.
  ASSERT_TRUE(events_->wait_for("tick 1"));
  EXPECT_FALSE(events_->happened("give up hung"));
  timer_.advance(1s);
  // Given up on once its deadline came, and the slot reused.
  ASSERT_TRUE(events_->wait_for("outcome hung failed: hung waited 30 s"));
  ASSERT_TRUE(events_->wait_for("collect next"));
  script("next").collect.open();
  script("next").finish.open();
  ASSERT_TRUE(finishes());
  EXPECT_FALSE(events_->happened("finish hung"));
}

TEST_F(SchedulerTest, AHostThatAnswersAfterBeingGivenUpOnIsNeitherFinishedNorReportedAgain) {
  hosts({"late"});
  start({.parallel = 4, .timeout = 5s}, timer_);
  ASSERT_TRUE(events_->wait_for("collect late"));
  timer_.advance(6s);
  ASSERT_TRUE(finishes());
  script("late").collect.open();
  // The worker returns from collect() and drops the job without finishing it.
  ASSERT_TRUE(events_->wait_for("destroyed late"));
  EXPECT_TRUE(events_->happened("collected late"));
  EXPECT_FALSE(events_->happened("finish late"));
  EXPECT_FALSE(events_->happened("outcome late done"));
}

TEST_F(SchedulerTest, KeepsWaitingForAHostThatIsFinishingWhenItsDeadlinePasses) {
  hosts({"writer"});
  start({.parallel = 1, .timeout = 10s}, timer_);
  script("writer").collect.open();
  ASSERT_TRUE(events_->wait_for("finish writer"));
  timer_.advance(20s);  // finishing (evaluating, writing) is local work: no deadline
  script("writer").finish.open();
  ASSERT_TRUE(finishes());
  EXPECT_TRUE(events_->happened("outcome writer done"));
  EXPECT_FALSE(events_->happened("give up writer"));
}

TEST_F(SchedulerTest, TheRunEndsWhileAWorkerIsStillStuckInCollect) {
  hosts({"stuck", "fine"});
  start({.parallel = 2, .timeout = 30s}, timer_);
  script("fine").collect.open();
  script("fine").finish.open();
  ASSERT_TRUE(events_->wait_for("outcome fine done"));
  ASSERT_TRUE(events_->wait_for("collect stuck"));
  timer_.advance(31s);
  // The stuck call never returns while the run is on; the run ends anyway.
  ASSERT_TRUE(finishes());
  EXPECT_FALSE(events_->happened("collected stuck"));
  EXPECT_TRUE(events_->happened("outcome stuck failed: stuck waited 30 s")) << "it had its 30 s";
}

TEST_F(SchedulerTest, AJobsExceptionStopsNewHostsAndIsRethrownOnceTheOthersEnd) {
  hosts({"buggy", "busy", "later"});
  script("buggy").throw_in_collect = true;
  start({.parallel = 2}, steady_timer());
  ASSERT_TRUE(events_->wait_for("collect busy"));
  script("buggy").collect.open();
  ASSERT_TRUE(events_->wait_for("destroyed buggy"));
  script("busy").collect.open();
  script("busy").finish.open();
  ASSERT_EQ(running_.wait_for(10s), std::future_status::ready);
  EXPECT_THROW(running_.get(), std::runtime_error);
  EXPECT_TRUE(events_->happened("outcome busy done"));
  EXPECT_FALSE(events_->happened("started later"));
}

TEST_F(SchedulerTest, TicksWhileHostsAreInFlight) {
  hosts({"a"});
  start({.parallel = 1, .tick = 1s}, timer_);
  ASSERT_TRUE(events_->wait_for("collect a"));
  for (int i = 1; i <= 3; ++i) {
    timer_.advance(1s);
    ASSERT_TRUE(events_->wait_for("tick " + std::to_string(i)));
  }
  open_all();
  ASSERT_TRUE(finishes());
}

TEST_F(SchedulerTest, AnEmptyRunReturnsAtOnce) {
  hosts({});
  start({}, steady_timer());
  ASSERT_TRUE(finishes());
  EXPECT_TRUE(events_->starts().empty());
}

}  // namespace
}  // namespace smbaudit::fleet
