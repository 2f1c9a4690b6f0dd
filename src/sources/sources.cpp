#include "sources.h"

#include <fmt/format.h>

#include <array>

#include "offline/offline_source.h"
#include "smbaudit/snapshot.h"

namespace smbaudit {
namespace {

bool snapshot_selected(const SourceOptions& o) {
  return !o.facts.empty();
}

Expected<std::vector<std::unique_ptr<FactSource>>, CollectError> open_snapshot_source(const SourceOptions& o) {
  auto source = open_snapshot(o.facts);
  if (!source) return Unexpected(source.error());
  std::vector<std::unique_ptr<FactSource>> out;
  out.push_back(std::move(*source));
  return out;
}

bool offline_selected(const SourceOptions& o) {
  return !o.system_hive.empty() || !o.software_hive.empty() || !o.image_root.empty();
}

constexpr SourceAvailability availability(offline::HiveReaderAvailability reader) {
  return reader == offline::HiveReaderAvailability::Built ? SourceAvailability::Built
                                                          : SourceAvailability::NotInThisBuild;
}

// Order matters only for --help; the default source (none selected) is the one named "live".
const std::array<SourceEntry, 2> kSources{{
    {"snapshot", "--facts FILE", "a JSON facts snapshot (written by 'smbaudit collect'), on any platform",
     SourceAvailability::Built, snapshot_selected, open_snapshot_source},
    {"offline", "--system PATH --software PATH | --image-root DIR",
     "an offline Windows image: its SYSTEM and SOFTWARE hive files, or the root of a mounted volume",
     availability(offline::kHiveReader), offline_selected, offline::open_offline_sources},
}};

}  // namespace

std::span<const SourceEntry> fact_sources() {
  return kSources;
}

Expected<const SourceEntry*, std::string> select_source(const SourceOptions& options) {
  const SourceEntry* chosen = nullptr;
  for (const auto& s : kSources) {
    if (!s.selected(options)) continue;
    if (chosen)
      return Unexpected(fmt::format("{} and {} cannot be combined: choose one fact source", chosen->flags, s.flags));
    if (s.availability != SourceAvailability::Built)
      return Unexpected(fmt::format("{} is not available in this build ({})", s.flags, s.description));
    chosen = &s;
  }
  if (chosen) return chosen;
  for (const auto& s : kSources)
    if (s.name == "live" && s.availability == SourceAvailability::Built) return &s;
  return static_cast<const SourceEntry*>(nullptr);
}

}  // namespace smbaudit
