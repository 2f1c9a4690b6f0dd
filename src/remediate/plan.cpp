#include "plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "../core/json_value.h"
#include "../engine/conditions.h"
#include "../report/render.h"

namespace smbaudit {
namespace {

// What the report observed, rebuilt as facts: host facts from its host, registry values and
// services from its evidence. Anything no evidence shows reads as Unknown (never absent),
// except values of an observed key, which read as absent.
struct Observations {
  HostFacts host;
  FactSet facts;
};

std::string value_id(std::string_view key, std::string_view name) {
  return fmt::format("{}\\{}", key, name);
}

// What the report says a registry value was before the fix.
enum class PriorKind { Present, Absent, NotObserved, Unreadable };
struct Prior {
  PriorKind kind = PriorKind::NotObserved;
  RegValue value;
  std::string message;
};

// Evidence data as the registry holds it: binary data travels as hex text in the report.
Value typed_data(RegType type, const Value& data) {
  if ((type == RegType::Binary || type == RegType::Other) && std::holds_alternative<std::string>(data))
    if (auto bytes = reg_data_from_json(type, value_to_json(data))) return *bytes;
  return data;
}

class ObservationBuilder {
 public:
  explicit ObservationBuilder(const ReadReport& report) {
    HostFacts& h = obs_.host;
    h.name = report.host_name;
    h.build = report.os_build;
    h.ubr = report.ubr;
    h.edition = report.edition;
    h.role = report.role;
    h.membership = report.membership;
    h.domain = report.domain;
    for (const auto& f : report.findings)
      for (const auto& e : f.evidence) add(e);
  }

  const Observations& get() const { return obs_; }

  [[nodiscard]] Prior prior(const std::string& key, const std::string& name) const {
    auto it = obs_.facts.registry.find(key);
    if (it == obs_.facts.registry.end()) return {PriorKind::NotObserved, {}, ""};
    if (!it->second) return {PriorKind::Unreadable, {}, it->second.error().message};
    if (const RegValue* v = it->second->find(name)) return {PriorKind::Present, *v, ""};
    if (it->second->presence == Presence::Absent || seen_.count(value_id(key, name)))
      return {PriorKind::Absent, {}, ""};
    return {PriorKind::NotObserved, {}, ""};
  }

 private:
  void add(const ReadEvidence& e) {
    if (e.kind == EvidenceKind::Registry) {
      auto key = normalize_registry_path(e.path);
      if (!key) return;
      // A key first seen through a value is taken as present; only a key check says it is absent.
      auto& slot = obs_.facts.registry.try_emplace(*key, RegistryKeyFact{Presence::Present, {}, ""}).first->second;
      if (e.readability != Readability::Read) {
        slot = Unexpected(
            FactError{e.readability == Readability::Unknown ? FactProblem::Unknown : FactProblem::Error, e.message});
        return;
      }
      if (!slot) return;  // another reading of this key failed: the key stays unreadable
      if (e.name.empty()) {
        // A key check: its presence is what was observed.
        if (e.present == false && slot->values.empty()) slot->presence = Presence::Absent;
        return;
      }
      seen_.insert(value_id(*key, e.name));
      if (e.present != true) return;
      slot->presence = Presence::Present;
      if (slot->find(e.name)) return;
      const RegType type = e.type.value_or(RegType::Other);
      slot->values.push_back(RegValue{e.name, type, typed_data(type, e.data.value_or(Value{}))});
    } else if (e.kind == EvidenceKind::Host && e.name == "account policy") {  // its one property: min_password_length
      if (e.readability != Readability::Read) {
        obs_.facts.account_policy = Unexpected(
            FactError{e.readability == Readability::Unknown ? FactProblem::Unknown : FactProblem::Error, e.message});
        return;
      }
      AccountPolicyFact policy;
      if (const auto* n = e.data ? std::get_if<std::int64_t>(&*e.data) : nullptr; n && e.present == true)
        policy.min_password_length = static_cast<int>(*n);
      obs_.facts.account_policy = policy;
    } else if (e.kind == EvidenceKind::Service) {
      auto& slot = obs_.facts.services.try_emplace(e.name, ServiceFact{}).first->second;
      if (e.readability != Readability::Read) {
        slot = Unexpected(
            FactError{e.readability == Readability::Unknown ? FactProblem::Unknown : FactProblem::Error, e.message});
        return;
      }
      ServiceFact s;
      s.presence = e.present == true ? Presence::Present : Presence::Absent;
      s.start_type = e.start_type;
      s.state = e.state;
      slot = s;
    }
  }

