#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

#include "../core/enum_names.h"
#include "compare.h"
#include "conditions.h"
#include "firewall.h"
#include "outcome.h"
#include "smbaudit/engine.h"
#include "unc_paths.h"
#include "updates.h"

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

Status status_of(FactProblem problem) {
  return problem == FactProblem::Unknown ? Status::Unknown : Status::Error;
}
Readability readability_of(FactProblem problem) {
  return problem == FactProblem::Unknown ? Readability::Unknown : Readability::Error;
}

std::optional<LayerNote> layer_of(const RegistryKeyFact& fact, std::string_view name) {
  const LayerNote* note = fact.decided_by(name);
  return note ? std::optional<LayerNote>(*note) : std::nullopt;
}

// ", set by GPO 'Lower' {...} (Machine\Registry.pol, record at 0x10), then deleted by ...":
// what the layers did to a value, in order, for explain.
std::string history_text(const RegistryKeyFact& key, std::string_view name) {
  std::vector<std::string> steps;
  for (const LayerNote* n : key.history(name)) steps.push_back(layer_phrase(*n));
  return steps.empty() ? std::string() : ", " + join(steps, ", then ");
}

// The value a setting resolved to, and what decided it.
struct Resolved {
  std::optional<Value> value;
  std::string decided_by;
  // No value because every source that could have one cannot be known here (offline, no such
  // WMI namespace): the explanation says so rather than "absent (not set)".
  bool unknowable = false;
};

class Evaluator {
 public:
  Evaluator(const HostFacts& host, const FactSet& facts, const std::map<std::string, Value>& parameters,
            const Rule& rule, std::vector<TraceStep>* trace)
      : host_(host), facts_(facts), parameters_(parameters), rule_(rule), trace_(trace) {}

  Outcome eval(const Check& check) {
    const std::size_t at = trace_ ? trace_->size() : 0;
    if (trace_) trace_->push_back(TraceStep{depth_, {}, std::nullopt});
    ++depth_;
    Outcome o = std::visit([&](const auto& node) { return eval_node(node, check); }, check.node);
    --depth_;
    if (trace_) {
      (*trace_)[at].status = o.status;
      (*trace_)[at].text = step_text(check, o);
    }
    return o;
  }

  std::vector<Evidence> take_evidence() { return std::move(evidence_); }

 private:
  // A step inside the check being evaluated: a source read, a default chosen.
  void note(std::string text) {
    if (trace_) trace_->push_back(TraceStep{depth_, std::move(text), std::nullopt});
  }

  // A composite says how its parts combine; a leaf says what it found and expected.
  static std::string step_text(const Check& check, const Outcome& o) {
    const auto* composite = std::get_if<CompositeCheck>(&check.node);
    if (!composite) return o.explanation;
    static constexpr std::string_view kRules[] = {"all_of: passes only when every part passes",
                                                  "any_of: passes when one part passes",
                                                  "not: passes when its part fails"};
    const std::string_view how = kRules[static_cast<int>(composite->combinator)];
    return check.label.empty() ? std::string(how) : fmt::format("{} ({})", check.label, how);
  }

  static std::string shown(const RegValue& v) { return fmt::format("{} ({})", describe(v.data), to_string(v.type)); }

  void add(Evidence e) {
    for (auto& existing : evidence_) {
      if (existing == e) return;
      // The same fact read by two parts of a check: keep one entry, decided if either decided.
      Evidence consulted = e;
      consulted.role = existing.role;
      if (existing == consulted) {
        if (e.role == EvidenceRole::Decided) existing.role = EvidenceRole::Decided;
        return;
      }
    }
    evidence_.push_back(std::move(e));
  }

  Value operand_value(const Operand& operand) const {
    if (!operand.parameter) return operand.literal;
    if (auto it = parameters_.find(*operand.parameter); it != parameters_.end()) return it->second;
    if (const Parameter* p = rule_.parameter(*operand.parameter)) return p->default_value;
    return {};
  }

