// The rule pack's own tests: for every rule, cases in tests/rule-cases/*.json (format in
// support/rule_cases.h) drive the evaluation through facts snapshots, and every profile must
// load against the pack.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "smbaudit/engine.h"
#include "support/rule_cases.h"
#include "support/temp_dir.h"

namespace smbaudit {
namespace {

using nlohmann::json;
using test_support::builtin_pack;
using test_support::case_files;
using test_support::field;

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
      const auto facts = test_support::case_facts(*rule, c);
      ASSERT_TRUE(facts);
      const auto* host = &facts->host;
      const auto params = test_support::case_parameters(c);
      const Finding f = evaluate(*rule, *host, facts->facts, params);
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
