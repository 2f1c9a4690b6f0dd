#include "report_reader.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "../core/input.h"
#include "../core/json_value.h"
#include "smbaudit/limits.h"
#include "smbaudit/report.h"

namespace smbaudit {
namespace {

using json = nlohmann::json;

struct ReadError {
  std::string pointer;
  std::string message;
};

const json& field(const json& obj, const char* key, const std::string& at) {
  if (!obj.is_object()) throw ReadError{at, "expected an object"};
  auto it = obj.find(key);
  if (it == obj.end()) throw ReadError{at, fmt::format("missing field '{}'", key)};
  return *it;
}

std::string str(const json& obj, const char* key, const std::string& at) {
  const json& v = field(obj, key, at);
  if (!v.is_string()) throw ReadError{at + "/" + key, "expected a string"};
  return v.get<std::string>();
}

// A field that later versions may drop or null: absent and null both read as "".
std::string opt_str(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<double> score(const json& v, const std::string& at) {
  if (v.is_null()) return std::nullopt;
  if (!v.is_number()) throw ReadError{at, "expected a number or null"};
  return v.get<double>();
}

ReadEvidence evidence(const json& e, const std::string& at) {
  if (!e.is_object()) throw ReadError{at, "expected an object"};
  ReadEvidence out;
  out.kind = str(e, "kind", at);
  out.path = out.kind == "default" ? opt_str(e, "condition") : opt_str(e, "path");
  out.name = opt_str(e, "name");
  if (auto it = e.find("present"); it != e.end() && it->is_boolean()) out.present = it->get<bool>();
  if (auto it = e.find("type"); it != e.end() && it->is_string()) out.type = it->get<std::string>();
  if (auto it = e.find("data"); it != e.end()) out.data = value_from_json(*it);
  if (auto it = e.find("start_type"); it != e.end() && it->is_string()) out.start_type = it->get<std::string>();
  if (auto it = e.find("status"); it != e.end() && it->is_string()) out.read_status = it->get<std::string>();
  out.message = opt_str(e, "message");
  if (auto it = e.find("decided"); it != e.end() && it->is_boolean()) out.decided = it->get<bool>();
  return out;
}

ReadFinding finding(const json& f, const std::string& at) {
  ReadFinding out;
  out.rule = str(f, "rule", at);
  out.title = opt_str(f, "title");
  const std::string status = str(f, "status", at);
  auto s = status_from_string(status);
  if (!s) throw ReadError{at + "/status", fmt::format("unknown status '{}'", status)};
  out.status = *s;
  const std::string severity = str(f, "severity", at);
  auto sev = severity_from_string(severity);
  if (!sev) throw ReadError{at + "/severity", fmt::format("unknown severity '{}'", severity)};
  out.severity = *sev;
  out.layer = opt_str(f, "layer");
  out.explanation = opt_str(f, "explanation");
  if (auto it = f.find("remediation"); it != f.end() && it->is_object()) {
    out.remediation_summary = opt_str(*it, "summary");
    out.remediation_powershell = opt_str(*it, "powershell");
    out.remediation_group_policy = opt_str(*it, "group_policy");
  }
  if (auto it = f.find("evidence"); it != f.end()) {
    if (!it->is_array()) throw ReadError{at + "/evidence", "expected an array"};
    for (std::size_t i = 0; i < it->size(); ++i)
      out.evidence.push_back(evidence((*it)[i], fmt::format("{}/evidence/{}", at, i)));
  }
  return out;
}

}  // namespace

Expected<ReadReport, std::string> parse_report(std::string_view text, std::string_view name) {
  auto parsed = parse_json_input(text);
  if (!parsed) return Unexpected(one_line(fmt::format("{}: {}", name, parsed.error())));
  const json doc = std::move(*parsed);
  try {
    ReadReport r;
    if (!doc.is_object() || !doc.contains("schema"))
      throw ReadError{"", "missing \"schema\" (is this a smbaudit JSON report?)"};
    r.schema = str(doc, "schema", "");
    // Same major schema: later minor versions only add fields.
    if (r.schema != kReportSchema)
      throw ReadError{"/schema",
                      fmt::format("unsupported schema '{}' (this version reads '{}')", r.schema, kReportSchema)};
    if (auto it = doc.find("tool"); it != doc.end() && it->is_object()) r.tool_version = opt_str(*it, "version");
    r.generated_at = opt_str(doc, "generated_at");
    if (auto it = doc.find("rules"); it != doc.end() && it->is_object()) {
      r.profile = opt_str(*it, "profile");
      r.rules_sha256 = opt_str(*it, "sha256");
      if (auto v = it->find("version"); v != it->end() && v->is_string()) r.rules_version = v->get<std::string>();
    }
    const json& host = field(doc, "host", "");
    r.host_name = str(host, "name", "/host");
    if (auto it = host.find("os_build"); it != host.end() && it->is_number_integer()) r.os_build = it->get<int>();
    if (auto it = host.find("edition"); it != host.end() && it->is_string()) r.edition = it->get<std::string>();
    if (auto it = host.find("role"); it != host.end() && it->is_string()) r.role = it->get<std::string>();
    if (auto it = doc.find("source"); it != doc.end() && it->is_object()) r.source_kind = opt_str(*it, "kind");
    const json& sc = field(doc, "score", "");
    r.overall = score(field(sc, "overall", "/score"), "/score/overall");
    if (auto it = sc.find("layers"); it != sc.end()) {
      if (!it->is_object()) throw ReadError{"/score/layers", "expected an object"};
      for (const auto& [layer, v] : it->items()) r.layer_scores[layer] = score(v, "/score/layers/" + layer);
    }
    const json& findings = field(doc, "findings", "");
    if (!findings.is_array()) throw ReadError{"/findings", "expected an array"};
    if (findings.size() > limits::kMaxReportFindings)
      throw ReadError{"/findings", fmt::format("more than {} findings", limits::kMaxReportFindings)};
    r.findings.reserve(findings.size());
    for (std::size_t i = 0; i < findings.size(); ++i)
      r.findings.push_back(finding(findings[i], fmt::format("/findings/{}", i)));
    return r;
  } catch (const ReadError& e) {
    return Unexpected(one_line(e.pointer.empty() ? fmt::format("{}: {}", name, e.message)
                                                 : fmt::format("{}: at {}: {}", name, e.pointer, e.message)));
  } catch (const json::exception& e) {
    return Unexpected(one_line(fmt::format("{}: {}", name, e.what())));
  }
}

Expected<ReadReport, std::string> read_report(const std::filesystem::path& path) {
  auto text = read_input_file(path);
  if (!text) return Unexpected(fmt::format("{}: {}", path.string(), text.error()));
  return parse_report(*text, path.string());
}

}  // namespace smbaudit
