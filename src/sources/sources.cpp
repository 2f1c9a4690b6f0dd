#include "sources.h"

#include <fmt/format.h>

#include <array>

#include "computers.h"
#include "offline/offline_source.h"
#include "smbaudit/snapshot.h"
#ifdef _WIN32
#include "live/live_source.h"
#endif

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

bool live_selected(const SourceOptions& o) {
  return !o.computers.empty() || !o.computer_list.empty();
}

Expected<std::vector<std::unique_ptr<FactSource>>, CollectError> open_live_source(const SourceOptions& o) {
  auto names = computer_names(o.computers, o.computer_list);
  if (!names) return Unexpected(CollectError{CollectFailure::BadInput, names.error()});
#ifdef _WIN32
  return live::open_live_sources(*names, std::chrono::seconds(o.timeout_seconds));
#else
  return Unexpected(CollectError{CollectFailure::BadInput, "live collection is only available on Windows"});
#endif
}

#ifdef _WIN32
constexpr SourceAvailability kLiveAvailability = SourceAvailability::Built;
#else
constexpr SourceAvailability kLiveAvailability = SourceAvailability::NotInThisBuild;
#endif

// Order matters only for --help; the default source (none selected) is the one named "live".
const std::array<SourceEntry, 3> kSources{{
    {"snapshot", "--facts FILE", "a JSON facts snapshot (written by 'smbaudit collect'), on any platform",
     SourceAvailability::Built, snapshot_selected, open_snapshot_source},
    {"offline", "--system PATH --software PATH | --image-root DIR",
     "an offline Windows image: its SYSTEM and SOFTWARE hive files, or the root of a mounted volume",
     availability(offline::kHiveReader), offline_selected, offline::open_offline_sources},
    {"live", "--computer NAME",
     "Windows only: this host (the default) or remote hosts (--computer, --computer-list) through the registry, "
     "service control manager and WMI",
     kLiveAvailability, live_selected, open_live_source},
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
