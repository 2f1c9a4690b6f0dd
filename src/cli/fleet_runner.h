// The host loop of `audit` and `collect`: every opened source through the fleet scheduler
// (--parallel), with the per-host --timeout for live hosts, --skip-existing, progress on a
// terminal and one final line for several hosts. The commands say what finishing a host
// means (evaluate and write reports, or write a snapshot).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "../fleet/progress.h"
#include "../fleet/source_job.h"
#include "pipeline.h"

namespace smbaudit {

struct FleetOptions {
  int parallel = 16;           // --parallel: hosts in flight at most
  bool skip_existing = false;  // --skip-existing
};

// Adds --parallel and --skip-existing.
void add_fleet_options(CLI::App& app, FleetOptions& options);

struct FleetRun {
  FleetOptions options;
  int timeout_seconds = 30;          // --timeout, for live sources (the others never hang on a host)
  std::vector<std::string> outputs;  // output path templates (files only), for --skip-existing
  bool reports_on_stdout = false;    // some output goes to standard output
  fleet::Verb verb = fleet::Verb::Audited;
};

// Problems with the run's flags that must stop it before any host is contacted (exit 2):
// --skip-existing without an output file, or with one whose path has no {date} or {utc}.
[[nodiscard]] std::optional<std::string> fleet_problem(const FleetRun& run);

// Runs `finish` for every host of `sources`, at most --parallel at once; returns the run's
// exit code: 2 when some input was bad or some output could not be written, else 3 when a
// host could not be collected, else 1 when a gate tripped on some host, else 0.
[[nodiscard]] ExitCode run_fleet(OpenedSources sources, FactPlan plan,
                                 std::function<fleet::HostOutcome(fleet::Collected&)> finish, const FleetRun& run);

// The outcome `finish` reports for a host whose collection failed, or a plain Done one.
[[nodiscard]] fleet::HostOutcome outcome_of(const fleet::Collected& collected, std::string host);

// Serialises whole reports written to standard output by hosts finishing at the same time.
[[nodiscard]] std::mutex& stdout_mutex();

}  // namespace smbaudit
