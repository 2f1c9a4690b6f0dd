#include "report_reader.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <map>

#include "../core/input.h"
#include "../core/json_value.h"
#include "smbaudit/limits.h"
#include "smbaudit/report_writer.h"
#include "smbaudit/text.h"

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
  out.kind = evidence_kind_from_string(str(e, "kind", at));
  out.path = out.kind == EvidenceKind::Default ? opt_str(e, "condition") : opt_str(e, "path");
  out.name = opt_str(e, "name");
  if (auto it = e.find("present"); it != e.end() && it->is_boolean()) out.present = it->get<bool>();
  if (auto it = e.find("type"); it != e.end() && it->is_string())
    out.type = reg_type_from_string(it->get<std::string>()).value_or(RegType::Other);
  if (auto it = e.find("data"); it != e.end()) out.data = value_from_json(*it);
  if (auto it = e.find("start_type"); it != e.end() && it->is_string())
    out.start_type = start_type_from_string(it->get<std::string>());
  if (auto it = e.find("state"); it != e.end() && it->is_string())
    out.state = service_state_from_string(it->get<std::string>());
  // The writer says "unknown" or "error" for a fact it could not read; any other word is an error.
  if (auto it = e.find("status"); it != e.end() && it->is_string())
    out.readability = it->get<std::string>() == "unknown" ? Readability::Unknown : Readability::Error;
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
  if (auto it = f.find("waiver"); it != f.end()) {
    const std::string state = it->is_object() ? opt_str(*it, "state") : std::string();
    if (state != "active" && state != "expired")
      throw ReadError{at + "/waiver/state", "expected \"active\" or \"expired\""};
    out.waiver = state == "active" ? WaiverState::Active : WaiverState::Expired;
    out.waiver_justification = opt_str(*it, "justification");
    out.waiver_expires = opt_str(*it, "expires");
  }
  if (auto it = f.find("evidence"); it != f.end()) {
    if (!it->is_array()) throw ReadError{at + "/evidence", "expected an array"};
    for (std::size_t i = 0; i < it->size(); ++i)
      out.evidence.push_back(evidence((*it)[i], fmt::format("{}/evidence/{}", at, i)));
  }
  return out;
}

// A finding's members that ReadDetail::Verdicts leaves out: nine tenths of a report.
bool prose_member(std::string_view key) {
  return key == "evidence" || key == "explanation" || key == "rationale" || key == "remediation" || key == "references";
}

