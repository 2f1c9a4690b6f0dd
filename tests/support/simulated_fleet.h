// A simulated fleet for the scheduler's tests and the fleet benchmark: fact sources that take
// a host's time to answer, hang, or fail at once like a host that cannot be reached, with the
// facts of a template host. No network, no Windows: it runs wherever the tests do.
#pragma once

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "../../src/fleet/source_job.h"
#include "smbaudit/fact_source.h"

namespace smbaudit::test_support {

enum class Behaviour { Answers, Hangs, Unreachable };

struct SimulatedHost {
  std::string name;
  std::chrono::milliseconds latency{0};  // Answers: the time it takes (a fifth connecting, the rest collecting)
  Behaviour behaviour = Behaviour::Answers;
};

// `count` hosts named host-0001, host-0002..., latencies spread uniformly over [fastest,
// slowest], `hang_percent` of them hanging and `unreachable_percent` unreachable, the same
// fleet for the same seed.
[[nodiscard]] std::vector<SimulatedHost> simulated_fleet(std::size_t count, std::chrono::milliseconds fastest,
                                                         std::chrono::milliseconds slowest, double hang_percent,
                                                         double unreachable_percent, unsigned seed);

// What every simulated source of a run shares: the template's facts, how long a hang lasts,
// what ends hangs early, and counters a test can read.
struct SimulatedWorld {
  fleet::HostData facts;                                      // every host answers with a copy of these
  std::chrono::milliseconds hang_for{std::chrono::hours(1)};  // a hang lasts this long at most
  std::shared_future<void> release;                           // or until this is set (tests end hangs by it)
  std::atomic<int> contacting{0};                             // sources inside host() or collect() now
  std::atomic<int> most_contacting{0};                        // the most there ever were at once
  std::atomic<int> contacted{0};                              // host() calls so far
};

class SimulatedSource final : public FactSource {
 public:
  SimulatedSource(SimulatedHost host, std::shared_ptr<SimulatedWorld> world)
      : host_(std::move(host)), world_(std::move(world)) {}
  [[nodiscard]] SourceInfo info() const override { return {"simulated", "simulated host " + host_.name}; }
  [[nodiscard]] std::string known_host() const override { return host_.name; }
  Expected<HostFacts, CollectError> host() override;
  Expected<FactSet, CollectError> collect(const FactPlan& plan) override;

 private:
  // Sleeps for `time`, or hangs while connecting, counting itself as contacting.
  void take(std::chrono::milliseconds time, bool connecting);
  SimulatedHost host_;
  std::shared_ptr<SimulatedWorld> world_;
};

// Ends every hang of a world when it goes out of scope (or at release()), so no simulated
// host outlives the test or benchmark that made it.
class HangRelease {
 public:
  HangRelease() : future_(promise_.get_future().share()) {}
  ~HangRelease() { release(); }
  HangRelease(const HangRelease&) = delete;
  HangRelease& operator=(const HangRelease&) = delete;
  [[nodiscard]] std::shared_future<void> future() const { return future_; }
  void release() {
    if (!released_.exchange(true)) promise_.set_value();
  }

 private:
  std::promise<void> promise_;
  std::shared_future<void> future_;
  std::atomic<bool> released_{false};
};

}  // namespace smbaudit::test_support
