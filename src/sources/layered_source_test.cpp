// Layers over a source: a hand-made stack of two layers over a snapshot base.
#include <gtest/gtest.h>

#include "smbaudit/engine.h"
#include "smbaudit/fact_layer.h"
#include "smbaudit/snapshot.h"

namespace smbaudit {
namespace {

constexpr const char* kParameters = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters";
constexpr const char* kGuest = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation";
constexpr const char* kHardened = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\NetworkProvider\\HardenedPaths";
constexpr const char* kHardenedBelow =
    "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\NetworkProvider\\HardenedPaths\\Below";
constexpr const char* kNew = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\DNSClient";
constexpr const char* kLower = "GPO 'Lower' {11111111-1111-1111-1111-111111111111}";
constexpr const char* kUpper = "GPO 'Upper' {22222222-2222-2222-2222-222222222222}";

std::unique_ptr<FactSource> base() {
  auto source = parse_snapshot(R"({
    "schema": "smbaudit-facts/1",
    "host": {"name": "WS01", "os_build": 26100, "role": "workstation"},
    "registry": {
      "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters": {"values": {
        "RequireSecuritySignature": {"type": "REG_DWORD", "data": 0},
        "EnableSecuritySignature": {"type": "REG_DWORD", "data": 1}}},
      "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation": {"values": {
        "AllowInsecureGuestAuth": {"type": "REG_DWORD", "data": 1}}},
      "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\NetworkProvider\\HardenedPaths": {"values": {
        "\\\\*\\SYSVOL": {"type": "REG_SZ", "data": "RequireMutualAuthentication=1"}}},
      "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\NetworkProvider\\HardenedPaths\\Below": {"values": {}},
      "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\DNSClient": {"present": false}
    },
    "services": {"WebClient": {"present": true, "start_type": "manual"}},
    "account_policy": {"min_password_length": 0}
  })",
                               "base.json");
  EXPECT_TRUE(source) << source.error().message;
  return std::move(*source);
}

RegistryEdit set(const char* key, RegValue value, std::string location) {
  return {LayerAction::SetValue, key, std::move(value), std::move(location)};
}
RegistryEdit edit(LayerAction action, const char* key, std::string name, std::string location) {
  return {action, key, RegValue{std::move(name), RegType::Dword, {}}, std::move(location)};
}

std::vector<std::shared_ptr<const FactLayer>> stack() {
  LayerEdits lower;
  lower.registry = {
      set(kParameters, {"RequireSecuritySignature", RegType::Dword, std::int64_t{1}},
          "Machine\\Registry.pol, record at 0x10"),
      set(kGuest, {"AllowInsecureGuestAuth", RegType::Dword, std::int64_t{0}}, "Machine\\Registry.pol, record at 0x52"),
      set(kNew, {"EnableMulticast", RegType::Dword, std::int64_t{0}}, "Machine\\Registry.pol, record at 0x9a"),
  };
  lower.services = {{"WebClient", StartType::Disabled, "GptTmpl.inf line 14"}};
  lower.account_policy = {{14, "GptTmpl.inf line 5"}};
  LayerEdits upper;
  upper.registry = {
      edit(LayerAction::DeleteValue, kGuest, "AllowInsecureGuestAuth", "Machine\\Registry.pol, record at 0x8"),
      edit(LayerAction::DeleteKey, kHardened, "", "Machine\\Registry.pol, record at 0x40 (**DeleteKeys)"),
  };
  return {make_fixed_layer(kLower, std::move(lower)), make_fixed_layer(kUpper, std::move(upper))};
}

FactPlan plan() {
  FactPlan p;
  for (const char* key : {kParameters, kGuest, kHardened, kHardenedBelow, kNew}) p.registry_keys.insert(key);
  p.services.insert("WebClient");
  p.account_policy = true;
  return p;
}

class LayeredSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = layer_sources(base(), stack());
    auto collected = source_->collect(plan());
    ASSERT_TRUE(collected) << collected.error().message;
    facts_ = std::move(*collected);
  }
  RegistryKeyFact key(const char* path) {
    auto k = facts_.registry_key(path);
    EXPECT_TRUE(k) << path;
    return k ? *k : RegistryKeyFact{};
  }

  std::unique_ptr<FactSource> source_;
  FactSet facts_;
};

