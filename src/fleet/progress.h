// What a fleet run tells the person or the scheduled task that started it: a status line
// redrawn in place on a terminal while hosts are in flight, and one final line.
#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler.h"

namespace smbaudit::fleet {

struct Counts {
  std::size_t total = 0;    // hosts in the run
  std::size_t started = 0;  // hosts handed to a worker so far
  std::size_t done = 0;     // hosts that ended, however (failed and skipped included)
  std::size_t failed = 0, skipped = 0, gates_tripped = 0, outputs_failed = 0;
  bool bad_input = false;                   // a failure was bad input rather than an unreachable host
  std::vector<std::string> first_failures;  // the causes of the first few failed hosts

  [[nodiscard]] std::size_t in_flight() const { return started - done; }
  [[nodiscard]] std::size_t left() const { return total - started; }
  // Hosts whose facts were read and whose results were written (or attempted).
  [[nodiscard]] std::size_t succeeded() const { return done - failed - skipped; }
};

// How many failure causes the final line quotes.
inline constexpr std::size_t kFailuresQuoted = 3;

// Counts hosts as the scheduler reports them.
class Tally final : public Observer {
 public:
  explicit Tally(std::size_t total) { counts_.total = total; }
  void started(std::string_view host) override;
  void finished(const HostOutcome& outcome) override;
  [[nodiscard]] const Counts& counts() const { return counts_; }

 private:
  Counts counts_;
};

// "45 s", "3 min 20 s", "2 h 5 min".
[[nodiscard]] std::string duration_text(Clock::duration d);

// The status line: "hosts 412/1000 done, 7 failed, 16 in flight, 572 left, about 1 min 5 s to go",
// the estimate once a host has finished (elapsed time per host done, times the hosts not done),
// cut to `width` characters so the terminal never wraps it.
[[nodiscard]] std::string progress_line(const Counts& counts, Clock::duration elapsed, std::size_t width);

// What the final line calls a host whose facts were read: "audited" or "collected".
enum class Verb { Audited, Collected };

// The final line: "3 hosts: 1 audited, 2 failed to collect (WS07: cause; WS09: cause), gates
// tripped on 0", then skipped hosts and unwritten reports when there were any. Collect runs
// have no gates.
[[nodiscard]] std::string final_line(const Counts& counts, Verb verb);

// One line of status at the bottom of a terminal, redrawn in place: a carriage return, the
// line, and spaces over whatever a longer previous line left. Whatever else is printed while
// it is shown (log lines) goes above it. Thread-safe.
class StatusLine {
 public:
  explicit StatusLine(std::ostream& out) : out_(out) {}
  StatusLine(const StatusLine&) = delete;
  StatusLine& operator=(const StatusLine&) = delete;

  void show(std::string line);
  // Clears the line, runs `write` (which prints whole lines), then redraws the line.
  void above(const std::function<void()>& write);
  // Erases the line; nothing is shown until the next show().
  void clear();

 private:
  void erase();  // with mutex_ held
  std::mutex mutex_;
  std::ostream& out_;
  std::string shown_;
};

// Redraws a status line from a tally whenever a host starts or ends, and on every tick.
class ProgressDisplay final : public Observer {
 public:
  ProgressDisplay(Tally& tally, StatusLine& line, std::size_t width, const Timer& timer = steady_timer())
      : tally_(tally), line_(line), width_(width), timer_(timer), start_(timer.now()) {}
  void started(std::string_view host) override;
  void finished(const HostOutcome& outcome) override;
  void tick() override { redraw(); }

 private:
  void redraw();
  Tally& tally_;
  StatusLine& line_;
  std::size_t width_;
  const Timer& timer_;
  Clock::time_point start_;
};

}  // namespace smbaudit::fleet
