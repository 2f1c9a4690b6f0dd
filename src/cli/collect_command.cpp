#include "collect_command.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "audit_command.h"
#include "fleet_runner.h"
#include "pipeline.h"
#include "smbaudit/report_writer.h"
#include "smbaudit/snapshot.h"

namespace smbaudit {
namespace {

class CollectCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* collect = app.add_subcommand(
        "collect", "collect the facts the whole rule pack reads and write them as a facts snapshot (JSON)");
    add_source_options(*collect, sources_);
    add_fleet_options(*collect, fleet_);
    collect->add_option("--rules", rules_dir_, "rule pack folder whose facts to collect (default: the built-in pack)");
    collect->add_option("--output", output_,
                        "snapshot file, written atomically; {host}, {utc} and {date} expand (default: standard "
                        "output, one host only)");
    collect->footer("Exit codes: 0 collected, 2 bad usage or input, 3 collection failed.");
    return collect;
  }

  int run() override {
    auto loaded = load_rules_or_log(rules_dir_, "");
    if (!loaded) return code(ExitCode::BadInput);
    auto sources = open_sources(sources_);
    if (!sources) return code(sources.error());
    if (sources->size() > 1 && output_.find("{host}") == std::string::npos) {
      spdlog::error("{} hosts need one snapshot each: give --output with {{host}} in the path", sources->size());
      return code(ExitCode::BadInput);
    }
    FleetRun run{fleet_, sources_.integer("--timeout", 30), {}, output_.empty(), fleet::Verb::Collected};
    if (!output_.empty()) run.outputs.push_back(output_);
    if (auto problem = fleet_problem(run)) {
      spdlog::error("{}", *problem);
      return code(ExitCode::BadInput);
    }
    // Every rule of the pack, whatever the profile, so any profile can audit the snapshot later.
    std::vector<const Rule*> rules;
    for (const auto& rule : loaded->pack.rules) rules.push_back(&rule);
    return code(run_fleet(
        std::move(*sources), plan_for(rules), [this](fleet::Collected& collected) { return finish(collected); }, run));
  }

 private:
  // Writes one host's snapshot; a host that cannot be reached gets a snapshot recording why,
  // which `audit --facts` reports as a collection failure. Runs on the fleet's worker threads.
  fleet::HostOutcome finish(const fleet::Collected& collected) {
    fleet::HostOutcome outcome =
        outcome_of(collected, collected.result ? collected.result->host.name : collected.result.error().host);
    if (!collected.result) {
      const CollectError& e = collected.result.error();
      spdlog::error("{}", e.message);
      if (e.failure != CollectFailure::CollectionFailed || e.host.empty()) return outcome;
      HostFacts failed;
      failed.name = e.host;
      failed.collected_at = utc_now();
      outcome.output_failed = !write(failed, write_snapshot(failed, FactSet{}, e.message));
      return outcome;
    }
    if (!collected.collection_summary.empty()) spdlog::info("{}", collected.collection_summary);
    const fleet::HostData& data = *collected.result;
    outcome.output_failed = !write(data.host, write_snapshot(data.host, data.facts));
    return outcome;
  }

  bool write(const HostFacts& host, const std::string& text) {
    if (output_.empty()) {
      const std::lock_guard lock(stdout_mutex());
      std::cout << text;
      std::cout.flush();
      return true;
    }
    Report naming;  // only what {host}, {utc} and {date} expand from
    naming.host = host;
    naming.generated_at = host.collected_at.value_or(utc_now());
    const std::string path = expand_output_path(output_, naming);
    if (auto written = write_file_atomically(path, text); !written) {
      spdlog::error("{}", written.error());
      return false;
    }
    spdlog::info("wrote the facts of {} to {}", host.name, path);
    return true;
  }

  SourceArgs sources_;
  FleetOptions fleet_;
  std::string rules_dir_;
  std::string output_;
};

}  // namespace

std::unique_ptr<Command> make_collect_command() {
  return std::make_unique<CollectCommand>();
}

}  // namespace smbaudit
