// Windows Firewall: the rule strings of MS-GPFAS 2.2.2.19 and the outbound-SMB-blocked check.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "outcome.h"

namespace smbaudit {

enum class FirewallProfile { Domain, Private, Public };
enum class FirewallAction { Allow, Block, Bypass, Other };
enum class FirewallDirection { In, Out, Other };

struct FirewallRule {
  std::string name;
  bool active = false;
  FirewallAction action = FirewallAction::Other;
  FirewallDirection direction = FirewallDirection::Other;
  std::optional<int> protocol;                    // nullopt: any protocol
  std::vector<std::pair<int, int>> remote_ports;  // inclusive ranges; empty: any port
  bool remote_port_keyword = false;               // RPort names a keyword (RPC, IPHTTPS...) rather than numbers
  std::vector<FirewallProfile> profiles;          // empty: every profile
  std::vector<std::string> restrictions;          // fields that narrow the rule (App, Svc, RA4, LPort...)
  bool system_process_only = false;               // App=System: the kernel's traffic, the SMB client's included
};

// Parses one rule string ("v2.30|Action=Block|Active=TRUE|Dir=Out|..."): fields repeat,
// unknown fields are kept as restrictions only when they narrow what the rule matches.
[[nodiscard]] FirewallRule parse_firewall_rule(std::string_view text);

// True when the rule, on its own, blocks outbound traffic to `port`/`protocol` on `profile`
// for every remote address and for every program, or for the System process only (App=System):
// the SMB client (mrxsmb, and its QUIC transport) runs in the kernel, so a block of the System
// process's traffic to the port blocks SMB. A rule for the Workstation service (Svc=LanmanWorkstation)
// does not count: its connections are the kernel's, not the service process's, and Microsoft
// does not say a service condition matches them.
[[nodiscard]] bool blocks_outbound(const FirewallRule& rule, int protocol, int port, FirewallProfile profile);

[[nodiscard]] std::optional<FirewallProfile> firewall_profile_from_string(std::string_view name);
[[nodiscard]] std::string_view to_string(FirewallProfile profile);

Outcome evaluate_firewall(const FirewallBlockCheck& check, const FactSet& facts, const EvidenceSink& sink);

}  // namespace smbaudit