  Observations obs_;
  std::set<std::string, ILess> seen_;  // registry values some evidence looked at
};

// True when the rollback can write the value back exactly as it was.
bool restorable(const RegValue& v) {
  switch (v.type) {
    case RegType::Dword:
    case RegType::Qword: return std::holds_alternative<std::int64_t>(v.data);
    case RegType::Sz:
    case RegType::ExpandSz: return std::holds_alternative<std::string>(v.data);
    case RegType::MultiSz: return std::holds_alternative<StringList>(v.data);
    case RegType::Binary: return std::holds_alternative<Bytes>(v.data);
    case RegType::Other: return false;  // REG_NONE, REG_LINK...: the report does not say which
  }
  return false;
}

std::map<std::string, Value> effective_parameters(const Rule& rule, const RuleParameters& overrides) {
  std::map<std::string, Value> out;
  for (const auto& p : rule.parameters) out[p.name] = p.default_value;
  if (auto it = overrides.find(rule.id); it != overrides.end())
    for (const auto& [name, v] : it->second) out[name] = v;
  return out;
}

struct Candidate {
  const ReadFinding* finding;
  const Rule* rule;
  std::map<std::string, Value> parameters;
  std::vector<RegistryChange> registry;
  std::vector<ServiceChange> services;
  std::vector<AccountPolicyChange> account_policy;
};

ManualStep manual_step(const ReadFinding& f, const Rule* rule, std::string why) {
  ManualStep m{f.rule, f.title, f.severity, std::move(why), f.remediation_summary, f.remediation_group_policy};
  if (rule) {
    m.summary = rule->remediation.summary;
    m.group_policy = rule->remediation.group_policy;
  }
  return m;
}

class Planner {
 public:
  Planner(const ReadReport& report, const RulePack& pack, const RuleParameters& parameters, WaivedFindings waived)
      : report_(report), pack_(pack), parameters_(parameters), waived_(waived), observed_(report) {}

  RemediationPlan run() {
    plan_.host = report_.host_name;
    plan_.host_details = host_summary(observed_.get().host);
    if (plan_.host_details.empty()) plan_.host_details = "host facts unknown";
    plan_.report_time = report_.generated_at;
    plan_.profile = report_.profile;
    plan_.tool_version = report_.tool_version;
    plan_.source_kind = report_.source_kind;
    std::vector<Candidate> candidates;
    for (const auto& f : report_.findings) {
      if (f.waived() && f.status != Status::Pass && f.status != Status::NotApplicable) {
        if (waived_ == WaivedFindings::Leave) {
          plan_.waived.push_back(WaivedStep{f.rule, f.title, f.severity, f.waiver_justification, f.waiver_expires});
          continue;
        }
        plan_.included_waived.push_back(f.rule);
      }
      if (f.status == Status::Unknown || f.status == Status::Error) plan_.not_evaluated.emplace_back(f.rule, f.status);
      if (f.status != Status::Fail) continue;
      if (auto c = candidate(f)) candidates.push_back(std::move(*c));
    }
    drop_conflicts(candidates);
    verify(candidates);
    emit(candidates);
    return std::move(plan_);
  }

