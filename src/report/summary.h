// Fleet summary: many hosts' JSON reports in, per-rule failure counts, per-layer score
// distributions and the worst hosts out. Reading is parallel; aggregation is a pure
// function of what was read, so it is tested without files.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <atomic>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report_reader.h"

namespace smbaudit {

// What the summary keeps of one report (no evidence, no prose but the rule titles).
struct HostReport {
  struct Verdict {
    std::string rule, title, layer;
    Severity severity = Severity::Medium;
    Status status = Status::Unknown;
    bool waived = false;
  };
  std::string host, generated_at, tool_version, file;
  std::string collected_at;  // when the facts were read; "" when the report does not say (offline images)
  std::optional<double> overall;
  std::map<std::string, std::optional<double>> layers;
  std::vector<Verdict> verdicts;
};

[[nodiscard]] HostReport host_report(ReadReport report, std::string file);

// Report files named on the command line: files as given, folders searched recursively
// for *.json, in a stable (sorted) order. A path that does not exist is an error.
[[nodiscard]] Expected<std::vector<std::filesystem::path>, std::string> report_files(
    const std::vector<std::string>& paths);

// Reads every file on up to `threads` threads (0: one per core); results keep the
// files' order, and a malformed file gives its one-line error in its slot.
// `progress`, when given, counts the files read so far (another thread may show it).
[[nodiscard]] std::vector<Expected<HostReport, std::string>> read_host_reports(
    const std::vector<std::filesystem::path>& files, unsigned threads = 0,
    std::atomic<std::size_t>* progress = nullptr);

// --since: a date (2026-11-20) or a UTC time (2026-11-20T02:00:00Z), as given; an error line
// when it is neither.
[[nodiscard]] Expected<std::string, std::string> since_bound(std::string_view text);

// When a report's facts were collected: host.collected_at, or when there is none (an offline
// image has no collection time) the report's generated_at.
[[nodiscard]] const std::string& collected_time(const HostReport& report);

struct RuleTally {
  std::string rule, title, layer;
  Severity severity = Severity::Medium;
  int pass = 0, fail = 0, not_applicable = 0, unknown = 0, error = 0;
  int waived = 0;  // fail, unknown or error findings an active waiver covers (counted there too)
};

// Score bands: below 50, 50-69.9, 70-89.9, 90-99.9, 100.
inline constexpr std::array<std::string_view, 5> kScoreBands = {"<50", "50-69", "70-89", "90-99", "100"};

struct Distribution {
  int scored = 0, not_scored = 0;
  double min = 0, p25 = 0, median = 0, p75 = 0, max = 0, mean = 0;  // over scored hosts
  std::array<int, 5> bands{};
};

struct HostRank {
  std::string host, file, generated_at;
  std::optional<double> overall;
  int fail = 0, unknown_or_error = 0;  // unwaived
  int scored = 0, applicable = 0;      // the score stands on `scored` of the `applicable` rules
};

// A host whose reports were all collected before --since: it stopped reporting, or it is new.
struct StaleHost {
  std::string host, collected_at, file;  // its newest report
};

struct FleetSummary {
  int reports = 0;                   // readable reports
  int hosts = 0;                     // distinct hosts (host names compare case-insensitively)
  int superseded = 0;                // older reports of a host that has a newer one
  std::vector<std::string> skipped;  // one line per malformed report
  std::map<std::string, int> tool_versions;
  std::vector<RuleTally> rules;                // most failures first
  std::map<std::string, Distribution> layers;  // each layer, and "overall"
  std::vector<HostRank> worst;                 // lowest score first
  std::vector<HostRank> unscored;              // hosts where nothing could be scored
  std::string since;                           // --since as given; "" for every report
  int older = 0;                               // reports collected before `since`, left out
  std::vector<StaleHost> stale;                // hosts with no report since `since`, by name
};

// Keeps each host's newest report (by generated_at, then file name) and aggregates. With
// `since` (from since_bound), reports collected before it are left out (a report whose time
// cannot be read counts as older), and hosts left with none are listed as stale.
[[nodiscard]] FleetSummary summarize(std::vector<HostReport> reports, std::vector<std::string> skipped,
                                     std::size_t worst_hosts, const std::string& since = {});

[[nodiscard]] std::string summary_text(const FleetSummary& summary);
[[nodiscard]] nlohmann::ordered_json summary_json(const FleetSummary& summary);
[[nodiscard]] std::string summary_html(const FleetSummary& summary);

}  // namespace smbaudit
