#include "diff.h"

#include <fmt/format.h>

#include <map>

#include "render.h"

namespace smbaudit {
namespace {

bool unclear(Status s) {
  return s == Status::Unknown || s == Status::Error;
}

std::string status_text(const std::optional<Status>& s) {
  return s ? std::string(to_string(*s)) : "-";
}

}  // namespace

std::string_view to_string(Drift drift) {
  switch (drift) {
    case Drift::Regressed: return "regressed";
    case Drift::Improved: return "improved";
    case Drift::Changed: return "changed";
    case Drift::Appeared: return "appeared";
    case Drift::Disappeared: return "disappeared";
  }
  return "changed";
}

std::optional<Drift> classify(Status before, Status after) {
  if (before == after) return std::nullopt;
  if (after == Status::Fail) return Drift::Regressed;
  // Losing the evidence for a pass is a regression too: the defence can no longer be shown.
  if (before == Status::Pass && unclear(after)) return Drift::Regressed;
  if (after == Status::Pass && (before == Status::Fail || unclear(before))) return Drift::Improved;
  return Drift::Changed;
}

bool ReportDiff::regressed() const {
  for (const auto& c : changes)
    if (c.kind == Drift::Regressed && !c.waived) return true;
  return false;
}

ReportDiff diff_reports(const ReadReport& before, const ReadReport& after) {
  ReportDiff d;
  d.old_host = before.host_name, d.new_host = after.host_name;
  d.old_time = before.generated_at, d.new_time = after.generated_at;
  d.old_profile = before.profile, d.new_profile = after.profile;
  d.old_score = before.overall, d.new_score = after.overall;
  std::map<std::string, const ReadFinding*> old_by_rule, new_by_rule;
  for (const auto& f : before.findings) old_by_rule.emplace(f.rule, &f);
  for (const auto& f : after.findings) new_by_rule.emplace(f.rule, &f);
  for (const auto& f : after.findings) {
    auto old = old_by_rule.find(f.rule);
    std::optional<Drift> kind = Drift::Appeared;
    if (old != old_by_rule.end()) kind = classify(old->second->status, f.status);
    if (!kind) continue;
    d.changes.push_back(RuleDrift{*kind, f.rule, f.title, f.layer, f.severity,
                                  old == old_by_rule.end() ? std::nullopt : std::optional(old->second->status),
                                  f.status, f.waived(), f.explanation});
  }
  for (const auto& f : before.findings)
    if (!new_by_rule.contains(f.rule))
      d.changes.push_back(RuleDrift{Drift::Disappeared, f.rule, f.title, f.layer, f.severity, f.status, std::nullopt,
                                    false, f.explanation});
  return d;
}

std::string diff_text(const ReportDiff& d) {
  std::string out = fmt::format("smbaudit diff: {} {} -> {} {}\n", d.old_host, d.old_time, d.new_host, d.new_time);
  if (d.old_host != d.new_host) out += "Note: the two reports are of different hosts.\n";
  if (d.old_profile != d.new_profile)
    out += fmt::format("Note: the profiles differ ({} -> {}), so rules may appear or disappear.\n", d.old_profile,
                       d.new_profile);
  out += fmt::format("Score    {} -> {}", score_text(d.old_score), score_text(d.new_score));
  if (d.old_score && d.new_score) out += fmt::format(" ({:+.1f})", *d.new_score - *d.old_score);
  out += "\n";
  if (d.changes.empty()) return out + "\nNo rule changed its verdict.\n";
  for (Drift kind : {Drift::Regressed, Drift::Improved, Drift::Appeared, Drift::Disappeared, Drift::Changed}) {
    std::vector<const RuleDrift*> group;
    for (const auto& c : d.changes)
      if (c.kind == kind) group.push_back(&c);
    if (group.empty()) continue;
    std::string title(to_string(kind));
    title[0] = static_cast<char>(title[0] - 'a' + 'A');
    out += fmt::format("\n{} ({})\n", title, group.size());
    for (const RuleDrift* c : group) {
      const std::string move = fmt::format("{} -> {}", status_text(c->old_status), status_text(c->new_status));
      out += fmt::format("  {:<9}{:<38} {:<26} {}{}\n", to_string(c->severity), c->rule, move, c->title,
                         c->waived ? " (waived)" : "");
      if (!c->explanation.empty() && kind != Drift::Disappeared) out += fmt::format("           {}\n", c->explanation);
    }
  }
  return out;
}

nlohmann::ordered_json diff_json(const ReportDiff& d) {
  using json = nlohmann::ordered_json;
  const auto score = [](const std::optional<double>& s) { return s ? json(*s) : json(nullptr); };
  const auto status = [](const std::optional<Status>& s) { return s ? json(to_string(*s)) : json(nullptr); };
  json groups = json::object();
  for (Drift kind : {Drift::Regressed, Drift::Improved, Drift::Appeared, Drift::Disappeared, Drift::Changed})
    groups[std::string(to_string(kind))] = json::array();
  for (const auto& c : d.changes)
    groups[std::string(to_string(c.kind))].push_back({{"rule", c.rule},
                                                      {"title", c.title},
                                                      {"layer", c.layer},
                                                      {"severity", to_string(c.severity)},
                                                      {"old_status", status(c.old_status)},
                                                      {"new_status", status(c.new_status)},
                                                      {"waived", c.waived},
                                                      {"explanation", c.explanation}});
  json out{
      {"schema", "smbaudit-diff/1"},
      {"old",
       {{"host", d.old_host}, {"generated_at", d.old_time}, {"profile", d.old_profile}, {"score", score(d.old_score)}}},
      {"new",
       {{"host", d.new_host}, {"generated_at", d.new_time}, {"profile", d.new_profile}, {"score", score(d.new_score)}}},
      {"any_regression", d.regressed()}};
  for (auto& [key, value] : groups.items()) out[key] = value;
  return out;
}

}  // namespace smbaudit
