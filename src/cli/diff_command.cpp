#include "diff_command.h"

#include <spdlog/spdlog.h>

#include <iostream>

#include "../report/diff.h"
#include "exit_codes.h"
#include "pipeline.h"

namespace smbaudit {
namespace {

class DiffCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* diff = app.add_subcommand(
        "diff",
        "compare two JSON reports: rules that regressed, improved, appeared or disappeared (exit 1 on a "
        "regression)");
    diff->add_option("old", old_, "the earlier report (JSON)")->required();
    diff->add_option("new", new_, "the later report (JSON)")->required();
    diff->add_option("--format", format_, "text or json")->check(CLI::IsMember({"text", "json"}));
    diff->footer(
        "A rule regressed when it now fails, or passed before and is now unknown or error; a regression an\n"
        "active waiver covers is listed but does not set exit code 1. Exit codes: 0 no regression,\n"
        "1 regression, 2 bad input.");
    return diff;
  }

  int run() override {
    auto before = read_report(old_);
    auto after = read_report(new_);
    for (const auto* r : {&before, &after})
      if (!*r) spdlog::error("{}", r->error());
    if (!before || !after) return code(ExitCode::BadInput);
    if (before->host_name != after->host_name)
      spdlog::warn("comparing different hosts: {} and {}", before->host_name, after->host_name);
    const ReportDiff d = diff_reports(*before, *after);
    if (format_ == "json")
      std::cout << diff_json(d).dump(2) << "\n";
    else
      std::cout << diff_text(d);
    std::cout.flush();
    return code(d.regressed() ? ExitCode::GateTripped : ExitCode::Ok);
  }

 private:
  std::string old_, new_, format_ = "text";
};

}  // namespace

std::unique_ptr<Command> make_diff_command() {
  return std::make_unique<DiffCommand>();
}

}  // namespace smbaudit
