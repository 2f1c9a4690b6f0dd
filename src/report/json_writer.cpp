#include "json_writer.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "../core/json_value.h"

namespace smbaudit {
namespace {

using json = nlohmann::ordered_json;

json score_value(const std::optional<double>& s) {
  return s ? json(*s) : json(nullptr);
}

json counts(const LayerScore& s) {
  return {{"pass", s.passed},
          {"fail", s.failed},
          {"not_applicable", s.not_applicable},
          {"unknown", s.unknown},
          {"error", s.error}};
}

json evidence_json(const Evidence& e) {
  json j{{"kind", to_string(e.kind)}};
  switch (e.kind) {
    case EvidenceKind::Registry:
      j["path"] = e.path;
      j["name"] = e.name.empty() ? json(nullptr) : json(e.name);
      break;
    case EvidenceKind::Service: j["name"] = e.path; break;
    case EvidenceKind::Wmi:
      j["path"] = e.path;
      j["name"] = e.name;
      break;
    case EvidenceKind::Host: j["name"] = e.path; break;
    case EvidenceKind::Default: j["condition"] = e.path; break;
  }
  if (e.readability != Readability::Read) {
    j["status"] = e.readability == Readability::Unknown ? "unknown" : "error";
    j["message"] = e.note;
  } else if (e.kind != EvidenceKind::Default) {
    j["present"] = e.presence == Presence::Present;
  }
  if (e.type) j["type"] = to_string(*e.type);
  if (e.kind == EvidenceKind::Service) {
    j["start_type"] = e.start_type ? json(to_string(*e.start_type)) : json(nullptr);
    j["state"] = e.state ? json(to_string(*e.state)) : json(nullptr);
  } else if (e.readability == Readability::Read &&
             (e.presence == Presence::Present || e.kind == EvidenceKind::Default)) {
    j["data"] = json(value_to_json(e.data));
  }
  if (!e.origin.empty()) j["origin"] = e.origin;
  // Only where a layer over the source (a GPO...) decided the fact: which, what it did, where.
  if (e.layer)
    j["layer"] = {{"name", e.layer->origin.layer},
                  {"action", to_string(e.layer->action)},
                  {"location", e.layer->origin.location}};
  if (e.kind == EvidenceKind::Default && !e.note.empty()) j["note"] = e.note;
  j["decided"] = e.role == EvidenceRole::Decided;
  return j;
}

json host_json(const HostFacts& h) {
  json j{{"name", h.name}};
  j["os_build"] = h.build ? json(*h.build) : json(nullptr);
  j["ubr"] = h.ubr ? json(*h.ubr) : json(nullptr);
  j["edition"] = h.edition ? json(*h.edition) : json(nullptr);
  j["product_name"] = h.product_name ? json(*h.product_name) : json(nullptr);
  j["role"] = h.role ? json(to_string(*h.role)) : json(nullptr);
  j["domain_joined"] = h.membership ? json(*h.membership == Membership::Domain) : json(nullptr);
  j["domain"] = h.domain ? json(*h.domain) : json(nullptr);
  j["collected_at"] = h.collected_at ? json(*h.collected_at) : json(nullptr);
  j["elevated"] = h.elevation ? json(*h.elevation == Elevation::Elevated) : json(nullptr);
  // Only when a source said why a property above is null.
  if (!h.unknown_reasons.empty()) j["unknown_reasons"] = h.unknown_reasons;
  return j;
}

json coverage_json(const Score& score) {
  const Coverage c = coverage(score.totals);
  return {{"scored", c.scored}, {"applicable", c.applicable}, {"percent", score_value(c.percent())}};
}

}  // namespace

nlohmann::ordered_json report_to_json(const Report& r) {
  json layers = json::object(), layer_counts = json::object();
  for (const auto& [layer, s] : r.score.layers) {
    layers[std::string(to_string(layer))] = score_value(s.score);
    layer_counts[std::string(to_string(layer))] = counts(s);
  }
  json findings = json::array();
  for (const auto& f : r.findings) {
    json evidence = json::array();
    for (const auto& e : f.evidence) evidence.push_back(evidence_json(e));
    json decided = json::array();
    for (const auto& d : decided_by(f)) decided.push_back({{"store", to_string(d.store)}, {"detail", d.detail}});
    json finding{{"rule", f.rule->id},
                 {"title", f.rule->title},
                 {"status", to_string(f.status)},
                 {"severity", to_string(f.severity)},
                 {"layer", to_string(f.rule->layer)},
                 {"explanation", f.explanation},
                 {"rationale", f.rule->rationale},
                 {"remediation",
                  {{"summary", f.rule->remediation.summary},
                   {"powershell", f.rule->remediation.powershell},
                   {"group_policy", f.rule->remediation.group_policy}}},
                 {"references", f.rule->references},
                 {"decided_by", std::move(decided)},
                 {"evidence", std::move(evidence)}};
    // Present only on waived findings; "status" keeps the verdict.
    if (f.waiver)
      finding["waiver"] = {{"state", to_string(f.waiver->state)},
                           {"justification", f.waiver->justification},
                           {"expires", f.waiver->expires},
                           {"file", f.waiver->file},
                           {"index", f.waiver->index}};
    findings.push_back(std::move(finding));
  }
  json host = host_json(r.host);
  host["label"] = r.host_label.empty() ? json(nullptr) : json(r.host_label);
  return {{"schema", kReportSchema},
          {"tool", {{"name", "smbaudit"}, {"version", r.tool_version}}},
          {"generated_at", r.generated_at},
          {"rules",
           {{"origin", r.rules_origin},
            {"profile", r.profile},
            {"sha256", r.rules_sha256},
            {"version", r.rules_version ? json(*r.rules_version) : json(nullptr)}}},
          {"host", std::move(host)},
          {"source", {{"kind", r.source.kind}, {"description", r.source.description}}},
          // Moved, not copied: an initializer list copies what it is given as an lvalue.
          {"score",
           {{"overall", score_value(r.score.overall)},
            {"layers", std::move(layers)},
            {"coverage", coverage_json(r.score)}}},
          {"counts", {{"total", counts(r.score.totals)}, {"layers", std::move(layer_counts)}}},
          {"findings", std::move(findings)},
          {"scope_notes", r.scope_notes}};
}

void JsonWriter::write(const Report& report, std::ostream& out) const {
  // Facts from hives or a live host may hold bytes that are not UTF-8 (a REG_SZ is
  // whatever was stored): replace them (U+FFFD) rather than throw and lose the report
  // (dump_json does as nlohmann's dump with error_handler_t::replace).
  out << dump_json(report_to_json(report), 2) << "\n";
}

}  // namespace smbaudit
