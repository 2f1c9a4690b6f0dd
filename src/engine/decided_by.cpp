// Who decided a finding: the store behind each piece of evidence the verdict rests on.
#include <fmt/format.h>

#include <array>

#include "../core/enum_names.h"
#include "smbaudit/report.h"
#include "smbaudit/text.h"

namespace smbaudit {
namespace {

constexpr std::array<std::pair<DecidingStore, std::string_view>, 9> kStores{{
    {DecidingStore::GroupPolicy, "group_policy"},
    {DecidingStore::Mdm, "mdm"},
    {DecidingStore::PolicyValue, "policy_value"},
    {DecidingStore::LocalSetting, "local_setting"},
    {DecidingStore::WmiEffectiveValue, "wmi_effective_value"},
    {DecidingStore::WindowsDefault, "windows_default"},
    {DecidingStore::ServiceConfiguration, "service_configuration"},
    {DecidingStore::HostFacts, "host_facts"},
    {DecidingStore::AccountPolicy, "account_policy"},
}};

// The registry keys Group Policy's Administrative Templates and security policies write.
bool policy_key(std::string_view path) {
  return istarts_with(path, "HKLM\\SOFTWARE\\Policies\\") ||
         istarts_with(path, "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\");
}

Decision decision(const Evidence& e) {
  const std::string where = e.name.empty() ? e.path : e.path + "\\" + e.name;
  if (e.layer) {
    const std::string& by = e.layer->origin.layer;
    const std::string detail =
        e.layer->origin.location.empty() ? by : fmt::format("{} ({})", by, e.layer->origin.location);
    if (istarts_with(by, "MDM")) return {DecidingStore::Mdm, detail};
    return {DecidingStore::GroupPolicy, detail};
  }
  switch (e.kind) {
    case EvidenceKind::Default:
      return {DecidingStore::WindowsDefault,
              e.note.empty() ? "on " + e.path : fmt::format("on {}: {}", e.path, e.note)};
    case EvidenceKind::Wmi: return {DecidingStore::WmiEffectiveValue, e.path + "." + e.name};
    case EvidenceKind::Service: return {DecidingStore::ServiceConfiguration, e.path};
    case EvidenceKind::Host:
      if (e.path == "account policy") return {DecidingStore::AccountPolicy, e.name};
      return {DecidingStore::HostFacts, e.path};
    case EvidenceKind::Registry:
      return {policy_key(e.path) ? DecidingStore::PolicyValue : DecidingStore::LocalSetting, where};
  }
  return {DecidingStore::LocalSetting, where};
}

}  // namespace

std::string_view to_string(DecidingStore store) {
  return name_of(kStores, store);
}

std::vector<Decision> decided_by(const Finding& finding) {
  std::vector<Decision> out;
  for (const auto& e : finding.evidence) {
    if (e.role != EvidenceRole::Decided || e.readability != Readability::Read) continue;
    Decision d = decision(e);
    if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(std::move(d));
  }
  return out;
}

}  // namespace smbaudit
