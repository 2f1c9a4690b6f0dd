#include "collect_command.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "audit_command.h"
#include "pipeline.h"
#include "smbaudit/report.h"
#include "smbaudit/snapshot.h"

namespace smbaudit {
namespace {

class CollectCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* collect = app.add_subcommand(
        "collect", "collect the facts the whole rule pack reads and write them as a facts snapshot (JSON)");
    add_source_options(*collect, sources_);
    collect->add_option("--rules", rules_dir_, "rule pack folder whose facts to collect (default: the built-in pack)");
    collect->add_option("--output", output_,
                        "snapshot file, written atomically; {host}, {utc} and {date} expand (default: standard "
                        "output, one host only)");
    collect->footer("Exit codes: 0 collected, 2 bad usage or input, 3 collection failed.");
    return collect;
  }

  int run() override {
    auto loaded = load_rules(rules_dir_, "");
    if (!loaded) return code(ExitCode::BadInput);
    auto sources = open_sources(sources_);
    if (!sources) return code(sources.error());
    if (sources->size() > 1 && output_.find("{host}") == std::string::npos) {
      spdlog::error("{} hosts need one snapshot each: give --output with {{host}} in the path", sources->size());
      return code(ExitCode::BadInput);
    }
    // Every rule of the pack, whatever the profile, so any profile can audit the snapshot later.
    std::vector<const Rule*> rules;
    for (const auto& rule : loaded->pack.rules) rules.push_back(&rule);
    const FactPlan plan = plan_for(rules);
    ExitCode worst = ExitCode::Ok;
    for (auto& source : *sources) {
      const ExitCode c = collect_one(*source, plan);
      if (c != ExitCode::Ok && worst != ExitCode::BadInput) worst = c;
    }
    return code(worst);
  }

 private:
  // Collects one host and writes its snapshot; a host that cannot be reached gets a
  // snapshot recording why, which `audit --facts` reports as a collection failure.
  ExitCode collect_one(FactSource& source, const FactPlan& plan) {
    auto host = source.host();
    Expected<FactSet, CollectError> facts = host ? source.collect(plan) : Unexpected(host.error());
    if (!facts) {
      const CollectError& e = facts.error();
      spdlog::error("{}", e.message);
      if (e.failure != CollectFailure::CollectionFailed || e.host.empty()) return exit_code_for(e.failure);
      HostFacts failed;
      failed.name = e.host;
      failed.collected_at = utc_now();
      return write(failed, write_snapshot(failed, FactSet{}, e.message)) ? ExitCode::CollectionFailed
                                                                         : ExitCode::BadInput;
    }
    if (auto summary = source.collection_summary(); !summary.empty()) spdlog::info("{}", summary);
    return write(*host, write_snapshot(*host, *facts)) ? ExitCode::Ok : ExitCode::BadInput;
  }

  bool write(const HostFacts& host, const std::string& text) {
    if (output_.empty()) {
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
  std::string rules_dir_;
  std::string output_;
};

}  // namespace

std::unique_ptr<Command> make_collect_command() {
  return std::make_unique<CollectCommand>();
}

}  // namespace smbaudit