  // `missing` is how an absent value reads ("absent", or why it cannot be known here).
  Outcome judge(const std::string& subject, const std::optional<Value>& actual, const std::string& decided_by, Op op,
                const Operand& operand, std::string (*show)(const Value&) = &describe,
                const std::string& missing = "absent") {
    const Value expected = operand_value(operand);
    const Comparison c = compare(op, actual, expected, operand.choices);
    const std::string shown = actual ? show(*actual) : missing;
    const std::string expectation = describe_expectation(op, expected, operand.choices, show);
    std::string text = fmt::format("{} is {}", subject, shown);
    if (!decided_by.empty()) text += fmt::format(" ({})", decided_by);
    if (c.verdict == Verdict::Holds) return {Status::Pass, text};
    text += fmt::format("; expected {}", expectation);
    return {Status::Fail, text};
  }

  std::string subject_name(const Check& check, const std::string& fallback) const {
    return check.label.empty() ? fallback : check.label;
  }

  // Resolves a setting through its sources and defaults; an Outcome means it could not be resolved.
  std::variant<Resolved, Outcome> resolve(const Setting& setting) {
    std::string skipped;       // why a source was skipped as unknowable, if one was
    bool read_absent = false;  // a source was read and the value is absent
    for (std::size_t i = 0; i < setting.sources.size(); ++i) {
      const Source& source = setting.sources[i];
      // A value Windows does not read on this host decides nothing, whatever it holds.
      if (!source.read_when.empty()) {
        const MatchResult m = matches(source.read_when, host_);
        if (m.match == Match::Unknown) {
          note(fmt::format("{}: cannot tell whether Windows reads it here ({})", source_name(source), m.reason));
          return Outcome{Status::Unknown, "cannot tell whether Windows reads a source here: " + m.reason};
        }
        if (m.match == Match::No) {
          note(fmt::format("{}: not read: Windows reads it only on {}", source_name(source),
                           describe(source.read_when)));
          continue;
        }
      }
      if (const auto* reg = std::get_if<RegistrySource>(&source.where)) {
        const std::string where = reg->key + "\\" + reg->value;
        Evidence e{.kind = EvidenceKind::Registry, .path = reg->key, .name = reg->value};
        auto key = facts_.registry_key(reg->key);
        // A value of a key known only in part (a layer wrote into a key the source could not read)
        // may be unknown even though the key was read.
        auto lookup = key ? key->value(reg->value) : Expected<const RegValue*, FactError>(Unexpected(key.error()));
        if (!lookup) {
          e.readability = readability_of(lookup.error().problem);
          e.note = lookup.error().message;
          add(e);
          if (lookup.error().problem == FactProblem::Unknown && source.when_unavailable == WhenUnavailable::Skip) {
            note(fmt::format("{}: cannot be known here ({}); skipped", where, e.note));
            if (skipped.empty()) skipped = e.note;
            continue;
          }
          note(fmt::format("{}: could not be read ({}); a source below it cannot decide in its place", where, e.note));
          return Outcome{status_of(lookup.error().problem), fmt::format("could not read {}: {}", where, e.note)};
        }
        e.origin = key->origin;
        e.layer = layer_of(*key, reg->value);
        const std::string by = e.layer ? " " + layer_phrase(*e.layer) : std::string();
        const RegValue* value = *lookup;
        if (!value) {
          read_absent = true;
          e.presence = Presence::Absent;
          if (key->presence == Presence::Absent) e.note = "key absent";
          add(e);
          note(fmt::format("{}: absent{}{}", where, key->presence == Presence::Absent ? " (the key is absent)" : "",
                           history_text(*key, reg->value)));
          continue;
        }
        e.presence = Presence::Present;
        e.type = value->type;
        e.data = value->data;
        e.role = EvidenceRole::Decided;
        add(e);
        note(fmt::format("{}: {}{}: the first source set, so it decides", where, shown(*value),
                         history_text(*key, reg->value)));
        note_shadowed(setting, i + 1);
        return Resolved{parsed(setting, value->data), "set at " + where + by};
      }
      const auto& wmi = std::get<WmiSource>(source.where);
      const std::string where = wmi.cls.name_space + ":" + wmi.cls.class_name + "." + wmi.property;
      Evidence e{
          .kind = EvidenceKind::Wmi, .path = wmi.cls.name_space + ":" + wmi.cls.class_name, .name = wmi.property};
      auto cls = facts_.wmi_class(wmi.cls);
      if (!cls) {
        e.readability = readability_of(cls.error().problem);
        e.note = cls.error().message;
        add(e);
        if (cls.error().problem == FactProblem::Unknown && source.when_unavailable == WhenUnavailable::Skip) {
          note(fmt::format("{}: cannot be known here ({}); skipped", where, e.note));
          if (skipped.empty()) skipped = e.note;
          continue;
        }
        note(fmt::format("{}: could not be read ({}); a source below it cannot decide in its place", where, e.note));
        return Outcome{status_of(cls.error().problem), fmt::format("could not read {}: {}", where, e.note)};
      }
      const Value* v = nullptr;
      if (!cls->instances.empty()) {
        if (auto it = cls->instances.front().find(wmi.property); it != cls->instances.front().end()) v = &it->second;
      }
      if (!v || is_null(*v)) {
        read_absent = true;
        e.presence = Presence::Absent;
        add(e);
        note(fmt::format("{}: absent", where));
        continue;
      }
      e.presence = Presence::Present;
      e.data = *v;
      e.role = EvidenceRole::Decided;
      add(e);
      note(fmt::format("{}: {}: the first source set, so it decides", where, describe(*v)));
      note_shadowed(setting, i + 1);
      return Resolved{parsed(setting, *v), "reported by " + where};
    }
    for (const auto& d : setting.defaults) {
      const MatchResult m = matches(d.when, host_);
      if (m.match == Match::Unknown) {
        note("no source is set, and Windows' default cannot be chosen: " + m.reason);
        return Outcome{Status::Unknown, "not set, and Windows' default cannot be chosen: " + m.reason};
      }
      if (m.match == Match::No) continue;
      note(fmt::format("no source is set: Windows' default{} is {}{}, so it decides",
                       d.when.empty() ? "" : " for " + describe(d.when), describe(d.value),
                       d.note.empty() ? "" : " (" + d.note + ")"));
      Evidence e{.kind = EvidenceKind::Default,
                 .path = describe(d.when),
                 .data = d.value,
                 .role = EvidenceRole::Decided,
                 .note = d.note};
      add(e);
      const std::string why = d.note.empty() ? describe(d.when) : d.note;
      if (is_null(d.value)) return Resolved{std::nullopt, "not set; Windows has no value here: " + why};
      return Resolved{parsed(setting, d.value), "not set; Windows default: " + why};
    }
    if (!skipped.empty() && !read_absent) {
      note("no source could be read here and Windows has no default: not known");
      return Resolved{std::nullopt, skipped, true};
    }
    note("no source is set and Windows has no default here: absent");
    return Resolved{std::nullopt, "not set"};
  }

