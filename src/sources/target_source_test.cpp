// --target: a described host whose registry is empty where policy could write, and unknown
// where only a real host could say.
#include "target_source.h"

#include <gtest/gtest.h>

namespace smbaudit {
namespace {

TEST(Target, ParsesBuildEditionAndRole) {
  auto host = parse_target("20348:ServerStandard:member_server");
  ASSERT_TRUE(host) << host.error();
  EXPECT_EQ(host->build, 20348);
  EXPECT_EQ(host->edition, "ServerStandard");
  EXPECT_EQ(host->role, Role::MemberServer);
  EXPECT_EQ(host->membership, Membership::Domain);
  EXPECT_FALSE(host->ubr);
}

TEST(Target, RefusesWhatIsNotBuildEditionRole) {
  for (const char* bad :
       {"", "26100", "26100:Enterprise", "x:Enterprise:workstation", "26100::workstation", "26100:Enterprise:laptop",
        "26100:Enterprise:workstation:extra", "99:Enterprise:workstation", "26100:Enter prise:workstation"}) {
    auto host = parse_target(bad);
    ASSERT_FALSE(host) << bad;
    EXPECT_NE(host.error().find(std::string("--target '") + bad + "'"), std::string::npos) << host.error();
  }
}

TEST(Target, PolicyKeysAreAbsentWhileInstalledComponentsAndRunningStateAreUnknown) {
  auto source = make_target_source(*parse_target("26100:Enterprise:workstation"), "26100:Enterprise:workstation");
  FactPlan plan;
  plan.registry_keys = {"HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation",
                        "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters",
                        "HKLM\\SYSTEM\\CurrentControlSet\\Services\\mrxsmb10"};
  plan.services = {"WebClient"};
  plan.wmi_classes = {{"root\\cimv2", "Win32_QuickFixEngineering"}};
  plan.account_policy = true;
  auto facts = source->collect(plan);
  ASSERT_TRUE(facts);
  auto policy = facts->registry_key("HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation");
  ASSERT_TRUE(policy);
  EXPECT_EQ(policy->presence, Presence::Absent);
  auto parameters = facts->registry_key("HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters");
  ASSERT_TRUE(parameters);
  EXPECT_EQ(parameters->presence, Presence::Absent);
  auto driver = facts->registry_key("HKLM\\SYSTEM\\CurrentControlSet\\Services\\mrxsmb10");
  ASSERT_FALSE(driver) << "whether SMB1 is installed depends on the image, not the build";
  EXPECT_EQ(driver.error().problem, FactProblem::Unknown);
  auto web = facts->service("WebClient");
  ASSERT_FALSE(web);
  EXPECT_EQ(web.error().problem, FactProblem::Unknown);
  EXPECT_FALSE(facts->wmi_class({"root\\cimv2", "Win32_QuickFixEngineering"}));
  EXPECT_FALSE(facts->account_policy_fact());
  EXPECT_EQ(source->info().kind, "target");
}

}  // namespace
}  // namespace smbaudit
