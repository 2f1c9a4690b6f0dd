#include "scheduler.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <vector>

namespace smbaudit::fleet {
namespace {

class SteadyTimer final : public Timer {
 public:
  [[nodiscard]] Clock::time_point now() const override { return Clock::now(); }
  void wait(std::unique_lock<std::mutex>& lock, std::condition_variable& wake, Clock::time_point until) override {
    // time_point::max() would overflow inside some wait_until implementations.
    if (until == Clock::time_point::max())
      wake.wait(lock);
    else
      wake.wait_until(lock, until);
  }
};

// Who owns a host once its collect() returns: the worker (to finish it) or the scheduler
// (which gave up on it). Exactly one compare-and-swap out of Collecting wins.
enum class Phase { Collecting, Finishing, GivenUp };

struct Slot {
  std::shared_ptr<HostJob> job;
  std::string name;
  Clock::time_point started, deadline;
  std::atomic<Phase> phase{Phase::Collecting};
  // Written by the worker before it posts the slot, read by the scheduler after: the mailbox's
  // mutex orders the two.
  HostOutcome outcome;
  std::exception_ptr error;
};

// Shared by the scheduler and its workers through shared_ptr: a worker left behind in
// collect() may return long after run() did, and still finds a live mailbox to look at.
struct Mailbox {
  std::mutex mutex;
  std::condition_variable wake;
  std::vector<std::shared_ptr<Slot>> finished;
};

void work(const std::shared_ptr<Mailbox>& box, std::shared_ptr<Slot> slot) {
  try {
    slot->job->collect();
  } catch (...) {
    slot->error = std::current_exception();
  }
  Phase expected = Phase::Collecting;
  // Given up on: the scheduler has reported this host already; say nothing, touch nothing.
  if (!slot->phase.compare_exchange_strong(expected, Phase::Finishing)) return;
  if (!slot->error) {
    try {
      slot->outcome = slot->job->finish();
    } catch (...) {
      slot->error = std::current_exception();
    }
  }
  {
    const std::lock_guard lock(box->mutex);
    box->finished.push_back(std::move(slot));
  }
  box->wake.notify_all();
}

}  // namespace

Timer& steady_timer() {
  static SteadyTimer timer;
  return timer;
}

void run(const NextJob& next, const Schedule& schedule, Observer& observer, Timer& timer) {
  const auto parallel = static_cast<std::size_t>(std::max(1, schedule.parallel));
  const auto box = std::make_shared<Mailbox>();
  std::vector<std::shared_ptr<Slot>> flight;
  std::exception_ptr first_error;
  bool more = true;
  auto next_tick = schedule.tick ? timer.now() + *schedule.tick : Clock::time_point::max();

  for (;;) {
    while (more && !first_error && flight.size() < parallel) {
      std::shared_ptr<HostJob> job = next();
      if (!job) {
        more = false;
        break;
      }
      auto slot = std::make_shared<Slot>();
      slot->name = job->name();
      slot->job = std::move(job);
      slot->started = timer.now();
      slot->deadline = schedule.timeout ? slot->started + *schedule.timeout : Clock::time_point::max();
      observer.started(slot->name);
      // One thread per host rather than a fixed pool: a thread that never comes back from
      // collect() is simply left behind, and the host after it gets a thread of its own.
      std::thread(work, box, slot).detach();
      flight.push_back(std::move(slot));
    }
    if (flight.empty()) break;

    std::vector<std::shared_ptr<Slot>> finished;
    {
      std::unique_lock lock(box->mutex);
      if (box->finished.empty()) {
        Clock::time_point until = next_tick;
        for (const auto& slot : flight)
          if (slot->phase.load() == Phase::Collecting) until = std::min(until, slot->deadline);
        timer.wait(lock, box->wake, until);
      }
      finished.swap(box->finished);
    }
    for (auto& slot : finished) {
      flight.erase(std::find(flight.begin(), flight.end(), slot));
      if (slot->error) {
        if (!first_error) first_error = slot->error;
        continue;
      }
      observer.finished(slot->outcome);
    }

    const Clock::time_point now = timer.now();
    for (auto it = flight.begin(); it != flight.end();) {
      Phase expected = Phase::Collecting;
      // A host already finishing keeps its slot until it is done: finishing is local work.
      if ((*it)->deadline <= now && (*it)->phase.compare_exchange_strong(expected, Phase::GivenUp)) {
        const std::shared_ptr<Slot> slot = *it;
        it = flight.erase(it);
        observer.finished(slot->job->give_up(slot->deadline - slot->started));
        continue;
      }
      ++it;
    }
    if (now >= next_tick) {
      observer.tick();
      next_tick = now + *schedule.tick;
    }
  }
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace smbaudit::fleet
