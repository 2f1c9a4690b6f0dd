// The "service" check: a service's presence, start type or running state.
#include <ostream>

#include "../check_reader.h"

namespace smbaudit {

ServiceCheck ServiceCheck::parse(CheckReader& in, std::string_view key) {
  in.only_keys({"service", "property", "op", "value", "when_unavailable"});
  ServiceCheck node;
  if (auto name = in.string(key, true)) node.service = *name;
  if (in.has("property"))
    node.property =
        in.name("property", "service property", service_property_from_string, service_property_names(), false)
            .value_or(ServiceProperty::Presence);
  std::tie(node.op, node.operand) = in.comparison();
  if (node.property == ServiceProperty::Presence && node.op != Op::Present && node.op != Op::Absent)
    in.fail("/op", "a service's presence takes op 'present' or 'absent'");
  if (node.property == ServiceProperty::StartType) in.check_names(node.operand, start_type_from_string);
  if (node.property == ServiceProperty::State) in.check_names(node.operand, service_state_from_string);
  if (in.has("when_unavailable")) {
    if (node.property != ServiceProperty::State)
      in.fail("/when_unavailable", "only a service's 'state' can be skipped where it is not known");
    else
      node.when_unavailable = in.when_unavailable("when_unavailable").value_or(WhenUnavailable::Unknown);
  }
  return node;
}

void ServiceCheck::facts(FactRefs& out) const {
  out.add(FactRef{FactKind::Service, service, {}, {}});
}

void ServiceCheck::show(std::ostream& out, int depth, const Check&) const {
  out << std::string(static_cast<std::size_t>(depth) * 2, ' ') << "service " << service << " " << to_string(property)
      << " " << operand_text(op, operand)
      << (when_unavailable == WhenUnavailable::Skip ? " (not checked where the state cannot be known)" : "") << "\n";
}

}  // namespace smbaudit
