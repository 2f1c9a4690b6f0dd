// smbaudit_bench_fleet: the fleet benchmark (scripts/bench-fleet.sh). A simulated fleet
// (tests/support/simulated_fleet.h: per-host latency, hosts that hang until the timeout)
// goes through the real scheduler, the real evaluation of the built-in pack's guide profile
// and the real JSON report writer and atomic file writes, one report per host. The
// simulation is not part of smbaudit itself: nothing in the product can select it.
//
// Prints the run's final line as smbaudit would, then, last:
//   fleet: H hosts, parallel N, wall W s, ideal I s, ratio R, peak RSS M MB
// where ideal is the total work (every answering host's latency, and the timeout for each
// hanging host) divided by N, plus one timeout. Exits 1 when a host has no readable report,
// or when the ratio is above --max-ratio.
#include <fmt/format.h>

#include <sys/resource.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../../src/fleet/progress.h"
#include "../../src/fleet/source_job.h"
#include "../../src/report/report_reader.h"
#include "simulated_fleet.h"
#include "smbaudit/report_writer.h"
#include "smbaudit/rule.h"
#include "smbaudit/rule_loader.h"
#include "smbaudit/snapshot.h"

namespace smbaudit {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using test_support::Behaviour;

struct Options {
  std::size_t hosts = 1000;
  int parallel = 16;
  long fastest_ms = 200, slowest_ms = 1500;
  double hang_percent = 5;
  double timeout_s = 10;
  std::string facts = SMBAUDIT_SOURCE_DIR "/examples/ws01-facts.json";
  std::string out;  // default: a fresh folder under the temporary directory, removed at the end
  unsigned seed = 17;
  double max_ratio = 0;  // 0: do not check
};

const char* kUsage =
    "usage: smbaudit_bench_fleet [--hosts N] [--parallel N] [--fastest-ms MS] [--slowest-ms MS]\n"
    "                            [--hang-percent P] [--timeout-s S] [--facts FILE] [--out DIR] [--seed N]\n"
    "                            [--max-ratio R]\n";

template <typename T>
bool parse(const std::string& text, T& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

bool parse_options(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) return false;
    const std::string value = argv[++i];
    const bool ok = flag == "--hosts"          ? parse(value, o.hosts)
                    : flag == "--parallel"     ? parse(value, o.parallel)
                    : flag == "--fastest-ms"   ? parse(value, o.fastest_ms)
                    : flag == "--slowest-ms"   ? parse(value, o.slowest_ms)
                    : flag == "--hang-percent" ? parse(value, o.hang_percent)
                    : flag == "--timeout-s"    ? parse(value, o.timeout_s)
                    : flag == "--seed"         ? parse(value, o.seed)
                    : flag == "--max-ratio"    ? parse(value, o.max_ratio)
                    : flag == "--facts"        ? (o.facts = value, true)
                    : flag == "--out"          ? (o.out = value, true)
                                               : false;
    if (!ok) return false;
  }
  return o.hosts > 0 && o.parallel > 0 && o.fastest_ms >= 0 && o.slowest_ms >= o.fastest_ms && o.timeout_s > 0;
}

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // kilobytes on Linux
}

