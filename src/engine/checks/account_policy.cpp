// Evaluating an "account_policy" check, and whether Windows takes a length above 14 here.
#include <fmt/format.h>

#include "../check_context.h"

namespace smbaudit {
namespace {

// Whether Windows takes a minimum password length above 14 here (kRelaxLengthLimitsKey):
// pass, fail or unknown (the value could not be read), and why not. The value is consulted
// evidence: the remediation plan takes its prior value from it when a fix must set it.
Outcome relax_length_limits(CheckContext& context) {
  const std::string key(kRelaxLengthLimitsKey), name(kRelaxLengthLimitsValue);
  Evidence e{.kind = EvidenceKind::Registry, .path = key, .name = name, .role = EvidenceRole::Consulted};
  auto fact = context.facts().registry_key(key);
  if (!fact) {
    return unreadable(fact.error(), e, key + "\\" + name, context.sink());
  }
  auto value = fact->value(name);
  if (!value) {
    return unreadable(value.error(), e, key + "\\" + name, context.sink());
  }
  Evidence seen =
      *value ? value_evidence(key, *fact, **value, EvidenceRole::Consulted) : absent_value_evidence(key, *fact, name);
  seen.role = EvidenceRole::Consulted;
  context.add(seen);
  if (context.host().build && *context.host().build < kRelaxLengthLimitsFirstBuild)
    return {Status::Fail, fmt::format("only Windows 10 2004 (build {}) and Windows Server 2022 or later take more than "
                                      "14 (this host: build {})",
                                      kRelaxLengthLimitsFirstBuild, *context.host().build)};
  const auto* n = *value && (*value)->type == RegType::Dword ? std::get_if<std::int64_t>(&(*value)->data) : nullptr;
  if (n && *n == 1) return {Status::Pass, ""};
  return {Status::Fail, fmt::format("it takes more than 14 only where {}\\{} is 1 ('Relax minimum password length "
                                    "limits'; here: {})",
                                    key, name, *value ? CheckContext::shown(**value) : std::string("absent"))};
}

}  // namespace

Outcome AccountPolicyCheck::evaluate(CheckContext& context, const Check& check) const {
  Evidence e{.kind = EvidenceKind::Host, .path = "account policy", .name = property};
  auto policy = context.facts().account_policy_fact();
  if (!policy) return unreadable(policy.error(), e, "the account policy", context.sink());
  std::optional<Value> actual;
  if (policy->min_password_length) actual = Value{std::int64_t{*policy->min_password_length}};
  e.presence = actual ? Presence::Present : Presence::Absent;
  e.data = actual.value_or(Value{});
  e.role = EvidenceRole::Decided;
  if (const LayerNote* by = policy->decided_by(property)) e.layer = *by;
  context.add(e);
  const auto relax = relax_length_limits(context);
  // A policy layer (a GPO's [System Access]) that sets a length above 14 takes effect only
  // where Windows allows it; the live value (NetUserModalsGet) is what applied, whatever it took.
  if (e.layer && actual && std::get<std::int64_t>(*actual) > kLegacyMaxPasswordLength && relax.status != Status::Pass)
    return {relax.status,
            fmt::format("{} sets the minimum password length to {}, which Windows {}: {}", layer_phrase(*e.layer),
                        std::get<std::int64_t>(*actual),
                        relax.status == Status::Fail ? "does not apply" : "may not apply", relax.explanation)};
  return context.judge(CheckContext::subject_name(check, "minimum password length"), actual,
                       e.layer ? layer_phrase(*e.layer) : "", op, operand);
}

}  // namespace smbaudit
