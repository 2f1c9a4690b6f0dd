#include "summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <numeric>
#include <thread>

#include "../engine/updates.h"
#include "html_page.h"
#include "render.h"
#include "smbaudit/text.h"
#include "xml.h"

namespace smbaudit {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

// Nearest-rank percentile of sorted values.
double percentile(const std::vector<double>& sorted, double p) {
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

// "scored 3 of 27 rules", as each host's own report says it.
std::string coverage_of(const HostRank& h) {
  return coverage_text(Coverage{h.scored, h.applicable});
}

std::size_t band(double score) {
  if (score >= 100.0) return 4;
  if (score >= 90.0) return 3;
  if (score >= 70.0) return 2;
  if (score >= 50.0) return 1;
  return 0;
}

Distribution distribution(std::vector<double> values, int not_scored) {
  Distribution d;
  d.not_scored = not_scored;
  d.scored = static_cast<int>(values.size());
  if (values.empty()) return d;
  std::sort(values.begin(), values.end());
  d.min = values.front();
  d.max = values.back();
  d.p25 = percentile(values, 25);
  d.median = percentile(values, 50);
  d.p75 = percentile(values, 75);
  d.mean =
      std::round(10.0 * std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size())) / 10.0;
  for (double v : values) ++d.bands[band(v)];
  return d;
}

std::string thousands(int n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

HostReport host_report(ReadReport r, std::string file) {
  HostReport h;
  // A host whose name changes every run (a CI runner) is one host by its --host-label.
  h.host = r.host_label.empty() ? std::move(r.host_name) : std::move(r.host_label);
  h.generated_at = std::move(r.generated_at);
  h.collected_at = r.collected_at.value_or("");
  h.tool_version = std::move(r.tool_version);
  h.file = std::move(file);
  h.overall = r.overall;
  h.layers = std::move(r.layer_scores);
  h.verdicts.reserve(r.findings.size());
  for (auto& f : r.findings)
    h.verdicts.push_back({std::move(f.rule), std::move(f.title), std::move(f.layer), f.severity, f.status, f.waived()});
  return h;
}

Expected<std::vector<fs::path>, std::string> report_files(const std::vector<std::string>& paths) {
  std::vector<fs::path> files;
  for (const auto& arg : paths) {
    std::error_code ec;
    const fs::path p(arg);
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
           !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec) && to_lower(it->path().extension().string()) == ".json")
          found.push_back(it->path());
      if (ec) return Unexpected(fmt::format("{}: cannot list folder: {}", arg, ec.message()));
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
    } else {
      return Unexpected(fmt::format("{}: no such file or folder", arg));
    }
  }
  return files;
}

std::vector<Expected<HostReport, std::string>> read_host_reports(const std::vector<fs::path>& files, unsigned threads,
                                                                 std::atomic<std::size_t>* progress) {
  std::vector<std::optional<Expected<HostReport, std::string>>> slots(files.size());
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < files.size(); i = next++) {
      auto read = read_report(files[i], ReadDetail::Verdicts);
      if (read)
        slots[i].emplace(host_report(std::move(*read), files[i].string()));
      else
        slots[i].emplace(Unexpected(std::move(read.error())));
      if (progress) ++*progress;
    }
  };
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(1, files.size())));
  {
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
  }
  std::vector<Expected<HostReport, std::string>> out;
  out.reserve(files.size());
  for (auto& slot : slots) out.push_back(std::move(*slot));
  return out;
}

Expected<std::string, std::string> since_bound(std::string_view text) {
  const auto digits = [text](std::size_t at) {
    return std::isdigit(static_cast<unsigned char>(text[at])) && std::isdigit(static_cast<unsigned char>(text[at + 1]));
  };
  // HH:MM:SS after the date's 'T', then 'Z'.
  const bool time = text.size() == 20 && text[10] == 'T' && text[13] == ':' && text[16] == ':' && text[19] == 'Z' &&
                    digits(11) && digits(14) && digits(17) && text.substr(11, 2) < "24" && text.substr(14, 2) < "60" &&
                    text.substr(17, 2) < "60";
  if ((text.size() != 10 && !time) || !parse_iso_date(text))
    return Unexpected(
        fmt::format("--since: '{}' is not a date (2026-11-20) or a UTC time (2026-11-20T02:00:00Z)", text));
  return std::string(text);
}

