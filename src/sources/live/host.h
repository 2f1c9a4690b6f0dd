// The audited host's own facts (version, edition, role, domain membership, elevation) and
// its account policy: what comes from the version keys, netapi and the process token.
#pragma once

#include <string>

#include "registry.h"
#include "smbaudit/facts.h"

namespace smbaudit::live {

// Where the host facts' registry values live (read through the reader's cache, so a rule
// that reads the same key does not read it again).
inline constexpr const char* kCurrentVersionKey = "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";
inline constexpr const char* kProductOptionsKey = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\ProductOptions";

// Fills build, UBR, edition and product name from CurrentVersion and the role from
// ProductOptions; a value that cannot be read stays unknown, its reason in unknown_reasons.
void read_version_facts(RegistryReader& registry, HostFacts& host);

// Domain membership and the domain's name from DsRoleGetPrimaryDomainInformation on
// `server` (empty: this host); when the call fails, unknown with the API's error as reason.
void read_membership(const std::wstring& server, HostFacts& host);

// Whether this process runs with an elevated token (meaningful for the local host only);
// when the token cannot be read, unknown with the API's error as reason.
void read_elevation(HostFacts& host);

// This computer's NetBIOS name, or "localhost" when Windows will not say.
[[nodiscard]] std::string local_computer_name();

// The minimum password length from NetUserModalsGet level 0 on `server` (empty: this host).
[[nodiscard]] FactResult<AccountPolicyFact> read_account_policy(const std::wstring& server);

// The current time in ISO 8601 UTC (2026-11-22T03:15:00Z).
[[nodiscard]] std::string utc_timestamp();

}  // namespace smbaudit::live