 private:
  std::optional<Candidate> candidate(const ReadFinding& f) {
    const Rule* in_pack = pack_.find(f.rule);
    if (!in_pack) {
      plan_.manual.push_back(manual_step(f, nullptr, "the rule is not in the rule pack used for remediation"));
      return std::nullopt;
    }
    // Its texts (title, summary, Group Policy, caution) with the profile's values, as the report showed them.
    const Rule* rule =
        &resolved_.try_emplace(in_pack->id, with_parameters(*in_pack, effective_parameters(*in_pack, parameters_)))
             .first->second;
    const Remediation& fix = rule->remediation;
    if (!fix.automatic()) {
      plan_.manual.push_back(
          manual_step(f, rule, fix.manual.empty() ? "the rule declares no automatic fix" : fix.manual));
      return std::nullopt;
    }
    Candidate c{&f, rule, effective_parameters(*rule, parameters_), {}, {}, {}};
    const HostFacts& host = observed_.get().host;
    bool applies = false;
    std::optional<std::string> needs_update;  // a value skipped because this build does not read it yet
    for (const auto& entry : fix.registry) {
      const MatchResult m = matches(entry.when, host);
      if (m.match == Match::Unknown)
        return refuse(f, rule, "cannot tell whether this host reads " + entry.key + ": " + m.reason);
      if (m.match == Match::No) {
        if (entry.when.min_build || entry.when.min_version) needs_update = describe(entry.when);
        continue;
      }
      const bool wanted = std::all_of(entry.when_parameters.begin(), entry.when_parameters.end(),
                                      [&](const auto& p) { return c.parameters[p.first] == p.second; });
      if (!wanted) continue;
      std::vector<std::string> names{entry.value};
      if (entry.value_parameter) {
        const auto* list = std::get_if<StringList>(&c.parameters[*entry.value_parameter]);
        names = list ? *list : StringList{};
      }
      const Value data = entry.data.parameter ? c.parameters[*entry.data.parameter] : entry.data.literal;
      for (const auto& name : names) {
        applies = true;
        const Prior prior = observed_.prior(entry.key, name);
        const std::string where = value_id(entry.key, name);
        switch (prior.kind) {
          case PriorKind::Unreadable:
            return refuse(
                f, rule,
                fmt::format("the audit could not read {} ({}), so there is no exact rollback", where, prior.message));
          case PriorKind::NotObserved:
            return refuse(
                f, rule,
                fmt::format("the report does not show {} before the fix, so there is no exact rollback", where));
          case PriorKind::Absent:
            if (entry.scope == FixScope::OnlyIfSet) continue;
            c.registry.push_back(RegistryChange{entry.key, name, entry.type, data, std::nullopt, rule->id});
            break;
          case PriorKind::Present:
            if (prior.value.type == entry.type && prior.value.data == data) continue;
            if (!restorable(prior.value))
              return refuse(f, rule,
                            fmt::format("{} holds {} data that a rollback cannot write back", where,
                                        to_string(prior.value.type)));
            c.registry.push_back(RegistryChange{entry.key, name, entry.type, data, prior.value, rule->id});
            break;
        }
      }
    }
    for (const auto& entry : fix.services) {
      applies = true;
      auto it = observed_.get().facts.services.find(entry.service);
      if (it == observed_.get().facts.services.end())
        return refuse(f, rule, "the report does not show service " + entry.service + " before the fix");
      if (!it->second)
        return refuse(
            f, rule,
            fmt::format("the audit could not query service {} ({})", entry.service, it->second.error().message));
      if (it->second->presence == Presence::Absent) continue;
      if (!it->second->start_type)
        return refuse(f, rule, "the report does not show service " + entry.service + "'s start type");
      if (*it->second->start_type == entry.start_type) {
        if (entry.start_type == StartType::Disabled && it->second->state == ServiceState::Running)
          return refuse(f, rule,
                        fmt::format("service {} is already disabled but still running: stop it (Stop-Service {}) or "
                                    "restart the computer, then audit again",
                                    entry.service, entry.service));
        continue;
      }
      c.services.push_back(
          ServiceChange{entry.service, entry.start_type, *it->second->start_type, rule->id, it->second->state});
    }
    for (const auto& entry : fix.account_policy) {
      applies = true;
      const Value wanted = entry.value.parameter ? c.parameters[*entry.value.parameter] : entry.value.literal;
      const auto* value = std::get_if<std::int64_t>(&wanted);
      if (!value) return refuse(f, rule, "the fix's " + entry.setting + " is not a number");
      if (host.role == Role::DomainController)
        return refuse(f, rule,
                      "on a domain controller the account policy is the domain's: set it in the Default Domain "
                      "Policy (Account Policies > Password Policy), not on one controller");
      const auto& policy = observed_.get().facts.account_policy;
      if (!policy) return refuse(f, rule, "the report does not show the account policy before the fix");
      if (!*policy)
        return refuse(f, rule,
                      fmt::format("the audit could not read the account policy ({})", policy->error().message));
      if (!(*policy)->min_password_length)
        return refuse(f, rule,
                      "the report does not show " + entry.setting + " before the fix, so there is no exact rollback");
      if (*(*policy)->min_password_length == *value) continue;
      if (*value > kLegacyMaxPasswordLength) {
        // Windows takes more than 14 only with "Relax minimum password length limits" set,
        // and only from build 19041 on (kRelaxLengthLimitsKey); the fix sets it first.
        if (!host.build)
          return refuse(f, rule,
                        "the report does not show the Windows build, which decides whether a minimum "
                        "password length above 14 is possible");
        if (*host.build < kRelaxLengthLimitsFirstBuild)
          return refuse(f, rule,
                        fmt::format("Windows takes a minimum password length above 14 only from build {} (Windows 10 "
                                    "2004, Windows Server 2022); this host is {}: update Windows, or set the "
                                    "rule's min_length to 14 in a profile",
                                    kRelaxLengthLimitsFirstBuild, plan_.host_details));
        const std::string key(kRelaxLengthLimitsKey), name(kRelaxLengthLimitsValue);
        const RegValue relax{name, RegType::Dword, std::int64_t{1}};
        const Prior prior = observed_.prior(key, name);
        if (prior.kind == PriorKind::Unreadable || prior.kind == PriorKind::NotObserved)
          return refuse(f, rule,
                        fmt::format("the report does not show {} before the fix, so there is no exact rollback",
                                    value_id(key, name)));
        if (prior.kind == PriorKind::Absent)
          c.registry.push_back(RegistryChange{key, name, relax.type, relax.data, std::nullopt, rule->id});
        else if (prior.value.type != relax.type || prior.value.data != relax.data) {
          if (!restorable(prior.value))
            return refuse(f, rule,
                          fmt::format("{} holds {} data that a rollback cannot write back", value_id(key, name),
                                      to_string(prior.value.type)));
          c.registry.push_back(RegistryChange{key, name, relax.type, relax.data, prior.value, rule->id});
        }
      }
      c.account_policy.push_back(AccountPolicyChange{entry.setting, *value, *(*policy)->min_password_length, rule->id});
    }
    if (!applies && needs_update)
      return refuse(f, rule,
                    fmt::format("Windows reads the values this fix writes only on {}, and this host is {}: update "
                                "Windows first (the latest cumulative update), then audit again",
                                *needs_update, plan_.host_details));
    if (!applies) return refuse(f, rule, fmt::format("no automatic fix applies to this host ({})", plan_.host_details));
    if (c.registry.empty() && c.services.empty() && c.account_policy.empty()) {
      // Nothing to write. The observations hold no WMI, so a pass here means only the running
      // configuration disagrees with the registry.
      const Finding r = evaluate(*rule, host, observed_.get().facts, c.parameters);
      if (r.status == Status::Pass)
        return refuse(f, rule,
                      "the registry already holds every value the fix writes, but the running configuration "
                      "does not: restart the service or the computer, then re-audit");
      return refuse(f, rule,
                    fmt::format("the registry already holds every value the fix writes, and the rule still fails "
                                "({}): {}",
                                to_string(r.status), r.explanation));
    }
    return c;
  }

