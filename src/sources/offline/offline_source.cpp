#include "offline_source.h"

#include <fmt/format.h>

#include <algorithm>

#include "../host_description.h"
#include "../subkeys.h"
#include "hive_file.h"
#include "smbaudit/text.h"

namespace smbaudit::offline {
namespace {

constexpr std::string_view kSystemPrefix = "HKLM\\SYSTEM", kSoftwarePrefix = "HKLM\\SOFTWARE";
constexpr std::string_view kCurrentVersion = "Microsoft\\Windows NT\\CurrentVersion";

std::string_view role_name(HiveRole role) {
  return role == HiveRole::System ? "SYSTEM" : "SOFTWARE";
}

Unexpected<CollectError> bad(std::string message) {
  return Unexpected(CollectError{CollectFailure::BadInput, std::move(message)});
}

const RegValue* find_value(const std::vector<RegValue>& values, std::string_view name) {
  auto it = std::find_if(values.begin(), values.end(), [&](const RegValue& v) { return iequals(v.name, name); });
  return it == values.end() ? nullptr : &*it;
}

std::optional<std::int64_t> number_value(const std::vector<RegValue>& values, std::string_view name) {
  const RegValue* v = find_value(values, name);
  if (!v || (v->type != RegType::Dword && v->type != RegType::Qword)) return std::nullopt;
  return std::get<std::int64_t>(v->data);
}

// The hive-relative path of a plan path under `prefix` ("HKLM\SYSTEM"), or nullopt when it is not under it.
std::optional<std::string> under(std::string_view path, std::string_view prefix) {
  if (!istarts_with(path, prefix)) return std::nullopt;
  path.remove_prefix(prefix.size());
  if (path.empty()) return std::string();
  if (path.front() != '\\') return std::nullopt;
  return std::string(path.substr(1));
}

using KeyRead = Expected<std::optional<std::vector<RegValue>>, CollectError>;

// Reads a key; a hive whose structure fails to read is bad input, named with the key.
KeyRead read(HiveFile& file, const std::string& inner) {
  auto key = file.hive->read_key(inner);
  if (!key) return bad(fmt::format("{}: {} (reading key \\{})", file.path, key.error(), inner));
  return std::move(*key);
}

class OfflineSource final : public FactSource {
 public:
  // The host's description is read here, when the source is opened: an audit opens its
  // sources on a second thread while the rule pack loads, so these reads cost it nothing.
  OfflineSource(OfflineImage image, std::string control_set)
      : image_(std::move(image)), control_set_(std::move(control_set)), host_(read_host()) {}

  [[nodiscard]] SourceInfo info() const override {
    std::vector<std::string> parts;
    for (auto role : {HiveRole::System, HiveRole::Software}) {
      const auto& file = role == HiveRole::System ? image_.system : image_.software;
      if (!file) {
        parts.push_back(fmt::format("{} not read ({})", role_name(role), image_.missing_note));
        continue;
      }
      std::string part = fmt::format("{} {}", role_name(role), file->path);
      if (role == HiveRole::System) part += fmt::format(" (CurrentControlSet = {})", control_set_);
      if (file->dirty) part += " (dirty: changes still in its .LOG1/.LOG2 files are not read)";
      parts.push_back(std::move(part));
    }
    return {"offline", join(parts, "; ")};
  }

  Expected<HostFacts, CollectError> host() override { return host_; }

 private:
  Expected<HostFacts, CollectError> read_host() {
    // A hive left out makes what it holds unknown, its reason the missing hive.
    HostKeys keys;
    SMBAUDIT_TRY_ASSIGN(keys.current_version, registry_key(std::string(kCurrentVersionKey)));
    SMBAUDIT_TRY_ASSIGN(keys.product_options, registry_key(std::string(kProductOptionsKey)));
    SMBAUDIT_TRY_ASSIGN(keys.computer_name, registry_key(std::string(kComputerNameKey)));
    SMBAUDIT_TRY_ASSIGN(keys.tcpip_parameters, registry_key(std::string(kTcpipParametersKey)));
    return describe_host(keys);
  }

