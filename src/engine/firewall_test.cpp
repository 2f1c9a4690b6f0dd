#include "firewall.h"

#include <gtest/gtest.h>

namespace smbaudit {
namespace {

TEST(FirewallRule, ParsesRepeatedFieldsRangesAndProfiles) {
  const auto r = parse_firewall_rule(
      "v2.30|Action=Block|Active=TRUE|Dir=Out|Protocol=6|RPort=139|RPort=400-500|Profile=Public|Profile=Private|"
      "Name=Block SMB out|");
  EXPECT_TRUE(r.active);
  EXPECT_EQ(r.action, FirewallAction::Block);
  EXPECT_EQ(r.direction, FirewallDirection::Out);
  EXPECT_EQ(r.protocol, 6);
  ASSERT_EQ(r.remote_ports.size(), 2u);
  EXPECT_EQ(r.remote_ports[1], std::make_pair(400, 500));
  EXPECT_EQ(r.profiles.size(), 2u);
  EXPECT_EQ(r.name, "Block SMB out");
  EXPECT_TRUE(blocks_outbound(r, 6, 445, FirewallProfile::Public));
  EXPECT_FALSE(blocks_outbound(r, 6, 445, FirewallProfile::Domain));
  EXPECT_FALSE(blocks_outbound(r, 17, 445, FirewallProfile::Public));
  EXPECT_FALSE(blocks_outbound(r, 6, 3389, FirewallProfile::Public));
}

TEST(FirewallRule, NoProfileMeansEveryProfileAndNoPortMeansEveryPort) {
  const auto r = parse_firewall_rule("v2.10|Action=Block|Active=TRUE|Dir=Out|Name=all out|");
  EXPECT_TRUE(blocks_outbound(r, 6, 445, FirewallProfile::Domain));
  EXPECT_TRUE(blocks_outbound(r, 6, 445, FirewallProfile::Public));
}

TEST(FirewallRule, InactiveInboundAllowAndNarrowedRulesDoNotBlock) {
  EXPECT_FALSE(blocks_outbound(parse_firewall_rule("v2.30|Action=Block|Active=FALSE|Dir=Out|RPort=445|"), 6, 445,
                               FirewallProfile::Public));
  EXPECT_FALSE(blocks_outbound(parse_firewall_rule("v2.30|Action=Block|Active=TRUE|Dir=In|LPort=445|"), 6, 445,
                               FirewallProfile::Public));
  EXPECT_FALSE(blocks_outbound(parse_firewall_rule("v2.30|Action=Allow|Active=TRUE|Dir=Out|RPort=445|"), 6, 445,
                               FirewallProfile::Public));
  // Only one program's or one address range's traffic is blocked: SMB as a whole is not.
  EXPECT_FALSE(blocks_outbound(parse_firewall_rule("v2.30|Action=Block|Active=TRUE|Dir=Out|RPort=445|App=C:\\x.exe|"),
                               6, 445, FirewallProfile::Public));
  EXPECT_FALSE(blocks_outbound(parse_firewall_rule("v2.30|Action=Block|Active=TRUE|Dir=Out|RPort=445|RA4=10.0.0.0/8|"),
                               6, 445, FirewallProfile::Public));
  EXPECT_FALSE(blocks_outbound(parse_firewall_rule("v2.30|Action=Block|Active=TRUE|Dir=Out|RPort=RPC|"), 6, 445,
                               FirewallProfile::Public));
}

// The SMB client runs in the System process: a block narrowed to it still blocks SMB (and SMB
// over QUIC); a rule for the Workstation service, or for System and one address, does not.
TEST(FirewallRule, ARuleForTheSystemProcessBlocksTheSmbClient) {
  EXPECT_TRUE(
      blocks_outbound(parse_firewall_rule("v2.30|Action=Block|Active=TRUE|Dir=Out|Protocol=17|RPort=443|App=System|"),
                      17, 443, FirewallProfile::Public));
  EXPECT_TRUE(
      blocks_outbound(parse_firewall_rule("v2.30|Action=Block|Active=TRUE|Dir=Out|Protocol=6|RPort=445|app=SYSTEM|"), 6,
                      445, FirewallProfile::Public));
  EXPECT_FALSE(blocks_outbound(
      parse_firewall_rule("v2.30|Action=Block|Active=TRUE|Dir=Out|Protocol=17|RPort=443|Svc=LanmanWorkstation|"), 17,
      443, FirewallProfile::Public));
  EXPECT_FALSE(blocks_outbound(
      parse_firewall_rule("v2.30|Action=Block|Active=TRUE|Dir=Out|Protocol=17|RPort=443|App=System|RA4=10.0.0.1|"), 17,
      443, FirewallProfile::Public));
  EXPECT_FALSE(blocks_outbound(
      parse_firewall_rule("v2.30|Action=Block|Active=TRUE|Dir=Out|Protocol=17|RPort=443|App=System|App=C:\\x.exe|"), 17,
      443, FirewallProfile::Public));
}

TEST(FirewallRule, SurvivesGarbage) {
  for (const char* text : {"", "|", "||||", "v2.30", "Action", "RPort=-", "RPort=99999999999999999",
                           "Profile=", "RPort=500-400", "=|=|="}) {
    const auto r = parse_firewall_rule(text);
    EXPECT_FALSE(blocks_outbound(r, 6, 445, FirewallProfile::Public)) << text;
  }
}

// Found by fuzz/firewall_rule (fuzz/regressions/firewall_rule): ports above 65535 were
// kept as ranges, so "RPort=0-99999999" counted as blocking 445.
TEST(FirewallRule, PortsOutOfRangeNeverBlock) {
  for (const char* text : {"v2.30|Action=Block|Active=TRUE|Dir=Out|RPort=0-99999999|",
                           "v2.30|Action=Block|Active=TRUE|Dir=Out|RPort=140500|RPort=445-70000|"}) {
    const auto r = parse_firewall_rule(text);
    EXPECT_TRUE(r.remote_ports.empty()) << text;
    EXPECT_TRUE(r.remote_port_keyword) << text;
    EXPECT_FALSE(blocks_outbound(r, 6, 445, FirewallProfile::Public)) << text;
  }
}

FactSet firewall_facts(const std::string& rule, std::int64_t public_enabled) {
  FactSet f;
  for (const auto& key : firewall_fact_keys()) f.registry.emplace(key, RegistryKeyFact{Presence::Absent, {}, ""});
  f.registry.insert_or_assign(std::string(kFirewallLocalStore) + "\\FirewallRules",
                              RegistryKeyFact{Presence::Present, {RegValue{"{guid}", RegType::Sz, Value{rule}}}, ""});
  f.registry.insert_or_assign(
      std::string(kFirewallLocalStore) + "\\PublicProfile",
      RegistryKeyFact{Presence::Present, {RegValue{"EnableFirewall", RegType::Dword, Value{public_enabled}}}, ""});
  return f;
}

TEST(FirewallCheck, PassesWithAnActiveBlockRuleAndFailsWhenTheProfileIsOff) {
  const FirewallBlockCheck check{6, 445, {"public"}};
  std::vector<Evidence> evidence;
  const auto sink = [&](Evidence e) { evidence.push_back(std::move(e)); };
  const std::string rule = "v2.30|Action=Block|Active=TRUE|Dir=Out|Protocol=6|RPort=445|Name=SMB|";
  EXPECT_EQ(evaluate_firewall(check, firewall_facts(rule, 1), sink).status, Status::Pass);
  const Outcome off = evaluate_firewall(check, firewall_facts(rule, 0), sink);
  EXPECT_EQ(off.status, Status::Fail);
  EXPECT_NE(off.explanation.find("public profile's firewall is off"), std::string::npos);
  EXPECT_EQ(evaluate_firewall(check, firewall_facts("v2.30|Action=Allow|Dir=Out|", 1), sink).status, Status::Fail);
}

TEST(FirewallCheck, PolicyThatStopsLocalMergeIgnoresLocalRules) {
  const FirewallBlockCheck check{6, 445, {"public"}};
  FactSet f = firewall_facts("v2.30|Action=Block|Active=TRUE|Dir=Out|Protocol=6|RPort=445|", 1);
  f.registry.insert_or_assign(
      std::string(kFirewallPolicyStore) + "\\PublicProfile",
      RegistryKeyFact{
          Presence::Present, {RegValue{"AllowLocalPolicyMerge", RegType::Dword, Value{std::int64_t{0}}}}, ""});
  EXPECT_EQ(evaluate_firewall(check, f, [](Evidence) {}).status, Status::Fail);
}

TEST(FirewallCheck, UnreadableStoreIsNotAPass) {
  FactSet f = firewall_facts("v2.30|Action=Block|Active=TRUE|Dir=Out|RPort=445|", 1);
  f.registry.insert_or_assign(std::string(kFirewallPolicyStore) + "\\FirewallRules",
                              Unexpected(FactError{FactProblem::Error, "access denied"}));
  EXPECT_EQ(evaluate_firewall(FirewallBlockCheck{6, 445, {}}, f, [](Evidence) {}).status, Status::Error);
}

}  // namespace
}  // namespace smbaudit
