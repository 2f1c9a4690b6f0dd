#include "host_description.h"

#include <fmt/format.h>

#include <limits>

#include "../core/parse.h"
#include "smbaudit/text.h"

namespace smbaudit {
namespace {

const std::string* string_value(const RegistryKeyFact& key, std::string_view name) {
  const RegValue* v = key.find(name);
  return v ? std::get_if<std::string>(&v->data) : nullptr;
}

// The key's values, or why they cannot be read: its read error, or that it is absent.
Expected<const RegistryKeyFact*, std::string> readable(const FactResult<RegistryKeyFact>& key, std::string_view path) {
  if (!key) return Unexpected(key.error().message);
  if (key->presence == Presence::Absent) return Unexpected(fmt::format("{} is absent", path));
  return &*key;
}

void describe_version(const FactResult<RegistryKeyFact>& key, HostFacts& host) {
  auto& why = host.unknown_reasons;
  auto cv = readable(key, kCurrentVersionKey);
  if (!cv) {
    for (const char* field : {host_field::kBuild, host_field::kUbr, host_field::kEdition}) why[field] = cv.error();
    return;
  }
  const RegistryKeyFact& v = **cv;
  // CurrentBuild is the older name, kept beside CurrentBuildNumber by every release since.
  const char* build_name = string_value(v, "CurrentBuildNumber") ? "CurrentBuildNumber" : "CurrentBuild";
  if (const auto* build = string_value(v, build_name)) {
    if (auto n = parse_int(trim(*build), 0, std::numeric_limits<int>::max()))
      host.build = static_cast<int>(*n);
    else
      why[host_field::kBuild] = fmt::format("{} '{}' is not a number", build_name, *build);
  } else {
    why[host_field::kBuild] = "CurrentBuildNumber is absent or not a string";
  }
  const RegValue* ubr = v.find("UBR");
  const auto* number = ubr && (ubr->type == RegType::Dword || ubr->type == RegType::Qword)
                           ? std::get_if<std::int64_t>(&ubr->data)
                           : nullptr;
  if (number && *number >= 0 && *number <= std::numeric_limits<int>::max())
    host.ubr = static_cast<int>(*number);
  else
    why[host_field::kUbr] = "UBR is absent or not a number";
  if (const auto* edition = string_value(v, "EditionID"))
    host.edition = *edition;
  else
    why[host_field::kEdition] = "EditionID is absent or not a string";
  if (const auto* product = string_value(v, "ProductName")) host.product_name = *product;
  if (const auto* type = string_value(v, "InstallationType")) host.installation_type = *type;
}

void describe_role(const FactResult<RegistryKeyFact>& key, HostFacts& host) {
  auto& why = host.unknown_reasons;
  if (!key) {
    why[host_field::kRole] = key.error().message;
    return;
  }
  const auto* type = key->presence == Presence::Present ? string_value(*key, "ProductType") : nullptr;
  if (!type) {
    why[host_field::kRole] = fmt::format("{}\\ProductType is absent or not a string", kProductOptionsKey);
    return;
  }
  host.role = role_from_product_type(*type);
  if (!host.role) why[host_field::kRole] = fmt::format("ProductType '{}' is none of WinNT, ServerNT, LanmanNT", *type);
}

void describe_identity(const FactResult<RegistryKeyFact>& computer_name, const FactResult<RegistryKeyFact>& tcpip,
                       HostFacts& host) {
  if (computer_name && computer_name->presence == Presence::Present)
    if (const auto* name = string_value(*computer_name, "ComputerName")) host.name = *name;
  auto parameters = readable(tcpip, kTcpipParametersKey);
  if (!parameters) {
    host.unknown_reasons[host_field::kMembership] = parameters.error();
  } else {
    // Domain is the joined domain's DNS name; NV Domain the primary DNS suffix it was set from.
    for (const char* value : {"Domain", "NV Domain"}) {
      const auto* domain = string_value(**parameters, value);
      if (domain && !trim(*domain).empty()) {
        host.domain = std::string(trim(*domain));
        break;
      }
    }
    host.membership = host.domain ? Membership::Domain : Membership::Workgroup;
    if (host.name.empty())
      if (const auto* name = string_value(**parameters, "Hostname")) host.name = *name;
  }
  if (host.role == Role::DomainController) {
    host.membership = Membership::Domain;
    host.unknown_reasons.erase(host_field::kMembership);
  }
}

}  // namespace

HostFacts describe_host(const HostKeys& keys) {
  HostFacts host;
  describe_version(keys.current_version, host);
  describe_role(keys.product_options, host);
  if (keys.computer_name && keys.tcpip_parameters) describe_identity(*keys.computer_name, *keys.tcpip_parameters, host);
  return host;
}

}  // namespace smbaudit