 public:
  Expected<FactSet, CollectError> collect(const FactPlan& plan) override {
    FactSet out;
    for (const auto& path : plan.registry_keys) {
      SMBAUDIT_TRY_ASSIGN(auto key, registry_key(path));
      out.registry.emplace(path, std::move(key));
    }
    SMBAUDIT_TRY(collect_subkeys(
        plan, out, [this](const std::string& path) { return subkey_list(path); },
        [this](const std::string& path) { return registry_key(path); }));
    for (const auto& name : plan.services) {
      SMBAUDIT_TRY_ASSIGN(auto service, service_fact(name));
      out.services.emplace(name, std::move(service));
    }
    for (const auto& cls : plan.wmi_classes)
      out.wmi.emplace(cls,
                      Unexpected(FactError{FactProblem::Unknown, "offline image: WMI exists only on a live host"}));
    if (plan.account_policy)
      out.account_policy = Unexpected(
          FactError{FactProblem::Unknown, "offline image: the account policy is only readable from a live host"});
    return out;
  }

 private:
  FactError missing(HiveRole role) const {
    return {FactProblem::Unknown,
            fmt::format("offline image: {} hive not read ({})", role_name(role), image_.missing_note)};
  }

  std::string origin(const HiveFile& file, const std::string& inner) const {
    return fmt::format("{}:\\{}", file.path, inner);
  }

  // The hive-relative path of a SYSTEM path, with CurrentControlSet resolved.
  std::string system_path(std::string inner) const {
    const auto sep = inner.find('\\');
    if (iequals(std::string_view(inner).substr(0, sep), "CurrentControlSet"))
      inner = sep == std::string::npos ? control_set_ : control_set_ + inner.substr(sep);
    return inner;
  }

  // Where a plan path lies: its hive (nullptr: that hive was not given) and the path inside it,
  // or why an offline image cannot hold it.
  struct Located {
    HiveFile* file = nullptr;
    HiveRole role = HiveRole::System;
    std::string inner;
  };
  Expected<Located, FactError> locate(const std::string& path) {
    if (auto inner = under(path, kSystemPrefix))
      return Located{image_.system ? &*image_.system : nullptr, HiveRole::System, system_path(std::move(*inner))};
    if (auto inner = under(path, kSoftwarePrefix))
      return Located{image_.software ? &*image_.software : nullptr, HiveRole::Software, std::move(*inner)};
    return Unexpected(FactError{FactProblem::Unknown, "offline image: only HKLM\\SYSTEM and HKLM\\SOFTWARE are read"});
  }

  Expected<FactResult<RegistryKeyFact>, CollectError> registry_key(const std::string& path) {
    auto where = locate(path);
    if (!where) return FactResult<RegistryKeyFact>(Unexpected(where.error()));
    if (!where->file) return FactResult<RegistryKeyFact>(Unexpected(missing(where->role)));
    SMBAUDIT_TRY_ASSIGN(auto values, read(*where->file, where->inner));
    RegistryKeyFact key;
    key.origin = origin(*where->file, where->inner);
    if (values) {
      key.presence = Presence::Present;
      key.values = std::move(*values);
    }
    return FactResult<RegistryKeyFact>(std::move(key));
  }

  // The subkeys of a key registry_key found present; a hive whose structure fails to read is bad input.
  Expected<FactResult<std::vector<std::string>>, CollectError> subkey_list(const std::string& path) {
    auto where = locate(path);
    if (!where) return FactResult<std::vector<std::string>>(Unexpected(where.error()));
    if (!where->file) return FactResult<std::vector<std::string>>(Unexpected(missing(where->role)));
    auto names = where->file->hive->subkeys(where->inner);
    if (!names)
      return bad(fmt::format("{}: {} (listing the subkeys of \\{})", where->file->path, names.error(), where->inner));
    return FactResult<std::vector<std::string>>(names->value_or(std::vector<std::string>{}));
  }

  Expected<FactResult<ServiceFact>, CollectError> service_fact(const std::string& name) {
    if (!image_.system) return FactResult<ServiceFact>(Unexpected(missing(HiveRole::System)));
    if (name.empty() || name.find('\\') != std::string::npos)
      return FactResult<ServiceFact>(Unexpected(FactError{FactProblem::Error, "not a service name: " + name}));
    const std::string inner = control_set_ + "\\Services\\" + name;
    SMBAUDIT_TRY_ASSIGN(const auto values, read(*image_.system, inner));
    ServiceFact s;
    s.origin = origin(*image_.system, inner);
    if (!values) return FactResult<ServiceFact>(std::move(s));
    s.presence = Presence::Present;
    if (auto start = number_value(*values, "Start")) {
      s.start_type = start_type_from_dword(*start);
      if (!s.start_type)
        return FactResult<ServiceFact>(Unexpected(
            FactError{FactProblem::Error, fmt::format("{}: Start = {} is not a start type", s.origin, *start)}));
      // Services.msc's "Automatic (Delayed Start)" is Start = 2 plus this flag.
      if (*s.start_type == StartType::Automatic && number_value(*values, "DelayedAutostart").value_or(0) != 0)
        s.start_type = StartType::AutomaticDelayed;
    }
    // s.state stays unknown: only the service control manager of a running host knows it.
    s.state_note = "offline image: only a running host's service control manager knows it";
    return FactResult<ServiceFact>(std::move(s));
  }

