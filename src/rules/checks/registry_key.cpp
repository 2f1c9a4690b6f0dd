// The "registry_key" check: a key present or absent.
#include <ostream>

#include "../check_reader.h"

namespace smbaudit {

RegistryKeyCheck RegistryKeyCheck::parse(CheckReader& in, std::string_view key) {
  in.only_keys({"registry_key", "op"});
  RegistryKeyCheck node;
  if (auto path = in.registry_path(key)) node.key = *path;
  std::tie(node.op, std::ignore) = in.comparison();
  if (node.op != Op::Present && node.op != Op::Absent)
    in.fail("/op", "a registry key check takes op 'present' or 'absent'");
  return node;
}

void RegistryKeyCheck::facts(FactRefs& out) const {
  out.add(FactRef{FactKind::RegistryKey, key, {}, {}});
}

void RegistryKeyCheck::show(std::ostream& out, int depth, const Check&) const {
  out << std::string(static_cast<std::size_t>(depth) * 2, ' ') << "registry key " << key << " " << to_string(op)
      << "\n";
}

}  // namespace smbaudit
