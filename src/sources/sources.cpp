#include "sources.h"

#include <array>

namespace smbaudit {
namespace {

const std::array<SourceEntry, 1> kSources{{
    {"snapshot", "--facts FILE", "a JSON facts snapshot (written by 'smbaudit collect'), on any platform", true},
}};

}  // namespace

std::span<const SourceEntry> fact_sources() {
  return kSources;
}

}  // namespace smbaudit
