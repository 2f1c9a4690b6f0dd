// Evaluating a "host" check: a host fact compared with a value.
#include <fmt/format.h>

#include "../check_context.h"

namespace smbaudit {

Outcome HostCheck::evaluate(CheckContext& context, const Check& check) const {
  std::optional<Value> actual;
  std::string name;
  const char* field = nullptr;  // the property's key in HostFacts::unknown_reasons
  switch (property) {
    case HostProperty::Build:
      name = "OS build";
      field = host_field::kBuild;
      if (context.host().build) actual = Value{std::int64_t{*context.host().build}};
      break;
    case HostProperty::Ubr:
      name = "update build revision";
      field = host_field::kUbr;
      if (context.host().ubr) actual = Value{std::int64_t{*context.host().ubr}};
      break;
    case HostProperty::Edition:
      name = "edition";
      field = host_field::kEdition;
      if (context.host().edition) actual = Value{*context.host().edition};
      break;
    case HostProperty::Role:
      name = "role";
      field = host_field::kRole;
      if (context.host().role) actual = Value{std::string(to_string(*context.host().role))};
      break;
    case HostProperty::Membership:
      name = "domain membership";
      field = host_field::kMembership;
      if (context.host().membership)
        actual = Value{std::string(*context.host().membership == Membership::Domain ? "domain" : "workgroup")};
      break;
  }
  Evidence e{.kind = EvidenceKind::Host, .path = name, .data = actual.value_or(Value{}), .role = EvidenceRole::Decided};
  if (!actual && op != Op::Absent && op != Op::Present) {
    e.readability = Readability::Unknown;
    context.add(e);
    return {Status::Unknown, unknown_host_property(context.host(), field, "the host's " + name + " is unknown")};
  }
  e.presence = actual ? Presence::Present : Presence::Absent;
  context.add(e);
  // Build numbers and revisions read in decimal ("26100", not "26100 (0x65f4)").
  Outcome o = context.judge(CheckContext::subject_name(check, name), actual, "", op, operand, &describe_decimal);
  // A labelled condition on the host reads as its own words and the host's facts,
  // "build 16299 or later, where ... (this host: OS build 15063)", not as a comparison.
  if ((o.status == Status::Fail || o.status == Status::Pass) && !check.label.empty())
    o.explanation = fmt::format("{} (this host: {})", check.label, context.host_facts_seen(check));
  return o;
}

}  // namespace smbaudit
