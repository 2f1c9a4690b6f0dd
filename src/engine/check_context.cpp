// The context every check kind's evaluation shares (check_context.h): tracing, evidence,
// comparisons, and resolving a setting through its sources and Windows' defaults.
#include "check_context.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "compare.h"
#include "conditions.h"

namespace smbaudit {

Status status_of(FactProblem problem) {
  return problem == FactProblem::Unknown ? Status::Unknown : Status::Error;
}
Readability readability_of(FactProblem problem) {
  return problem == FactProblem::Unknown ? Readability::Unknown : Readability::Error;
}

namespace {

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

std::string source_name(const Source& source) {
  if (const auto* reg = std::get_if<RegistrySource>(&source.where)) return reg->key + "\\" + reg->value;
  const auto& wmi = std::get<WmiSource>(source.where);
  return wmi.cls.name_space + ":" + wmi.cls.class_name + "." + wmi.property;
}

std::optional<Value> parsed(const Setting& setting, const Value& raw) {
  if (!setting.parse) return raw;
  if (const auto* s = std::get_if<std::string>(&raw)) return kv_field(*s, setting.parse->field);
  return std::nullopt;
}

std::string step_text(const Check& check, const Outcome& o) {
  const auto* composite = std::get_if<CompositeCheck>(&check.node);
  if (!composite) return o.explanation;
  static constexpr std::string_view kRules[] = {"all_of: passes only when every part passes",
                                                "any_of: passes when one part passes",
                                                "not: passes when its part fails"};
  const std::string_view how = kRules[static_cast<int>(composite->combinator)];
  return check.label.empty() ? std::string(how) : fmt::format("{} ({})", check.label, how);
}

}  // namespace

Outcome CheckContext::eval(const Check& check) {
  const std::size_t at = trace_ ? trace_->size() : 0;
  if (trace_) trace_->push_back(TraceStep{depth_, {}, std::nullopt});
  ++depth_;
  Outcome o = std::visit([&](const auto& node) { return node.evaluate(*this, check); }, check.node);
  --depth_;
  if (trace_) {
    (*trace_)[at].status = o.status;
    (*trace_)[at].text = step_text(check, o);
  }
  return o;
}

void CheckContext::note(std::string text) {
  if (trace_) trace_->push_back(TraceStep{depth_, std::move(text), std::nullopt});
}

std::string CheckContext::shown(const RegValue& v) {
  return fmt::format("{} ({})", describe(v.data), to_string(v.type));
}

void CheckContext::add(Evidence e) {
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

EvidenceSink CheckContext::sink() {
  return [this](Evidence e) { add(std::move(e)); };
}

Value CheckContext::operand_value(const Operand& operand) const {
  if (!operand.parameter) return operand.literal;
  if (auto it = parameters_.find(*operand.parameter); it != parameters_.end()) return it->second;
  if (const Parameter* p = rule_.parameter(*operand.parameter)) return p->default_value;
  return {};
}

Outcome CheckContext::judge(const std::string& subject, const std::optional<Value>& actual,
                            const std::string& decided_by, Op op, const Operand& operand,
                            std::string (*show)(const Value&), const std::string& missing) {
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

std::string CheckContext::subject_name(const Check& check, const std::string& fallback) {
  return check.label.empty() ? fallback : check.label;
}

std::variant<Resolved, Outcome> CheckContext::resolve(const Setting& setting) {
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
        note(fmt::format("{}: not read: Windows reads it only on {}", source_name(source), describe(source.read_when)));
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
    Evidence e{.kind = EvidenceKind::Wmi, .path = wmi.cls.name_space + ":" + wmi.cls.class_name, .name = wmi.property};
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
    if (!d.unknown.empty()) {
      note(fmt::format("no source is set, and Windows' default{} cannot be known here: {}",
                       d.when.empty() ? "" : " for " + describe(d.when), d.unknown));
      add(Evidence{.kind = EvidenceKind::Default,
                   .path = describe(d.when),
                   .role = EvidenceRole::Decided,
                   .note = "cannot be known: " + d.unknown});
      return Outcome{Status::Unknown, "not set, and Windows' default here cannot be known: " + d.unknown};
    }
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

// Records the registry sources below the one that decided, as consulted evidence: they
// decide nothing, but a fix that writes them (and its rollback) needs to know what they
// held, and explain shows them. Unreadable ones are left out: they cannot change the verdict.
void CheckContext::note_shadowed(const Setting& setting, std::size_t from) {
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

bool CheckContext::host_only(const Check& check) {
  if (std::holds_alternative<HostCheck>(check.node)) return true;
  const auto* composite = std::get_if<CompositeCheck>(&check.node);
  return composite && std::all_of(composite->children.begin(), composite->children.end(), host_only);
}

std::string CheckContext::host_facts_seen(const Check& check) const {
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

}  // namespace smbaudit
