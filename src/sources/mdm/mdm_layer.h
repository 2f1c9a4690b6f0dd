// The MDM policy store (Intune and other MDM servers, through the Policy CSP) as a layer over a
// host source: it names MDM as the store that decided a policy value the rules read, and makes
// a value unknown where MDM holds a policy the value Windows reads does not show. It never sets
// a value of its own: Windows reads the policy registry value the CSP writes, not the
// PolicyManager copy (docs/rule-sources.md, "The MDM store").
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "smbaudit/fact_layer.h"

namespace smbaudit::mdm {

// Where the CSP keeps a device policy: HKLM\SOFTWARE\Microsoft\PolicyManager\current\device\<Area>,
// the value <Policy> and <Policy>_WinningProvider (the MDM provider's GUID).
inline constexpr std::string_view kPolicyManagerDevice = "HKLM\\SOFTWARE\\Microsoft\\PolicyManager\\current\\device";

// A Policy CSP policy whose page gives the registry value it configures (Group policy mapping:
// Registry Key Name, Registry Value Name) and an integer format whose numbers are that value's.
struct PolicyMapping {
  std::string_view area;    // LanmanWorkstation
  std::string_view policy;  // EnableInsecureGuestLogons
  std::string_view key;     // HKLM\SOFTWARE\Policies\Microsoft\Windows\LanmanWorkstation
  std::string_view value;   // AllowInsecureGuestAuth
};

// The table, one row per policy (mdm_layer.cpp says where each row comes from).
[[nodiscard]] std::span<const PolicyMapping> policy_mappings();

// The layer: read under every host source, beneath any Group Policy layer.
[[nodiscard]] std::shared_ptr<const FactLayer> make_mdm_layer();

}  // namespace smbaudit::mdm