  static std::string source_name(const Source& source) {
    if (const auto* reg = std::get_if<RegistrySource>(&source.where)) return reg->key + "\\" + reg->value;
    const auto& wmi = std::get<WmiSource>(source.where);
    return wmi.cls.name_space + ":" + wmi.cls.class_name + "." + wmi.property;
  }

  // Records the registry sources below the one that decided, as consulted evidence: they
  // decide nothing, but a fix that writes them (and its rollback) needs to know what they
  // held, and explain shows them. Unreadable ones are left out: they cannot change the verdict.
  void note_shadowed(const Setting& setting, std::size_t from) {
    for (std::size_t i = from; i < setting.sources.size(); ++i) {
      const Source& source = setting.sources[i];
      const auto* reg = std::get_if<RegistrySource>(&source.where);
      if (!reg || (!source.read_when.empty() && matches(source.read_when, host_).match != Match::Yes)) continue;
      auto key = facts_.registry_key(reg->key);
      if (!key || !key->value(reg->value)) continue;
      Evidence e{.kind = EvidenceKind::Registry,
                 .path = reg->key,
                 .name = reg->value,
                 .origin = key->origin,
                 .layer = layer_of(*key, reg->value)};
      const RegValue* value = *key->value(reg->value);
      e.presence = value ? Presence::Present : Presence::Absent;
      if (value) {
        e.type = value->type;
        e.data = value->data;
      }
      add(e);
      note(fmt::format("{}: {}: below the deciding source, so it decides nothing", source_name(source),
                       value ? shown(*value) : std::string("absent")));
    }
  }

