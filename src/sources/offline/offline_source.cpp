#include "offline_source.h"

#include <fmt/format.h>

#include <algorithm>

#include "../host_description.h"
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
  OfflineSource(OfflineImage image, std::string control_set)
      : image_(std::move(image)), control_set_(std::move(control_set)) {}

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

  Expected<HostFacts, CollectError> host() override {
    // A hive left out makes what it holds unknown, its reason the missing hive.
    HostKeys keys;
    SMBAUDIT_TRY_ASSIGN(keys.current_version, registry_key(std::string(kCurrentVersionKey)));
    SMBAUDIT_TRY_ASSIGN(keys.product_options, registry_key(std::string(kProductOptionsKey)));
    SMBAUDIT_TRY_ASSIGN(keys.computer_name, registry_key(std::string(kComputerNameKey)));
    SMBAUDIT_TRY_ASSIGN(keys.tcpip_parameters, registry_key(std::string(kTcpipParametersKey)));
    return describe_host(keys);
  }

  Expected<FactSet, CollectError> collect(const FactPlan& plan) override {
    FactSet out;
    for (const auto& path : plan.registry_keys) {
      auto key = registry_key(path);
      if (!key) return Unexpected(std::move(key.error()));
      out.registry.emplace(path, std::move(*key));
    }
    for (const auto& name : plan.services) {
      auto service = service_fact(name);
      if (!service) return Unexpected(std::move(service.error()));
      out.services.emplace(name, std::move(*service));
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

  Expected<FactResult<RegistryKeyFact>, CollectError> registry_key(const std::string& path) {
    HiveRole role = HiveRole::System;
    std::optional<std::string> inner = under(path, kSystemPrefix);
    if (inner) {
      inner = system_path(std::move(*inner));
    } else {
      inner = under(path, kSoftwarePrefix);
      role = HiveRole::Software;
    }
    if (!inner)
      return FactResult<RegistryKeyFact>(
          Unexpected(FactError{FactProblem::Unknown, "offline image: only HKLM\\SYSTEM and HKLM\\SOFTWARE are read"}));
    auto& file = role == HiveRole::System ? image_.system : image_.software;
    if (!file) return FactResult<RegistryKeyFact>(Unexpected(missing(role)));
    auto values = read(*file, *inner);
    if (!values) return Unexpected(std::move(values.error()));
    RegistryKeyFact key;
    key.origin = origin(*file, *inner);
    if (*values) {
      key.presence = Presence::Present;
      key.values = std::move(**values);
    }
    return FactResult<RegistryKeyFact>(std::move(key));
  }

  Expected<FactResult<ServiceFact>, CollectError> service_fact(const std::string& name) {
    if (!image_.system) return FactResult<ServiceFact>(Unexpected(missing(HiveRole::System)));
    if (name.empty() || name.find('\\') != std::string::npos)
      return FactResult<ServiceFact>(Unexpected(FactError{FactProblem::Error, "not a service name: " + name}));
    const std::string inner = control_set_ + "\\Services\\" + name;
    auto values = read(*image_.system, inner);
    if (!values) return Unexpected(std::move(values.error()));
    ServiceFact s;
    s.origin = origin(*image_.system, inner);
    if (!*values) return FactResult<ServiceFact>(std::move(s));
    s.presence = Presence::Present;
    if (auto start = number_value(**values, "Start")) {
      s.start_type = start_type_from_dword(*start);
      if (!s.start_type)
        return FactResult<ServiceFact>(Unexpected(
            FactError{FactProblem::Error, fmt::format("{}: Start = {} is not a start type", s.origin, *start)}));
      // Services.msc's "Automatic (Delayed Start)" is Start = 2 plus this flag.
      if (*s.start_type == StartType::Automatic && number_value(**values, "DelayedAutostart").value_or(0) != 0)
        s.start_type = StartType::AutomaticDelayed;
    }
    // s.state stays unknown: only the service control manager of a running host knows it.
    s.state_note = "offline image: only a running host's service control manager knows it";
    return FactResult<ServiceFact>(std::move(s));
  }

  OfflineImage image_;
  std::string control_set_;
};

// The subfolder of `dir` named `name` in any case (or the file, with `want_file`); an exact match wins.
std::optional<std::filesystem::path> child_any_case(const std::filesystem::path& dir, std::string_view name,
                                                    bool want_file) {
  std::error_code ec;
  std::vector<std::filesystem::path> matches;
  for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::directory_iterator();
       it.increment(ec)) {
    const std::string entry = it->path().filename().string();
    if (!iequals(entry, name)) continue;
    std::error_code type_ec;
    const bool fits = want_file ? it->is_regular_file(type_ec) : it->is_directory(type_ec);
    if (!fits) continue;
    if (entry == name) return it->path();
    matches.push_back(it->path());
  }
  if (matches.empty()) return std::nullopt;
  return *std::min_element(matches.begin(), matches.end());
}

}  // namespace

