// End-to-end tests of the MDM store (issue 13, "The MDM store"): a facts snapshot of an
// Intune-managed host, audited through the binary, names MDM where the Policy CSP decided a
// value and is unknown where MDM holds a policy the value Windows reads does not show.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/temp_dir.h"
#include "run.h"

namespace smbaudit {
namespace {

using test_support::run_smbaudit;
using test_support::TempDir;

constexpr const char* kStore = "HKLM\\SOFTWARE\\Microsoft\\PolicyManager\\current\\device\\LanmanWorkstation";
constexpr const char* kPolicy = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation";

nlohmann::json dword(int v) {
  return {{"type", "REG_DWORD"}, {"data", v}};
}

// examples/ws01-facts.json with MDM rejecting insecure guest logons and the policy value
// Windows reads set to `applied` (absent when negative).
std::string intune_host(const TempDir& dir, int applied) {
  std::ifstream in(std::string(SMBAUDIT_SOURCE_DIR) + "/examples/ws01-facts.json");
  auto facts = nlohmann::json::parse(in);
  facts["registry"][kStore] = {{"values",
                                {{"EnableInsecureGuestLogons", dword(0)},
                                 {"EnableInsecureGuestLogons_WinningProvider",
                                  {{"type", "REG_SZ"}, {"data", "{5C2C8A2F-0000-4A7B-9C6E-0123456789AB}"}}}}}};
  auto& policy = facts["registry"][kPolicy];
  if (!policy.contains("values")) policy = {{"values", nlohmann::json::object()}};
  if (applied >= 0)
    policy["values"]["AllowInsecureGuestAuth"] = dword(applied);
  else
    policy["values"].erase("AllowInsecureGuestAuth");
  const auto path = dir.path() / "intune-facts.json";
  std::ofstream(path) << facts.dump();
  return path.string();
}

nlohmann::json guest_finding(const std::string& facts) {
  const auto r =
      run_smbaudit({"audit", "--facts", facts, "--only", "insecure-guest-logons-disabled", "--format", "json"});
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["findings"].size(), 1u);
  return report["findings"][0];
}

TEST(Mdm, TheEvidenceNamesMdmWhereThePolicyCspDecidedTheValue) {
  TempDir dir;
  const auto f = guest_finding(intune_host(dir, 0));
  EXPECT_EQ(f["status"], "pass") << f.dump(2);
  bool named = false;
  for (const auto& e : f["evidence"])
    if (e.value("name", "") == "AllowInsecureGuestAuth" && e.contains("layer")) {
      EXPECT_EQ(e["layer"]["name"], "MDM (Policy CSP)");
      EXPECT_NE(e["layer"]["location"].get<std::string>().find(
                    "LanmanWorkstation\\EnableInsecureGuestLogons = 0, winning provider {5C2C8A2F"),
                std::string::npos)
          << e.dump(2);
      named = true;
    }
  EXPECT_TRUE(named) << f.dump(2);
  // The finding says who decided: MDM, naming the PolicyManager value.
  ASSERT_EQ(f["decided_by"].size(), 1u) << f.dump(2);
  EXPECT_EQ(f["decided_by"][0]["store"], "mdm");
}

TEST(Mdm, AnAppliedValueThatDisagreesWithMdmIsUnknownNotAPassOrAFail) {
  TempDir dir;
  for (int applied : {1, -1}) {
    const auto f = guest_finding(intune_host(dir, applied));
    EXPECT_EQ(f["status"], "unknown") << f.dump(2);
    EXPECT_NE(f["explanation"].get<std::string>().find("MDM sets LanmanWorkstation/EnableInsecureGuestLogons to 0"),
              std::string::npos)
        << f["explanation"];
  }
}

TEST(Mdm, AHostWithoutAnMdmStoreReadsAsBefore) {
  const auto r = run_smbaudit(
      {"audit", "--facts", std::string(SMBAUDIT_SOURCE_DIR) + "/examples/ws01-facts.json", "--format", "json"});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["source"]["description"].get<std::string>().find("MDM"), std::string::npos);
  for (const auto& f : report["findings"])
    for (const auto& e : f["evidence"])
      if (e.contains("layer")) {
        EXPECT_NE(e["layer"]["name"], "MDM (Policy CSP)") << f["rule"];
      }
}

}  // namespace
}  // namespace smbaudit
