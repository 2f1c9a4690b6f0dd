// Runs many hosts' work with at most N in flight, each bounded by its own deadline. The
// scheduler knows nothing of fact sources, rules or reports: it runs HostJobs, so a test can
// drive it with jobs that simulate latency, hangs and failures, and the live collector
// runs under it unchanged (source_job.h adapts a FactSource).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace smbaudit::fleet {

using Clock = std::chrono::steady_clock;

// Time as the scheduler sees it: the steady clock, or a test's manual clock.
class Timer {
 public:
  virtual ~Timer() = default;
  [[nodiscard]] virtual Clock::time_point now() const = 0;
  // Blocks on `wake` (whose mutex `lock` holds) until it is notified or `until` passes. It may
  // return early: the scheduler re-reads the time and its mailbox after every return.
  virtual void wait(std::unique_lock<std::mutex>& lock, std::condition_variable& wake, Clock::time_point until) = 0;
};

// The steady clock (the default).
[[nodiscard]] Timer& steady_timer();

// How one host ended, as the run counts it.
enum class HostState { Done, Failed, Skipped };

struct HostOutcome {
  std::string host;
  HostState state = HostState::Done;
  std::string cause;            // Failed: why, one line that names the host
  bool bad_input = false;       // Failed because of bad input (a malformed file), not an unreachable host
  bool gate_tripped = false;    // a gate (--fail-on, --fail-under, --unknown fail) tripped on its report
  bool output_failed = false;   // a report or snapshot of it could not be written
  std::string skipped_because;  // Skipped: the file that shows the host is already done
};

// One host's work, in two phases split where the deadline stops applying.
//
// collect() talks to the host and may block in an operating-system call nothing can
// interrupt (RegConnectRegistryW to a host that stopped answering). At the deadline the
// scheduler stops waiting for it: it calls give_up() instead of finish() and moves on; the
// worker thread is left to return whenever the call does, and then ends without calling
// finish(). So collect() may touch only the job's own state, never a log, a file, standard
// output or anything global, and the job must not own anything whose destruction blocks.
class HostJob {
 public:
  virtual ~HostJob() = default;
  // The host's name as known before it is contacted (for messages); may be a placeholder.
  [[nodiscard]] virtual std::string name() const = 0;
  // On a worker thread, bounded by the deadline: contact the host and collect.
  virtual void collect() = 0;
  // On the same worker thread, only when collect() returned in time: evaluate, write, log.
  // Not bounded by the deadline (it is local work); jobs run it concurrently.
  virtual HostOutcome finish() = 0;
  // On the scheduler's thread, instead of finish(), when the deadline passed during collect()
  // (which may still be running: do not read what it writes). `waited` is the time it had
  // (the timeout; the scheduler may notice the deadline a little after it passed).
  virtual HostOutcome give_up(Clock::duration waited) = 0;
};

// Told what happens, always on the thread that called run(), one call at a time.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void started(std::string_view /*host*/) {}
  virtual void finished(const HostOutcome& /*outcome*/) {}
  // Every Schedule::tick while hosts are in flight (to refresh a progress display).
  virtual void tick() {}
};

struct Schedule {
  int parallel = 16;                       // hosts in flight at most (at least 1)
  std::optional<Clock::duration> timeout;  // each host's collect() deadline; nullopt: none
  std::optional<Clock::duration> tick;     // how often Observer::tick runs; nullopt: never
};

// Gives the next host's job, or nullptr when there are no more. It is called only when a
// slot is free, so at most `parallel` jobs exist at once besides those given up on: memory
// stays flat however many hosts there are.
using NextJob = std::function<std::shared_ptr<HostJob>()>;

// Runs every job, starting them in the order `next` gives them, with at most
// `schedule.parallel` in flight; reports each outcome as its host finishes. Returns when
// every job has finished or been given up on; a worker still blocked in collect() is left
// behind (detached) and never reported. An exception thrown by a job (a bug) stops new
// hosts from starting and is rethrown once the hosts in flight have ended.
void run(const NextJob& next, const Schedule& schedule, Observer& observer, Timer& timer = steady_timer());

}  // namespace smbaudit::fleet
