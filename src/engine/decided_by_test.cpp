// Who decided a finding: each store named once, from the evidence marked decided and read.
#include <gtest/gtest.h>

#include "smbaudit/report.h"

namespace smbaudit {
namespace {

Evidence decided(EvidenceKind kind, std::string path, std::string name = "") {
  return Evidence{.kind = kind, .path = std::move(path), .name = std::move(name), .role = EvidenceRole::Decided};
}

TEST(DecidedBy, NamesEachStoreThatDecidedOnce) {
  Finding f;
  f.evidence.push_back(decided(EvidenceKind::Registry,
                               "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation",
                               "AllowInsecureGuestAuth"));
  f.evidence.push_back(decided(EvidenceKind::Registry,
                               "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters",
                               "RequireSecuritySignature"));
  f.evidence.push_back(decided(EvidenceKind::Wmi, "root\\Microsoft\\Windows\\SMB:MSFT_SmbClientConfiguration",
                               "RequireSecuritySignature"));
  Evidence d = decided(EvidenceKind::Default, "build >= 26100");
  d.note = "signing required by default from 24H2";
  f.evidence.push_back(d);
  f.evidence.push_back(decided(EvidenceKind::Service, "WebClient"));
  f.evidence.push_back(decided(EvidenceKind::Host, "OS build"));
  f.evidence.push_back(decided(EvidenceKind::Host, "account policy", "min_password_length"));
  Evidence gpo = decided(EvidenceKind::Registry, "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation",
                         "RequireEncryption");
  gpo.layer = LayerNote{LayerAction::SetValue, "RequireEncryption", gpo.path,
                        FactOrigin{"GPO 'SMB baseline' {31B2F340}", "Machine\\Registry.pol, record at 0x10"}};
  f.evidence.push_back(gpo);
  Evidence mdm = gpo;
  mdm.layer->origin = FactOrigin{"MDM (Policy CSP)", "PolicyManager ...\\RequireEncryption = 1"};
  f.evidence.push_back(mdm);
  f.evidence.push_back(f.evidence.front());  // the same fact twice: one entry
  Evidence consulted = decided(EvidenceKind::Registry, "HKLM\\SYSTEM\\X", "Y");
  consulted.role = EvidenceRole::Consulted;
  f.evidence.push_back(consulted);  // consulted facts decide nothing
  Evidence unread = decided(EvidenceKind::Registry, "HKLM\\SYSTEM\\Z", "W");
  unread.readability = Readability::Unknown;
  f.evidence.push_back(unread);  // neither does a fact that could not be read

  const std::vector<Decision> expected{
      {DecidingStore::PolicyValue,
       "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation\\AllowInsecureGuestAuth"},
      {DecidingStore::LocalSetting,
       "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters\\RequireSecuritySignature"},
      {DecidingStore::WmiEffectiveValue,
       "root\\Microsoft\\Windows\\SMB:MSFT_SmbClientConfiguration.RequireSecuritySignature"},
      {DecidingStore::WindowsDefault, "on build >= 26100: signing required by default from 24H2"},
      {DecidingStore::ServiceConfiguration, "WebClient"},
      {DecidingStore::HostFacts, "OS build"},
      {DecidingStore::AccountPolicy, "min_password_length"},
      {DecidingStore::GroupPolicy, "GPO 'SMB baseline' {31B2F340} (Machine\\Registry.pol, record at 0x10)"},
      {DecidingStore::Mdm, "MDM (Policy CSP) (PolicyManager ...\\RequireEncryption = 1)"},
  };
  EXPECT_EQ(decided_by(f), expected);
  EXPECT_EQ(to_string(DecidingStore::WmiEffectiveValue), "wmi_effective_value");
  EXPECT_TRUE(decided_by(Finding{}).empty());
}

}  // namespace
}  // namespace smbaudit
