// A fact source as a scheduler job: collect() is the source's host() and collect(plan), the
// only part that talks to the host; what the command does with the result (evaluate and
// write a report, or write a snapshot) is the run's `finish`.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "scheduler.h"
#include "smbaudit/fact_source.h"

namespace smbaudit::fleet {

struct HostData {
  HostFacts host;
  FactSet facts;
};

// What one host's source gave: its facts, or why there are none.
struct Collected {
  SourceInfo source;
  Expected<HostData, CollectError> result = Unexpected(CollectError{});
  std::string collection_summary;  // the source's own account of what it read (for -v)
  Clock::duration took{};
};

// Reads the host's facts and then the plan's facts from `source`: the part of an audit that
// talks to the host. Logs nothing. `proceed`, when given, sees the host's facts first and
// may stop there (the result is then an error the caller does not report).
[[nodiscard]] Collected collect_from(FactSource& source, const FactPlan& plan,
                                     const std::function<bool(const HostFacts&)>& proceed = {});

// What every job of one run shares. Jobs given up on keep it alive while their worker
// finishes collect(), so it is shared, never borrowed.
struct SourceRun {
  FactPlan plan;
  // Evaluates and writes one host's results and says how it went. Runs on worker threads at
  // the same time for different hosts, and on the scheduler's thread for a host given up on
  // (its result then a CollectionFailed error saying so): it must be thread-safe.
  std::function<HostOutcome(Collected&)> finish;
  // --skip-existing: the file that shows this host was done already (nullopt: go ahead).
  // Asked before contacting the host when the source knows its name, else right after host().
  std::function<std::optional<std::string>(const std::string& host)> already_done;
};

class SourceJob final : public HostJob {
 public:
  SourceJob(std::unique_ptr<FactSource> source, std::shared_ptr<const SourceRun> run);

  [[nodiscard]] std::string name() const override { return name_; }
  void collect() override;
  HostOutcome finish() override;
  HostOutcome give_up(Clock::duration waited) override;

 private:
  enum class Stage { Checking, Connecting, Collecting };

  // Members collect() writes; give_up() reads only the ones above them and `stage_`.
  const std::shared_ptr<const SourceRun> run_;
  const SourceInfo info_;
  const std::string known_host_;  // the source's name for the host before contacting it, or ""
  const std::string name_;        // known_host_, else the source's description
  std::atomic<Stage> stage_{Stage::Connecting};
  const std::function<std::string()> activity_;  // the source's, safe to call from give_up()

  std::unique_ptr<FactSource> source_;  // released on the worker thread at the end of collect()
  Collected collected_;
  std::string read_host_;  // the host's name as read from it
  std::optional<std::string> skipped_because_;
};

// The line a host given up on gets: "NAME: no answer within 30 s while collecting facts (--timeout)".
// "WS07: no answer within 30 s while collecting facts (--timeout; it was querying WMI)": `now`,
// what the source said it was doing, may be empty.
[[nodiscard]] std::string no_answer(std::string_view host, Clock::duration waited, std::string_view doing,
                                    std::string_view now = {});

}  // namespace smbaudit::fleet
