// Evaluating a "service" check: presence, start type or running state.
#include <fmt/format.h>

#include "../check_context.h"

namespace smbaudit {

Outcome ServiceCheck::evaluate(CheckContext& context, const Check& check) const {
  Evidence e{.kind = EvidenceKind::Service, .path = service};
  auto fact = context.facts().service(service);
  const std::string subject = CheckContext::subject_name(check, "service " + service);
  if (!fact) {
    e.readability = readability_of(fact.error().problem);
    e.note = fact.error().message;
    context.add(e);
    return {status_of(fact.error().problem), fmt::format("could not query {}: {}", subject, e.note)};
  }
  e.presence = fact->presence;
  e.start_type = fact->start_type;
  e.state = fact->state;
  e.origin = fact->origin;
  if (!fact->layers.empty()) e.layer = fact->layers.back();
  e.role = EvidenceRole::Decided;
  context.add(e);
  const bool installed = fact->presence == Presence::Present;
  std::optional<Value> actual;
  switch (property) {
    case ServiceProperty::Presence:
      if (installed) actual = Value{std::string("installed")};
      return context.judge(subject, actual, installed ? "" : "not installed", op, operand);
    case ServiceProperty::StartType:
      if (fact->start_type) actual = Value{std::string(to_string(*fact->start_type))};
      return context.judge(subject + " start type", actual, installed ? "" : "service not installed", op, operand);
    case ServiceProperty::State:
      if (installed && !fact->state) {
        const std::string why = fact->state_note.empty() ? "only a live host knows it" : fact->state_note;
        // Skip: the start type beside it decides where no running state exists to see.
        if (when_unavailable == WhenUnavailable::Skip)
          return {Status::Pass, subject + " running state not checked: " + why};
        return {Status::Unknown, subject + " running state is unknown: " + why};
      }
      if (fact->state) actual = Value{std::string(to_string(*fact->state))};
      return context.judge(subject + " state", actual, installed ? "" : "service not installed", op, operand);
  }
  return {Status::Error, "unhandled service property"};
}

}  // namespace smbaudit
