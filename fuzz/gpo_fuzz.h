// Shared by the Group Policy fuzz targets: what parses is applied as a GPO and every key it
// names is resolved, so the policy model runs on whatever the readers let through.
#pragma once

#include <algorithm>

#include "../src/sources/gpo/policy_state.h"
#include "fuzz_input.h"

namespace smbaudit::fuzz {

inline void apply_and_resolve(const gpo::Gpo& gpo) {
  gpo::PolicyState state;
  state.add(gpo);
  state.add(gpo);  // a second GPO over the first: precedence and contests
  const auto keys = state.keys();
  // Resolving is linear in the events that reach a key; a few hundred keys keep each input fast.
  for (std::size_t i = 0; i < std::min<std::size_t>(keys.size(), 256); ++i) {
    const gpo::ResolvedKey key = state.resolve_key(keys[i]);
    for (const auto& v : key.values) {
      // A value the policy sets carries its data; an uncertain one says why.
      require((v.state == gpo::ValueState::Set || v.state == gpo::ValueState::SetIfAbsent) == v.value.has_value());
      require(v.state != gpo::ValueState::Uncertain || !v.doubts.empty());
      require(!v.history.empty());
    }
  }
  (void)state.resolve_service_start("WebClient");
  (void)state.account_setting("MinimumPasswordLength");
}

}  // namespace smbaudit::fuzz
