#include "source_job.h"

#include <fmt/format.h>

namespace smbaudit::fleet {

Collected collect_from(FactSource& source, const FactPlan& plan, const std::function<bool(const HostFacts&)>& proceed) {
  const auto started = Clock::now();
  Collected c;
  c.source = source.info();
  auto host = source.host();
  if (!host) {
    c.result = Unexpected(std::move(host.error()));
  } else if (proceed && !proceed(*host)) {
    c.result = Unexpected(CollectError{CollectFailure::CollectionFailed, "not collected", host->name});
  } else if (auto facts = source.collect(plan); !facts) {
    c.result = Unexpected(std::move(facts.error()));
  } else {
    c.result = HostData{std::move(*host), std::move(*facts)};
    c.collection_summary = source.collection_summary();
  }
  c.took = Clock::now() - started;
  return c;
}

std::string no_answer(std::string_view host, Clock::duration waited, std::string_view doing, std::string_view now) {
  const double seconds = std::chrono::duration<double>(waited).count();
  if (now.empty()) return fmt::format("{}: no answer within {:g} s while {} (--timeout)", host, seconds, doing);
  return fmt::format("{}: no answer within {:g} s while {} (--timeout; it was {})", host, seconds, doing, now);
}

SourceJob::SourceJob(std::unique_ptr<FactSource> source, std::shared_ptr<const SourceRun> run)
    : run_(std::move(run)),
      info_(source->info()),
      known_host_(source->known_host()),
      name_(known_host_.empty() ? info_.description : known_host_),
      activity_(source->activity()),
      source_(std::move(source)) {}

void SourceJob::collect() {
  if (run_->already_done && !known_host_.empty()) {
    stage_ = Stage::Checking;
    skipped_because_ = run_->already_done(known_host_);
  }
  if (!skipped_because_) {
    stage_ = Stage::Connecting;
    collected_ = collect_from(*source_, run_->plan, [this](const HostFacts& host) {
      read_host_ = host.name;
      if (known_host_.empty() && run_->already_done) skipped_because_ = run_->already_done(host.name);
      stage_ = Stage::Collecting;
      return !skipped_because_;
    });
  }
  // Here, on the worker: closing a remote registry handle is a call to the host too.
  source_.reset();
}

HostOutcome SourceJob::finish() {
  if (skipped_because_) {
    HostOutcome skipped;
    skipped.host = read_host_.empty() ? name_ : read_host_;
    skipped.state = HostState::Skipped;
    skipped.skipped_because = *skipped_because_;
    return skipped;
  }
  return run_->finish(collected_);
}

HostOutcome SourceJob::give_up(Clock::duration waited) {
  const Stage stage = stage_.load();
  const std::string_view doing = stage == Stage::Checking     ? "checking for an earlier report (--skip-existing)"
                                 : stage == Stage::Connecting ? "connecting and reading its version"
                                                              : "collecting facts";
  Collected failed;
  failed.source = info_;
  failed.result =
      Unexpected(CollectError{CollectFailure::CollectionFailed,
                              no_answer(name_, waited, doing, activity_ ? activity_() : std::string()), known_host_});
  failed.took = waited;
  return run_->finish(failed);
}

}  // namespace smbaudit::fleet
