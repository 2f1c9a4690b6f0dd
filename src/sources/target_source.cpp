#include "target_source.h"

#include <fmt/format.h>

#include <vector>

#include "../core/parse.h"
#include "smbaudit/text.h"

namespace smbaudit {
namespace {

constexpr std::string_view kServices = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\";

// A service's own key (Services\NAME): whether it exists says whether the service or driver
// is installed, which depends on the image and its upgrade history (mrxsmb10 is there after
// an upgrade from 1703, not on a clean 1709 install), not on the build alone.
bool is_service_key(std::string_view key) {
  return istarts_with(key, kServices) && key.size() > kServices.size() &&
         key.find('\\', kServices.size()) == std::string_view::npos;
}

class TargetSource final : public FactSource {
 public:
  TargetSource(HostFacts host, std::string spec) : host_(std::move(host)), spec_(std::move(spec)) {}

  [[nodiscard]] SourceInfo info() const override {
    return {"target", fmt::format("{}, a described host with no registry: what policy leaves unset is Windows' "
                                  "default",
                                  spec_)};
  }

  Expected<HostFacts, CollectError> host() override { return host_; }

  Expected<FactSet, CollectError> collect(const FactPlan& plan) override {
    FactSet facts;
    for (const auto& key : plan.registry_keys) {
      if (is_service_key(key))
        facts.registry.emplace(key, Unexpected(unknown(fmt::format(
                                        "whether {} exists (the service or driver is installed) depends on the image "
                                        "and its upgrade history, which --target does not describe",
                                        key))));
      else
        facts.registry.emplace(key, RegistryKeyFact{});  // absent: each rule's Windows default applies
    }
    for (const auto& service : plan.services)
      facts.services.emplace(
          service,
          Unexpected(unknown(fmt::format("whether service {} is installed and how it starts is known only on a "
                                         "host or image, not from --target",
                                         service))));
    for (const auto& cls : plan.wmi_classes)
      facts.wmi.emplace(
          cls, Unexpected(unknown(fmt::format("WMI class {} is read only on a running host", cls.class_name))));
    if (plan.account_policy)
      facts.account_policy = Unexpected(unknown("the local account policy is known only on a host or image"));
    return facts;
  }

 private:
  FactError unknown(std::string why) const {
    return FactError{FactProblem::Unknown, fmt::format("target {}: {}", spec_, why)};
  }

  HostFacts host_;
  std::string spec_;
};

}  // namespace

Expected<HostFacts, std::string> parse_target(std::string_view spec) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t colon = spec.find(':', start);
    parts.push_back(spec.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  const std::string form =
      "expected BUILD:EDITION:ROLE, e.g. 26100:Enterprise:workstation, with ROLE one of "
      "workstation, member_server, domain_controller";
  if (parts.size() != 3) return Unexpected(fmt::format("--target '{}': {}", spec, form));
  const std::string_view b = parts[0];
  const auto parsed_build = parse_int(b, 6000, 99999);
  if (!parsed_build)
    return Unexpected(fmt::format("--target '{}': build '{}' is not a Windows build number (6000 to 99999)", spec, b));
  const int build = static_cast<int>(*parsed_build);
  const std::string_view edition = parts[1];
  if (edition.empty() || edition.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") !=
                             std::string_view::npos)
    return Unexpected(
        fmt::format("--target '{}': edition '{}' is not an EditionID such as Enterprise, Professional "
                    "or ServerStandard",
                    spec, edition));
  const auto role = role_from_string(parts[2]);
  if (!role) return Unexpected(fmt::format("--target '{}': unknown role '{}'; {}", spec, parts[2], form));
  HostFacts host;
  host.name = fmt::format("target-{}-{}-{}", build, edition, parts[2]);
  host.build = build;
  host.edition = std::string(edition);
  host.role = *role;
  host.installation_type = *role == Role::Workstation ? "Client" : "Server";
  // Group Policy from a domain reaches only domain members, so a target that receives the
  // GPOs is one; rules for domain members are then evaluated, never skipped.
  host.membership = Membership::Domain;
  host.unknown_reasons[host_field::kUbr] = "a --target host has no installed updates to read";
  host.unknown_reasons[host_field::kElevation] = "a --target host is described, not read";
  return host;
}

std::unique_ptr<FactSource> make_target_source(HostFacts target, std::string spec) {
  return std::make_unique<TargetSource>(std::move(target), std::move(spec));
}

}  // namespace smbaudit
