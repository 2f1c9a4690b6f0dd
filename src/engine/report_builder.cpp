// Building a host's report: every selected rule evaluated, severities applied, scored.
#include "smbaudit/engine.h"

namespace smbaudit {

Report build_report(const Selection& selection, const HostFacts& host, const FactSet& facts) {
  Report report;
  report.host = host;
  report.rules = selection.resolved;
  static const std::map<std::string, Value> kNone;
  for (const Rule* rule : selection.rules) {
    auto params = selection.parameters.find(rule->id);
    Finding f = evaluate(*rule, host, facts, params == selection.parameters.end() ? kNone : params->second);
    if (auto sev = selection.severities.find(rule->id); sev != selection.severities.end()) f.severity = sev->second;
    report.findings.push_back(std::move(f));
  }
  report.score = score(report.findings);
  return report;
}

Report build_failed_report(const Selection& selection, const HostFacts& host, const std::string& failure) {
  Report report;
  report.host = host;
  report.rules = selection.resolved;
  const Evidence cause{.kind = EvidenceKind::Host,
                       .path = "collection",
                       .readability = Readability::Error,
                       .role = EvidenceRole::Decided,
                       .note = failure};
  for (const Rule* rule : selection.rules) {
    Finding f{.rule = rule,
              .severity = rule->severity,
              .status = Status::Error,
              .explanation = "collection failed: " + failure,
              .evidence = {cause}};
    if (auto sev = selection.severities.find(rule->id); sev != selection.severities.end()) f.severity = sev->second;
    report.findings.push_back(std::move(f));
  }
  report.score = score(report.findings);
  return report;
}

}  // namespace smbaudit