const std::string& collected_time(const HostReport& report) {
  return report.collected_at.empty() ? report.generated_at : report.collected_at;
}

namespace {

// Whether a report's facts were collected on or after `since` (a date or a time, as given).
// ISO 8601 UTC times of one shape compare as strings; a time that is not one is not recent.
bool collected_since(const HostReport& report, const std::string& since) {
  const std::string& when = collected_time(report);
  if (!since_bound(when.substr(0, std::min<std::size_t>(when.size(), 20)))) return false;
  return since.size() == 10 ? when.substr(0, 10) >= since : when >= since;
}

}  // namespace

FleetSummary summarize(std::vector<HostReport> reports, std::vector<std::string> skipped, std::size_t worst_hosts,
                       const std::string& since) {
  FleetSummary s;
  s.reports = static_cast<int>(reports.size());
  s.skipped = std::move(skipped);
  s.since = since;
  if (!since.empty()) {
    // Hosts with only older reports: each by its newest, so the summary says who went quiet.
    std::map<std::string, StaleHost> older_only;
    std::map<std::string, bool> recent;
    for (const auto& r : reports) {
      const std::string key = to_lower(r.host);
      if (collected_since(r, since)) {
        recent[key] = true;
        continue;
      }
      auto& stale = older_only[key];
      if (stale.host.empty() || collected_time(r) > stale.collected_at) stale = {r.host, collected_time(r), r.file};
    }
    for (auto& [key, stale] : older_only)
      if (!recent.contains(key)) s.stale.push_back(std::move(stale));
    std::sort(s.stale.begin(), s.stale.end(),
              [](const StaleHost& a, const StaleHost& b) { return to_lower(a.host) < to_lower(b.host); });
    const auto kept = std::stable_partition(reports.begin(), reports.end(),
                                            [&since](const HostReport& r) { return collected_since(r, since); });
    s.older = static_cast<int>(reports.end() - kept);
    reports.erase(kept, reports.end());
  }
  // Each host's newest report stands for it; ISO 8601 times compare as strings.
  std::map<std::string, std::size_t> newest;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    ++s.tool_versions[reports[i].tool_version.empty() ? "(unknown)" : reports[i].tool_version];
    auto [it, inserted] = newest.emplace(to_lower(reports[i].host), i);
    if (inserted) continue;
    ++s.superseded;
    const HostReport& kept = reports[it->second];
    if (std::tie(reports[i].generated_at, reports[i].file) > std::tie(kept.generated_at, kept.file)) it->second = i;
  }
  s.hosts = static_cast<int>(newest.size());

  std::map<std::string, RuleTally> tallies;
  std::map<std::string, std::vector<double>> scores;
  std::map<std::string, int> not_scored;
  for (const auto& [key, index] : newest) {
    const HostReport& h = reports[index];
    HostRank rank{h.host, h.file, h.generated_at, h.overall, 0, 0};
    for (const auto& v : h.verdicts) {
      RuleTally& t = tallies[v.rule];
      if (t.rule.empty()) t = RuleTally{v.rule, v.title, v.layer, v.severity};
      switch (v.status) {
        case Status::Pass: ++t.pass; break;
        case Status::Fail: ++t.fail; break;
        case Status::NotApplicable: ++t.not_applicable; break;
        case Status::Unknown: ++t.unknown; break;
        case Status::Error: ++t.error; break;
      }
      if (v.waived) ++t.waived;
      if (!v.waived && v.status == Status::Fail) ++rank.fail;
      if (!v.waived && (v.status == Status::Unknown || v.status == Status::Error)) ++rank.unknown_or_error;
      if (v.status != Status::NotApplicable) ++rank.applicable;
      if (v.status == Status::Pass || v.status == Status::Fail) ++rank.scored;
    }
    const auto add = [&](const std::string& layer, const std::optional<double>& score) {
      if (score)
        scores[layer].push_back(*score);
      else
        ++not_scored[layer];
    };
    add("overall", h.overall);
    for (const auto& [layer, score] : h.layers) add(layer, score);
    (h.overall ? s.worst : s.unscored).push_back(std::move(rank));
  }
  for (auto& [rule, t] : tallies) s.rules.push_back(std::move(t));
  std::stable_sort(s.rules.begin(), s.rules.end(), [](const RuleTally& a, const RuleTally& b) {
    return std::tie(b.fail, b.severity, a.rule) < std::tie(a.fail, a.severity, b.rule);
  });
  for (const auto& name : [&] {
         std::vector<std::string> names{"overall"};
         for (const auto& [layer, _] : scores) names.push_back(layer);
         for (const auto& [layer, _] : not_scored) names.push_back(layer);
         return names;
       }())
    if (!s.layers.contains(name)) s.layers[name] = distribution(scores[name], not_scored[name]);
  std::sort(s.worst.begin(), s.worst.end(), [](const HostRank& a, const HostRank& b) {
    return std::tie(*a.overall, b.fail, a.host) < std::tie(*b.overall, a.fail, b.host);
  });
  if (s.worst.size() > worst_hosts) s.worst.resize(worst_hosts);
  std::sort(s.unscored.begin(), s.unscored.end(), [](const HostRank& a, const HostRank& b) { return a.host < b.host; });
  return s;
}

