#include "offline_source.h"

#include <gtest/gtest.h>

#include "smbaudit/text.h"

namespace smbaudit::offline {
namespace {

// An in-memory hive: keys by path (any case), and paths whose reading fails as in a damaged hive.
class FakeHive final : public Hive {
 public:
  FakeHive& key(const std::string& path, std::vector<RegValue> values = {}) {
    keys_[path] = std::move(values);
    return *this;
  }
  FakeHive& broken(const std::string& path) {
    broken_.insert(path);
    return *this;
  }
  Expected<std::optional<std::vector<RegValue>>, std::string> read_key(std::string_view path) override {
    if (broken_.count(std::string(path))) return Unexpected(std::string("corrupted hive: cannot list a key's values"));
    auto it = keys_.find(path);
    if (it == keys_.end()) return std::optional<std::vector<RegValue>>{};
    return std::optional<std::vector<RegValue>>{it->second};
  }
  Expected<std::optional<std::vector<std::string>>, std::string> subkeys(std::string_view path) override {
    if (broken_.count(std::string(path))) return Unexpected(std::string("corrupted hive: cannot list the subkeys"));
    if (!keys_.count(path)) return std::optional<std::vector<std::string>>{};
    std::vector<std::string> names;
    const std::string prefix = std::string(path) + "\\";
    for (const auto& [key, values] : keys_)
      if (istarts_with(key, prefix) && key.find('\\', prefix.size()) == std::string::npos)
        names.push_back(key.substr(prefix.size()));
    return std::optional<std::vector<std::string>>{std::move(names)};
  }

