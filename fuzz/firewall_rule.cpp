// Fuzzes the Windows Firewall rule string parser (MS-GPFAS 2.2.2.19 strings come straight
// from the audited host's registry) and the outbound-block decision over what it parsed.
#include "../src/engine/firewall.h"
#include "fuzz_input.h"

using namespace smbaudit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const FirewallRule rule = parse_firewall_rule(fuzz::as_text(data, size));
  for (const auto& [low, high] : rule.remote_ports) fuzz::require(0 <= low && low <= high && high <= 65535);
  for (FirewallProfile profile : {FirewallProfile::Domain, FirewallProfile::Private, FirewallProfile::Public}) {
    const bool blocks = blocks_outbound(rule, 6, 445, profile);
    // Only an active outbound block rule can block anything.
    if (blocks)
      fuzz::require(rule.active && rule.action == FirewallAction::Block && rule.direction == FirewallDirection::Out);
  }
  return 0;
}