std::string summary_text(const FleetSummary& s) {
  std::string out =
      fmt::format("smbaudit fleet summary: {} hosts from {} reports", thousands(s.hosts), thousands(s.reports));
  std::vector<std::string> notes;
  if (!s.since.empty())
    notes.push_back(fmt::format("collected since {}: {} older reports left out", s.since, thousands(s.older)));
  if (s.superseded) notes.push_back(fmt::format("{} older reports superseded by a newer one", thousands(s.superseded)));
  if (!s.skipped.empty()) notes.push_back(fmt::format("{} malformed reports skipped", s.skipped.size()));
  out += notes.empty() ? "\n" : " (" + join(notes, ", ") + ")\n";
  std::vector<std::string> versions;
  for (const auto& [v, n] : s.tool_versions) versions.push_back(fmt::format("{} ({})", v, thousands(n)));
  out += fmt::format("Tool versions: {}\n", join(versions, ", "));

  out += "\nScores (each host's newest report)\n";
  out += fmt::format("  {:<16}{:>7}{:>7}{:>7}{:>7}{:>7}{:>7}{:>7}{:>7}", "layer", "hosts", "n/a", "min", "p25",
                     "median", "p75", "max", "mean");
  for (auto b : kScoreBands) out += fmt::format("{:>7}", b);
  out += "\n";
  const auto row = [&out](const std::string& name, const Distribution& d) {
    out += fmt::format("  {:<16}{:>7}{:>7}", name, d.scored, d.not_scored);
    if (d.scored)
      out +=
          fmt::format("{:>7.1f}{:>7.1f}{:>7.1f}{:>7.1f}{:>7.1f}{:>7.1f}", d.min, d.p25, d.median, d.p75, d.max, d.mean);
    else
      out += fmt::format("{:>42}", "");
    for (int n : d.bands) out += fmt::format("{:>7}", n);
    out += "\n";
  };
  for (const auto& [name, d] : s.layers)
    if (name == "overall") row(name, d);
  for (const auto& [name, d] : s.layers)
    if (name != "overall") row(name, d);

  out += "\nRules by failing hosts\n";
  out += fmt::format("  {:<40}{:<10}{:>7}{:>8}{:>9}{:>7}{:>7}{:>7}\n", "rule", "severity", "fail", "waived", "unknown",
                     "error", "pass", "n/a");
  for (const auto& t : s.rules)
    out += fmt::format("  {:<40}{:<10}{:>7}{:>8}{:>9}{:>7}{:>7}{:>7}\n", t.rule, to_string(t.severity), t.fail,
                       t.waived, t.unknown, t.error, t.pass, t.not_applicable);

  out += "\nWorst hosts\n";
  out += fmt::format("  {:<24}{:>7}  {:<22}{:>7}{:>9}  {}\n", "host", "score", "coverage", "fail", "unknown", "report");
  for (const auto& h : s.worst)
    out += fmt::format("  {:<24}{:>7}  {:<22}{:>7}{:>9}  {}\n", h.host, score_text(h.overall), coverage_of(h), h.fail,
                       h.unknown_or_error, h.file);
  if (!s.unscored.empty()) {
    out += fmt::format("\nHosts with nothing scored ({}):", s.unscored.size());
    for (std::size_t i = 0; i < s.unscored.size() && i < 20; ++i) out += " " + s.unscored[i].host;
    out += s.unscored.size() > 20 ? " ...\n" : "\n";
  }
  if (!s.stale.empty()) {
    out += fmt::format("\nHosts with no report collected since {} ({}):", s.since, s.stale.size());
    for (std::size_t i = 0; i < s.stale.size() && i < 20; ++i)
      out += fmt::format(" {} ({})", s.stale[i].host, s.stale[i].collected_at.substr(0, 10));
    out += s.stale.size() > 20 ? " ...\n" : "\n";
  }
  return out;
}

