#include "summary_command.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "../fleet/progress.h"
#include "../report/summary.h"
#include "exit_codes.h"
#include "pipeline.h"
#include "smbaudit/report_writer.h"
#include "terminal.h"

namespace smbaudit {
namespace {

class SummaryCommand final : public Command {
 public:
  CLI::App* add_to(CLI::App& app) override {
    auto* summary = app.add_subcommand(
        "summary", "summarise many JSON reports: per-rule failure counts, score distribution, worst hosts");
    summary->add_option("paths", paths_, "report files, or folders searched recursively for *.json")->required();
    summary->add_option("--format", format_, "text, json or html")->check(CLI::IsMember({"text", "json", "html"}));
    summary->add_option("--output", output_, "write to this file (atomically) instead of standard output");
    summary->add_option("--worst", worst_, "how many of the worst hosts to list (default 20)")
        ->check(CLI::Range(0, 1000000));
    summary->add_option("--threads", threads_, "reader threads (default: one per core)")->check(CLI::Range(0, 256));
    summary->add_option("--since", since_,
                        "only reports collected on or after this date (2026-11-20) or UTC time (2026-11-20T02:00:00Z)");
    summary->footer(
        "Each host counts once, by its newest report (generated_at). A malformed report is named in a\n"
        "warning and skipped. With --since, hosts whose reports are all older are listed as stale.\n"
        "Exit codes: 0 summary written, 2 bad usage or no readable report.");
    return summary;
  }

  int run() override {
    const auto started = std::chrono::steady_clock::now();
    std::string since;
    if (!since_.empty()) {
      auto bound = since_bound(since_);
      if (!bound) {
        spdlog::error("{}", bound.error());
        return code(ExitCode::BadInput);
      }
      since = std::move(*bound);
    }
    auto files = report_files(paths_);
    if (!files) {
      spdlog::error("{}", files.error());
      return code(ExitCode::BadInput);
    }
    std::vector<HostReport> reports;
    std::vector<std::string> skipped;
    for (auto& r : read_with_progress(*files)) {
      if (r) {
        reports.push_back(std::move(*r));
      } else {
        spdlog::warn("skipped: {}", r.error());
        skipped.push_back(std::move(r.error()));
      }
    }
    if (reports.empty()) {
      spdlog::error("no readable smbaudit JSON report among {} file(s)", files->size());
      return code(ExitCode::BadInput);
    }
    const FleetSummary summary = summarize(std::move(reports), std::move(skipped), worst_, since);
    if (summary.hosts == 0) {
      spdlog::error("no report among {} readable report(s) was collected on or after {} ({} host(s) are stale)",
                    summary.reports, since, summary.stale.size());
      return code(ExitCode::BadInput);
    }
    std::string text = format_ == "json"   ? summary_json(summary).dump(2) + "\n"
                       : format_ == "html" ? summary_html(summary)
                                           : summary_text(summary);
    spdlog::info(
        "summarised {} reports of {} hosts in {} ms", summary.reports, summary.hosts,
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
    if (output_.empty()) {
      std::cout << text;
      std::cout.flush();
      return code(ExitCode::Ok);
    }
    if (auto written = write_file_atomically(output_, text); !written) {
      spdlog::error("{}", written.error());
      return code(ExitCode::BadInput);
    }
    return code(ExitCode::Ok);
  }

 private:
  // Reads every report; on a terminal, a status line counts them meanwhile (a share of ten
  // thousand reports takes seconds).
  std::vector<Expected<HostReport, std::string>> read_with_progress(const std::vector<std::filesystem::path>& files) {
    if (!is_terminal(Stream::Err) || !spdlog::should_log(spdlog::level::warn))
      return read_host_reports(files, threads_);
    std::atomic<std::size_t> read{0};
    fleet::StatusLine status(std::cerr);
    std::mutex mutex;
    std::condition_variable done_reading;
    bool done = false;
    std::thread display([&] {
      std::unique_lock lock(mutex);
      while (!done_reading.wait_for(lock, std::chrono::milliseconds(100), [&] { return done; }))
        status.show(fmt::format("reading reports: {}/{}", read.load(), files.size()));
    });
    auto results = read_host_reports(files, threads_, &read);
    {
      const std::lock_guard lock(mutex);
      done = true;
    }
    done_reading.notify_all();
    display.join();
    status.clear();
    return results;
  }

  std::vector<std::string> paths_;
  std::string format_ = "text", output_;
  std::size_t worst_ = 20;
  unsigned threads_ = 0;
  std::string since_;
};

}  // namespace

std::unique_ptr<Command> make_summary_command() {
  return std::make_unique<SummaryCommand>();
}

}  // namespace smbaudit
