// UNC hardened paths (HardenedPaths policy): patterns and the coverage check.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "outcome.h"

namespace smbaudit {

inline constexpr std::string_view kHardenedPathsKey = kHardenedPathsFactKey;

struct UncPattern {
  std::string server;  // "*" or a name
  std::string share;   // "*" or a name
};

// Parses "\\server\share" (either part may be "*"; a trailing backslash is ignored);
// nullopt for anything else, including "\\*\*", which Windows does not accept.
[[nodiscard]] std::optional<UncPattern> parse_unc_pattern(std::string_view text);

// True when every path `required` stands for is matched by `pattern`.
[[nodiscard]] bool covers(const UncPattern& pattern, const UncPattern& required);
// True when `pattern` matches at least one path `required` stands for.
[[nodiscard]] bool overlaps(const UncPattern& pattern, const UncPattern& required);

using ParameterLookup = std::function<Value(const std::string&)>;

Outcome evaluate_unc_hardening(const UncHardeningCheck& check, const HostFacts& host, const FactSet& facts,
                               const ParameterLookup& parameter, const EvidenceSink& sink);

}  // namespace smbaudit
