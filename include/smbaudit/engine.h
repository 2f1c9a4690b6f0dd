// Evaluation: rules plus facts in, findings with evidence and scores out.
// Never calls an operating-system API.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "smbaudit/facts.h"
#include "smbaudit/report.h"
#include "smbaudit/rule.h"
#include "smbaudit/rule_loader.h"

namespace smbaudit {

// Severity weights for scoring; info counts zero so it never moves the score.
[[nodiscard]] int severity_weight(Severity severity);

// The rules a profile selects, with --only / --skip applied; unknown ids in only/skip are errors.
// A rule named in --only is evaluated even when the profile does not select it (a user who
// names a rule wants it evaluated); `outside_profile` lists those so the caller can say so.
// Each selected rule is a copy whose title and fix texts show the parameters in effect
// (with_parameters), so every writer shows what this run required.
struct Selection {
  std::vector<const Rule*> rules;  // into `resolved`, in pack order
  std::map<std::string, std::map<std::string, Value>> parameters;
  std::map<std::string, Severity> severities;
  std::vector<std::shared_ptr<const Rule>> resolved;
  std::vector<std::string> outside_profile;  // --only ids the profile does not select
};
[[nodiscard]] Expected<Selection, std::string> select_rules(const RulePack& pack, const Profile* profile,
                                                            const std::vector<std::string>& only,
                                                            const std::vector<std::string>& skip);

// Evaluates one rule against collected facts.
[[nodiscard]] Finding evaluate(const Rule& rule, const HostFacts& host, const FactSet& facts,
                               const std::map<std::string, Value>& parameters);

// One step of an evaluation, for `smbaudit explain`: a check and its verdict, or what a
// source read found (status nullopt). depth nests steps under the check they belong to.
struct TraceStep {
  int depth = 0;
  std::string text;
  std::optional<Status> status;
};

// Evaluates like `evaluate`, and when `trace` is given appends every step to it.
[[nodiscard]] Finding evaluate_traced(const Rule& rule, const HostFacts& host, const FactSet& facts,
                                      const std::map<std::string, Value>& parameters, std::vector<TraceStep>* trace);

// Scores findings per layer and overall, weighted by severity, over pass and fail only.
[[nodiscard]] Score score(const std::vector<Finding>& findings);

// Evaluates every selected rule and scores the result.
[[nodiscard]] Report build_report(const Selection& selection, const HostFacts& host, const FactSet& facts);

// Marks each fail, unknown or error finding that a waiver in `waivers` covers (same rule,
// host name matching one of its globs). A waiver past its expiry date (`today` is
// YYYY-MM-DD, UTC) is recorded as Expired so the report can say it no longer applies; an
// active waiver wins over an expired one. Statuses and scores are left as they are.
void apply_waivers(Report& report, const WaiverList& waivers, std::string_view today);

// The report for a host nothing could be collected from (unreachable, timed out): every
// selected rule is `error`, with the failure as its evidence.
[[nodiscard]] Report build_failed_report(const Selection& selection, const HostFacts& host, const std::string& failure);

}  // namespace smbaudit