int run(const Options& o) {
  // The built-in pack and its guide profile, as `smbaudit audit` uses them by default.
  auto pack = load_rule_pack(builtin_rule_files(), "built-in", builtin_data_files());
  if (!pack) return std::fprintf(stderr, "the built-in pack does not load\n"), 2;
  std::optional<Profile> profile;
  for (const auto& file : builtin_profile_files())
    if (auto p = load_profile(file, *pack); p && p->name == "guide") profile = std::move(*p);
  auto selection = select_rules(*pack, profile ? &*profile : nullptr, {}, {});
  if (!selection) return std::fprintf(stderr, "%s\n", selection.error().c_str()), 2;
  const FactPlan plan = plan_for(selection->rules);

  // Every simulated host answers with the example host's facts.
  auto world = std::make_shared<test_support::SimulatedWorld>();
  {
    auto example = open_snapshot(o.facts);
    if (!example) return std::fprintf(stderr, "%s\n", example.error().message.c_str()), 2;
    auto collected = fleet::collect_from(**example, plan);
    if (!collected.result) return std::fprintf(stderr, "%s\n", collected.result.error().message.c_str()), 2;
    world->facts = std::move(*collected.result);
  }
  const auto timeout = std::chrono::duration_cast<fleet::Clock::duration>(std::chrono::duration<double>(o.timeout_s));
  // "Hang until the timeout": a hanging host would answer a little after its deadline, as an
  // RPC that times out on its own does, so given-up threads end soon after.
  world->hang_for = std::chrono::duration_cast<std::chrono::milliseconds>(timeout) + 500ms;
  test_support::HangRelease release;
  world->release = release.future();

  const auto hosts = test_support::simulated_fleet(o.hosts, std::chrono::milliseconds(o.fastest_ms),
                                                   std::chrono::milliseconds(o.slowest_ms), o.hang_percent, 0, o.seed);
  fleet::Clock::duration work{};
  for (const auto& h : hosts) work += h.behaviour == Behaviour::Hangs ? timeout : fleet::Clock::duration(h.latency);
  const double ideal = std::chrono::duration<double>(work).count() / o.parallel + o.timeout_s;

  const bool temporary = o.out.empty();
  const fs::path out = temporary
                           ? fs::temp_directory_path() / fmt::format("smbaudit-bench-fleet-{}", std::random_device{}())
                           : fs::path(o.out);
  fs::create_directories(out);

  auto shared = std::make_shared<fleet::SourceRun>();
  shared->plan = plan;
  const WriterEntry* json = find_writer("json");
  const Selection& rules = *selection;
  // What `smbaudit audit` does for each host: evaluate (or report the failure), write the JSON
  // report atomically as the host finishes.
  shared->finish = [&rules, json, &out](fleet::Collected& c) {
    fleet::HostOutcome outcome;
    Report report;
    if (c.result) {
      report = build_report(rules, c.result->host, c.result->facts);
      outcome.host = c.result->host.name;
    } else {
      HostFacts failed;
      failed.name = c.result.error().host;
      report = build_failed_report(rules, failed, c.result.error().message);
      outcome.host = failed.name;
      outcome.state = fleet::HostState::Failed;
      outcome.cause = c.result.error().message;
    }
    report.source = c.source;
    report.generated_at = "2026-11-22T03:15:00Z";
    std::ostringstream text;
    json->make(WriterOptions{})->write(report, text);
    outcome.output_failed = !write_file_atomically(out / (outcome.host + ".json"), text.str());
    return outcome;
  };

  std::vector<std::unique_ptr<FactSource>> sources;
  sources.reserve(hosts.size());
  for (const auto& h : hosts) sources.push_back(std::make_unique<test_support::SimulatedSource>(h, world));

  fleet::Schedule schedule;
  schedule.parallel = o.parallel;
  schedule.timeout = timeout;
  fleet::Tally tally(hosts.size());
  std::size_t next = 0;
  const auto started = fleet::Clock::now();
  fleet::run(
      [&]() -> std::shared_ptr<fleet::HostJob> {
        if (next == sources.size()) return nullptr;
        return std::make_shared<fleet::SourceJob>(std::move(sources[next++]), shared);
      },
      schedule, tally);
  const double wall = std::chrono::duration<double>(fleet::Clock::now() - started).count();
  const double rss = peak_rss_mb();
  release.release();
  // Hosts given up on are still sleeping in their worker threads: let them end first.
  for (int i = 0; i < 500 && world->contacting.load() > 0; ++i) std::this_thread::sleep_for(10ms);

  // Every host must have its report, readable, under its own name.
  int problems = 0;
  for (const auto& h : hosts) {
    auto report = read_report(out / (h.name + ".json"), ReadDetail::Verdicts);
    if (!report || report->host_name != h.name) {
      if (++problems <= 5) std::fprintf(stderr, "%s: no readable report of its own\n", h.name.c_str());
    }
  }
  if (temporary) fs::remove_all(out);

  const double ratio = wall / ideal;
  std::printf("smbaudit: %s\n", fleet::final_line(tally.counts(), fleet::Verb::Audited).c_str());
  std::printf("fleet: %zu hosts, parallel %d, wall %.1f s, ideal %.1f s, ratio %.2f, peak RSS %.1f MB\n", hosts.size(),
              o.parallel, wall, ideal, ratio, rss);
  std::fflush(stdout);
  if (problems) return 1;
  if (o.max_ratio > 0 && ratio > o.max_ratio) {
    std::fprintf(stderr, "ratio %.2f is above --max-ratio %.2f\n", ratio, o.max_ratio);
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace smbaudit

int main(int argc, char** argv) {
  smbaudit::Options options;
  if (!smbaudit::parse_options(argc, argv, options)) {
    std::fputs(smbaudit::kUsage, stderr);
    return 2;
  }
  return smbaudit::run(options);
}
