// The rule pack's own tests: for every rule, cases in tests/rule-cases/*.json (format in
// support/rule_cases.h) drive the evaluation through facts snapshots, and every profile must
// load against the pack.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "../src/rules/fix_safety.h"
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
    ASSERT_TRUE(p) << p.error().front().to_string();
    names.insert(p->name);
  }
  EXPECT_TRUE(names.count("guide"));
  EXPECT_TRUE(names.count("strict"));
}

using ProfileParameters = std::map<std::string, std::map<std::string, Value>>;

// The parameters each built-in profile sets, and none (the rules' own defaults).
std::vector<std::pair<std::string, ProfileParameters>> parameter_contexts(const RulePack& pack) {
  std::vector<std::pair<std::string, ProfileParameters>> out{{"(defaults)", {}}};
  for (const auto& f : builtin_profile_files()) {
    auto p = load_profile(f, pack);
    if (p) out.emplace_back(p->name, p->parameters);
  }
  return out;
}

const std::map<std::string, Value>& of(const ProfileParameters& params, const std::string& rule) {
  static const std::map<std::string, Value> kNone;
  auto it = params.find(rule);
  return it == params.end() ? kNone : it->second;
}

// Issue 16, item 1: `New-Item KEY -Force` on an existing key deletes its values and subkeys.
// Every fix text, with every profile's values, in every output that shows it (they all show
// these strings), may create a key only where it is missing and may delete nothing.
TEST(RulePack, EveryFixTextCreatesKeysOnlyWhereMissingAndDeletesNothing) {
  const RulePack pack = builtin_pack();
  for (const auto& [profile, params] : parameter_contexts(pack)) {
    for (const auto& raw : pack.rules) {
      const Rule rule = with_parameters(raw, of(params, raw.id));
      for (const auto* text : {&rule.remediation.powershell, &rule.remediation.group_policy, &rule.remediation.summary,
                               &rule.remediation.manual}) {
        auto harm = harmful_fix_text(*text);
        EXPECT_FALSE(harm) << raw.id << " (" << profile << "): " << harm.value_or("") << "\n  " << *text;
      }
    }
  }
}

// Issue 16, item 4: a title that names a threshold names the one in effect, never a number
// written into the rule (which a profile can change).
TEST(RulePack, TitlesNeverWriteInAParameterValue) {
  const RulePack pack = builtin_pack();
  for (const auto& rule : pack.rules) {
    for (const auto& p : rule.parameters) {
      const auto* n = std::get_if<std::int64_t>(&p.default_value);
      if (!n) continue;
      std::vector<std::string> spellings{std::to_string(*n), fmt::format("0x{:x}", *n)};
      if (*n == 0x311) spellings.emplace_back("3.1.1");
      if (*n == 0x300) spellings.emplace_back("3.0");
      for (const auto& spelling : spellings) {
        const std::regex token("(^|[^0-9.x])" + std::regex_replace(spelling, std::regex(R"(\.)"), R"(\.)") +
                               "($|[^0-9.])");
        EXPECT_FALSE(std::regex_search(rule.title, token))
            << rule.id << ": the title writes " << spelling << " (parameter " << p.name << "): use {{" << p.name
            << "}}\n  " << rule.title;
      }
    }
  }
  const Rule* length = pack.find("minimum-password-length");
  ASSERT_NE(length, nullptr);
  EXPECT_EQ(with_parameters(*length, {{"min_length", Value{std::int64_t{14}}}}).title,
            "Minimum password length is at least 14");
  EXPECT_EQ(with_parameters(*length, {}).title, "Minimum password length is at least 15");
}

// Issue 16, item 6: what remediate writes follows the profile (the structured fix's
// parameters); the fix text reports show must follow the same parameters.
TEST(RulePack, FixTextNamesEveryParameterTheAutomaticFixUses) {
  const RulePack pack = builtin_pack();
  for (const auto& rule : pack.rules) {
    std::set<std::string> used;
    for (const auto& f : rule.remediation.registry) {
      if (f.data.parameter) used.insert(*f.data.parameter);
      if (f.value_parameter) used.insert(*f.value_parameter);
      for (const auto& [name, _] : f.when_parameters) used.insert(name);
    }
    const std::string text = rule.remediation.powershell + "\n" + rule.remediation.group_policy;
    for (const auto& name : used)
      EXPECT_NE(text.find("{{" + name), std::string::npos)
          << rule.id << ": the automatic fix follows parameter " << name
          << " but the PowerShell and Group Policy text do not ({{" << name << "}})";
  }
  // Under strict, outgoing NTLM is denied (2) and UNC paths require privacy.
  const auto contexts = parameter_contexts(pack);
  const auto strict = std::find_if(contexts.begin(), contexts.end(), [](const auto& c) { return c.first == "strict"; });
  ASSERT_NE(strict, contexts.end());
  const Rule ntlm = with_parameters(*pack.find("ntlm-outgoing-audited"), of(strict->second, "ntlm-outgoing-audited"));
  EXPECT_NE(ntlm.remediation.powershell.find("-Value 2 -Force"), std::string::npos) << ntlm.remediation.powershell;
  EXPECT_NE(ntlm.remediation.group_policy.find("= Deny all"), std::string::npos) << ntlm.remediation.group_policy;
  const Rule unc = with_parameters(*pack.find("unc-hardened-paths"), of(strict->second, "unc-hardened-paths"));
  EXPECT_NE(unc.remediation.powershell.find("RequireIntegrity=1, RequirePrivacy=1'"), std::string::npos)
      << unc.remediation.powershell;
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