  OfflineImage image_;
  std::string control_set_;
  Expected<HostFacts, CollectError> host_;  // after image_ and control_set_, which reading it needs
};

}  // namespace

Expected<HiveFile, CollectError> open_hive_file(const LocatedHive& located, HiveRole role) {
  const std::string& name = located.name();
  auto info = check_hive_file(located.path());
  if (!info) return bad(fmt::format("{}: {} hive: {}", name, role_name(role), info.error()));
  auto hive = open_hive(located.path());
  if (!hive) return bad(fmt::format("{}: {} hive: {}", name, role_name(role), hive.error()));
  return HiveFile{name, std::move(*hive), info->dirty, located.held()};
}

Expected<std::unique_ptr<FactSource>, CollectError> make_offline_source(OfflineImage image) {
  if (!image.system && !image.software) return bad("offline image: give a SYSTEM hive, a SOFTWARE hive or both");
  std::string control_set;
  if (image.system) {
    auto& file = *image.system;
    SMBAUDIT_TRY_ASSIGN(const auto select, read(file, "Select"));
    if (!select)
      return bad(fmt::format("{}: not a SYSTEM hive: it has no Select key (an NTUSER.DAT, SOFTWARE or other hive?)",
                             file.path));
    const auto current = number_value(*select, "Current");
    if (!current || *current < 1 || *current > 999)
      return bad(fmt::format("{}: SYSTEM hive: Select\\Current is missing or not a control set number", file.path));
    control_set = fmt::format("ControlSet{:03}", *current);
    SMBAUDIT_TRY_ASSIGN(const auto set, read(file, control_set));
    if (!set)
      return bad(fmt::format("{}: SYSTEM hive: Select\\Current names {}, which the hive does not have", file.path,
                             control_set));
  }
  if (image.software) {
    auto& file = *image.software;
    SMBAUDIT_TRY_ASSIGN(const auto version, read(file, std::string(kCurrentVersion)));
    if (!version) return bad(fmt::format("{}: not a SOFTWARE hive: it has no {} key", file.path, kCurrentVersion));
  }
  return std::unique_ptr<FactSource>(std::make_unique<OfflineSource>(std::move(image), std::move(control_set)));
}

Expected<std::unique_ptr<FactSource>, CollectError> open_located_image(const LocatedImage& located) {
  OfflineImage image;
  image.missing_note = located.missing_note;
  if (located.system) {
    SMBAUDIT_TRY_ASSIGN(image.system, open_hive_file(*located.system, HiveRole::System));
  }
  if (located.software) {
    SMBAUDIT_TRY_ASSIGN(image.software, open_hive_file(*located.software, HiveRole::Software));
  }
  return make_offline_source(std::move(image));
}

Expected<HostSources, CollectError> open_offline_sources(const SourceArgs& args) {
  const ImageLocator* chosen = nullptr;
  for (const auto& locator : image_locators()) {
    if (!any_given(locator.flags, args)) continue;
    if (chosen)
      return bad(fmt::format("{} cannot be combined with {}", flag_names(locator.flags), flag_names(chosen->flags)));
    chosen = &locator;
  }
  if (!chosen) return bad("offline image: give a SYSTEM hive, a SOFTWARE hive or both");
  // A setting of another locator (--image-index with --system) would silently do nothing.
  for (const auto& locator : image_locators()) {
    if (&locator == chosen) continue;
    for (const auto& flag : locator.flags)
      if (flag.role == FlagRole::Setting && args.given(flag))
        return bad(fmt::format("{} goes with {}, not with {}", flag.name, flag_names(locator.flags),
                               flag_names(chosen->flags)));
  }
  SMBAUDIT_TRY_ASSIGN(const LocatedImage located, chosen->locate(args));
  SMBAUDIT_TRY_ASSIGN(auto source, open_located_image(located));
  HostSources out;
  out.push_back(located.layers.empty() ? std::move(source) : layer_sources(std::move(source), located.layers));
  return out;
}

}  // namespace smbaudit::offline