json summary_json(const FleetSummary& s) {
  const auto score = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  json layers = json::object();
  for (const auto& [name, d] : s.layers) {
    json bands = json::object();
    for (std::size_t i = 0; i < kScoreBands.size(); ++i) bands[std::string(kScoreBands[i])] = d.bands[i];
    json j{{"hosts", d.scored}, {"not_scored", d.not_scored}};
    if (d.scored)
      j.update(
          {{"min", d.min}, {"p25", d.p25}, {"median", d.median}, {"p75", d.p75}, {"max", d.max}, {"mean", d.mean}});
    j["bands"] = bands;
    layers[name] = j;
  }
  json rules = json::array();
  for (const auto& t : s.rules)
    rules.push_back({{"rule", t.rule},
                     {"title", t.title},
                     {"layer", t.layer},
                     {"severity", to_string(t.severity)},
                     {"fail", t.fail},
                     {"waived", t.waived},
                     {"unknown", t.unknown},
                     {"error", t.error},
                     {"pass", t.pass},
                     {"not_applicable", t.not_applicable}});
  const auto hosts = [&](const std::vector<HostRank>& list) {
    json a = json::array();
    for (const auto& h : list)
      a.push_back({{"host", h.host},
                   {"score", score(h.overall)},
                   {"fail", h.fail},
                   {"unknown_or_error", h.unknown_or_error},
                   {"scored", h.scored},
                   {"applicable", h.applicable},
                   {"generated_at", h.generated_at},
                   {"file", h.file}});
    return a;
  };
  json stale = json::array();
  for (const auto& h : s.stale) stale.push_back({{"host", h.host}, {"collected_at", h.collected_at}, {"file", h.file}});
  return {{"schema", "smbaudit-summary/1"},
          {"reports", s.reports},
          {"hosts", s.hosts},
          {"superseded", s.superseded},
          {"skipped", s.skipped},
          {"tool_versions", s.tool_versions},
          {"layers", layers},
          {"rules", rules},
          {"worst_hosts", hosts(s.worst)},
          {"unscored_hosts", hosts(s.unscored)},
          {"since", s.since.empty() ? json(nullptr) : json(s.since)},
          {"older", s.older},
          {"stale_hosts", stale}};
}

