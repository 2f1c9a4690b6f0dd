// The MDM layer over a snapshot: MDM is named where the value Windows reads is the one the
// Policy CSP set, the value is unknown where MDM holds a policy the value does not show, and
// nothing changes where PolicyManager holds nothing (or cannot be read).
#include "mdm_layer.h"

#include <gtest/gtest.h>

#include "smbaudit/snapshot.h"

namespace smbaudit::mdm {
namespace {

constexpr const char* kWorkstation = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation";
constexpr const char* kServer = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanServer";
constexpr const char* kGuard = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\DeviceGuard";

FactSet collect(const std::string& registry) {
  auto base = parse_snapshot(R"({"schema": "smbaudit-facts/1", "host": {"name": "WS01", "os_build": 26100},
    "registry": {)" + registry + "}}",
                             "base.json");
  EXPECT_TRUE(base) << base.error().message;
  auto source = layer_sources(std::move(*base), {make_mdm_layer()});
  FactPlan plan;
  for (const char* key : {kWorkstation, kServer, kGuard}) plan.registry_keys.insert(key);
  auto facts = source->collect(plan);
  EXPECT_TRUE(facts) << facts.error().message;
  return facts ? std::move(*facts) : FactSet{};
}

constexpr const char* kIntuneGuest = R"(
  "HKLM\\SOFTWARE\\Microsoft\\PolicyManager\\current\\device\\LanmanWorkstation": {"values": {
    "EnableInsecureGuestLogons": {"type": "REG_DWORD", "data": 0},
    "EnableInsecureGuestLogons_WinningProvider": {"type": "REG_SZ", "data": "{5C2C8A2F-0000-4A7B-9C6E-0123456789AB}"},
    "RequireEncryption": {"type": "REG_DWORD", "data": 1}}})";

TEST(MdmLayer, NamesMdmWhereTheValueWindowsReadsIsTheOneMdmSet) {
  const FactSet facts = collect(std::string(kIntuneGuest) + R"(,
    "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation": {"values": {
      "AllowInsecureGuestAuth": {"type": "REG_DWORD", "data": 0},
      "RequireEncryption": {"type": "REG_DWORD", "data": 1}}})");
  auto key = facts.registry_key(kWorkstation);
  ASSERT_TRUE(key);
  ASSERT_NE(key->find("AllowInsecureGuestAuth"), nullptr);
  EXPECT_EQ(key->find("AllowInsecureGuestAuth")->data, Value{std::int64_t{0}});
  const LayerNote* by = key->decided_by("AllowInsecureGuestAuth");
  ASSERT_NE(by, nullptr);
  EXPECT_EQ(layer_phrase(*by),
            "set by MDM (Policy CSP) (HKLM\\SOFTWARE\\Microsoft\\PolicyManager\\current\\device\\LanmanWorkstation\\"
            "EnableInsecureGuestLogons = 0, winning provider {5C2C8A2F-0000-4A7B-9C6E-0123456789AB})");
  ASSERT_NE(key->decided_by("RequireEncryption"), nullptr);
}

TEST(MdmLayer, AValueThatDoesNotShowWhatMdmHoldsIsUnknownNeverAPass) {
  // MDM rejects guest logons, the policy value Windows reads still allows them: which one
  // applies cannot be told from here. MDM requires encryption, the value is absent: the same.
  const FactSet facts = collect(std::string(kIntuneGuest) + R"(,
    "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation": {"values": {
      "AllowInsecureGuestAuth": {"type": "REG_DWORD", "data": 1}}})");
  auto key = facts.registry_key(kWorkstation);
  ASSERT_TRUE(key);
  for (const char* name : {"AllowInsecureGuestAuth", "RequireEncryption"}) {
    auto value = key->value(name);
    ASSERT_FALSE(value) << name;
    EXPECT_EQ(value.error().problem, FactProblem::Unknown);
    EXPECT_NE(value.error().message.find("MDM sets LanmanWorkstation/"), std::string::npos) << value.error().message;
  }
}

TEST(MdmLayer, WithoutAPolicyManagerStoreNothingChanges) {
  const FactSet facts = collect(R"(
    "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation": {"values": {
      "AllowInsecureGuestAuth": {"type": "REG_DWORD", "data": 1}}},
    "HKLM\\SOFTWARE\\Microsoft\\PolicyManager\\current\\device\\LanmanServer": {"error": {"kind": "unknown",
      "message": "not collected"}})");
  auto key = facts.registry_key(kWorkstation);
  ASSERT_TRUE(key);
  ASSERT_NE(key->find("AllowInsecureGuestAuth"), nullptr);
  EXPECT_EQ(key->decided_by("AllowInsecureGuestAuth"), nullptr);
}

TEST(MdmLayer, ReadsTheStoreOnlyForAreasThePlanNeeds) {
  FactPlan plan;
  plan.registry_keys.insert(kGuard);
  EXPECT_EQ(make_mdm_layer()->reads(plan),
            std::vector<std::string>{"HKLM\\SOFTWARE\\Microsoft\\PolicyManager\\current\\device\\DeviceGuard"});
  EXPECT_TRUE(make_mdm_layer()->reads(FactPlan{}).empty());
}

}  // namespace
}  // namespace smbaudit::mdm
