#ifdef _WIN32
#include "live_source.h"

#include <gtest/gtest.h>

namespace smbaudit::live {
namespace {

using namespace std::chrono_literals;

TEST(LiveSource, CollectsEveryKindOfFactFromThisHost) {
  auto sources = open_live_sources({}, 60s);
  ASSERT_EQ(sources.size(), 1u);
  FactSource& source = *sources.front();
  EXPECT_EQ(source.info().kind, "live");
  auto host = source.host();
  ASSERT_TRUE(host) << host.error().message;
  EXPECT_FALSE(host->name.empty());
  EXPECT_TRUE(host->build);
  EXPECT_TRUE(host->role);
  EXPECT_TRUE(host->elevation);
  EXPECT_TRUE(host->collected_at);

  FactPlan plan;
  plan.registry_keys = {"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
                        "HKLM\\SYSTEM\\CurrentControlSet\\Services\\smbaudit-no-such-driver"};
  plan.services = {"RpcSs", "smbaudit-no-such-service"};
  plan.wmi_classes = {{"root\\cimv2", "Win32_OperatingSystem"}, {"root\\Microsoft\\Windows\\SMB", "MSFT_SmbShare"}};
  plan.account_policy = true;
  auto facts = source.collect(plan);
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->registry.size(), 2u);
  EXPECT_EQ(facts->registry_key("HKLM\\SYSTEM\\CurrentControlSet\\Services\\smbaudit-no-such-driver")->presence,
            Presence::Absent);
  EXPECT_EQ(facts->service("smbaudit-no-such-service")->presence, Presence::Absent);
  EXPECT_EQ(facts->service("RpcSs")->presence, Presence::Present);
  EXPECT_TRUE(facts->wmi_class({"root\\cimv2", "Win32_OperatingSystem"}));
  EXPECT_TRUE(facts->account_policy);
  // CurrentVersion and ProductOptions were read for the host facts; the plan's CurrentVersion
  // comes from the cache, so only the driver key is new.
  const std::string summary = source.collection_summary();
  EXPECT_NE(summary.find("3 registry keys read"), std::string::npos) << summary;
  EXPECT_NE(summary.find("2 services queried"), std::string::npos) << summary;
}

TEST(LiveSource, AnUnreachableHostIsACollectionFailureNamingTheHostAndTheApi) {
  auto sources = open_live_sources({"smbaudit-unreachable.invalid"}, 20s);
  ASSERT_EQ(sources.size(), 1u);
  auto host = sources.front()->host();
  ASSERT_FALSE(host);
  EXPECT_EQ(host.error().failure, CollectFailure::CollectionFailed);
  EXPECT_EQ(host.error().host, "smbaudit-unreachable.invalid");
  EXPECT_NE(host.error().message.find("RegConnectRegistryW"), std::string::npos) << host.error().message;
  EXPECT_FALSE(sources.front()->collect(FactPlan{}));
}

}  // namespace
}  // namespace smbaudit::live
#endif
