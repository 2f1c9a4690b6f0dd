// What only a live host can say about itself (domain membership from DsRole, elevation from
// the process token, its name) and its account policy; the rest of its description comes
// from its registry through describe_host (src/sources/host_description.h).
#pragma once

#include <string>

#include "registry.h"
#include "smbaudit/facts.h"

namespace smbaudit::live {

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