  std::optional<Candidate> refuse(const ReadFinding& f, const Rule* rule, std::string why) {
    plan_.manual.push_back(manual_step(f, rule, std::move(why)));
    return std::nullopt;
  }

  // Two rules that want different data in one value cannot both be applied: neither is.
  void drop_conflicts(std::vector<Candidate>& candidates) {
    std::set<std::size_t> dropped;
    std::map<std::size_t, std::string> why;
    for (std::size_t i = 0; i < candidates.size(); ++i)
      for (std::size_t j = i + 1; j < candidates.size(); ++j)
        for (const auto& a : candidates[i].registry)
          for (const auto& b : candidates[j].registry)
            if (iequals(a.key, b.key) && iequals(a.name, b.name) && (a.type != b.type || a.data != b.data)) {
              dropped.insert(i);
              dropped.insert(j);
              why[i] = fmt::format("its fix and rule '{}' write different data to {}", candidates[j].rule->id,
                                   value_id(a.key, a.name));
              why[j] = fmt::format("its fix and rule '{}' write different data to {}", candidates[i].rule->id,
                                   value_id(a.key, a.name));
            }
    remove(candidates, dropped, why);
  }

  // Re-evaluates every rule with all changes applied until each remaining one passes.
  void verify(std::vector<Candidate>& candidates) {
    for (bool changed = true; changed;) {
      changed = false;
      FactSet after = observed_.get().facts;
      for (const auto& c : candidates) apply_changes(after, c.registry, c.services, c.account_policy);
      std::set<std::size_t> dropped;
      std::map<std::size_t, std::string> why;
      for (std::size_t i = 0; i < candidates.size(); ++i) {
        const Finding r = evaluate(*candidates[i].rule, observed_.get().host, after, candidates[i].parameters);
        if (r.status == Status::Pass) continue;
        dropped.insert(i);
        why[i] = fmt::format("the fix would not make the rule pass on what the audit saw ({}: {})", to_string(r.status),
                             r.explanation);
      }
      changed = !dropped.empty();
      remove(candidates, dropped, why);
    }
  }