  static std::optional<Value> parsed(const Setting& setting, const Value& raw) {
    if (!setting.parse) return raw;
    if (const auto* s = std::get_if<std::string>(&raw)) return kv_field(*s, setting.parse->field);
    return std::nullopt;
  }

  Outcome eval_node(const SettingCheck& node, const Check& check) {
    std::string name = "setting";
    if (!node.setting.sources.empty()) {
      const auto& first = node.setting.sources.front().where;
      if (const auto* reg = std::get_if<RegistrySource>(&first))
        name = reg->value;
      else
        name = std::get<WmiSource>(first).property;
    }
    if (node.setting.parse) name += "." + node.setting.parse->field;
    auto resolved = resolve(node.setting);
    if (auto* failed = std::get_if<Outcome>(&resolved)) return *failed;
    const auto& r = std::get<Resolved>(resolved);
    // "Credential Guard running is not known here (offline image: ...)", never "absent (not set)".
    if (r.unknowable)
      return judge(subject_name(check, name), r.value, "", node.op, node.operand, &describe,
                   "not known here (" + r.decided_by + ")");
    return judge(subject_name(check, name), r.value, r.decided_by, node.op, node.operand);
  }

  Outcome eval_node(const ServiceCheck& node, const Check& check) {
    Evidence e{.kind = EvidenceKind::Service, .path = node.service};
    auto service = facts_.service(node.service);
    const std::string subject = subject_name(check, "service " + node.service);
    if (!service) {
      e.readability = readability_of(service.error().problem);
      e.note = service.error().message;
      add(e);
      return {status_of(service.error().problem), fmt::format("could not query {}: {}", subject, e.note)};
    }
    e.presence = service->presence;
    e.start_type = service->start_type;
    e.state = service->state;
    e.origin = service->origin;
    if (!service->layers.empty()) e.layer = service->layers.back();
    e.role = EvidenceRole::Decided;
    add(e);
    const bool installed = service->presence == Presence::Present;
    std::optional<Value> actual;
    switch (node.property) {
      case ServiceProperty::Presence:
        if (installed) actual = Value{std::string("installed")};
        return judge(subject, actual, installed ? "" : "not installed", node.op, node.operand);
      case ServiceProperty::StartType:
        if (service->start_type) actual = Value{std::string(to_string(*service->start_type))};
        return judge(subject + " start type", actual, installed ? "" : "service not installed", node.op, node.operand);
      case ServiceProperty::State:
        if (installed && !service->state) {
          const std::string why = service->state_note.empty() ? "only a live host knows it" : service->state_note;
          // Skip: the start type beside it decides where no running state exists to see.
          if (node.when_unavailable == WhenUnavailable::Skip)
            return {Status::Pass, subject + " running state not checked: " + why};
          return {Status::Unknown, subject + " running state is unknown: " + why};
        }
        if (service->state) actual = Value{std::string(to_string(*service->state))};
        return judge(subject + " state", actual, installed ? "" : "service not installed", node.op, node.operand);
    }
    return {Status::Error, "unhandled service property"};
  }

  Outcome eval_node(const RegistryKeyCheck& node, const Check& check) {
    Evidence e{.kind = EvidenceKind::Registry, .path = node.key};
    auto key = facts_.registry_key(node.key);
    const std::string subject = subject_name(check, "key " + node.key);
    if (!key) {
      e.readability = readability_of(key.error().problem);
      e.note = key.error().message;
      add(e);
      return {status_of(key.error().problem), fmt::format("could not read {}: {}", subject, e.note)};
    }
    e.presence = key->presence;
    e.origin = key->origin;
    e.layer = key_layer(*key);
    e.role = EvidenceRole::Decided;
    add(e);
    std::optional<Value> actual;
    if (key->presence == Presence::Present) actual = Value{std::string("present")};
    return judge(subject, actual, "", node.op, Operand{});
  }

