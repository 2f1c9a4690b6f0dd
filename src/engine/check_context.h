// What a check kind's evaluation (Kind::evaluate, src/engine/checks/<kind>.cpp) may use: the
// host, the facts, the rule's parameters, and one place to record evidence and the steps
// `explain` shows. Never an operating-system API.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "outcome.h"
#include "smbaudit/engine.h"

namespace smbaudit {

[[nodiscard]] Status status_of(FactProblem problem);
[[nodiscard]] Readability readability_of(FactProblem problem);

// The value a setting resolved to, and what decided it.
struct Resolved {
  std::optional<Value> value;
  std::string decided_by;
  // No value because every source that could have one cannot be known here (offline, no such
  // WMI namespace): the explanation says so rather than "absent (not set)".
  bool unknowable = false;
};

class CheckContext {
 public:
  CheckContext(const HostFacts& host, const FactSet& facts, const std::map<std::string, Value>& parameters,
               const Rule& rule, std::vector<TraceStep>* trace)
      : host_(host), facts_(facts), parameters_(parameters), rule_(rule), trace_(trace) {}

  [[nodiscard]] const HostFacts& host() const { return host_; }
  [[nodiscard]] const FactSet& facts() const { return facts_; }

  // Evaluates a check (a rule's, or a composite's part), traced as one step with its verdict.
  Outcome eval(const Check& check);
  [[nodiscard]] std::vector<Evidence> take_evidence() { return std::move(evidence_); }

  // A step inside the check being evaluated: a source read, a default chosen.
  void note(std::string text);
  // Records evidence once: the same fact read by two parts is one entry, decided if either decided.
  void add(Evidence e);
  [[nodiscard]] EvidenceSink sink();

  // The operand's value: the literal, or the parameter as the profile sets it (else its default).
  [[nodiscard]] Value operand_value(const Operand& operand) const;
  // Compares what was found with what the operand expects; the text says both. `missing` is
  // how an absent value reads ("absent", or why it cannot be known here).
  Outcome judge(const std::string& subject, const std::optional<Value>& actual, const std::string& decided_by, Op op,
                const Operand& operand, std::string (*show)(const Value&) = &describe,
                const std::string& missing = "absent");
  // The check's label, or `fallback` when it has none.
  [[nodiscard]] static std::string subject_name(const Check& check, const std::string& fallback);
  // Resolves a setting through its sources and defaults; an Outcome means it could not be resolved.
  std::variant<Resolved, Outcome> resolve(const Setting& setting);

  // "1 (REG_DWORD)".
  [[nodiscard]] static std::string shown(const RegValue& v);
  // True for a check of host facts only (build, UBR, edition, role, membership).
  [[nodiscard]] static bool host_only(const Check& check);
  // "OS build 26100, update build revision 2000": the host facts a host-only check looked at.
  [[nodiscard]] std::string host_facts_seen(const Check& check) const;

 private:
  void note_shadowed(const Setting& setting, std::size_t from);

  const HostFacts& host_;
  const FactSet& facts_;
  const std::map<std::string, Value>& parameters_;
  const Rule& rule_;
  std::vector<TraceStep>* trace_;
  int depth_ = 0;
  std::vector<Evidence> evidence_;
};

}  // namespace smbaudit
