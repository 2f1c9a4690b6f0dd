// The "host" check: the build, UBR, edition, role or domain membership compared with a value.
#include <ostream>

#include "../check_reader.h"

namespace smbaudit {

HostCheck HostCheck::parse(CheckReader& in, std::string_view key) {
  in.only_keys({"host", "op", "value"});
  HostCheck node;
  node.property = in.name(key, "host property", host_property_from_string, host_property_names(), true)
                      .value_or(HostProperty::Build);
  std::tie(node.op, node.operand) = in.comparison();
  return node;
}

void HostCheck::facts(FactRefs& out) const {
  out.add(FactRef{FactKind::Host, {}, {}, {}});
}

void HostCheck::show(std::ostream& out, int depth, const Check& self) const {
  out << std::string(static_cast<std::size_t>(depth) * 2, ' ') << "host " << to_string(property) << " "
      << operand_text(op, operand) << (self.label.empty() ? "" : " (" + self.label + ")") << "\n";
}

}  // namespace smbaudit