  Outcome eval_node(const HostCheck& node, const Check& check) {
    std::optional<Value> actual;
    std::string name;
    const char* field = nullptr;  // the property's key in HostFacts::unknown_reasons
    switch (node.property) {
      case HostProperty::Build:
        name = "OS build";
        field = host_field::kBuild;
        if (host_.build) actual = Value{std::int64_t{*host_.build}};
        break;
      case HostProperty::Ubr:
        name = "update build revision";
        field = host_field::kUbr;
        if (host_.ubr) actual = Value{std::int64_t{*host_.ubr}};
        break;
      case HostProperty::Edition:
        name = "edition";
        field = host_field::kEdition;
        if (host_.edition) actual = Value{*host_.edition};
        break;
      case HostProperty::Role:
        name = "role";
        field = host_field::kRole;
        if (host_.role) actual = Value{std::string(to_string(*host_.role))};
        break;
      case HostProperty::Membership:
        name = "domain membership";
        field = host_field::kMembership;
        if (host_.membership)
          actual = Value{std::string(*host_.membership == Membership::Domain ? "domain" : "workgroup")};
        break;
    }
    Evidence e{
        .kind = EvidenceKind::Host, .path = name, .data = actual.value_or(Value{}), .role = EvidenceRole::Decided};
    if (!actual && node.op != Op::Absent && node.op != Op::Present) {
      e.readability = Readability::Unknown;
      add(e);
      return {Status::Unknown, unknown_host_property(host_, field, "the host's " + name + " is unknown")};
    }
    e.presence = actual ? Presence::Present : Presence::Absent;
    add(e);
    // Build numbers and revisions read in decimal ("26100", not "26100 (0x65f4)").
    Outcome o = judge(subject_name(check, name), actual, "", node.op, node.operand, &describe_decimal);
    // A labelled condition on the host reads as its own words and the host's facts,
    // "build 16299 or later, where ... (this host: OS build 15063)", not as a comparison.
    if ((o.status == Status::Fail || o.status == Status::Pass) && !check.label.empty())
      o.explanation = fmt::format("{} (this host: {})", check.label, host_facts_seen(check));
    return o;
  }

  EvidenceSink sink() {
    return [this](Evidence e) { add(std::move(e)); };
  }

  Outcome eval_node(const FirewallBlockCheck& node, const Check&) { return evaluate_firewall(node, facts_, sink()); }

  Outcome eval_node(const UncHardeningCheck& node, const Check&) {
    return evaluate_unc_hardening(
        node, host_, facts_,
        [this](const std::string& name) {
          return operand_value(Operand{{}, {}, name});
        },
        sink());
  }

  Outcome eval_node(const UpdatesCheck& node, const Check&) {
    return evaluate_updates(node, host_, facts_, operand_value(node.max_age_days), sink());
  }

  Outcome eval_node(const AccountPolicyCheck& node, const Check& check) {
    Evidence e{.kind = EvidenceKind::Host, .path = "account policy", .name = node.property};
    auto policy = facts_.account_policy_fact();
    if (!policy) return unreadable(policy.error(), e, "the account policy", sink());
    std::optional<Value> actual;
    if (policy->min_password_length) actual = Value{std::int64_t{*policy->min_password_length}};
    e.presence = actual ? Presence::Present : Presence::Absent;
    e.data = actual.value_or(Value{});
    e.role = EvidenceRole::Decided;
    if (const LayerNote* by = policy->decided_by(node.property)) e.layer = *by;
    add(e);
    const auto relax = relax_length_limits();
    // A policy layer (a GPO's [System Access]) that sets a length above 14 takes effect only
    // where Windows allows it; the live value (NetUserModalsGet) is what applied, whatever it took.
    if (e.layer && actual && std::get<std::int64_t>(*actual) > kLegacyMaxPasswordLength && relax.status != Status::Pass)
      return {relax.status,
              fmt::format("{} sets the minimum password length to {}, which Windows {}: {}", layer_phrase(*e.layer),
                          std::get<std::int64_t>(*actual),
                          relax.status == Status::Fail ? "does not apply" : "may not apply", relax.explanation)};
    return judge(subject_name(check, "minimum password length"), actual, e.layer ? layer_phrase(*e.layer) : "", node.op,
                 node.operand);
  }

