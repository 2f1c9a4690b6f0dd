// The table of fact sources: which flags select each, and whether this build has it.
#pragma once

#include <span>
#include <string_view>

namespace smbaudit {

struct SourceEntry {
  std::string_view name;
  std::string_view flags;
  std::string_view description;
  bool available;  // compiled into this build for this platform
};

// The one table of fact sources; feeds --help and the "no source given" message.
[[nodiscard]] std::span<const SourceEntry> fact_sources();

}  // namespace smbaudit