Expected<ImageHivePaths, std::string> find_image_hives(const std::filesystem::path& root) {
  std::error_code ec;
  if (!std::filesystem::exists(root, ec)) return Unexpected(std::string("no such folder"));
  if (!std::filesystem::is_directory(root, ec))
    return Unexpected(std::string("not a folder (give the root of a mounted Windows volume)"));
  std::filesystem::path dir = root;
  for (std::string_view name : {"Windows", "System32", "config"}) {
    auto next = child_any_case(dir, name, false);
    if (!next)
      return Unexpected(
          std::string("no Windows/System32/config folder under it (is it the root of a mounted Windows volume?)"));
    dir = *next;
  }
  ImageHivePaths paths{child_any_case(dir, "SYSTEM", true), child_any_case(dir, "SOFTWARE", true)};
  if (!paths.system && !paths.software)
    return Unexpected(fmt::format("{} holds neither a SYSTEM nor a SOFTWARE hive", dir.string()));
  return paths;
}

Expected<HiveFile, CollectError> open_hive_file(const std::filesystem::path& file, HiveRole role) {
  const std::string name = file.string();
  auto info = check_hive_file(file);
  if (!info) return bad(fmt::format("{}: {} hive: {}", name, role_name(role), info.error()));
  auto hive = open_hive(file);
  if (!hive) return bad(fmt::format("{}: {} hive: {}", name, role_name(role), hive.error()));
  return HiveFile{name, std::move(*hive), info->dirty};
}

Expected<std::unique_ptr<FactSource>, CollectError> make_offline_source(OfflineImage image) {
  if (!image.system && !image.software) return bad("offline image: give a SYSTEM hive, a SOFTWARE hive or both");
  std::string control_set;
  if (image.system) {
    auto& file = *image.system;
    auto select = read(file, "Select");
    if (!select) return Unexpected(std::move(select.error()));
    if (!*select)
      return bad(fmt::format("{}: not a SYSTEM hive: it has no Select key (an NTUSER.DAT, SOFTWARE or other hive?)",
                             file.path));
    const auto current = number_value(**select, "Current");
    if (!current || *current < 1 || *current > 999)
      return bad(fmt::format("{}: SYSTEM hive: Select\\Current is missing or not a control set number", file.path));
    control_set = fmt::format("ControlSet{:03}", *current);
    auto set = read(file, control_set);
    if (!set) return Unexpected(std::move(set.error()));
    if (!*set)
      return bad(fmt::format("{}: SYSTEM hive: Select\\Current names {}, which the hive does not have", file.path,
                             control_set));
  }
  if (image.software) {
    auto& file = *image.software;
    auto version = read(file, std::string(kCurrentVersion));
    if (!version) return Unexpected(std::move(version.error()));
    if (!*version) return bad(fmt::format("{}: not a SOFTWARE hive: it has no {} key", file.path, kCurrentVersion));
  }
  return std::unique_ptr<FactSource>(std::make_unique<OfflineSource>(std::move(image), std::move(control_set)));
}

Expected<std::vector<std::unique_ptr<FactSource>>, CollectError> open_offline_sources(const SourceOptions& options) {
  OfflineImage image;
  std::optional<std::filesystem::path> system, software;
  if (!options.image_root.empty()) {
    if (!options.system_hive.empty() || !options.software_hive.empty())
      return bad("--image-root cannot be combined with --system or --software");
    auto found = find_image_hives(options.image_root);
    if (!found) return bad(fmt::format("{}: {}", options.image_root, found.error()));
    system = found->system;
    software = found->software;
    image.missing_note = fmt::format("no {} hive under {}", system ? "SOFTWARE" : "SYSTEM", options.image_root);
  } else {
    if (!options.system_hive.empty()) system = options.system_hive;
    if (!options.software_hive.empty()) software = options.software_hive;
    image.missing_note = system ? "no --software hive given" : "no --system hive given";
  }
  if (system) {
    auto file = open_hive_file(*system, HiveRole::System);
    if (!file) return Unexpected(std::move(file.error()));
    image.system = std::move(*file);
  }
  if (software) {
    auto file = open_hive_file(*software, HiveRole::Software);
    if (!file) return Unexpected(std::move(file.error()));
    image.software = std::move(*file);
  }
  auto source = make_offline_source(std::move(image));
  if (!source) return Unexpected(std::move(source.error()));
  std::vector<std::unique_ptr<FactSource>> out;
  out.push_back(std::move(*source));
  return out;
}

}  // namespace smbaudit::offline
