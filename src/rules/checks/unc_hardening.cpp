// The "unc_hardened_paths" check: required UNC patterns covered with the required flags
// (evaluation: src/engine/unc_paths.cpp).
#include <ostream>

#include "../check_reader.h"

namespace smbaudit {

UncHardeningCheck UncHardeningCheck::parse(CheckReader& in, std::string_view key) {
  in.only_keys({"unc_hardened_paths"});
  UncHardeningCheck node;
  auto spec = in.object(key, "{paths, flags, extra_paths, require_privacy, default_from_build}");
  if (!spec) return node;
  spec->only_keys({"paths", "flags", "extra_paths", "require_privacy", "default_from_build"});
  node.paths = spec->strings("paths");
  node.flags = spec->strings("flags");
  if (node.flags.empty()) spec->fail("/flags", "name at least one flag (RequireMutualAuthentication...)");
  node.default_from_build = spec->integer("default_from_build");
  node.extra_paths_parameter = spec->param_ref("extra_paths", Value{StringList{}});
  node.privacy_parameter = spec->param_ref("require_privacy", Value{false});
  return node;
}

void UncHardeningCheck::facts(FactRefs& out) const {
  out.add(FactRef{FactKind::RegistryKey, std::string(kHardenedPathsFactKey), {}, {}});
}

void UncHardeningCheck::show(std::ostream& out, int depth, const Check&) const {
  const std::string pad(static_cast<std::size_t>(depth) * 2, ' ');
  out << pad << "UNC hardened paths " << join(paths, ", ") << " require " << join(flags, ", ")
      << (privacy_parameter ? " (+ RequirePrivacy if parameter " + *privacy_parameter + ")" : "") << "\n"
      << pad << "  reads " << kHardenedPathsFactKey << "\n";
  if (default_from_build)
    out << pad << "  default: SYSVOL and NETLOGON hardened from build " << *default_from_build << "\n";
}

}  // namespace smbaudit
