// Evaluating a "patch_level" check: the host's build and update build revision against every
// fix the pack's table lists for that build (docs/patch-level.md). A build the table does not
// cover, or a host whose build, UBR or (where client and server differ) role is not known, is
// unknown: the table cannot vouch for it.
#include <fmt/format.h>

#include "../check_context.h"

namespace smbaudit {
namespace {

std::string_view family_name(PatchFamily family) {
  return family == PatchFamily::Client ? "workstations" : family == PatchFamily::Server ? "servers" : "";
}

}  // namespace

Outcome PatchLevelCheck::evaluate(CheckContext& context, const Check&) const {
  if (!table) return {Status::Error, "the patch-level table " + table_path + " was not loaded"};
  const HostFacts& host = context.host();
  const std::string dated = fmt::format("{} as of {}", table_path, table->as_of);
  context.add(Evidence{.kind = EvidenceKind::Default,
                       .path = "patch-level table",
                       .name = table_path,
                       .data = Value{table->as_of},
                       .role = EvidenceRole::Consulted,
                       .note = fmt::format("{} SMB, NTLM and Kerberos CVEs published {} to {}", table->cves.size(),
                                           table->since, table->as_of)});
  const auto host_evidence = [&](std::string name, std::optional<int> value, const char* field) {
    Evidence e{.kind = EvidenceKind::Host, .path = std::move(name), .role = EvidenceRole::Decided};
    if (value) {
      e.presence = Presence::Present;
      e.data = Value{std::int64_t{*value}};
    } else {
      e.readability = Readability::Unknown;
      e.note = unknown_host_property(host, field, "not known");
    }
    context.add(e);
  };
  host_evidence("OS build", host.build, host_field::kBuild);
  host_evidence("update build revision", host.ubr, host_field::kUbr);
  if (!host.build)
    return {Status::Unknown, unknown_host_property(host, host_field::kBuild, "the host's OS build is unknown")};
  if (!table->builds.count(*host.build))
    return {Status::Unknown, fmt::format("build {} is not in the patch-level table ({}): it cannot say which "
                                         "fixes this build needs (an Insider build, or one newer than the table)",
                                         *host.build, dated)};
  if (!host.ubr)
    return {Status::Unknown,
            unknown_host_property(host, host_field::kUbr, "the host's update build revision (UBR) is unknown")};
  std::vector<std::string> missing;
  std::size_t applicable = 0;
  for (const PatchCve& cve : table->cves) {
    for (const PatchFix& fix : cve.fixes) {
      if (fix.build != *host.build) continue;
      if (fix.family != PatchFamily::Any) {
        if (!host.role)
          return {Status::Unknown,
                  fmt::format("{} has different fixes for workstations and servers on build {}, and the host's "
                              "role is unknown",
                              cve.id, *host.build)};
        const bool server = *host.role != Role::Workstation;
        if (server != (fix.family == PatchFamily::Server)) continue;
      }
      ++applicable;
      if (!fix.fixed_ubr)
        missing.push_back(fmt::format("{} (no fixed revision of build {} is named{}{})", cve.id, *host.build,
                                      fix.note.empty() ? "" : ": ", fix.note));
      else if (*host.ubr < *fix.fixed_ubr)
        missing.push_back(fmt::format("{} (fixed in {}.{}{}{})", cve.id, *host.build, *fix.fixed_ubr,
                                      fix.family == PatchFamily::Any ? "" : " for ", family_name(fix.family)));
    }
  }
  const std::string version = fmt::format("{}.{}", *host.build, *host.ubr);
  if (!missing.empty())
    return {Status::Fail, fmt::format("{} lacks the fix for {} of the {} CVEs the table lists for its build: {} ({})",
                                      version, missing.size(), applicable, join(missing, "; "), dated)};
  if (applicable == 0)
    return {Status::Pass, fmt::format("{}: the table lists no SMB, NTLM or Kerberos CVE for build {} ({})", version,
                                      *host.build, dated)};
  return {Status::Pass, fmt::format("{} is at or above the fix of all {} CVEs the table lists for its build ({})",
                                    version, applicable, dated)};
}

}  // namespace smbaudit