 private:
  std::map<std::string, std::vector<RegValue>, ILess> keys_;
  std::set<std::string, ILess> broken_;
};

RegValue dword(std::string name, std::int64_t v) {
  return {std::move(name), RegType::Dword, v};
}
RegValue sz(std::string name, std::string v) {
  return {std::move(name), RegType::Sz, std::move(v)};
}

std::unique_ptr<FakeHive> system_hive() {
  auto h = std::make_unique<FakeHive>();
  h->key("Select", {dword("Current", 2)})
      .key("ControlSet001\\Services\\LanmanWorkstation\\Parameters", {dword("RequireSecuritySignature", 1)})
      .key("ControlSet002")
      .key("ControlSet002\\Control\\ComputerName\\ComputerName", {sz("ComputerName", "WS07")})
      .key("ControlSet002\\Control\\ProductOptions", {sz("ProductType", "ServerNT")})
      .key("ControlSet002\\Services\\Tcpip\\Parameters", {sz("Domain", ""), sz("NV Domain", "corp.example")})
      .key("ControlSet002\\Services\\LanmanWorkstation\\Parameters", {dword("RequireSecuritySignature", 0)})
      .key("ControlSet002\\Services\\WebClient", {dword("Start", 3)})
      .key("ControlSet002\\Services\\Delayed", {dword("Start", 2), dword("DelayedAutostart", 1)})
      .key("ControlSet002\\Services\\NoStart")
      .key("ControlSet002\\Services\\Odd", {dword("Start", 9)})
      .key("ControlSet002\\Services\\NetBT\\Parameters\\Interfaces")
      .key("ControlSet002\\Services\\NetBT\\Parameters\\Interfaces\\Tcpip_{A}", {dword("NetbiosOptions", 2)})
      .key("ControlSet002\\Services\\NetBT\\Parameters\\Interfaces\\Tcpip_{B}");
  return h;
}

std::unique_ptr<FakeHive> software_hive() {
  auto h = std::make_unique<FakeHive>();
  h->key("Microsoft\\Windows NT\\CurrentVersion",
         {sz("CurrentBuildNumber", "26100"), dword("UBR", 4061), sz("EditionID", "ServerStandard"),
          sz("ProductName", "Windows Server 2025 Standard")})
      .key("Policies\\Microsoft\\Windows\\LanmanWorkstation", {dword("RequireEncryption", 1)});
  return h;
}

OfflineImage image(std::unique_ptr<FakeHive> system, std::unique_ptr<FakeHive> software, std::string note = "") {
  OfflineImage img;
  if (system) img.system = HiveFile{"/img/SYSTEM", std::move(system), false};
  if (software) img.software = HiveFile{"/img/SOFTWARE", std::move(software), false};
  img.missing_note = std::move(note);
  return img;
}

std::unique_ptr<FactSource> source(OfflineImage img) {
  auto s = make_offline_source(std::move(img));
  EXPECT_TRUE(s) << s.error().message;
  return s ? std::move(*s) : nullptr;
}

FactPlan plan_of(std::vector<std::string> keys, std::vector<std::string> services = {}) {
  FactPlan plan;
  for (auto& k : keys) plan.registry_keys.insert(std::move(k));
  for (auto& s : services) plan.services.insert(std::move(s));
  return plan;
}

TEST(OfflineSource, CurrentControlSetFollowsSelectCurrent) {
  auto s = source(image(system_hive(), software_hive()));
  ASSERT_TRUE(s);
  auto facts = s->collect(plan_of({"HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters"}));
  ASSERT_TRUE(facts);
  auto key = facts->registry_key("HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters");
  ASSERT_TRUE(key);
  ASSERT_EQ(key->presence, Presence::Present);
  EXPECT_EQ(key->find("requiresecuritysignature")->data, Value{std::int64_t{0}}) << "ControlSet002, not 001";
  EXPECT_EQ(key->origin, "/img/SYSTEM:\\ControlSet002\\Services\\LanmanWorkstation\\Parameters");
  EXPECT_NE(s->info().description.find("CurrentControlSet = ControlSet002"), std::string::npos);
}

TEST(OfflineSource, ExplicitControlSetAndSoftwarePathsReadTheirHive) {
  auto s = source(image(system_hive(), software_hive()));
  ASSERT_TRUE(s);
  auto facts = s->collect(plan_of({"HKLM\\SYSTEM\\ControlSet001\\Services\\LanmanWorkstation\\Parameters",
                                   "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation",
                                   "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanServer"}));
  ASSERT_TRUE(facts);
  auto cs1 = facts->registry_key("HKLM\\SYSTEM\\ControlSet001\\Services\\LanmanWorkstation\\Parameters");
  ASSERT_TRUE(cs1);
  EXPECT_EQ(cs1->find("RequireSecuritySignature")->data, Value{std::int64_t{1}});
  auto policy = facts->registry_key("HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation");
  ASSERT_TRUE(policy);
  EXPECT_EQ(policy->origin, "/img/SOFTWARE:\\Policies\\Microsoft\\Windows\\LanmanWorkstation");
  auto absent = facts->registry_key("HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanServer");
  ASSERT_TRUE(absent) << "an absent key is a fact, not an error";
  EXPECT_EQ(absent->presence, Presence::Absent);
  EXPECT_EQ(absent->origin, "/img/SOFTWARE:\\Policies\\Microsoft\\Windows\\LanmanServer");
}

TEST(OfflineSource, ListsTheSubkeysAPlanAsksForAndReadsEachAsAKey) {
  auto s = source(image(system_hive(), software_hive()));
  ASSERT_TRUE(s);
  const std::string interfaces = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces";
  FactPlan plan = plan_of({interfaces, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Absent"});
  plan.registry_subkeys = {interfaces, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Absent"};
  auto facts = s->collect(plan);
  ASSERT_TRUE(facts) << facts.error().message;
  auto key = facts->registry_key(interfaces);
  ASSERT_TRUE(key && key->subkeys);
  EXPECT_EQ(*key->subkeys, (std::vector<std::string>{"Tcpip_{A}", "Tcpip_{B}"}));
  auto a = facts->registry_key(interfaces + "\\Tcpip_{A}");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->find("NetbiosOptions")->data, Value{std::int64_t{2}});
  auto b = facts->registry_key(interfaces + "\\Tcpip_{B}");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->presence, Presence::Present);
  EXPECT_TRUE(b->values.empty());
  auto absent = facts->registry_key("HKLM\\SYSTEM\\CurrentControlSet\\Services\\Absent");
  ASSERT_TRUE(absent);
  EXPECT_EQ(absent->presence, Presence::Absent);
  EXPECT_FALSE(absent->subkeys) << "an absent key is not listed";
}

TEST(OfflineSource, ASubkeyListTheHiveCannotGiveIsBadInputNamingTheKey) {
  auto hive = system_hive();
  hive->broken("ControlSet002\\Services\\NetBT\\Parameters\\Interfaces\\Tcpip_{B}");
  auto s = source(image(std::move(hive), software_hive()));
  ASSERT_TRUE(s);
  const std::string interfaces = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces";
  FactPlan plan = plan_of({interfaces});
  plan.registry_subkeys = {interfaces};
  auto facts = s->collect(plan);
  ASSERT_FALSE(facts);
  EXPECT_EQ(facts.error().failure, CollectFailure::BadInput);
  EXPECT_NE(facts.error().message.find("/img/SYSTEM: corrupted hive"), std::string::npos) << facts.error().message;
  EXPECT_NE(facts.error().message.find("Tcpip_{B}"), std::string::npos) << facts.error().message;
}

TEST(OfflineSource, HostFactsComeFromBothHives) {
  auto s = source(image(system_hive(), software_hive()));
  ASSERT_TRUE(s);
  auto host = s->host();
  ASSERT_TRUE(host);
  EXPECT_EQ(host->name, "WS07");
  EXPECT_EQ(host->build, 26100);
  EXPECT_EQ(host->ubr, 4061);
  EXPECT_EQ(host->edition, "ServerStandard");
  EXPECT_EQ(host->product_name, "Windows Server 2025 Standard");
  EXPECT_EQ(host->role, Role::MemberServer);
  EXPECT_EQ(host->membership, Membership::Domain) << "NV Domain when Domain is empty";
  EXPECT_EQ(host->domain, "corp.example");
  EXPECT_FALSE(host->collected_at);
  EXPECT_FALSE(host->elevation);
}

TEST(OfflineSource, NoDomainValueMeansWorkgroup) {
  auto system = system_hive();
  system->key("ControlSet002\\Services\\Tcpip\\Parameters", {sz("Domain", ""), sz("Hostname", "ws07")});
  auto s = source(image(std::move(system), software_hive()));
  ASSERT_TRUE(s);
  auto host = s->host();
  ASSERT_TRUE(host);
  EXPECT_EQ(host->membership, Membership::Workgroup);
  EXPECT_FALSE(host->domain);
}

TEST(OfflineSource, ServicesComeFromTheirKeys) {
  auto s = source(image(system_hive(), software_hive()));
  ASSERT_TRUE(s);
  auto facts = s->collect(plan_of({}, {"WebClient", "webclient", "Delayed", "NoStart", "Missing", "Odd"}));
  ASSERT_TRUE(facts);
  auto web = facts->service("WEBCLIENT");
  ASSERT_TRUE(web);
  EXPECT_EQ(web->presence, Presence::Present);
  EXPECT_EQ(web->start_type, StartType::Manual);
  EXPECT_FALSE(web->state) << "only a live host knows the running state";
  EXPECT_EQ(web->origin, "/img/SYSTEM:\\ControlSet002\\Services\\WebClient");
  EXPECT_EQ(facts->service("Delayed")->start_type, StartType::AutomaticDelayed);
  EXPECT_EQ(facts->service("NoStart")->presence, Presence::Present);
  EXPECT_FALSE(facts->service("NoStart")->start_type);
  EXPECT_EQ(facts->service("Missing")->presence, Presence::Absent);
  auto odd = facts->service("Odd");
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().problem, FactProblem::Error);
}

TEST(OfflineSource, LiveOnlyFactsAreUnknownBecauseTheImageIsOffline) {
  auto s = source(image(system_hive(), software_hive()));
  ASSERT_TRUE(s);
  FactPlan plan;
  plan.wmi_classes.insert({"root\\cimv2", "Win32_QuickFixEngineering"});
  plan.account_policy = true;
  auto facts = s->collect(plan);
  ASSERT_TRUE(facts);
  auto wmi = facts->wmi_class({"root\\cimv2", "Win32_QuickFixEngineering"});
  ASSERT_FALSE(wmi);
  EXPECT_EQ(wmi.error().problem, FactProblem::Unknown);
  EXPECT_NE(wmi.error().message.find("offline image"), std::string::npos);
  auto policy = facts->account_policy_fact();
  ASSERT_FALSE(policy);
  EXPECT_EQ(policy.error().problem, FactProblem::Unknown);
  EXPECT_NE(policy.error().message.find("offline image"), std::string::npos);
}

TEST(OfflineSource, WithOneHiveTheOthersFactsAreUnknownAndSayWhichHiveIsMissing) {
  auto s = source(image(system_hive(), nullptr, "no --software hive given"));
  ASSERT_TRUE(s);
  auto facts = s->collect(plan_of({"HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation",
                                   "HKLM\\SYSTEM\\CurrentControlSet\\Services\\WebClient"}));
  ASSERT_TRUE(facts);
  auto policy = facts->registry_key("HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation");
  ASSERT_FALSE(policy);
  EXPECT_EQ(policy.error().problem, FactProblem::Unknown);
  EXPECT_EQ(policy.error().message, "offline image: SOFTWARE hive not read (no --software hive given)");
  EXPECT_TRUE(facts->registry_key("HKLM\\SYSTEM\\CurrentControlSet\\Services\\WebClient"));
  auto host = s->host();
  ASSERT_TRUE(host);
  EXPECT_FALSE(host->build) << "the build is in SOFTWARE";
  EXPECT_EQ(host->unknown_reasons.at("os_build"), "offline image: SOFTWARE hive not read (no --software hive given)");
  EXPECT_EQ(host->unknown_reasons.count("role"), 0u);
  EXPECT_EQ(host->role, Role::MemberServer);
  EXPECT_NE(s->info().description.find("SOFTWARE not read (no --software hive given)"), std::string::npos);

  auto only_software = source(image(nullptr, software_hive(), "no --system hive given"));
  ASSERT_TRUE(only_software);
  auto services = only_software->collect(plan_of({}, {"WebClient"}));
  ASSERT_TRUE(services);
  EXPECT_EQ(services->service("WebClient").error().message,
            "offline image: SYSTEM hive not read (no --system hive given)");
  EXPECT_EQ(only_software->host()->build, 26100);
  EXPECT_FALSE(only_software->host()->role);
  EXPECT_EQ(only_software->host()->unknown_reasons.at("role"),
            "offline image: SYSTEM hive not read (no --system hive given)");
}

TEST(OfflineSource, RefusesHivesOfTheWrongKind) {
  auto no_select = std::make_unique<FakeHive>();
  no_select->key("Software\\Microsoft\\Windows\\CurrentVersion\\Explorer");  // an NTUSER.DAT
  auto e = make_offline_source(image(std::move(no_select), nullptr));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().failure, CollectFailure::BadInput);
  EXPECT_EQ(e.error().message,
            "/img/SYSTEM: not a SYSTEM hive: it has no Select key (an NTUSER.DAT, SOFTWARE or other hive?)");

