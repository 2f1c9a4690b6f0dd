// Evaluating one rule on one host: applicability, then its check through the kind's own
// evaluate (src/engine/checks/), with the evidence and the trace explain prints.
#include <array>

#include "../core/enum_names.h"
#include "check_context.h"
#include "conditions.h"
#include "smbaudit/engine.h"

namespace smbaudit {
namespace {

constexpr std::array<std::pair<EvidenceKind, std::string_view>, 5> kEvidenceKinds{{
    {EvidenceKind::Registry, "registry"},
    {EvidenceKind::Service, "service"},
    {EvidenceKind::Wmi, "wmi"},
    {EvidenceKind::Host, "host"},
    {EvidenceKind::Default, "default"},
}};

constexpr std::array<std::pair<Status, std::string_view>, 5> kStatuses{{
    {Status::Pass, "pass"},
    {Status::Fail, "fail"},
    {Status::NotApplicable, "not_applicable"},
    {Status::Unknown, "unknown"},
    {Status::Error, "error"},
}};

}  // namespace

std::string_view to_string(Status status) {
  return name_of(kStatuses, status);
}
std::optional<Status> status_from_string(std::string_view name) {
  return value_of(kStatuses, name);
}

std::string_view to_string(EvidenceKind kind) {
  return name_of(kEvidenceKinds, kind);
}
std::optional<EvidenceKind> evidence_kind_from_string(std::string_view name) {
  return value_of(kEvidenceKinds, name);
}

Finding evaluate(const Rule& rule, const HostFacts& host, const FactSet& facts,
                 const std::map<std::string, Value>& parameters) {
  return evaluate_traced(rule, host, facts, parameters, nullptr);
}

Finding evaluate_traced(const Rule& rule, const HostFacts& host, const FactSet& facts,
                        const std::map<std::string, Value>& parameters, std::vector<TraceStep>* trace) {
  Finding f;
  f.rule = &rule;
  f.severity = rule.severity;
  const MatchResult applicable = matches(rule.applies_to, host);
  if (trace && !rule.applies_to.empty())
    trace->push_back(TraceStep{0,
                               applicable.match == Match::Yes
                                   ? "applies to this host (" + describe(rule.applies_to) + ")"
                               : applicable.match == Match::No ? "does not apply: " + applicable.reason
                                                               : "cannot tell whether it applies: " + applicable.reason,
                               std::nullopt});
  if (applicable.match == Match::No) {
    f.status = Status::NotApplicable;
    f.explanation = applicable.reason;
    return f;
  }
  if (applicable.match == Match::Unknown) {
    f.status = Status::Unknown;
    f.explanation = "cannot tell whether the rule applies: " + applicable.reason;
    return f;
  }
  CheckContext evaluator(host, facts, parameters, rule, trace);
  Outcome o = evaluator.eval(rule.check);
  f.status = o.status;
  f.explanation = std::move(o.explanation);
  f.evidence = evaluator.take_evidence();
  return f;
}

}  // namespace smbaudit