// Copies a report with the value of each finding's prose members emptied ("", [] or {}),
// skipping them by matching quotes and brackets (escapes respected) instead of parsing.
// Returns nullopt when the text does not scan cleanly; the caller then parses it whole.
std::optional<std::string> verdicts_only(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4);
  std::size_t copied = 0, i = 0;
  int depth = 0;
  std::string_view top_key;  // the member of the top-level object being read
  // at: an opening quote; returns the index after the closing one. A quote closes the
  // string unless an odd number of backslashes precede it.
  const auto skip_string = [&](std::size_t at) -> std::size_t {
    for (std::size_t k = at + 1; k < text.size(); ++k) {
      k = text.find('"', k);
      if (k == std::string_view::npos) return k;
      std::size_t backslashes = 0;
      while (text[k - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return k + 1;
    }
    return std::string_view::npos;
  };
  const auto skip_space = [&](std::size_t at) {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\n' || text[at] == '\r' || text[at] == '\t')) ++at;
    return at;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      const std::size_t end = skip_string(i);
      if (end == std::string_view::npos) return std::nullopt;
      const std::size_t colon = skip_space(end);
      const bool is_key = colon < text.size() && text[colon] == ':';
      const std::string_view key = text.substr(i + 1, end - i - 2);
      if (is_key && depth == 1) top_key = key;
      if (is_key && depth == 3 && top_key == "findings" && prose_member(key)) {
        const std::size_t value = skip_space(colon + 1);
        if (value < text.size() && text[value] == '"') {
          const std::size_t value_end = skip_string(value);
          if (value_end == std::string_view::npos) return std::nullopt;
          out.append(text.substr(copied, value - copied)).append("\"\"");
          copied = i = value_end;
          continue;
        }
        if (value < text.size() && (text[value] == '[' || text[value] == '{')) {
          int nested = 0;
          std::size_t k = value;
          for (; k < text.size(); ++k) {
            const char v = text[k];
            if (v == '"') {
              k = skip_string(k);
              if (k == std::string_view::npos) return std::nullopt;
              --k;
            } else if (v == '[' || v == '{') {
              ++nested;
            } else if (v == ']' || v == '}') {
              if (--nested == 0) break;
            }
          }
          if (k >= text.size()) return std::nullopt;
          out.append(text.substr(copied, value - copied)).append(text[value] == '[' ? "[]" : "{}");
          copied = i = k + 1;
          continue;
        }
      }
      i = end;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') --depth;
    ++i;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace

Expected<ReadReport, std::string> parse_report(std::string_view text, std::string_view name, ReadDetail detail) {
  // A report saved by Windows PowerShell 5.1 (`> report.json`) is UTF-16: decoded before the cut below.
  std::string decoded;
  if (needs_decoding(text)) {
    auto utf8 = decode_input_text(std::string(text));
    if (!utf8) return Unexpected(one_line(fmt::format("{}: {}", name, utf8.error())));
    decoded = std::move(*utf8);
    text = decoded;
  }
  // Verdicts alone are a tenth of a report; when the cut is not clean the
  // whole text is parsed, so a malformed report gets the parser's own message.
  std::optional<std::string> slim;
  if (detail == ReadDetail::Verdicts && text.size() <= limits::kMaxInputFileBytes) slim = verdicts_only(text);
  auto parsed = parse_json_input(slim ? std::string_view(*slim) : text);
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
      r.rules_origin = opt_str(*it, "origin");
      r.rules_sha256 = opt_str(*it, "sha256");
      if (auto v = it->find("version"); v != it->end() && v->is_string()) r.rules_version = v->get<std::string>();
    }
    const json& host = field(doc, "host", "");
    r.host_name = str(host, "name", "/host");
    if (auto it = host.find("label"); it != host.end() && it->is_string()) r.host_label = it->get<std::string>();
    if (auto it = host.find("collected_at"); it != host.end() && it->is_string())
      r.collected_at = it->get<std::string>();
    if (auto it = host.find("os_build"); it != host.end() && it->is_number_integer()) r.os_build = it->get<int>();
    if (auto it = host.find("ubr"); it != host.end() && it->is_number_integer()) r.ubr = it->get<int>();
    if (auto it = host.find("edition"); it != host.end() && it->is_string()) r.edition = it->get<std::string>();
    if (auto it = host.find("domain"); it != host.end() && it->is_string()) r.domain = it->get<std::string>();
    if (auto it = host.find("domain_joined"); it != host.end() && it->is_boolean())
      r.membership = it->get<bool>() ? Membership::Domain : Membership::Workgroup;
    if (auto it = host.find("role"); it != host.end() && it->is_string()) {
      r.role = role_from_string(it->get<std::string>());
      if (!r.role)
        throw ReadError{"/host/role",
                        fmt::format("unknown role '{}' (allowed: {})", it->get<std::string>(), role_names())};
    }
    if (auto it = doc.find("source"); it != doc.end() && it->is_object()) {
      r.source_kind = opt_str(*it, "kind");
      r.source_description = opt_str(*it, "description");
    }
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
    // A rule reported twice would be counted twice by summary and make diff ambiguous.
    std::map<std::string, std::size_t, ILess> seen;
    for (std::size_t i = 0; i < findings.size(); ++i) {
      const std::string at = fmt::format("/findings/{}", i);
      r.findings.push_back(finding(findings[i], at));
      if (auto [it, fresh] = seen.emplace(r.findings.back().rule, i); !fresh)
        throw ReadError{at, fmt::format("rule '{}' is reported again (first at /findings/{})", it->first, it->second)};
    }
    return r;
  } catch (const ReadError& e) {
    return Unexpected(one_line(e.pointer.empty() ? fmt::format("{}: {}", name, e.message)
                                                 : fmt::format("{}: at {}: {}", name, e.pointer, e.message)));
  } catch (const json::exception& e) {
    return Unexpected(one_line(fmt::format("{}: {}", name, e.what())));
  }
}

Expected<ReadReport, std::string> read_report(const std::filesystem::path& path, ReadDetail detail) {
  auto text = read_input_file(path);
  if (!text) return Unexpected(fmt::format("{}: {}", path.string(), text.error()));
  return parse_report(*text, path.string(), detail);
}

}  // namespace smbaudit
