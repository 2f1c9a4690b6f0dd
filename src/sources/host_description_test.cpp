#include "host_description.h"

#include <gtest/gtest.h>

namespace smbaudit {
namespace {

RegistryKeyFact key(std::vector<RegValue> values) {
  return RegistryKeyFact{Presence::Present, std::move(values), ""};
}
RegValue sz(std::string name, std::string value) {
  return {std::move(name), RegType::Sz, std::move(value)};
}
RegValue dword(std::string name, std::int64_t value) {
  return {std::move(name), RegType::Dword, value};
}

HostKeys workstation() {
  HostKeys k;
  k.current_version = key({sz("CurrentBuildNumber", "26100"), dword("UBR", 2314), sz("EditionID", "Enterprise"),
                           sz("ProductName", "Windows 11 Enterprise"), sz("InstallationType", "Client")});
  k.product_options = key({sz("ProductType", "WinNT")});
  k.computer_name = key({sz("ComputerName", "WS01")});
  k.tcpip_parameters = key({sz("Domain", " corp.example "), sz("Hostname", "ws01")});
  return k;
}

TEST(DescribeHost, ReadsEveryPropertyFromTheRegistry) {
  const HostFacts h = describe_host(workstation());
  EXPECT_EQ(h.name, "WS01");
  EXPECT_EQ(h.build, 26100);
  EXPECT_EQ(h.ubr, 2314);
  EXPECT_EQ(h.edition, "Enterprise");
  EXPECT_EQ(h.product_name, "Windows 11 Enterprise");
  EXPECT_EQ(h.installation_type, "Client");
  EXPECT_EQ(h.role, Role::Workstation);
  EXPECT_EQ(h.membership, Membership::Domain);
  EXPECT_EQ(h.domain, "corp.example");
  EXPECT_TRUE(h.unknown_reasons.empty());
}

TEST(DescribeHost, FallsBackToTheOlderValueNames) {
  HostKeys k = workstation();
  k.current_version = key({sz("CurrentBuild", "7601")});
  k.computer_name = RegistryKeyFact{};
  k.tcpip_parameters = key({sz("NV Domain", "corp.example"), sz("Hostname", "ws01")});
  const HostFacts h = describe_host(k);
  EXPECT_EQ(h.build, 7601);
  EXPECT_EQ(h.name, "ws01");
  EXPECT_EQ(h.domain, "corp.example");
}

TEST(DescribeHost, GivesAReasonNamingTheValueForEachPropertyItCannotTell) {
  HostKeys k = workstation();
  k.current_version = key({sz("CurrentBuildNumber", "26100a"), sz("UBR", "2314")});
  k.product_options = key({sz("ProductType", "Kiosk")});
  const HostFacts h = describe_host(k);
  EXPECT_EQ(h.build, std::nullopt);
  EXPECT_EQ(h.unknown_reasons.at(host_field::kBuild), "CurrentBuildNumber '26100a' is not a number");
  EXPECT_EQ(h.unknown_reasons.at(host_field::kUbr), "UBR is absent or not a number");
  EXPECT_EQ(h.unknown_reasons.at(host_field::kEdition), "EditionID is absent or not a string");
  EXPECT_EQ(h.unknown_reasons.at(host_field::kRole), "ProductType 'Kiosk' is none of WinNT, ServerNT, LanmanNT");
}

TEST(DescribeHost, AnAbsentOrUnreadableKeyIsTheReasonForWhatItHolds) {
  HostKeys k;
  k.current_version = RegistryKeyFact{};
  k.product_options = Unexpected(FactError{FactProblem::Unknown, "offline image: SYSTEM hive not read"});
  k.computer_name = k.product_options;
  k.tcpip_parameters = k.product_options;
  const HostFacts h = describe_host(k);
  EXPECT_EQ(h.unknown_reasons.at(host_field::kBuild), std::string(kCurrentVersionKey) + " is absent");
  EXPECT_EQ(h.unknown_reasons.at(host_field::kEdition), std::string(kCurrentVersionKey) + " is absent");
  EXPECT_EQ(h.unknown_reasons.at(host_field::kRole), "offline image: SYSTEM hive not read");
  EXPECT_EQ(h.unknown_reasons.at(host_field::kMembership), "offline image: SYSTEM hive not read");
  EXPECT_EQ(h.name, "");
}

TEST(DescribeHost, ADomainControllerIsAlwaysADomainMember) {
  HostKeys k = workstation();
  k.product_options = key({sz("ProductType", "LanmanNT")});
  k.tcpip_parameters = RegistryKeyFact{};
  const HostFacts h = describe_host(k);
  EXPECT_EQ(h.role, Role::DomainController);
  EXPECT_EQ(h.membership, Membership::Domain);
  EXPECT_EQ(h.unknown_reasons.count(host_field::kMembership), 0u);
}

TEST(DescribeHost, LeavesNameAndMembershipToASourceThatAsksTheHost) {
  HostKeys k = workstation();
  k.computer_name.reset();
  k.tcpip_parameters.reset();
  const HostFacts h = describe_host(k);
  EXPECT_EQ(h.name, "");
  EXPECT_EQ(h.membership, std::nullopt);
  EXPECT_EQ(h.unknown_reasons.count(host_field::kMembership), 0u);
  EXPECT_EQ(h.build, 26100);
}

}  // namespace
}  // namespace smbaudit
