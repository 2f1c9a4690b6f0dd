#include "sarif_writer.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "../core/json_value.h"
#include "render.h"

namespace smbaudit {
namespace {

using json = nlohmann::ordered_json;

std::string_view level(Severity s) {
  switch (s) {
    case Severity::Critical:
    case Severity::High: return "error";
    case Severity::Medium: return "warning";
    case Severity::Low:
    case Severity::Info: return "note";
  }
  return "warning";
}

// GitHub code scanning ranks security alerts by this CVSS-like number
// (9.0+ critical, 7.0+ high, 4.0+ medium, above 0 low).
std::string_view security_severity(Severity s) {
  switch (s) {
    case Severity::Critical: return "9.5";
    case Severity::High: return "8.0";
    case Severity::Medium: return "5.5";
    case Severity::Low: return "3.0";
    case Severity::Info: return "0.0";
  }
  return "5.5";
}

// A relative URI for the place a finding lives: GitHub requires an artifact location,
// and a Windows path is the truthful one. Backslashes become '/', the rest is percent-encoded.
std::string location_uri(std::string_view windows_path) {
  std::string out;
  for (char ch : windows_path) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\\' || c == ':')
      out += '/';
    else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
             c == '_' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

json help(const Rule& rule) {
  std::string text = rule.remediation.summary, md = rule.remediation.summary;
  if (!rule.remediation.powershell.empty()) {
    text += "\nPowerShell: " + rule.remediation.powershell;
    md += "\n\n```powershell\n" + rule.remediation.powershell + "\n```";
  }
  if (!rule.remediation.group_policy.empty()) {
    text += "\nGroup Policy: " + rule.remediation.group_policy;
    md += "\n\nGroup Policy: " + rule.remediation.group_policy;
  }
  if (!rule.rationale.empty()) {
    text = rule.rationale + "\n\n" + text;
    md = rule.rationale + "\n\n" + md;
  }
  return {{"text", text}, {"markdown", md}};
}

json descriptor(const Finding& f) {
  const Rule& rule = *f.rule;
  json d{{"id", rule.id}, {"shortDescription", {{"text", rule.title}}}};
  if (!rule.rationale.empty()) d["fullDescription"] = {{"text", rule.rationale}};
  d["help"] = help(rule);
  if (!rule.references.empty()) d["helpUri"] = rule.references.front();
  d["defaultConfiguration"] = {{"level", level(f.severity)}};
  d["properties"] = {{"tags", {"security", "smb", std::string(to_string(rule.layer))}},
                     {"security-severity", security_severity(f.severity)},
                     {"severity", to_string(f.severity)},
                     {"layer", to_string(rule.layer)}};
  return d;
}

std::string message(const Finding& f) {
  std::string text = f.explanation;
  if (!f.evidence.empty()) {
    text += "\nEvidence:";
    for (const auto& e : f.evidence) text += "\n- " + evidence_line(e);
  }
  if (f.waiver) text += "\n" + waiver_note(*f.waiver);
  return text;
}

json result(const Finding& f, std::size_t rule_index, const Report& r) {
  const std::string where = primary_location(*f.rule);
  const bool failed = f.status == Status::Fail;
  // SARIF: a result that is not kind "fail" has level "none"; "open" means the tool
  // could not decide, which is what unknown and error are.
  json j{{"ruleId", f.rule->id},
         {"ruleIndex", rule_index},
         {"kind", failed ? "fail" : "open"},
         {"level", failed ? level(f.severity) : "none"},
         {"message", {{"text", message(f)}}},
         {"locations",
          {{{"physicalLocation", {{"artifactLocation", {{"uri", location_uri(where)}}}}},
            {"logicalLocations", {{{"fullyQualifiedName", where}, {"kind", "resource"}}}}}}},
         {"partialFingerprints", {{"smbauditFinding/v1", finding_fingerprint(f, stable_host_name(r))}}}};
  if (f.waived())
    j["suppressions"] = {{{"kind", "external"}, {"status", "accepted"}, {"justification", f.waiver->justification}}};
  json props{{"status", to_string(f.status)}, {"severity", to_string(f.severity)}, {"host", r.host.name}};
  if (f.waiver)
    props["waiver"] = {{"state", to_string(f.waiver->state)},
                       {"expires", f.waiver->expires},
                       {"justification", f.waiver->justification}};
  j["properties"] = props;
  return j;
}

json score_json(const std::optional<double>& s) {
  return s ? json(*s) : json(nullptr);
}

// {host} in a --sarif-category, and a trailing '/', so GitHub takes all of it as the category
// (it reads automationDetails.id as CATEGORY/RUN-ID).
std::string category_id(std::string_view pattern, const std::string& host) {
  std::string out;
  for (std::size_t at = 0; at < pattern.size();) {
    if (pattern.substr(at, 6) == "{host}") {
      out += host;
      at += 6;
    } else {
      out += pattern[at++];
    }
  }
  if (!out.empty() && out.back() != '/') out += '/';
  return out;
}

}  // namespace

void SarifWriter::write(const Report& r, std::ostream& out) const {
  json rules = json::array(), results = json::array();
  for (std::size_t i = 0; i < r.findings.size(); ++i) {
    const Finding& f = r.findings[i];
    rules.push_back(descriptor(f));
    if (f.status == Status::Fail || f.status == Status::Unknown || f.status == Status::Error)
      results.push_back(result(f, i, r));
  }
  json layers = json::object();
  for (const auto& [layer, s] : r.score.layers) layers[std::string(to_string(layer))] = score_json(s.score);
  const Coverage covered = coverage(r.score.totals);
  json run{
      {"tool",
       {{"driver",
         {{"name", "smbaudit"}, {"version", r.tool_version}, {"semanticVersion", r.tool_version}, {"rules", rules}}}}}};
  // One category per host by default, so each host's alerts open and close on their own;
  // --sarif-category "" leaves it to the uploader (GitHub's upload-sarif `category:`).
  const std::string category = category_id(category_ ? *category_ : "smbaudit/{host}", stable_host_name(r));
  if (!category.empty()) run["automationDetails"] = {{"id", category}};
  run["invocations"] = {{{"executionSuccessful", true}, {"endTimeUtc", r.generated_at}}};
  run["results"] = results;
  run["properties"] = {{"host", r.host.name},
                       {"hostLabel", r.host_label.empty() ? json(nullptr) : json(r.host_label)},
                       {"profile", r.profile},
                       {"source", r.source.kind + " " + r.source.description},
                       {"score",
                        {{"overall", score_json(r.score.overall)},
                         {"layers", layers},
                         {"coverage",
                          {{"scored", covered.scored},
                           {"applicable", covered.applicable},
                           {"percent", score_json(covered.percent())},
                           {"text", coverage_text(r.score)}}}}}};
  json doc{{"$schema", "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"},
           {"version", "2.1.0"},
           {"runs", {run}}};
  // Registry strings are not always valid UTF-8; replace bad bytes rather than fail the report.
  out << dump_json(doc, 2) << "\n";
}

}  // namespace smbaudit