std::string summary_html(const FleetSummary& s) {
  std::string out = html_page_start(fmt::format("smbaudit fleet summary: {} hosts", s.hosts));
  out += fmt::format("<h1>Fleet summary <span class=\"big\">{}</span><span class=\"dim\"> hosts</span></h1>\n",
                     thousands(s.hosts));
  std::vector<std::string> versions;
  for (const auto& [v, n] : s.tool_versions) versions.push_back(fmt::format("{} ({})", v, thousands(n)));
  out += fmt::format(
      "<p class=\"meta\">{} reports read · {} superseded by a newer report of the same host · {} "
      "malformed skipped · smbaudit versions {}</p>\n",
      thousands(s.reports), thousands(s.superseded), s.skipped.size(), xml_escape(join(versions, ", ")));
  if (!s.since.empty())
    out += fmt::format("<p class=\"meta\">Reports collected since {} · {} older reports left out</p>\n",
                       xml_escape(s.since), thousands(s.older));

  out +=
      "<h2>Scores (each host's newest report)</h2>\n<table class=\"wide\">\n<tr><th>layer</th><th>median</th>"
      "<th class=\"num\">p25</th><th class=\"num\">p75</th><th class=\"num\">min</th><th class=\"num\">max</th>"
      "<th class=\"num\">hosts</th><th>hosts by score band</th></tr>\n";
  const auto row = [&out](const std::string& name, const Distribution& d) {
    const std::optional<double> median = d.scored ? std::optional(d.median) : std::nullopt;
    out += fmt::format("<tr><th>{}</th><td>{}</td>", xml_escape(name), html_score_bar(median));
    if (d.scored)
      out += fmt::format(
          "<td class=\"num\">{:.1f}</td><td class=\"num\">{:.1f}</td><td class=\"num\">{:.1f}</td>"
          "<td class=\"num\">{:.1f}</td>",
          d.p25, d.p75, d.min, d.max);
    else
      out += "<td></td><td></td><td></td><td></td>";
    out += fmt::format("<td class=\"num\">{}</td><td>", d.scored);
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < kScoreBands.size(); ++i)
      parts.push_back(fmt::format("{}: {}", kScoreBands[i], d.bands[i]));
    if (d.not_scored) parts.push_back(fmt::format("not scored: {}", d.not_scored));
    out += xml_escape(join(parts, " · ")) + "</td></tr>\n";
  };
  for (const auto& [name, d] : s.layers)
    if (name == "overall") row(name, d);
  for (const auto& [name, d] : s.layers)
    if (name != "overall") row(name, d);
  out += "</table>\n";

  out +=
      "<h2>Rules by failing hosts</h2>\n<table class=\"wide\">\n<tr><th>rule</th><th>severity</th>"
      "<th class=\"num\">fail</th><th class=\"num\">waived</th><th class=\"num\">unknown</th>"
      "<th class=\"num\">error</th><th class=\"num\">pass</th><th class=\"num\">n/a</th></tr>\n";
  for (const auto& t : s.rules)
    out += fmt::format(
        "<tr><td><code>{}</code> {}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td></tr>\n",
        xml_escape(t.rule), xml_escape(t.title), to_string(t.severity), t.fail, t.waived, t.unknown, t.error, t.pass,
        t.not_applicable);
  out += "</table>\n";

  out +=
      "<h2>Worst hosts</h2>\n<table class=\"wide\">\n<tr><th>host</th><th>score</th><th>coverage</th>"
      "<th class=\"num\">fail</th><th class=\"num\">unknown or error</th><th>report</th></tr>\n";
  for (const auto& h : s.worst)
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td><code>{}</code></td></tr>\n",
        xml_escape(h.host), html_score_bar(h.overall), coverage_of(h), h.fail, h.unknown_or_error, xml_escape(h.file));
  out += "</table>\n";
  if (!s.unscored.empty()) {
    out += fmt::format("<h2>Hosts with nothing scored ({})</h2>\n<p>", s.unscored.size());
    std::vector<std::string> names;
    for (const auto& h : s.unscored) names.push_back(xml_escape(h.host));
    out += join(names, ", ") + "</p>\n";
  }
  if (!s.stale.empty()) {
    out +=
        fmt::format("<h2>Hosts with no report collected since {} ({})</h2>\n<p>", xml_escape(s.since), s.stale.size());
    std::vector<std::string> names;
    for (const auto& h : s.stale) names.push_back(xml_escape(fmt::format("{} ({})", h.host, h.collected_at)));
    out += join(names, ", ") + "</p>\n";
  }
  if (!s.skipped.empty()) {
    out += fmt::format("<h2>Malformed reports skipped ({})</h2>\n<ul>\n", s.skipped.size());
    for (const auto& line : s.skipped) out += fmt::format("<li><code>{}</code></li>\n", xml_escape(line));
    out += "</ul>\n";
  }
  out += html_page_end();
  return out;
}

}  // namespace smbaudit