  void remove(std::vector<Candidate>& candidates, const std::set<std::size_t>& dropped,
              std::map<std::size_t, std::string>& why) {
    std::vector<Candidate> kept;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (dropped.count(i))
        plan_.manual.push_back(manual_step(*candidates[i].finding, candidates[i].rule, why[i]));
      else
        kept.push_back(std::move(candidates[i]));
    }
    candidates = std::move(kept);
  }

  void emit(std::vector<Candidate>& candidates) {
    std::stable_partition(candidates.begin(), candidates.end(),
                          [](const Candidate& c) { return !c.rule->remediation.caution.empty(); });
    std::set<std::string, ILess> made;
    for (auto& c : candidates) {
      RuleFix fix{c.rule->id,
                  c.rule->title,
                  c.finding->severity,
                  c.rule->remediation.caution,
                  c.rule->remediation.summary,
                  c.rule->remediation.group_policy,
                  {},
                  {},
                  {},
                  {}};
      // A change two rules need is made once, by the first; the later one lists it as shared.
      const auto take = [&](auto& changes, auto& into, const auto& id_of) {
        for (auto& change : changes) {
          const std::string id = id_of(change);
          if (made.insert(id).second)
            into.push_back(std::move(change));
          else
            fix.shared.push_back(id);
        }
      };
      take(c.registry, fix.registry, [](const RegistryChange& r) { return value_id(r.key, r.name); });
      take(c.services, fix.services, [](const ServiceChange& s) { return "service " + s.service; });
      take(c.account_policy, fix.account_policy,
           [](const AccountPolicyChange& a) { return "account policy " + a.setting; });
      plan_.fixes.push_back(std::move(fix));
    }
    // Manual steps in report order, whatever stage turned them manual.
    std::map<std::string, std::size_t> order;
    for (std::size_t i = 0; i < report_.findings.size(); ++i) order.emplace(report_.findings[i].rule, i);
    std::stable_sort(plan_.manual.begin(), plan_.manual.end(),
                     [&](const ManualStep& a, const ManualStep& b) { return order[a.rule] < order[b.rule]; });
  }

