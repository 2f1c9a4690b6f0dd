// The "every_subkey" check: one value in every direct subkey of a key.
#include <ostream>

#include "../check_reader.h"

namespace smbaudit {

EverySubkeyCheck EverySubkeyCheck::parse(CheckReader& in, std::string_view key) {
  in.only_keys({"every_subkey", "registry_value", "op", "value"});
  EverySubkeyCheck node;
  if (auto path = in.registry_path(key)) node.key = *path;
  if (auto name = in.string("registry_value", true)) node.value = *name;
  std::tie(node.op, node.operand) = in.comparison();
  // "Present" of every subkey's value is what equals-anything would say; absence reads as a
  // failure of the subkey, so an "absent" op would pass a key whose subkeys hold nothing.
  if (node.op == Op::Absent) in.fail("/op", "an every_subkey check compares a value; 'absent' is not one of its ops");
  return node;
}

void EverySubkeyCheck::facts(FactRefs& out) const {
  out.add(FactRef{FactKind::RegistrySubkeys, key, value, {}});
}

void EverySubkeyCheck::show(std::ostream& out, int depth, const Check&) const {
  out << std::string(static_cast<std::size_t>(depth) * 2, ' ') << "every subkey of " << key << ": " << value << " "
      << operand_text(op, operand) << "\n";
}

}  // namespace smbaudit