  // Whether Windows takes a minimum password length above 14 here (kRelaxLengthLimitsKey):
  // pass, fail or unknown (the value could not be read), and why not. The value is consulted
  // evidence: the remediation plan takes its prior value from it when a fix must set it.
  Outcome relax_length_limits() {
    const std::string key(kRelaxLengthLimitsKey), name(kRelaxLengthLimitsValue);
    Evidence e{.kind = EvidenceKind::Registry, .path = key, .name = name, .role = EvidenceRole::Consulted};
    auto fact = facts_.registry_key(key);
    if (!fact) {
      return unreadable(fact.error(), e, key + "\\" + name, sink());
    }
    auto value = fact->value(name);
    if (!value) {
      return unreadable(value.error(), e, key + "\\" + name, sink());
    }
    Evidence seen =
        *value ? value_evidence(key, *fact, **value, EvidenceRole::Consulted) : absent_value_evidence(key, *fact, name);
    seen.role = EvidenceRole::Consulted;
    add(seen);
    if (host_.build && *host_.build < kRelaxLengthLimitsFirstBuild)
      return {Status::Fail,
              fmt::format("only Windows 10 2004 (build {}) and Windows Server 2022 or later take more than "
                          "14 (this host: build {})",
                          kRelaxLengthLimitsFirstBuild, *host_.build)};
    const auto* n = *value && (*value)->type == RegType::Dword ? std::get_if<std::int64_t>(&(*value)->data) : nullptr;
    if (n && *n == 1) return {Status::Pass, ""};
    return {Status::Fail, fmt::format("it takes more than 14 only where {}\\{} is 1 ('Relax minimum password length "
                                      "limits'; here: {})",
                                      key, name, *value ? shown(**value) : std::string("absent"))};
  }

  // True for a check of host facts only (build, UBR, edition, role, membership).
  static bool host_only(const Check& check) {
    if (std::holds_alternative<HostCheck>(check.node)) return true;
    const auto* composite = std::get_if<CompositeCheck>(&check.node);
    return composite && std::all_of(composite->children.begin(), composite->children.end(), host_only);
  }

  // "OS build 26100, update build revision 2000": the host facts a host-only check looked at.
  std::string host_facts_seen(const Check& check) const {
    std::vector<std::string> parts;
    std::function<void(const Check&)> visit = [&](const Check& c) {
      if (const auto* h = std::get_if<HostCheck>(&c.node)) {
        std::string part;
        switch (h->property) {
          case HostProperty::Build: part = host_.build ? fmt::format("OS build {}", *host_.build) : ""; break;
          case HostProperty::Ubr: part = host_.ubr ? fmt::format("update build revision {}", *host_.ubr) : ""; break;
          case HostProperty::Edition: part = host_.edition ? "edition " + *host_.edition : ""; break;
          case HostProperty::Role: part = host_.role ? "role " + std::string(to_string(*host_.role)) : ""; break;
          case HostProperty::Membership:
            part = host_.membership ? (*host_.membership == Membership::Domain ? "domain-joined" : "workgroup") : "";
            break;
        }
        if (!part.empty() && std::find(parts.begin(), parts.end(), part) == parts.end()) parts.push_back(part);
      } else if (const auto* comp = std::get_if<CompositeCheck>(&c.node)) {
        for (const auto& child : comp->children) visit(child);
      }
    };
    visit(check);
    return join(parts, ", ");
  }

