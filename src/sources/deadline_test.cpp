#include "deadline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

namespace smbaudit {
namespace {

using namespace std::chrono_literals;

TEST(RunUntil, ReturnsTheJobsResultWhenItFinishesInTime) {
  auto r = run_until<int>(std::chrono::steady_clock::now() + 10s, [] { return 42; });
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, 42);
}

TEST(RunUntil, GivesUpOnAHungJobAtTheDeadline) {
  // The job blocks until the test releases it, like an RPC to a host that stopped answering.
  auto release = std::make_shared<std::promise<void>>();
  auto released = release->get_future().share();
  const auto started = std::chrono::steady_clock::now();
  auto r = run_until<int>(started + 200ms, [released] {
    released.wait();
    return 1;
  });
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_FALSE(r.has_value());
  EXPECT_GE(waited, 200ms);
  EXPECT_LT(waited, 5s);
  release->set_value();  // let the abandoned thread finish before the test binary exits
}

TEST(RunUntil, RethrowsWhatTheJobThrew) {
  EXPECT_THROW(
      (void)run_until<int>(std::chrono::steady_clock::now() + 10s, []() -> int { throw std::runtime_error("boom"); }),
      std::runtime_error);
}

}  // namespace
}  // namespace smbaudit
