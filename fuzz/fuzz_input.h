// Shared by the libFuzzer targets: the input as text, and the built-in pack loaded once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "smbaudit/engine.h"
#include "smbaudit/rule_loader.h"

namespace smbaudit::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The pack compiled into the binary: what profiles and snapshots are checked against.
inline const RulePack& builtin_pack() {
  static const RulePack pack = [] {
    auto loaded = load_rule_pack(builtin_rule_files(), "built-in", builtin_data_files());
    // A broken built-in pack is a build problem, not a finding: stop loudly.
    if (!loaded) std::abort();
    return std::move(*loaded);
  }();
  return pack;
}

// A property the parser promised does not hold: crash so libFuzzer records the input.
inline void require(bool holds) {
  if (!holds) std::abort();
}

}  // namespace smbaudit::fuzz
