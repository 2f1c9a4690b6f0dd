#include "conditions.h"

#include <fmt/format.h>

#include <algorithm>

namespace smbaudit {
namespace {

bool any_glob(const std::vector<std::string>& patterns, std::string_view text) {
  return std::any_of(patterns.begin(), patterns.end(), [&](const auto& p) { return glob_match(p, text); });
}

MatchResult unknown(const HostFacts& host, const char* field, std::string what) {
  return {Match::Unknown, unknown_host_property(host, field, std::move(what))};
}

}  // namespace

MatchResult matches(const HostCondition& c, const HostFacts& host) {
  if (!c.roles.empty()) {
    if (!host.role) return unknown(host, host_field::kRole, "the host's role is unknown");
    if (std::find(c.roles.begin(), c.roles.end(), *host.role) == c.roles.end())
      return {Match::No,
              fmt::format("applies to {}; this host is a {}", describe_roles(c.roles), to_string(*host.role))};
  }
  if (c.min_build || c.max_build) {
    if (!host.build) return unknown(host, host_field::kBuild, "the host's OS build is unknown");
    if (c.min_build && *host.build < *c.min_build)
      return {Match::No, fmt::format("applies from build {}; this host is build {}", *c.min_build, *host.build)};
    if (c.max_build && *host.build > *c.max_build)
      return {Match::No, fmt::format("applies up to build {}; this host is build {}", *c.max_build, *host.build)};
  }
  if (c.min_version) {
    const auto [build, ubr] = *c.min_version;
    if (!host.build) return unknown(host, host_field::kBuild, "the host's OS build is unknown");
    if (*host.build < build)
      return {Match::No, fmt::format("applies from {}.{}; this host is build {}", build, ubr, *host.build)};
    if (*host.build == build) {
      if (!host.ubr) return unknown(host, host_field::kUbr, "the host's update build revision (UBR) is unknown");
      if (*host.ubr < ubr)
        return {Match::No, fmt::format("applies from {}.{}; this host is {}.{}", build, ubr, *host.build, *host.ubr)};
    }
  }
  if (!c.editions.empty() || !c.not_editions.empty()) {
    if (!host.edition) return unknown(host, host_field::kEdition, "the host's edition is unknown");
    if (!c.editions.empty() && !any_glob(c.editions, *host.edition))
      return {Match::No, fmt::format("applies to editions {}; this host is {}", join(c.editions, ", "), *host.edition)};
    if (any_glob(c.not_editions, *host.edition))
      return {Match::No, fmt::format("does not apply to edition {}", *host.edition)};
  }
  if (c.membership) {
    if (!host.membership) return unknown(host, host_field::kMembership, "whether the host is domain-joined is unknown");
    if (*host.membership != *c.membership)
      return {Match::No, *c.membership == Membership::Domain ? "applies to domain members; this host is not joined"
                                                             : "applies to hosts outside a domain"};
  }
  return {Match::Yes, ""};
}

}  // namespace smbaudit
