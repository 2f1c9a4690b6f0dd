// The one derivation of the audited host's description (build, UBR, edition, product name,
// installation type, role; name and domain where the registry is the only witness) from its
// registry, shared by the live collector and the offline-image source, so both fall back the
// same way and give the same reason, naming the key or value, for what they cannot tell.
#pragma once

#include <optional>
#include <string_view>

#include "smbaudit/facts.h"

namespace smbaudit {

// Where the description is read (HKLM paths; CurrentControlSet as on a running host).
inline constexpr std::string_view kCurrentVersionKey = "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";
inline constexpr std::string_view kProductOptionsKey = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\ProductOptions";
inline constexpr std::string_view kComputerNameKey =
    "HKLM\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName";
inline constexpr std::string_view kTcpipParametersKey = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters";

// The keys as the source read them: present with values, absent, or why they could not be read.
struct HostKeys {
  FactResult<RegistryKeyFact> current_version = RegistryKeyFact{};
  FactResult<RegistryKeyFact> product_options = RegistryKeyFact{};
  // Name, domain and membership: nullopt where the source asks the host itself instead (a live
  // host's GetComputerNameW and DsRoleGetPrimaryDomainInformation, which know a real domain
  // join from a DNS suffix).
  std::optional<FactResult<RegistryKeyFact>> computer_name;
  std::optional<FactResult<RegistryKeyFact>> tcpip_parameters;
};

// Derives the host's description:
// - build: CurrentBuildNumber, else CurrentBuild (strings holding a whole number);
// - UBR (a DWORD), EditionID, ProductName, InstallationType;
// - role: ProductOptions\ProductType (WinNT, ServerNT, LanmanNT);
// - name: ComputerName\ComputerName, else Tcpip\Parameters\Hostname;
// - domain: Tcpip\Parameters\Domain, else NV Domain; membership follows (a domain controller
//   is always a member).
// What it cannot derive stays unknown, its reason in unknown_reasons (keyed by host_field).
[[nodiscard]] HostFacts describe_host(const HostKeys& keys);

}  // namespace smbaudit
