// The rule pack's own tests: for every rule, cases in tests/rule-cases/*.json drive the
// evaluation through facts snapshots, and every profile must load against the pack.
//
// A case file:
//   {"rule": "ID", "cases": [{"name": "...", "kind": "pass|fail|default|not_applicable|unknown",
//     "host": {...facts host fields...}, "registry": {...}, "services": {...}, "wmi": {...},
//     "account_policy": {...}, "parameters": {...}, "expect": "pass|fail|not_applicable|unknown|error",
//     "decided_by": "text the explanation must contain (optional)"}]}
// Every key, service and WMI namespace the rule reads that a case does not give is filled
// in as absent (keys, services) or unknown (WMI: namespace missing, as on older Windows and
// offline), so each case states only what matters to it.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "smbaudit/engine.h"
#include "smbaudit/snapshot.h"
#include "support/temp_dir.h"

namespace smbaudit {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

RulePack builtin_pack() {
  auto pack = load_rule_pack(builtin_rule_files(), "built-in");
  if (!pack) {
    for (const auto& e : pack.error()) ADD_FAILURE() << e.to_string();
    return {};
  }
  return std::move(*pack);
}

json base_host() {
  return {{"name", "CASE"},
          {"os_build", 22631},
          {"ubr", 4460},
          {"edition", "Enterprise"},
          {"role", "workstation"},
          {"domain_joined", true},
          {"collected_at", "2026-11-20T02:00:00Z"}};
}

// A case's optional object field, by reference: iterating items() of a temporary returned
// by json::value() would dangle (the temporary dies before the loop body runs).
const json& field(const json& c, const char* name) {
  static const json empty = json::object();
  const auto it = c.find(name);
  return it == c.end() ? empty : *it;
}

json facts_for(const Rule& rule, const json& c) {
  FactPlan plan;
  add_facts(rule.check, plan);
  json doc{{"schema", "smbaudit-facts/1"}, {"host", base_host()}};
  for (const auto& [k, v] : field(c, "host").items()) {
    if (v.is_null())
      doc["host"].erase(k);
    else
      doc["host"][k] = v;
  }
  json registry = json::object();
  for (const auto& key : plan.registry_keys) registry[key] = {{"present", false}};
  for (const auto& [k, v] : field(c, "registry").items()) registry[k] = v;
  doc["registry"] = registry;
  json services = json::object();
  for (const auto& s : plan.services) services[s] = {{"present", false}};
  for (const auto& [k, v] : field(c, "services").items()) services[k] = v;
  doc["services"] = services;
  json wmi = json::object();
  for (const auto& cls : plan.wmi_classes)
    wmi[cls.name_space] = {{"error", {{"kind", "unknown"}, {"message", "invalid namespace (0x8004100e)"}}}};
  for (const auto& [k, v] : field(c, "wmi").items()) wmi[k] = v;
  doc["wmi"] = wmi;
  if (c.contains("account_policy")) doc["account_policy"] = c["account_policy"];
  return doc;
}

std::vector<fs::path> case_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(SMBAUDIT_SOURCE_DIR) / "tests" / "rule-cases"))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(RulePack, LoadsWithEveryProfile) {
  const RulePack pack = builtin_pack();
  ASSERT_FALSE(pack.rules.empty());
  const auto profiles = builtin_profile_files();
  ASSERT_FALSE(profiles.empty());
  std::set<std::string> names;
  for (const auto& f : profiles) {
    auto p = load_profile(f, pack);
    ASSERT_TRUE(p) << p.error().to_string();
    names.insert(p->name);
  }
  EXPECT_TRUE(names.count("guide"));
  EXPECT_TRUE(names.count("strict"));
}

TEST(RulePack, EveryRuleCaseGivesTheExpectedVerdict) {
  const RulePack pack = builtin_pack();
  std::map<std::string, std::multiset<std::string>> kinds;  // rule -> kinds covered
  std::map<std::string, std::set<int>> default_builds;
  for (const auto& file : case_files()) {
    SCOPED_TRACE(file.string());
    const json doc = json::parse(test_support::read_file(file));
    const std::string id = doc.at("rule");
    const Rule* rule = pack.find(id);
    ASSERT_NE(rule, nullptr) << "no rule " << id;
    for (const auto& c : doc.at("cases")) {
      const std::string name = c.at("name");
      SCOPED_TRACE(id + ": " + name);
      auto source = parse_snapshot(facts_for(*rule, c).dump(), name);
      ASSERT_TRUE(source) << source.error().message;
      FactPlan plan;
      add_facts(rule->check, plan);
      auto facts = (*source)->collect(plan);
      auto host = (*source)->host();
      ASSERT_TRUE(facts && host);
      std::map<std::string, Value> params;
      for (const auto& [k, v] : field(c, "parameters").items()) {
        if (v.is_boolean())
          params[k] = Value{v.get<bool>()};
        else if (v.is_number_integer())
          params[k] = Value{v.get<std::int64_t>()};
        else if (v.is_string())
          params[k] = Value{v.get<std::string>()};
        else
          params[k] = Value{v.get<StringList>()};
      }
      const Finding f = evaluate(*rule, *host, *facts, params);
      EXPECT_EQ(to_string(f.status), c.at("expect").get<std::string>()) << f.explanation;
      if (c.contains("decided_by")) {
        EXPECT_NE(f.explanation.find(c["decided_by"].get<std::string>()), std::string::npos) << f.explanation;
      }
      const std::string kind = c.at("kind");
      kinds[id].insert(kind);
      if (kind == "default") {
        default_builds[id].insert(host->build.value_or(0));
        // A default case must be decided by Windows' default, and say so.
        EXPECT_TRUE(std::any_of(f.evidence.begin(), f.evidence.end(), [](const Evidence& e) {
          return e.kind == EvidenceKind::Default;
        })) << f.explanation;
      }
    }
  }
  // Coverage: every rule has pass, fail and unknown cases; a rule with Windows defaults has
  // default cases on at least two builds; a rule with applicability has a not-applicable case.
  for (const auto& rule : pack.rules) {
    SCOPED_TRACE(rule.id);
    const auto& k = kinds[rule.id];
    EXPECT_TRUE(k.count("pass")) << "no pass case";
    EXPECT_TRUE(k.count("fail")) << "no fail case";
    EXPECT_TRUE(k.count("unknown")) << "no unknown case";
    if (!rule.applies_to.empty()) {
      EXPECT_TRUE(k.count("not_applicable")) << "no not-applicable case";
    }
    bool has_defaults = false;
    std::function<void(const Check&)> visit = [&](const Check& c) {
      if (const auto* s = std::get_if<SettingCheck>(&c.node); s && !s->setting.defaults.empty()) has_defaults = true;
      if (const auto* u = std::get_if<UncHardeningCheck>(&c.node); u && u->default_from_build) has_defaults = true;
      if (const auto* comp = std::get_if<CompositeCheck>(&c.node))
        for (const auto& child : comp->children) visit(child);
    };
    visit(rule.check);
    if (has_defaults) {
      EXPECT_GE(default_builds[rule.id].size(), 2u) << "needs default cases on two builds";
    }
  }
}

}  // namespace
}  // namespace smbaudit
