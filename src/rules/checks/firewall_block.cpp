// The "firewall_outbound_block" check: the firewall on, and an outbound block rule for a
// protocol and port, in every profile named (evaluation: src/engine/firewall.cpp).
#include <fmt/format.h>

#include <ostream>

#include "../check_reader.h"

namespace smbaudit {

FirewallBlockCheck FirewallBlockCheck::parse(CheckReader& in, std::string_view key) {
  in.only_keys({"firewall_outbound_block"});
  FirewallBlockCheck node;
  auto spec = in.object(key, "{protocol, port, profiles}");
  if (!spec) return node;
  spec->only_keys({"protocol", "port", "profiles"});
  node.protocol = spec->integer("protocol").value_or(6);
  node.port = spec->integer("port").value_or(445);
  if (node.port > 65535) spec->fail("/port", "not a port number");
  node.profiles = spec->strings("profiles");
  for (const auto& p : node.profiles)
    if (p != "domain" && p != "private" && p != "public")
      spec->fail("/profiles", fmt::format("unknown firewall profile '{}' (domain, private, public)", p));
  return node;
}

void FirewallBlockCheck::facts(FactRefs& out) const {
  for (auto& key : firewall_fact_keys()) out.add(FactRef{FactKind::RegistryKey, std::move(key), {}, {}});
}

void FirewallBlockCheck::show(std::ostream& out, int depth, const Check&) const {
  const std::string pad(static_cast<std::size_t>(depth) * 2, ' ');
  out << pad
      << fmt::format("firewall on, and an active outbound block rule for protocol {} port {} ({})\n", protocol, port,
                     profiles.empty() ? "every profile" : join(profiles, ", "));
  for (const auto& key : firewall_fact_keys()) out << pad << "  reads " << key << "\n";
}

}  // namespace smbaudit