  Outcome eval_node(const CompositeCheck& node, const Check& check) {
    std::vector<Outcome> outcomes;
    for (const auto& child : node.children) outcomes.push_back(eval(child));
    // A labelled condition on the host alone that fails says what the host lacks in its own
    // words, with the facts it saw ("... exist from 26100.3613: update Windows first (this
    // host: OS build 26100, update build revision 2000)"), not as a list of comparisons.
    if (!check.label.empty() && host_only(check)) {
      Outcome o = combine(node, check, outcomes);
      if (o.status == Status::Fail)
        o.explanation = fmt::format("{} (this host: {})", check.label, host_facts_seen(check));
      return o;
    }
    // In all_of, a failing condition on the host (a build without the setting, another role)
    // decides alone: the settings next to it are not what needs changing first, and merging
    // them would hide that.
    if (node.combinator == Combinator::AllOf) {
      std::vector<std::string> host_failures;
      for (std::size_t i = 0; i < outcomes.size(); ++i)
        if (outcomes[i].status == Status::Fail && host_only(node.children[i]))
          host_failures.push_back(outcomes[i].explanation);
      if (!host_failures.empty())
        return {Status::Fail, (check.label.empty() ? "" : check.label + ": ") + join(host_failures, "; ")};
    }
    return combine(node, check, outcomes);
  }

  Outcome combine(const CompositeCheck& node, const Check& check, const std::vector<Outcome>& outcomes) {
    const auto texts = [&](Status wanted) {
      std::vector<std::string> parts;
      for (const auto& o : outcomes)
        if (o.status == wanted) parts.push_back(o.explanation);
      return join(parts, "; ");
    };
    const auto has = [&](Status s) {
      return std::any_of(outcomes.begin(), outcomes.end(), [s](const Outcome& o) { return o.status == s; });
    };
    const std::string prefix = check.label.empty() ? "" : check.label + ": ";
    switch (node.combinator) {
      case Combinator::Not: {
        Outcome o = outcomes.front();
        if (o.status == Status::Pass) return {Status::Fail, prefix + "not expected: " + o.explanation};
        if (o.status == Status::Fail) return {Status::Pass, prefix + o.explanation};
        return o;
      }
      case Combinator::AllOf:
        // A definite failure decides even when other parts are unknown: fail closed, never pass.
        if (has(Status::Fail)) return {Status::Fail, prefix + texts(Status::Fail)};
        if (has(Status::Error)) return {Status::Error, prefix + texts(Status::Error)};
        if (has(Status::Unknown)) return {Status::Unknown, prefix + texts(Status::Unknown)};
        return {Status::Pass, prefix + texts(Status::Pass)};
      case Combinator::AnyOf:
        for (const auto& o : outcomes)
          if (o.status == Status::Pass) return {Status::Pass, prefix + o.explanation};
        if (has(Status::Error)) return {Status::Error, prefix + texts(Status::Error)};
        if (has(Status::Unknown)) return {Status::Unknown, prefix + texts(Status::Unknown)};
        return {Status::Fail, prefix + "none holds: " + texts(Status::Fail)};
    }
    return {Status::Error, "unhandled combinator"};
  }

  const HostFacts& host_;
  const FactSet& facts_;
  const std::map<std::string, Value>& parameters_;
  const Rule& rule_;
  std::vector<TraceStep>* trace_;
  int depth_ = 0;
  std::vector<Evidence> evidence_;
};

}  // namespace

std::optional<LayerNote> key_layer(const RegistryKeyFact& fact) {
  for (auto it = fact.layers.rbegin(); it != fact.layers.rend(); ++it)
    if (it->action == LayerAction::DeleteKey || it->action == LayerAction::CreateKey) return *it;
  return std::nullopt;
}

Evidence value_evidence(const std::string& key, const RegistryKeyFact& fact, const RegValue& value, EvidenceRole role) {
  return Evidence{.kind = EvidenceKind::Registry,
                  .path = key,
                  .name = value.name,
                  .presence = Presence::Present,
                  .type = value.type,
                  .data = value.data,
                  .role = role,
                  .layer = layer_of(fact, value.name)};
}

Evidence absent_value_evidence(const std::string& key, const RegistryKeyFact& fact, const std::string& name) {
  return Evidence{.kind = EvidenceKind::Registry,
                  .path = key,
                  .name = name,
                  .presence = Presence::Absent,
                  .layer = layer_of(fact, name)};
}