  const ReadReport& report_;
  const RulePack& pack_;
  const RuleParameters& parameters_;
  WaivedFindings waived_;
  ObservationBuilder observed_;
  RemediationPlan plan_;
  std::map<std::string, Rule> resolved_;  // the pack's rules with this plan's parameters, by id
};

RegistryKeyFact& writable_key(FactSet& facts, const std::string& key) {
  auto& slot = facts.registry.try_emplace(key, RegistryKeyFact{}).first->second;
  if (!slot) slot = RegistryKeyFact{};  // a key the script writes is readable afterwards
  return *slot;
}

// The host after the restart every script asks for: a disabled service no longer runs.
void set_start_type(FactSet& facts, const std::string& service, StartType type, std::optional<ServiceState> state) {
  auto& slot = facts.services.try_emplace(service, ServiceFact{}).first->second;
  if (!slot) slot = ServiceFact{};
  slot->presence = Presence::Present;
  slot->start_type = type;
  slot->state = state;
}

void set_account_policy(FactSet& facts, const AccountPolicyChange& c, std::int64_t value) {
  if (c.setting != "MinimumPasswordLength") return;  // the one setting the loader accepts
  if (!facts.account_policy || !*facts.account_policy) facts.account_policy = AccountPolicyFact{};
  (*facts.account_policy)->min_password_length = static_cast<int>(value);
}

}  // namespace

RemediationPlan plan_remediation(const ReadReport& report, const RulePack& pack, const RuleParameters& parameters,
                                 WaivedFindings waived) {
  return Planner(report, pack, parameters, waived).run();
}

void apply_changes(FactSet& facts, const std::vector<RegistryChange>& registry,
                   const std::vector<ServiceChange>& services, const std::vector<AccountPolicyChange>& account_policy) {
  for (const auto& c : registry) {
    RegistryKeyFact& key = writable_key(facts, c.key);
    key.presence = Presence::Present;
    auto it =
        std::find_if(key.values.begin(), key.values.end(), [&](const RegValue& v) { return iequals(v.name, c.name); });
    if (it == key.values.end())
      key.values.push_back(RegValue{c.name, c.type, c.data});
    else
      *it = RegValue{it->name, c.type, c.data};
  }
  for (const auto& s : services)
    set_start_type(facts, s.service, s.start_type,
                   s.state_before && s.start_type == StartType::Disabled ? ServiceState::Stopped : s.state_before);
  for (const auto& a : account_policy) set_account_policy(facts, a, a.value);
}

void apply_rollback(FactSet& facts, const std::vector<RegistryChange>& registry,
                    const std::vector<ServiceChange>& services,
                    const std::vector<AccountPolicyChange>& account_policy) {
  for (const auto& c : registry) {
    RegistryKeyFact& key = writable_key(facts, c.key);
    auto it =
        std::find_if(key.values.begin(), key.values.end(), [&](const RegValue& v) { return iequals(v.name, c.name); });
    if (it != key.values.end()) key.values.erase(it);
    if (c.before) key.values.push_back(*c.before);
  }
  for (const auto& s : services) set_start_type(facts, s.service, s.before, s.state_before);
  for (const auto& a : account_policy) set_account_policy(facts, a, a.before);
}

int start_value(StartType type) {
  switch (type) {
    case StartType::Boot: return 0;
    case StartType::System: return 1;
    case StartType::Automatic:
    case StartType::AutomaticDelayed: return 2;
    case StartType::Manual: return 3;
    case StartType::Disabled: return 4;
  }
  return 3;
}

}  // namespace smbaudit
