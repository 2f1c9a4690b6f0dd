// Evaluating a "registry_key" check: the key present or absent.
#include "../check_context.h"

namespace smbaudit {

Outcome RegistryKeyCheck::evaluate(CheckContext& context, const Check& check) const {
  Evidence e{.kind = EvidenceKind::Registry, .path = key};
  auto fact = context.facts().registry_key(key);
  const std::string subject = CheckContext::subject_name(check, "key " + key);
  if (!fact) return unreadable(fact.error(), e, subject, context.sink());
  e.presence = fact->presence;
  e.origin = fact->origin;
  e.layer = key_layer(*fact);
  e.role = EvidenceRole::Decided;
  context.add(e);
  std::optional<Value> actual;
  if (fact->presence == Presence::Present) actual = Value{std::string("present")};
  return context.judge(subject, actual, "", op, Operand{});
}

}  // namespace smbaudit