Outcome unreadable(const FactError& error, Evidence e, const std::string& what, const EvidenceSink& sink) {
  e.readability = readability_of(error.problem);
  e.note = error.message;
  sink(e);
  return {status_of(error.problem), fmt::format("could not read {}: {}", what, error.message)};
}

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

int severity_weight(Severity severity) {
  switch (severity) {
    case Severity::Critical: return 10;
    case Severity::High: return 5;
    case Severity::Medium: return 3;
    case Severity::Low: return 1;
    case Severity::Info: return 0;
  }
  return 0;
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
  Evaluator evaluator(host, facts, parameters, rule, trace);
  Outcome o = evaluator.eval(rule.check);
  f.status = o.status;
  f.explanation = std::move(o.explanation);
  f.evidence = evaluator.take_evidence();
  return f;
}

Score score(const std::vector<Finding>& findings) {
  Score s;
  std::map<Layer, std::pair<int, int>> weights;  // passed, evaluated
  std::pair<int, int> total{0, 0};
  for (Layer l : kAllLayers) s.layers[l];
  for (const auto& f : findings) {
    const Layer layer = f.rule->layer;
    for (LayerScore* counts : {&s.layers[layer], &s.totals}) {
      switch (f.status) {
        case Status::Pass: ++counts->passed; break;
        case Status::Fail: ++counts->failed; break;
        case Status::NotApplicable: ++counts->not_applicable; break;
        case Status::Unknown: ++counts->unknown; break;
        case Status::Error: ++counts->error; break;
      }
    }
    if (f.status != Status::Pass && f.status != Status::Fail) continue;
    const int w = severity_weight(f.severity);
    for (auto* acc : {&weights[layer], &total}) {
      acc->second += w;
      if (f.status == Status::Pass) acc->first += w;
    }
  }
  const auto percent = [](std::pair<int, int> w) -> std::optional<double> {
    if (w.second == 0) return std::nullopt;
    return std::round(1000.0 * w.first / w.second) / 10.0;
  };
  for (auto& [layer, ls] : s.layers) ls.score = percent(weights[layer]);
  s.overall = percent(total);
  s.totals.score = s.overall;
  return s;
}

std::optional<double> Coverage::percent() const {
  if (applicable == 0) return std::nullopt;
  return std::round(1000.0 * scored / applicable) / 10.0;
}

Coverage coverage(const LayerScore& counts) {
  const int scored = counts.passed + counts.failed;
  return {scored, scored + counts.unknown + counts.error};
}

Expected<Selection, std::string> select_rules(const RulePack& pack, const Profile* profile,
                                              const std::vector<std::string>& only,
                                              const std::vector<std::string>& skip) {
  for (const auto* list : {&only, &skip})
    for (const auto& id : *list)
      if (!pack.find(id)) return Unexpected(fmt::format("no rule '{}' in the pack (see 'smbaudit rules list')", id));
  Selection sel;
  const auto any = [](const std::vector<std::string>& patterns, const std::string& id) {
    return std::any_of(patterns.begin(), patterns.end(), [&](const auto& p) { return glob_match(p, id); });
  };
  for (const auto& rule : pack.rules) {
    const bool named = std::find(only.begin(), only.end(), rule.id) != only.end();
    const bool in_profile =
        !profile || ((profile->include.empty() || any(profile->include, rule.id)) && !any(profile->exclude, rule.id));
    if (!only.empty() && !named) continue;
    if (!in_profile && !named) continue;
    if (std::find(skip.begin(), skip.end(), rule.id) != skip.end()) continue;
    if (!in_profile) sel.outside_profile.push_back(rule.id);
    sel.rules.push_back(&rule);
  }
  if (profile) {
    sel.parameters = profile->parameters;
    sel.severities = profile->severities;
  }
  static const std::map<std::string, Value> kNone;
  for (const Rule*& rule : sel.rules) {
    auto params = sel.parameters.find(rule->id);
    sel.resolved.push_back(
        std::make_shared<const Rule>(with_parameters(*rule, params == sel.parameters.end() ? kNone : params->second)));
    rule = sel.resolved.back().get();
  }
  return sel;
}

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