TEST_F(LayeredSourceTest, AValueALayerSetsWinsAndTheKeysOtherValuesComeFromTheBase) {
  const RegistryKeyFact k = key(kParameters);
  ASSERT_NE(k.find("RequireSecuritySignature"), nullptr);
  EXPECT_EQ(k.find("RequireSecuritySignature")->data, Value{std::int64_t{1}});
  const LayerNote* by = k.decided_by("RequireSecuritySignature");
  ASSERT_NE(by, nullptr);
  EXPECT_EQ(by->origin, (FactOrigin{kLower, "Machine\\Registry.pol, record at 0x10"}));
  ASSERT_NE(k.find("EnableSecuritySignature"), nullptr);
  EXPECT_EQ(k.find("EnableSecuritySignature")->data, Value{std::int64_t{1}});
  EXPECT_EQ(k.decided_by("EnableSecuritySignature"), nullptr) << "the base decided it";
}

TEST_F(LayeredSourceTest, AValueTheUpperLayerDeletesReadsAbsentThoughTheBaseAndTheLowerLayerSetIt) {
  const RegistryKeyFact k = key(kGuest);
  EXPECT_EQ(k.presence, Presence::Present);
  auto v = k.value("AllowInsecureGuestAuth");
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, nullptr);
  const auto history = k.history("AllowInsecureGuestAuth");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0]->action, LayerAction::SetValue);
  EXPECT_EQ(history[0]->origin.layer, kLower);
  EXPECT_EQ(history[1]->action, LayerAction::DeleteValue);
  EXPECT_EQ(history[1]->origin.layer, kUpper);
}

TEST_F(LayeredSourceTest, ADeletedKeyReadsAbsentAndSoDoKeysBelowIt) {
  for (const char* path : {kHardened, kHardenedBelow}) {
    const RegistryKeyFact k = key(path);
    EXPECT_EQ(k.presence, Presence::Absent) << path;
    EXPECT_TRUE(k.values.empty()) << path;
    const LayerNote* by = k.decided_by("\\\\*\\SYSVOL");
    ASSERT_NE(by, nullptr) << path;
    EXPECT_EQ(by->action, LayerAction::DeleteKey);
    EXPECT_EQ(by->key, kHardened);
    EXPECT_EQ(by->origin.layer, kUpper);
  }
}

TEST_F(LayeredSourceTest, AValueSetInAKeyTheBaseLacksCreatesTheKey) {
  const RegistryKeyFact k = key(kNew);
  EXPECT_EQ(k.presence, Presence::Present);
  ASSERT_NE(k.find("EnableMulticast"), nullptr);
  EXPECT_EQ(k.decided_by("EnableMulticast")->origin.layer, kLower);
}

TEST_F(LayeredSourceTest, AServiceStartTypeALayerSetsOverridesTheBase) {
  auto s = facts_.service("WebClient");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->presence, Presence::Present);
  EXPECT_EQ(s->start_type, StartType::Disabled);
  ASSERT_EQ(s->layers.size(), 1u);
  EXPECT_EQ(s->layers[0].origin, (FactOrigin{kLower, "GptTmpl.inf line 14"}));
}

TEST_F(LayeredSourceTest, AccountPolicyALayerSetsOverridesTheBase) {
  auto policy = facts_.account_policy_fact();
  ASSERT_TRUE(policy);
  EXPECT_EQ(policy->min_password_length, 14);
  ASSERT_NE(policy->decided_by("min_password_length"), nullptr);
  EXPECT_EQ(policy->decided_by("min_password_length")->origin.layer, kLower);
}

TEST_F(LayeredSourceTest, HostFactsComeFromTheBaseAndTheSourceNamesItsLayers) {
  auto host = source_->host();
  ASSERT_TRUE(host);
  EXPECT_EQ(host->name, "WS01");
  const SourceInfo info = source_->info();
  EXPECT_EQ(info.kind, "snapshot");
  EXPECT_NE(info.description.find(std::string(kLower) + ", then " + kUpper), std::string::npos) << info.description;
}

// The engine's evidence names the layer that decided, and where it says so.
Rule setting_rule(const char* key, const char* value, Op op, Value expected) {
  Rule r;
  r.id = "test-rule";
  r.check.node = SettingCheck{Setting{{Source{RegistrySource{key, value}}}, {}, {}}, op, Operand{std::move(expected)}};
  return r;
}

