// Matching a host against a HostCondition, shared by applicability and defaults.
#pragma once

#include <string>

#include "smbaudit/facts.h"
#include "smbaudit/rule.h"

namespace smbaudit {

enum class Match { Yes, No, Unknown };

struct MatchResult {
  Match match = Match::Yes;
  std::string reason;  // why not, or which host fact is unknown
};

// Decides whether `host` meets `condition`; a host fact the condition needs but the
// source could not give makes the answer Unknown.
[[nodiscard]] MatchResult matches(const HostCondition& condition, const HostFacts& host);

}  // namespace smbaudit
