#include "json_writer.h"

#include <nlohmann/json.hpp>

#include "../core/json_value.h"

namespace smbaudit {
namespace {

// The document is streamed through JsonOut, not built: a report is most of a run's output
// and building it as a document first was a third of writing it. Key order is the format's
// (docs/report-format.md); the golden files check it byte for byte.

void score_value(JsonOut& out, const std::optional<double>& s) {
  if (s)
    out.value(*s);
  else
    out.value(nullptr);
}

void counts(JsonOut& out, const LayerScore& s) {
  out.begin_object()
      .member("pass", s.passed)
      .member("fail", s.failed)
      .member("not_applicable", s.not_applicable)
      .member("unknown", s.unknown)
      .member("error", s.error)
      .end_object();
}

void evidence_json(JsonOut& out, const Evidence& e) {
  out.begin_object().member("kind", to_string(e.kind));
  switch (e.kind) {
    case EvidenceKind::Registry:
      out.member("path", e.path).key("name");
      if (e.name.empty())
        out.value(nullptr);
      else
        out.value(e.name);
      break;
    case EvidenceKind::Service: out.member("name", e.path); break;
    case EvidenceKind::Wmi: out.member("path", e.path).member("name", e.name); break;
    case EvidenceKind::Host: out.member("name", e.path); break;
    case EvidenceKind::Default: out.member("condition", e.path); break;
  }
  if (e.readability != Readability::Read) {
    out.member("status", e.readability == Readability::Unknown ? "unknown" : "error").member("message", e.note);
  } else if (e.kind != EvidenceKind::Default) {
    out.member("present", e.presence == Presence::Present);
  }
  if (e.type) out.member("type", to_string(*e.type));
  if (e.kind == EvidenceKind::Service) {
    out.key("start_type");
    if (e.start_type)
      out.value(to_string(*e.start_type));
    else
      out.value(nullptr);
    out.key("state");
    if (e.state)
      out.value(to_string(*e.state));
    else
      out.value(nullptr);
  } else if (e.readability == Readability::Read &&
             (e.presence == Presence::Present || e.kind == EvidenceKind::Default)) {
    out.member("data", value_to_json(e.data));
  }
  if (!e.origin.empty()) out.member("origin", e.origin);
  // Only where a layer over the source (a GPO...) decided the fact: which, what it did, where.
  if (e.layer)
    out.key("layer")
        .begin_object()
        .member("name", e.layer->origin.layer)
        .member("action", to_string(e.layer->action))
        .member("location", e.layer->origin.location)
        .end_object();
  if (e.kind == EvidenceKind::Default && !e.note.empty()) out.member("note", e.note);
  out.member("decided", e.role == EvidenceRole::Decided).end_object();
}

template <typename T>
void optional_member(JsonOut& out, std::string_view name, const std::optional<T>& v) {
  out.key(name);
  if (v)
    out.value(*v);
  else
    out.value(nullptr);
}

void host_json(JsonOut& out, const HostFacts& h, const std::string& label) {
  out.begin_object().member("name", h.name);
  optional_member(out, "os_build", h.build);
  optional_member(out, "ubr", h.ubr);
  optional_member(out, "edition", h.edition);
  optional_member(out, "product_name", h.product_name);
  optional_member(out, "role", h.role ? std::optional(to_string(*h.role)) : std::nullopt);
  optional_member(out, "domain_joined",
                  h.membership ? std::optional(*h.membership == Membership::Domain) : std::nullopt);
  optional_member(out, "domain", h.domain);
  optional_member(out, "collected_at", h.collected_at);
  optional_member(out, "elevated", h.elevation ? std::optional(*h.elevation == Elevation::Elevated) : std::nullopt);
  // Only when a source said why a property above is null.
  if (!h.unknown_reasons.empty()) {
    out.key("unknown_reasons").begin_object();
    for (const auto& [field, why] : h.unknown_reasons) out.member(field, why);
    out.end_object();
  }
  optional_member(out, "label", label.empty() ? std::nullopt : std::optional(label));
  out.end_object();
}

void coverage_json(JsonOut& out, const Score& score) {
  const Coverage c = coverage(score.totals);
  out.begin_object().member("scored", c.scored).member("applicable", c.applicable).key("percent");
  score_value(out, c.percent());
  out.end_object();
}

void finding_json(JsonOut& out, const Finding& f) {
  out.begin_object()
      .member("rule", f.rule->id)
      .member("title", f.rule->title)
      .member("status", to_string(f.status))
      .member("severity", to_string(f.severity))
      .member("layer", to_string(f.rule->layer))
      .member("explanation", f.explanation)
      .member("rationale", f.rule->rationale)
      .key("remediation")
      .begin_object()
      .member("summary", f.rule->remediation.summary)
      .member("powershell", f.rule->remediation.powershell)
      .member("group_policy", f.rule->remediation.group_policy)
      .end_object()
      .key("references")
      .strings(f.rule->references)
      .key("decided_by")
      .begin_array();
  for (const auto& d : decided_by(f))
    out.begin_object().member("store", to_string(d.store)).member("detail", d.detail).end_object();
  out.end_array().key("evidence").begin_array();
  for (const auto& e : f.evidence) evidence_json(out, e);
  out.end_array();
  // Present only on waived findings; "status" keeps the verdict.
  if (f.waiver)
    out.key("waiver")
        .begin_object()
        .member("state", to_string(f.waiver->state))
        .member("justification", f.waiver->justification)
        .member("expires", f.waiver->expires)
        .member("file", f.waiver->file)
        .member("index", f.waiver->index)
        .end_object();
  out.end_object();
}

void report_json(JsonOut& out, const Report& r) {
  out.begin_object()
      .member("schema", kReportSchema)
      .key("tool")
      .begin_object()
      .member("name", "smbaudit")
      .member("version", r.tool_version)
      .end_object()
      .member("generated_at", r.generated_at)
      .key("rules")
      .begin_object()
      .member("origin", r.rules_origin)
      .member("profile", r.profile)
      .member("sha256", r.rules_sha256);
  optional_member(out, "version", r.rules_version);
  out.end_object().key("host");
  host_json(out, r.host, r.host_label);
  out.key("source")
      .begin_object()
      .member("kind", r.source.kind)
      .member("description", r.source.description)
      .end_object()
      .key("score")
      .begin_object()
      .key("overall");
  score_value(out, r.score.overall);
  out.key("layers").begin_object();
  for (const auto& [layer, s] : r.score.layers) {
    out.key(to_string(layer));
    score_value(out, s.score);
  }
  out.end_object().key("coverage");
  coverage_json(out, r.score);
  out.end_object().key("counts").begin_object().key("total");
  counts(out, r.score.totals);
  out.key("layers").begin_object();
  for (const auto& [layer, s] : r.score.layers) {
    out.key(to_string(layer));
    counts(out, s);
  }
  out.end_object().end_object().key("findings").begin_array();
  for (const auto& f : r.findings) finding_json(out, f);
  out.end_array().key("scope_notes").strings(r.scope_notes).end_object();
}

}  // namespace

nlohmann::ordered_json report_to_json(const Report& report) {
  JsonOut out;
  report_json(out, report);
  return nlohmann::ordered_json::parse(out.text());
}

void JsonWriter::write(const Report& report, std::ostream& out) const {
  // Facts from hives or a live host may hold bytes that are not UTF-8 (a REG_SZ is
  // whatever was stored): JsonOut replaces them (U+FFFD), as nlohmann's dump with
  // error_handler_t::replace does, rather than throw and lose the report.
  JsonOut json(2);
  report_json(json, report);
  out << json.text() << "\n";
}

}  // namespace smbaudit