  auto missing_set = std::make_unique<FakeHive>();
  missing_set->key("Select", {dword("Current", 3)}).key("ControlSet001");
  e = make_offline_source(image(std::move(missing_set), nullptr));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().message,
            "/img/SYSTEM: SYSTEM hive: Select\\Current names ControlSet003, which the hive does not have");

  auto no_current = std::make_unique<FakeHive>();
  no_current->key("Select", {sz("Current", "1")});
  e = make_offline_source(image(std::move(no_current), nullptr));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().message, "/img/SYSTEM: SYSTEM hive: Select\\Current is missing or not a control set number");

  e = make_offline_source(image(nullptr, system_hive()));  // a SYSTEM hive given as SOFTWARE
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().message,
            "/img/SOFTWARE: not a SOFTWARE hive: it has no Microsoft\\Windows NT\\CurrentVersion key");
}

TEST(OfflineSource, AHiveThatFailsToReadIsBadInputNamingFileAndKey) {
  auto system = system_hive();
  system->broken("ControlSet002\\Services\\WebClient");
  auto s = source(image(std::move(system), software_hive()));
  ASSERT_TRUE(s);
  auto facts = s->collect(plan_of({}, {"WebClient"}));
  ASSERT_FALSE(facts);
  EXPECT_EQ(facts.error().failure, CollectFailure::BadInput);
  EXPECT_EQ(
      facts.error().message,
      "/img/SYSTEM: corrupted hive: cannot list a key's values (reading key \\ControlSet002\\Services\\WebClient)");
}

}  // namespace
}  // namespace smbaudit::offline
