#include "sources.h"

#include <fmt/format.h>

#include <array>

#include "computers.h"
#include "gpo/gpo_layer.h"
#include "mdm/mdm_layer.h"
#include "offline/image_locator.h"
#include "offline/offline_source.h"
#include "smbaudit/snapshot.h"
#include "smbaudit/text.h"
#include "target_source.h"
#ifdef _WIN32
#include "live/live_source.h"
#endif

namespace smbaudit {

std::string& SourceArgs::text_slot(std::string_view flag) {
  return text_.try_emplace(std::string(flag)).first->second;
}
std::vector<std::string>& SourceArgs::list_slot(std::string_view flag) {
  return lists_.try_emplace(std::string(flag)).first->second;
}
int& SourceArgs::integer_slot(std::string_view flag) {
  return integers_.try_emplace(std::string(flag), 0).first->second;
}

std::string SourceArgs::text(std::string_view flag) const {
  auto it = text_.find(flag);
  return it == text_.end() ? std::string() : it->second;
}
std::vector<std::string> SourceArgs::list(std::string_view flag) const {
  auto it = lists_.find(flag);
  return it == lists_.end() ? std::vector<std::string>() : it->second;
}
int SourceArgs::integer(std::string_view flag, int fallback) const {
  auto it = integers_.find(flag);
  return it == integers_.end() ? fallback : it->second;
}
bool SourceArgs::given(const SourceFlag& flag) const {
  switch (flag.kind) {
    case FlagKind::Text: return !text(flag.name).empty();
    case FlagKind::TextList: return !list(flag.name).empty();
    case FlagKind::Integer: return integer(flag.name, flag.fallback) != flag.fallback;
  }
  return false;
}
SourceArgs& SourceArgs::set(std::string_view flag, std::string value) {
  text_slot(flag) = std::move(value);
  return *this;
}
SourceArgs& SourceArgs::add(std::string_view flag, std::string value) {
  list_slot(flag).push_back(std::move(value));
  return *this;
}

bool any_given(std::span<const SourceFlag> flags, const SourceArgs& args) {
  for (const auto& f : flags)
    if (f.role == FlagRole::Selects && args.given(f)) return true;
  return false;
}

std::string flags_usage(std::span<const SourceFlag> flags) {
  std::vector<std::string> parts;
  for (const auto& f : flags)
    if (f.role == FlagRole::Selects) parts.push_back(fmt::format("{} {}", f.name, f.value_name));
  return join(parts, " ");
}

std::string flag_names(std::span<const SourceFlag> flags) {
  std::vector<std::string> parts;
  for (const auto& f : flags)
    if (f.role == FlagRole::Selects) parts.emplace_back(f.name);
  return join(parts, " or ");
}

namespace {

HostSources one(std::unique_ptr<FactSource> source) {
  HostSources out;
  out.push_back(std::move(source));
  return out;
}

// --facts FILE: a snapshot written by `smbaudit collect`.
constexpr std::array<SourceFlag, 1> kSnapshotFlags{{
    {"--facts", "FILE", "read facts from a snapshot file (smbaudit-facts/1 JSON)"},
}};

Expected<HostSources, CollectError> open_snapshot_source(const SourceArgs& args) {
  SMBAUDIT_TRY_ASSIGN(auto source, open_snapshot(args.text("--facts")));
  return one(std::move(source));
}

// --computer NAME ... | --computer-list FILE, --timeout SECONDS: live Windows hosts.
constexpr std::array<SourceFlag, 3> kLiveFlags{{
    {"--computer", "NAME", "audit this remote Windows host (repeatable; Windows only)", FlagKind::TextList},
    {"--computer-list", "FILE", "audit the remote hosts named in FILE, one per line, '#' comments (Windows only)"},
    {"--timeout", "SECONDS", "give up on a host after SECONDS (live collection; default 30)", FlagKind::Integer,
     FlagRole::Setting, 1, 3600, 30},
}};

Expected<HostSources, CollectError> open_live_source(const SourceArgs& args) {
  auto names = computer_names(args.list("--computer"), args.text("--computer-list"));
  if (!names) return Unexpected(CollectError{CollectFailure::BadInput, names.error()});
#ifdef _WIN32
  return live::open_live_sources(*names, std::chrono::seconds(args.integer("--timeout", 30)));
#else
  return Unexpected(CollectError{CollectFailure::BadInput, "live collection is only available on Windows"});
#endif
}

#ifdef _WIN32
constexpr SourceAvailability kLiveAvailability = SourceAvailability::Built;
#else
constexpr SourceAvailability kLiveAvailability = SourceAvailability::NotInThisBuild;
#endif

constexpr SourceAvailability availability(offline::HiveReaderAvailability reader) {
  return reader == offline::HiveReaderAvailability::Built ? SourceAvailability::Built
                                                          : SourceAvailability::NotInThisBuild;
}

// --target BUILD:EDITION:ROLE: a described host with no registry, for auditing GPOs alone.
constexpr std::array<SourceFlag, 1> kTargetFlags{{
    {"--target", "BUILD:EDITION:ROLE",
     "audit a described host with no registry (e.g. 26100:Enterprise:workstation; roles workstation, "
     "member_server, domain_controller): what --gpo leaves unset takes Windows' default"},
}};

Expected<HostSources, CollectError> open_target_source(const SourceArgs& args) {
  const std::string spec = args.text("--target");
  auto host = parse_target(spec);
  if (!host) return Unexpected(CollectError{CollectFailure::BadInput, host.error()});
  return one(make_target_source(std::move(*host), spec));
}

// --gpo PATH ...: Group Policy objects layered over the host, in the order given.
constexpr std::array<SourceFlag, 1> kGpoFlags{{
    {"--gpo", "PATH",
     "apply a GPO (a Backup-GPO or SYSVOL GPO folder) over the host; repeatable, in link order, the last "
     "one winning",
     FlagKind::TextList},
}};

Expected<Layers, CollectError> open_gpo_layers(const SourceArgs& args) {
  std::vector<std::filesystem::path> folders;
  for (const auto& path : args.list("--gpo")) folders.emplace_back(path);
  auto layer = gpo::open_gpo_layer(folders);
  if (!layer) return Unexpected(CollectError{CollectFailure::BadInput, layer.error()});
  return Layers{std::move(*layer)};
}

template <std::size_t N>
std::vector<SourceFlag> list(const std::array<SourceFlag, N>& flags) {
  return {flags.begin(), flags.end()};
}

// Order matters only for --help; the default source (none selected) is the one named "live".
// Its usage shows the selecting flag the default needs least.
std::vector<SourceEntry> make_sources() {
  std::vector<SourceEntry> t;
  t.push_back({"snapshot", flags_usage(kSnapshotFlags),
               "a JSON facts snapshot (written by 'smbaudit collect'), on any platform", SourceAvailability::Built,
               list(kSnapshotFlags), OpenHosts{open_snapshot_source}});
  t.push_back({"offline", offline::locator_usage(),
               "an offline Windows image: its SYSTEM and SOFTWARE hive files, the root of a mounted volume, or an "
               "image file",
               availability(offline::kHiveReader), offline::locator_flags(), OpenHosts{offline::open_offline_sources}});
  t.push_back({"target", flags_usage(kTargetFlags),
               "a described host with no registry of its own, for --gpo alone: unset values are Windows' defaults "
               "for that build, edition and role; services, WMI and updates are unknown",
               SourceAvailability::Built, list(kTargetFlags), OpenHosts{open_target_source}});
  t.push_back({"live", "--computer NAME",
               "Windows only: this host (the default) or remote hosts (--computer, --computer-list) through the "
               "registry, service control manager and WMI",
               kLiveAvailability, list(kLiveFlags), OpenHosts{open_live_source}});
  t.push_back({"gpo", flags_usage(kGpoFlags),
               "Group Policy objects layered over the host source (or --target) as Windows applies them",
               SourceAvailability::Built, list(kGpoFlags), OpenLayers{open_gpo_layers}});
  return t;
}

}  // namespace

std::span<const SourceEntry> fact_sources() {
  static const std::vector<SourceEntry> kSources = make_sources();
  return kSources;
}

Expected<SourceSelection, std::string> select_sources(const SourceArgs& args, std::span<const SourceEntry> table) {
  SourceSelection out;
  for (const auto& s : table) {
    if (!s.selected(args)) continue;
    if (!s.is_layer() && out.host)
      return Unexpected(fmt::format("{} and {} cannot be combined: choose one fact source", out.host->usage, s.usage));
    if (s.availability != SourceAvailability::Built)
      return Unexpected(fmt::format("{} is not available in this build ({})", s.usage, s.description));
    if (s.is_layer())
      out.layers.push_back(&s);
    else
      out.host = &s;
  }
  // Layers need a host beneath them that the user chose: applying GPOs to this machine's live
  // registry by default would audit a host nobody named.
  if (!out.host && !out.layers.empty()) {
    std::vector<std::string> hosts;
    for (const auto& s : table)
      if (!s.is_layer() && s.availability == SourceAvailability::Built) hosts.push_back(s.usage);
    std::vector<std::string> layers;
    for (const SourceEntry* s : out.layers) layers.push_back(s->usage);
    return Unexpected(
        fmt::format("{} needs a host to apply to: give one of {}", join(layers, " and "), join(hosts, ", or ")));
  }
  if (!out.host)
    for (const auto& s : table)
      if (s.name == "live" && s.availability == SourceAvailability::Built) out.host = &s;
  return out;
}

Expected<HostSources, CollectError> open_selection(const SourceSelection& selection, const SourceArgs& args) {
  if (!selection.host) return Unexpected(CollectError{CollectFailure::BadInput, "no fact source given"});
  SMBAUDIT_TRY_ASSIGN(HostSources hosts, std::get<OpenHosts>(selection.host->open)(args));
  // The MDM store is part of every host with a registry, beneath any Group Policy given: it
  // names MDM where the Policy CSP decided a value, and reads nothing where there is none.
  Layers layers{mdm::make_mdm_layer()};
  for (const SourceEntry* entry : selection.layers) {
    SMBAUDIT_TRY_ASSIGN(Layers more, std::get<OpenLayers>(entry->open)(args));
    layers.insert(layers.end(), more.begin(), more.end());
  }
  for (auto& host : hosts) host = layer_sources(std::move(host), layers);
  return hosts;
}

bool any_source_given(const SourceArgs& args, std::span<const SourceEntry> table) {
  for (const auto& s : table)
    if (s.selected(args)) return true;
  return false;
}

}  // namespace smbaudit
