#include "fleet_runner.h"

#include <fmt/format.h>
#include <spdlog/sinks/sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

#include "../fleet/existing.h"
#include "audit_command.h"
#include "terminal.h"

namespace smbaudit {
namespace {

using namespace std::chrono_literals;

// Log lines printed while the status line is shown go above it, not through it.
class AboveStatusSink final : public spdlog::sinks::sink {
 public:
  AboveStatusSink(spdlog::sink_ptr inner, fleet::StatusLine& line) : inner_(std::move(inner)), line_(line) {}
  void log(const spdlog::details::log_msg& msg) override {
    line_.above([&] {
      inner_->log(msg);
      inner_->flush();
    });
  }
  void flush() override { inner_->flush(); }
  void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
    inner_->set_formatter(std::move(formatter));
  }

 private:
  spdlog::sink_ptr inner_;
  fleet::StatusLine& line_;
};

// Routes the default logger above a status line while it lives. Swapped before the run's
// workers start and back after the last has finished (workers given up on never log).
class LogAboveStatus {
 public:
  explicit LogAboveStatus(fleet::StatusLine& line) : logger_(spdlog::default_logger()), original_(logger_->sinks()) {
    for (auto& sink : logger_->sinks()) sink = std::make_shared<AboveStatusSink>(sink, line);
  }
  ~LogAboveStatus() { logger_->sinks() = original_; }
  LogAboveStatus(const LogAboveStatus&) = delete;
  LogAboveStatus& operator=(const LogAboveStatus&) = delete;

 private:
  std::shared_ptr<spdlog::logger> logger_;
  std::vector<spdlog::sink_ptr> original_;
};

// Counts hosts (and redraws the progress line, when there is one); says which were skipped.
class RunObserver final : public fleet::Observer {
 public:
  RunObserver(fleet::Tally& tally, fleet::ProgressDisplay* progress) : tally_(tally), progress_(progress) {}
  void started(std::string_view host) override { progress_ ? progress_->started(host) : tally_.started(host); }
  void finished(const fleet::HostOutcome& outcome) override {
    if (outcome.state == fleet::HostState::Skipped)
      spdlog::info("{}: skipped: {} is already there (--skip-existing)", outcome.host, outcome.skipped_because);
    progress_ ? progress_->finished(outcome) : tally_.finished(outcome);
  }
  void tick() override {
    if (progress_) progress_->tick();
  }

 private:
  fleet::Tally& tally_;
  fleet::ProgressDisplay* progress_;
};

std::string expand_for_host(std::string_view pattern, const std::string& host, const std::string& iso_time) {
  Report naming;  // only what {host}, {utc} and {date} expand from
  naming.host.name = host;
  naming.generated_at = iso_time;
  return expand_output_path(pattern, naming);
}

}  // namespace

void add_fleet_options(CLI::App& app, FleetOptions& options) {
  app.add_option("--parallel", options.parallel,
                 "with several hosts: how many to work on at once (default 16, at most 256)")
      ->check(CLI::Range(1, 256))
      ->type_name("N");
  app.add_flag("--skip-existing", options.skip_existing,
               "skip a host whose --output file for today ({date} or {utc} in the path) is already there");
}

std::optional<std::string> fleet_problem(const FleetRun& run) {
  if (!run.options.skip_existing) return std::nullopt;
  if (run.outputs.empty())
    return std::string(
        "--skip-existing needs --output FILE with {date} or {utc} in the path: it skips a host whose file for today "
        "is already there");
  for (const auto& pattern : run.outputs)
    if (auto problem = fleet::undated_pattern_problem(pattern)) return problem;
  return std::nullopt;
}

fleet::HostOutcome outcome_of(const fleet::Collected& collected, std::string host) {
  fleet::HostOutcome outcome;
  outcome.host = std::move(host);
  if (!collected.result) {
    outcome.state = fleet::HostState::Failed;
    outcome.cause = collected.result.error().message;
    outcome.bad_input = collected.result.error().failure == CollectFailure::BadInput;
  }
  return outcome;
}

std::mutex& stdout_mutex() {
  static std::mutex mutex;
  return mutex;
}

ExitCode run_fleet(OpenedSources sources, FactPlan plan, std::function<fleet::HostOutcome(fleet::Collected&)> finish,
                   const FleetRun& run) {
  const std::size_t hosts = sources.size();
  auto shared = std::make_shared<fleet::SourceRun>();
  shared->plan = std::move(plan);
  shared->finish = std::move(finish);
  if (run.options.skip_existing) {
    // "Today" is the run's UTC date at its start, for every host of the run.
    shared->already_done = [patterns = run.outputs, date = utc_now().substr(0, 10)](const std::string& host) {
      return fleet::existing_output(patterns, host, date, expand_for_host);
    };
  }

  fleet::Schedule schedule;
  schedule.parallel = run.options.parallel;
  // Only a live host can stop answering; snapshots and hive files are local reads.
  if (hosts > 0 && sources.front()->info().kind == "live") schedule.timeout = std::chrono::seconds(run.timeout_seconds);

  fleet::Tally tally(hosts);
  const bool quiet = !spdlog::should_log(spdlog::level::warn);
  // A scheduled task's standard error is a file or nothing: it gets the final line only.
  const bool progress =
      hosts > 1 && !quiet && is_terminal(Stream::Err) && !(run.reports_on_stdout && is_terminal(Stream::Out));
  std::optional<fleet::StatusLine> status;
  std::optional<fleet::ProgressDisplay> display;
  std::optional<LogAboveStatus> logs;
  if (progress) {
    status.emplace(std::cerr);
    display.emplace(tally, *status, terminal_width());
    logs.emplace(*status);
    schedule.tick = 1s;
  }
  RunObserver observer(tally, display ? &*display : nullptr);
  std::size_t next = 0;
  fleet::run(
      [&]() -> std::shared_ptr<fleet::HostJob> {
        if (next == sources.size()) return nullptr;
        return std::make_shared<fleet::SourceJob>(std::move(sources[next++]), shared);
      },
      schedule, observer);
  logs.reset();
  if (status) status->clear();

  const fleet::Counts& counts = tally.counts();
  if (hosts > 1 && !quiet) fmt::print(stderr, "smbaudit: {}\n", fleet::final_line(counts, run.verb));
  if (counts.bad_input || counts.outputs_failed > 0) return ExitCode::BadInput;
  if (counts.failed > 0) return ExitCode::CollectionFailed;
  if (counts.gates_tripped > 0) return ExitCode::GateTripped;
  return ExitCode::Ok;
}

}  // namespace smbaudit
