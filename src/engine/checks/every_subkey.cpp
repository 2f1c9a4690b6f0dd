// Evaluating an "every_subkey" check: the value in each direct subkey of a key, every one
// compared. A pass needs at least one subkey and all of them passing; a subkey the source
// could not read makes the check unknown unless another subkey already fails it.
#include <fmt/format.h>

#include "../check_context.h"
#include "smbaudit/text.h"

namespace smbaudit {
namespace {

// The first few explanations, and how many more there were: a host may have dozens of subkeys.
std::string some(const std::vector<std::string>& texts) {
  constexpr std::size_t kShown = 3;
  std::vector<std::string> shown(texts.begin(),
                                 texts.begin() + static_cast<std::ptrdiff_t>(std::min(kShown, texts.size())));
  std::string out = join(shown, "; ");
  if (texts.size() > kShown) out += fmt::format("; and {} more", texts.size() - kShown);
  return out;
}

}  // namespace

Outcome EverySubkeyCheck::evaluate(CheckContext& context, const Check& check) const {
  const std::string subject = CheckContext::subject_name(check, value + " in every subkey of " + key);
  Evidence parent_evidence{.kind = EvidenceKind::Registry, .path = key};
  auto parent = context.facts().registry_key(key);
  if (!parent) return unreadable(parent.error(), parent_evidence, "key " + key, context.sink());
  parent_evidence.presence = parent->presence;
  parent_evidence.origin = parent->origin;
  parent_evidence.layer = key_layer(*parent);
  // No subkey proves nothing: one made later (a new network interface) takes Windows' default.
  if (parent->presence == Presence::Absent || (parent->subkeys && parent->subkeys->empty())) {
    parent_evidence.role = EvidenceRole::Decided;
    context.add(parent_evidence);
    return {Status::Fail,
            fmt::format("{}: {} {}, so none sets {}; a subkey created later takes Windows' default", subject, key,
                        parent->presence == Presence::Absent ? "is absent" : "has no subkeys", value)};
  }
  if (!parent->subkeys)
    return unreadable(parent->subkeys_unknown.value_or(FactError{FactProblem::Unknown, "the source did not list them"}),
                      parent_evidence, "the subkeys of " + key, context.sink());
  context.add(parent_evidence);
  std::vector<std::string> failed, unknown, passed;
  Status unknown_status = Status::Unknown;
  for (const auto& name : *parent->subkeys) {
    const std::string path = key + "\\" + name;
    const std::string what = name + "\\" + value;
    auto sub = context.facts().registry_key(path);
    auto found = sub ? sub->value(value) : Expected<const RegValue*, FactError>(Unexpected(sub.error()));
    if (!found) {
      Evidence e{.kind = EvidenceKind::Registry, .path = path, .name = value};
      const Outcome o = unreadable(found.error(), e, path + "\\" + value, context.sink());
      if (o.status == Status::Error) unknown_status = Status::Error;
      context.note(o.explanation);
      unknown.push_back(o.explanation);
      continue;
    }
    const RegValue* v = *found;
    Evidence e = v ? value_evidence(path, *sub, *v, EvidenceRole::Decided) : absent_value_evidence(path, *sub, value);
    e.origin = sub->origin;
    e.role = EvidenceRole::Decided;
    if (!v && sub->presence == Presence::Absent) e.note = "key absent";
    context.add(e);
    const std::optional<Value> actual = v ? std::optional<Value>(v->data) : std::nullopt;
    const Outcome o = context.judge(what, actual, "", op, operand);
    context.note(o.explanation);
    (o.status == Status::Pass ? passed : failed).push_back(o.explanation);
  }
  const std::size_t total = parent->subkeys->size();
  if (!failed.empty())
    return {Status::Fail, fmt::format("{}: {} of the {} subkeys of {} fail it: {}", subject, failed.size(), total, key,
                                      some(failed))};
  if (!unknown.empty())
    return {unknown_status, fmt::format("{}: {} of the {} subkeys of {} cannot be read: {}", subject, unknown.size(),
                                        total, key, some(unknown))};
  return {Status::Pass, fmt::format("{}: all {} subkeys of {} pass: {}", subject, total, key, some(passed))};
}

}  // namespace smbaudit
