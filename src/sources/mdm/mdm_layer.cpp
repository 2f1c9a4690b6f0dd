#include "mdm_layer.h"

#include <fmt/format.h>

#include <array>
#include <set>

#include "smbaudit/text.h"

namespace smbaudit::mdm {
namespace {

// Policy CSP pages (learn.microsoft.com/windows/client-management/mdm/policy-csp-<area>), each
// row's "Group policy mapping" naming the key and value below, format int with the same
// numbers (0 disabled, 1 enabled; the rate limiter's 0/1). Policies whose CSP data is an ADMX
// XML string (<enabled/>: DnsClient's Turn_Off_Multicast, Kerberos, Printing2) or whose page does
// not name the value (LocalPoliciesSecurityOptions, the dialect floors, LsaCfgFlags) are left
// out until their stored form is documented: the layer then says nothing about them.
constexpr std::array<PolicyMapping, 12> kMappings{{
    {"LanmanWorkstation", "EnableInsecureGuestLogons",
     "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation", "AllowInsecureGuestAuth"},
    {"LanmanWorkstation", "RequireEncryption", "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation",
     "RequireEncryption"},
    {"LanmanWorkstation", "AuditInsecureGuestLogon", "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation",
     "AuditInsecureGuestLogon"},
    {"LanmanWorkstation", "AuditServerDoesNotSupportEncryption",
     "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation", "AuditServerDoesNotSupportEncryption"},
    {"LanmanWorkstation", "AuditServerDoesNotSupportSigning",
     "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation", "AuditServerDoesNotSupportSigning"},
    {"LanmanWorkstation", "EnableMailslots", "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\NetworkProvider",
     "EnableMailslots"},
    {"LanmanServer", "AuditClientDoesNotSupportEncryption",
     "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanServer", "AuditClientDoesNotSupportEncryption"},
    {"LanmanServer", "AuditClientDoesNotSupportSigning", "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanServer",
     "AuditClientDoesNotSupportSigning"},
    {"LanmanServer", "AuditInsecureGuestLogon", "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanServer",
     "AuditInsecureGuestLogon"},
    {"LanmanServer", "EnableAuthRateLimiter", "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanServer",
     "EnableAuthRateLimiter"},
    {"LanmanServer", "EnableMailslots", "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\Bowser", "EnableMailslots"},
    {"DeviceGuard", "EnableVirtualizationBasedSecurity", "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\DeviceGuard",
     "EnableVirtualizationBasedSecurity"},
}};

std::string area_key(std::string_view area) {
  return fmt::format("{}\\{}", kPolicyManagerDevice, area);
}

const std::int64_t* dword(const RegValue* v) {
  return v && (v->type == RegType::Dword || v->type == RegType::Qword) ? std::get_if<std::int64_t>(&v->data) : nullptr;
}

class MdmLayer final : public FactLayer {
 public:
  [[nodiscard]] std::string name() const override { return "MDM"; }
  [[nodiscard]] bool part_of_host() const override { return true; }

  [[nodiscard]] std::vector<std::string> reads(const FactPlan& plan) const override {
    std::set<std::string> areas;
    for (const auto& m : kMappings)
      if (plan.registry_keys.count(std::string(m.key))) areas.insert(area_key(m.area));
    return {areas.begin(), areas.end()};
  }

  [[nodiscard]] Expected<LayerEdits, CollectError> edits(const FactPlan& plan, const FactSet& beneath) const override {
    LayerEdits out;
    for (const auto& m : kMappings) {
      const std::string key(m.key);
      if (!plan.registry_keys.count(key)) continue;
      // A store that cannot be read (offline without SOFTWARE, a snapshot that did not
      // collect it) says nothing: the value beneath stands as the source read it.
      auto store = beneath.registry_key(area_key(m.area));
      if (!store || store->presence != Presence::Present) continue;
      const RegValue* policy = store->find(m.policy);
      const std::int64_t* mdm = dword(policy);
      if (!mdm) continue;
      const RegValue* winner = store->find(std::string(m.policy) + "_WinningProvider");
      const auto* provider = winner ? std::get_if<std::string>(&winner->data) : nullptr;
      const std::string location =
          fmt::format("{}\\{} = {}{}", area_key(m.area), m.policy, *mdm,
                      provider && !provider->empty() ? ", winning provider " + *provider : std::string());
      auto target = beneath.registry_key(key);
      if (!target) continue;
      auto applied = target->value(m.value);
      if (!applied) continue;
      const std::int64_t* now = dword(*applied);
      if (now && *now == *mdm) {
        // The value Windows reads is the one MDM set: MDM decided it.
        out.registry.push_back(RegistryEdit{LayerAction::SetValue, key, **applied, location, "MDM (Policy CSP)", {}});
        continue;
      }
      out.registry.push_back(RegistryEdit{
          LayerAction::Unknown, key, RegValue{std::string(m.value), RegType::Other, {}}, location, "MDM (Policy CSP)",
          fmt::format("MDM sets {}/{} to {}, but {}\\{} (the value Windows reads) is {}: the policy has not been "
                      "applied, or Group Policy or a local change overrides it, and which one Windows uses until the "
                      "next MDM sync cannot be told from here",
                      m.area, m.policy, *mdm, key, m.value,
                      *applied ? (now ? std::to_string(*now) : std::string("not a number")) : std::string("absent"))});
    }
    return out;
  }
};

}  // namespace

std::span<const PolicyMapping> policy_mappings() {
  return kMappings;
}

std::shared_ptr<const FactLayer> make_mdm_layer() {
  return std::make_shared<const MdmLayer>();
}

}  // namespace smbaudit::mdm