TEST_F(LayeredSourceTest, EvidenceNamesTheLayerThatDecided) {
  auto host = source_->host();
  ASSERT_TRUE(host);
  const Rule signing = setting_rule(kParameters, "RequireSecuritySignature", Op::Equals, std::int64_t{1});
  const Finding f = evaluate(signing, *host, facts_, {});
  EXPECT_EQ(f.status, Status::Pass) << f.explanation;
  ASSERT_EQ(f.evidence.size(), 1u);
  ASSERT_TRUE(f.evidence[0].layer);
  EXPECT_EQ(f.evidence[0].layer->origin, (FactOrigin{kLower, "Machine\\Registry.pol, record at 0x10"}));
  EXPECT_NE(f.explanation.find(kLower), std::string::npos) << f.explanation;

  const Rule guest = setting_rule(kGuest, "AllowInsecureGuestAuth", Op::Absent, {});
  const Finding g = evaluate(guest, *host, facts_, {});
  EXPECT_EQ(g.status, Status::Pass) << g.explanation;
  ASSERT_EQ(g.evidence.size(), 1u);
  EXPECT_EQ(g.evidence[0].presence, Presence::Absent);
  ASSERT_TRUE(g.evidence[0].layer);
  EXPECT_EQ(g.evidence[0].layer->action, LayerAction::DeleteValue);
  EXPECT_EQ(g.evidence[0].layer->origin.layer, kUpper);
}

TEST(LayeredSource, AValueSetOverAnUnreadableKeyIsKnownAndTheKeysOtherValuesAreNot) {
  FactSet facts;
  facts.registry.emplace(kParameters, Unexpected(FactError{FactProblem::Unknown, "target host: not known"}));
  LayerEdits edits;
  edits.registry = {set(kParameters, {"RequireSecuritySignature", RegType::Dword, std::int64_t{1}}, "line 3")};
  apply_layer(kLower, edits, facts);
  auto k = facts.registry_key(kParameters);
  ASSERT_TRUE(k);
  auto set_value = k->value("RequireSecuritySignature");
  ASSERT_TRUE(set_value);
  ASSERT_NE(*set_value, nullptr);
  auto other = k->value("EnableSecuritySignature");
  ASSERT_FALSE(other) << "a value no layer set in an unreadable key is unknown, not absent";
  EXPECT_EQ(other.error().message, "target host: not known");
  EXPECT_FALSE(facts.whole_registry_key(kParameters)) << "checks that read every value cannot use it";
}

// A fleet run names a host before reading it (and --skip-existing skips it) by the base's
// known_host: layering (MDM under every host, --gpo) must not hide it.
TEST(LayeredSource, KeepsTheBasesKnownHostName) {
  class Remote final : public FactSource {
   public:
    [[nodiscard]] SourceInfo info() const override { return {"live", "remote"}; }
    Expected<HostFacts, CollectError> host() override { return HostFacts{}; }
    Expected<FactSet, CollectError> collect(const FactPlan&) override { return FactSet{}; }
    [[nodiscard]] std::string known_host() const override { return "SRV01"; }
  };
  auto layered = layer_sources(std::make_unique<Remote>(), stack());
  EXPECT_EQ(layered->known_host(), "SRV01");
}

TEST(LayeredSource, ALaterLayerWinsOverAnEarlierOne) {
  FactSet facts;
  facts.registry.emplace(kParameters, RegistryKeyFact{});
  LayerEdits first, second;
  first.registry = {set(kParameters, {"RequireSecuritySignature", RegType::Dword, std::int64_t{1}}, "a")};
  second.registry = {set(kParameters, {"RequireSecuritySignature", RegType::Dword, std::int64_t{0}}, "b")};
  apply_layer(kLower, first, facts);
  apply_layer(kUpper, second, facts);
  auto k = facts.registry_key(kParameters);
  ASSERT_TRUE(k);
  EXPECT_EQ(k->find("RequireSecuritySignature")->data, Value{std::int64_t{0}});
  EXPECT_EQ(k->decided_by("RequireSecuritySignature")->origin.layer, kUpper);
  EXPECT_EQ(k->history("RequireSecuritySignature").size(), 2u);
}

