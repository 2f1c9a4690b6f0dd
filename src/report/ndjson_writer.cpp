#include "ndjson_writer.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "../core/json_value.h"
#include "render.h"

namespace smbaudit {
namespace {

using json = nlohmann::ordered_json;

json nullable(const auto& optional) {
  return optional ? json(*optional) : json(nullptr);
}

// The fields every record repeats, so each line stands alone in a log platform. Names avoid
// the platforms' own fields: "host" is Splunk's forwarder host and an object in Elastic's ECS.
json common(const Report& r, std::string_view record) {
  const HostFacts& h = r.host;
  return {{"record", record},
          {"schema", kNdjsonSchema},
          {"time", r.generated_at},
          {"host_name", h.name},
          {"host_label", r.host_label.empty() ? json(nullptr) : json(r.host_label)},
          {"domain", nullable(h.domain)},
          {"os_build", nullable(h.build)},
          {"ubr", nullable(h.ubr)},
          {"edition", nullable(h.edition)},
          {"role", h.role ? json(to_string(*h.role)) : json(nullptr)},
          {"profile", r.profile},
          {"tool_version", r.tool_version},
          {"source_kind", r.source.kind}};
}

std::string field_name(Layer layer) {
  std::string name(to_string(layer));
  for (char& c : name)
    if (c == '-') c = '_';
  return name;
}

void line(const json& j, std::ostream& out) {
  out << dump_json(j) << "\n";
}

}  // namespace

void NdjsonWriter::write(const Report& r, std::ostream& out) const {
  json host = common(r, "host");
  host["score"] = nullable(r.score.overall);
  for (const auto& [layer, s] : r.score.layers) host["score_" + field_name(layer)] = nullable(s.score);
  const LayerScore& t = r.score.totals;
  int waived = 0, expired = 0;
  for (const auto& f : r.findings) {
    waived += f.waived() ? 1 : 0;
    expired += f.waiver && !f.waived() ? 1 : 0;
  }
  const Coverage covered = coverage(t);
  host["rules"] = r.findings.size();
  host["rules_scored"] = covered.scored;
  host["rules_applicable"] = covered.applicable;
  host["coverage"] = nullable(covered.percent());
  host["pass"] = t.passed;
  host["fail"] = t.failed;
  host["unknown"] = t.unknown;
  host["error"] = t.error;
  host["not_applicable"] = t.not_applicable;
  // A count, so not "waived": finding records use that name for a boolean, and a log
  // platform maps one type per field name (earlier releases named this count "waived").
  host["waived_findings"] = waived;
  host["expired_waivers"] = expired;
  line(host, out);

  for (const auto& f : r.findings) {
    json j = common(r, "finding");
    j["rule"] = f.rule->id;
    j["title"] = f.rule->title;
    j["layer"] = to_string(f.rule->layer);
    j["severity"] = to_string(f.severity);
    j["status"] = to_string(f.status);
    j["waived"] = f.waived();
    j["waiver_state"] = f.waiver ? json(to_string(f.waiver->state)) : json(nullptr);
    j["waiver_expires"] = f.waiver ? json(f.waiver->expires) : json(nullptr);
    j["waiver_justification"] = f.waiver ? json(f.waiver->justification) : json(nullptr);
    j["explanation"] = f.explanation;
    std::vector<std::string> decided;
    for (const auto& d : decided_by(f)) decided.push_back(fmt::format("{}: {}", to_string(d.store), d.detail));
    j["decided_by"] = join(decided, "; ");
    j["location"] = primary_location(*f.rule);
    std::string evidence;
    for (const auto& e : f.evidence) evidence += (evidence.empty() ? "" : "; ") + evidence_line(e);
    j["evidence"] = evidence;
    j["remediation"] = f.rule->remediation.summary;
    j["fingerprint"] = finding_fingerprint(f, stable_host_name(r));
    line(j, out);
  }
}

}  // namespace smbaudit
