// The "updates_installed_within_days" check: the newest installed update's age (evaluation:
// src/engine/updates.cpp).
#include <ostream>

#include "../check_reader.h"

namespace smbaudit {

UpdatesCheck UpdatesCheck::parse(CheckReader& in, std::string_view key) {
  in.only_keys({"updates_installed_within_days"});
  UpdatesCheck node;
  if (auto days = in.literal_integer(key))
    node.max_age_days.literal = Value{*days};
  else if (auto name = in.param_ref(key, Value{std::int64_t{0}}))
    node.max_age_days.parameter = *name;
  return node;
}

void UpdatesCheck::facts(FactRefs& out) const {
  out.add(FactRef{FactKind::Wmi, {}, "InstalledOn", WmiClassRef{"root\\cimv2", "Win32_QuickFixEngineering"}});
}

void UpdatesCheck::show(std::ostream& out, int depth, const Check&) const {
  out << std::string(static_cast<std::size_t>(depth) * 2, ' ') << "newest Win32_QuickFixEngineering.InstalledOn within "
      << (max_age_days.parameter ? "parameter " + *max_age_days.parameter : describe(max_age_days.literal))
      << " days of collection\n";
}

}  // namespace smbaudit
