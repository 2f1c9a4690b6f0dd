// Listing keys' subkeys (FactPlan::registry_subkeys) the same way in every source that reads
// a registry: the live host, hive files, a facts file.
#pragma once

#include <fmt/format.h>

#include <string>
#include <vector>

#include "smbaudit/expected.h"
#include "smbaudit/fact_source.h"
#include "smbaudit/facts.h"
#include "smbaudit/limits.h"

namespace smbaudit {

// For each key of plan.registry_subkeys that `facts` holds as present: lists its subkeys with
// `list` (a path to Expected<FactResult<std::vector<std::string>>, CollectError>) and reads every
// subkey not collected yet with `read` (a path to Expected<FactResult<RegistryKeyFact>,
// CollectError>). A list that cannot be had, or is longer than limits::kMaxSubkeysListed, is
// recorded on the key (subkeys_unknown) for the check to report; a CollectError stops it all.
template <typename List, typename Read>
Expected<void, CollectError> collect_subkeys(const FactPlan& plan, FactSet& facts, List list, Read read) {
  for (const auto& parent : plan.registry_subkeys) {
    auto it = facts.registry.find(parent);
    if (it == facts.registry.end() || !it->second || it->second->presence != Presence::Present) continue;
    SMBAUDIT_TRY_ASSIGN(FactResult<std::vector<std::string>> names, list(parent));
    if (!names) {
      it->second->subkeys_unknown = names.error();
      continue;
    }
    if (names->size() > limits::kMaxSubkeysListed) {
      it->second->subkeys_unknown = FactError{
          FactProblem::Error,
          fmt::format("{} has more than {} subkeys, more than any setting needs", parent, limits::kMaxSubkeysListed)};
      continue;
    }
    for (const auto& name : *names) {
      const std::string path = parent + "\\" + name;
      if (facts.registry.count(path)) continue;
      SMBAUDIT_TRY_ASSIGN(FactResult<RegistryKeyFact> key, read(path));
      facts.registry.emplace(path, std::move(key));
    }
    it->second->subkeys = std::move(*names);  // map iterators outlive the insertions above
  }
  return {};
}

}  // namespace smbaudit
