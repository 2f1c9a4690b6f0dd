// --target BUILD:EDITION:ROLE: a host described, not read, for auditing Group Policy before
// any host receives it (docs/group-policy.md). It has no registry of its own: what the
// policy leaves unset reads as absent, so each rule takes the Windows default it models for
// that build, edition and role. What only a real host or image can say (which services and
// optional components are installed, running state, WMI, installed updates, local account
// policy) is unknown, never assumed.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "smbaudit/expected.h"
#include "smbaudit/fact_source.h"

namespace smbaudit {

// Parses "26100:Enterprise:workstation" into a target host's description; the error says
// what is wrong with `spec`.
[[nodiscard]] Expected<HostFacts, std::string> parse_target(std::string_view spec);

// The source for a parsed target.
[[nodiscard]] std::unique_ptr<FactSource> make_target_source(HostFacts target, std::string spec);

}  // namespace smbaudit
