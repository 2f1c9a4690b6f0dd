// A clock for scheduler tests that moves only when the test says so, so deadlines are
// tested without sleeping: the scheduler's wait returns at once when the time has passed and
// otherwise after a millisecond at most, and the scheduler then reads the manual time again.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "../../src/fleet/scheduler.h"

namespace smbaudit::test_support {

class ManualTimer final : public fleet::Timer {
 public:
  [[nodiscard]] fleet::Clock::time_point now() const override {
    const std::lock_guard lock(mutex_);
    return now_;
  }
  void wait(std::unique_lock<std::mutex>& lock, std::condition_variable& wake,
            fleet::Clock::time_point until) override {
    if (now() >= until) return;
    // Woken by a worker's news at once; by advance() within a millisecond (it cannot notify a
    // condition variable that may be gone by then).
    wake.wait_for(lock, std::chrono::milliseconds(1));
  }
  void advance(fleet::Clock::duration d) {
    const std::lock_guard lock(mutex_);
    now_ += d;
  }

 private:
  mutable std::mutex mutex_;
  fleet::Clock::time_point now_{std::chrono::hours(1000)};
};

}  // namespace smbaudit::test_support