TEST(LayeredSource, DeletingEveryValueLeavesTheKeyAndCreateValueDoesNotOverwrite) {
  FactSet facts;
  facts.registry.emplace(kGuest, RegistryKeyFact{Presence::Present,
                                                 {{"AllowInsecureGuestAuth", RegType::Dword, std::int64_t{1}},
                                                  {"Other", RegType::Dword, std::int64_t{5}}}});
  LayerEdits edits;
  edits.registry = {
      edit(LayerAction::DeleteValues, kGuest, "", "**delvals."),
      {LayerAction::CreateValue, kGuest, {"Other", RegType::Dword, std::int64_t{7}}, "create"},
      {LayerAction::CreateValue, kGuest, {"Other", RegType::Dword, std::int64_t{9}}, "create again"},
  };
  apply_layer(kLower, edits, facts);
  auto k = facts.registry_key(kGuest);
  ASSERT_TRUE(k);
  EXPECT_EQ(k->presence, Presence::Present);
  EXPECT_EQ(k->find("AllowInsecureGuestAuth"), nullptr);
  EXPECT_EQ(k->decided_by("AllowInsecureGuestAuth")->action, LayerAction::DeleteValues);
  ASSERT_NE(k->find("Other"), nullptr);
  EXPECT_EQ(k->find("Other")->data, Value{std::int64_t{7}}) << "Create does not replace a value that exists";
}

TEST(LayeredSource, ALayerAddsTheSubkeysItCreatesToAListedKeyAndDropsThoseItDeletes) {
  const std::string interfaces = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces";
  const std::string a = interfaces + "\\Tcpip_{A}", b = interfaces + "\\Tcpip_{B}", c = interfaces + "\\Tcpip_{C}";
  FactSet facts;
  RegistryKeyFact listed{Presence::Present, {}, {}};
  listed.subkeys = std::vector<std::string>{"Tcpip_{A}", "Tcpip_{B}"};
  facts.registry.emplace(interfaces, listed);
  facts.registry.emplace(a, RegistryKeyFact{Presence::Present, {}, {}});
  facts.registry.emplace(b, RegistryKeyFact{Presence::Present, {}, {}});
  LayerEdits edits;
  edits.registry = {
      RegistryEdit{LayerAction::SetValue, c, {"NetbiosOptions", RegType::Dword, std::int64_t{2}}, "record at 0x10"},
      RegistryEdit{LayerAction::DeleteKey, b, {}, "record at 0x40"},
      RegistryEdit{LayerAction::DeleteValue, interfaces + "\\Tcpip_{D}", {"NetbiosOptions", RegType::Other, {}}, "x"},
  };
  apply_layer(kLower, edits, facts);
  auto key = facts.registry_key(interfaces);
  ASSERT_TRUE(key && key->subkeys);
  EXPECT_EQ(*key->subkeys, (std::vector<std::string>{"Tcpip_{A}", "Tcpip_{C}"}))
      << "C created, B deleted, a deletion in D creates nothing";
  auto created = facts.registry_key(c);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->presence, Presence::Present);
  EXPECT_EQ(created->find("NetbiosOptions")->data, Value{std::int64_t{2}});
  EXPECT_EQ(created->decided_by("NetbiosOptions")->origin.layer, kLower);

  LayerEdits gone;
  gone.registry = {RegistryEdit{LayerAction::DeleteKey, interfaces, {}, "record at 0x80"}};
  apply_layer(kUpper, gone, facts);
  key = facts.registry_key(interfaces);
  ASSERT_TRUE(key && key->subkeys);
  EXPECT_EQ(key->presence, Presence::Absent);
  EXPECT_TRUE(key->subkeys->empty());
}

TEST(LayeredSource, ASubkeyALayerMayCreateIsUnknown) {
  const std::string interfaces = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces";
  FactSet facts;
  RegistryKeyFact listed{Presence::Present, {}, {}};
  listed.subkeys = std::vector<std::string>{};
  facts.registry.emplace(interfaces, listed);
  LayerEdits edits;
  RegistryEdit maybe{LayerAction::Unknown, interfaces + "\\Tcpip_{X}", {}, "Registry.xml item 3"};
  maybe.doubt = "item-level targeting";
  edits.registry = {maybe};
  apply_layer(kLower, edits, facts);
  auto key = facts.registry_key(interfaces);
  ASSERT_TRUE(key && key->subkeys);
  EXPECT_EQ(*key->subkeys, std::vector<std::string>{"Tcpip_{X}"});
  auto x = facts.registry_key(interfaces + "\\Tcpip_{X}");
  ASSERT_FALSE(x);
  EXPECT_EQ(x.error().problem, FactProblem::Unknown);
}

}  // namespace
}  // namespace smbaudit
