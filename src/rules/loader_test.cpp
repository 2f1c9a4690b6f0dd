#include <gtest/gtest.h>

#include "smbaudit/limits.h"
#include "smbaudit/rule_loader.h"

namespace smbaudit {
namespace {

std::string rule_file(const std::string& rules) {
  return R"J({"schema": "smbaudit-rules/1", "rules": [)J" + rules + "]}";
}

const char* kValidRule = R"J({
  "id": "client-signing",
  "title": "Client signing required",
  "layer": "transit",
  "severity": "high",
  "applies_to": {"min_build": 7601, "roles": ["workstation"]},
  "parameters": {"level": {"default": 1, "description": "required level"}},
  "check": {"setting": {
      "sources": [{"registry": "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters",
                   "value": "RequireSecuritySignature"}],
      "default": [{"when": {"min_build": 26100}, "value": 1}, {"value": 0}]},
    "op": "at_least", "value": {"param": "level"}},
  "rationale": "Stops tampering.",
  "remediation": {"summary": "Require it.", "powershell": "Set-SmbClientConfiguration -RequireSecuritySignature $true"}
})J";

std::vector<LoadError> errors_of(const std::string& text) {
  auto pack = load_rule_pack({RuleFile{"rules/test.json", text}}, "test");
  if (pack) return {};
  return pack.error();
}

std::string first_error(const std::string& text) {
  auto errors = errors_of(text);
  return errors.empty() ? "" : errors.front().to_string();
}

TEST(RuleLoader, LoadsAValidRuleAndNormalizesItsRegistryPath) {
  auto pack = load_rule_pack({RuleFile{"rules/test.json", rule_file(kValidRule)}}, "test");
  ASSERT_TRUE(pack) << pack.error().front().to_string();
  ASSERT_EQ(pack->rules.size(), 1u);
  const Rule& r = pack->rules.front();
  EXPECT_EQ(r.id, "client-signing");
  EXPECT_EQ(r.layer, Layer::Transit);
  EXPECT_EQ(r.severity, Severity::High);
  EXPECT_EQ(r.applies_to.min_build, 7601);
  const auto& check = std::get<SettingCheck>(r.check.node);
  EXPECT_EQ(std::get<RegistrySource>(check.setting.sources.front().where).key,
            "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters");
  EXPECT_EQ(check.setting.defaults.size(), 2u);
  EXPECT_EQ(check.operand.parameter, "level");
  EXPECT_EQ(
      facts_read(r).front(),
      "registry HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters\\RequireSecuritySignature");
}

TEST(RuleLoader, NamesFileRuleAndPointerForAnUnknownField) {
  std::string rule = kValidRule;
  rule.insert(rule.find("\"title\""), "\"titel\": \"typo\", ");
  EXPECT_EQ(first_error(rule_file(rule)),
            "rules/test.json: rule 'client-signing' at /rules/0/titel: unknown field 'titel' (allowed: id, title, "
            "layer, severity, applies_to, parameters, check, rationale, remediation, references)");
}

TEST(RuleLoader, RejectsDuplicateIdsAcrossFiles) {
  auto pack =
      load_rule_pack({RuleFile{"a.json", rule_file(kValidRule)}, RuleFile{"b.json", rule_file(kValidRule)}}, "test");
  ASSERT_FALSE(pack);
  EXPECT_EQ(pack.error().front().to_string(),
            "b.json: rule 'client-signing' at /rules/0/id: duplicate rule id (also defined in a.json)");
}

TEST(RuleLoader, RejectsWrongTypesWithThePointer) {
  std::string rule = kValidRule;
  rule.replace(rule.find("\"severity\": \"high\""), 18, "\"severity\": 3");
  EXPECT_EQ(first_error(rule_file(rule)),
            "rules/test.json: rule 'client-signing' at /rules/0/severity: expected a string, got integer");
}

TEST(RuleLoader, RejectsARegistryPathOutsideHklm) {
  std::string rule = kValidRule;
  rule.replace(rule.find("HKEY_LOCAL_MACHINE"), 18, "HKCU");
  const auto error = first_error(rule_file(rule));
  EXPECT_NE(error.find("at /rules/0/check/setting/sources/0/registry: registry path must start with HKLM"),
            std::string::npos)
      << error;
}

TEST(RuleLoader, RejectsAnUnknownOperator) {
  std::string rule = kValidRule;
  rule.replace(rule.find("at_least"), 8, "greater");
  EXPECT_NE(first_error(rule_file(rule)).find("at /rules/0/check/op: unknown operator 'greater'"), std::string::npos);
}

TEST(RuleLoader, RejectsAnUndeclaredParameter) {
  std::string rule = kValidRule;
  rule.replace(rule.find("\"param\": \"level\""), 16, "\"param\": \"lvl\"");
  EXPECT_NE(first_error(rule_file(rule)).find("no parameter named 'lvl'"), std::string::npos);
}

TEST(RuleLoader, RejectsIdsThatAreNotKebabCase) {
  std::string rule = kValidRule;
  rule.replace(rule.find("client-signing"), 14, "Client_Signing");
  EXPECT_NE(first_error(rule_file(rule)).find("is not kebab-case"), std::string::npos);
}

TEST(RuleLoader, RejectsTwoSubjectsInOneCheck) {
  std::string rule = kValidRule;
  rule.insert(rule.find("\"setting\""), "\"service\": \"WebClient\", ");
  EXPECT_NE(first_error(rule_file(rule)).find("a check has exactly one subject; this one has setting and service"),
            std::string::npos);
}

TEST(RuleLoader, ReportsEveryProblemNotJustTheFirst) {
  std::string rule = kValidRule;
  rule.replace(rule.find("\"transit\""), 9, "\"transport\"");
  rule.replace(rule.find("\"high\""), 6, "\"severe\"");
  EXPECT_EQ(errors_of(rule_file(rule)).size(), 2u);
}

TEST(RuleLoader, RejectsTextThatIsNotJson) {
  EXPECT_NE(first_error("{\"schema\": ").find("rules/test.json: not valid JSON"), std::string::npos);
  EXPECT_NE(first_error("").find("not valid JSON"), std::string::npos);
}

TEST(RuleLoader, RejectsAnotherSchema) {
  EXPECT_NE(first_error(R"J({"schema": "smbaudit-rules/9", "rules": []})J").find("unsupported schema"),
            std::string::npos);
}

TEST(RuleLoader, CapsHowDeepChecksNest) {
  std::string check = R"J({"host": "build", "op": "at_least", "value": 1})J";
  for (int i = 0; i < 40; ++i) check = R"J({"not": )J" + check + "}";
  std::string rule = kValidRule;
  const auto start = rule.find("\"check\"");
  const auto end = rule.find("\"rationale\"");
  rule.replace(start, end - start, "\"check\": " + check + ",\n  ");
  EXPECT_NE(first_error(rule_file(rule)).find("checks nest deeper than"), std::string::npos);
}

TEST(RuleLoader, KeepsEachErrorOnOneLine) {
  // A key with a newline must not forge a second log line.
  const std::string error = first_error(R"J({"schema": "smbaudit-rules/1", "rules": [], "x\nsmbaudit: ok": 1})J");
  EXPECT_NE(error.find("unknown field 'x\\x0asmbaudit: ok'"), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
}

TEST(RuleLoader, CapsTheNumberOfRules) {
  std::string rules;
  std::string rule = kValidRule;
  for (std::size_t i = 0; i <= limits::kMaxRules; ++i) {
    std::string r = rule;
    r.replace(r.find("client-signing"), 14, "rule-" + std::to_string(i));
    rules += (i ? "," : "") + r;
  }
  EXPECT_NE(first_error(rule_file(rules)).find("rules/test.json at /rules: more than 1000 rules"), std::string::npos);
}

// The documented definition, computed independently (Python's hashlib) for these files.
TEST(PackDigest, IsTheSha256OfSha256sumLinesSortedByPathInThePack) {
  const std::vector<RuleFile> rules{{"/srv/pack/b.json", "p"}, {"C:\\pack\\a.json", "x"}};
  const std::vector<RuleFile> profiles{{"built-in:guide.json", "y"}};
  EXPECT_EQ(pack_digest(rules, profiles), "3714e9ce9c51344a7cb63497746f2009d7387dde96bcb62fd69d9da79a260cc0");
}

TEST(PackDigest, ChangesWithAnyByteOrNameAndNotWithWhereThePackLives) {
  const std::vector<RuleFile> rules{{"pack/a.json", "x"}, {"pack/b.json", "p"}};
  const std::vector<RuleFile> profiles{{"pack/profiles/guide.json", "y"}};
  const std::string digest = pack_digest(rules, profiles);
  EXPECT_EQ(pack_digest({{"elsewhere/b.json", "p"}, {"elsewhere/a.json", "x"}}, {{"x/guide.json", "y"}}), digest);
  EXPECT_NE(pack_digest({{"pack/a.json", "x "}, {"pack/b.json", "p"}}, profiles), digest);
  EXPECT_NE(pack_digest({{"pack/a.json", "x"}, {"pack/c.json", "p"}}, profiles), digest);
  EXPECT_NE(pack_digest(rules, {{"pack/profiles/guide.json", "z"}}), digest);
  EXPECT_NE(pack_digest(rules, {}), digest);
  // A profile is not a rule file of the same name.
  EXPECT_NE(pack_digest({{"pack/a.json", "x"}, {"pack/b.json", "p"}, {"pack/guide.json", "y"}}, {}), digest);
}

TEST(ProfileLoader, AppliesParametersAndSeverities) {
  auto pack = load_rule_pack({RuleFile{"rules/test.json", rule_file(kValidRule)}}, "test");
  ASSERT_TRUE(pack);
  auto profile = load_profile(RuleFile{"p.json", R"J({"schema": "smbaudit-profile/1", "name": "p",
      "include": ["client-*"], "parameters": {"client-signing": {"level": 2}}, "severity": {"client-signing": "low"}})J"},
                              *pack);
  ASSERT_TRUE(profile) << profile.error().to_string();
  EXPECT_EQ(std::get<std::int64_t>(profile->parameters["client-signing"]["level"]), 2);
  EXPECT_EQ(profile->severities["client-signing"], Severity::Low);
}

TEST(ProfileLoader, RejectsUnknownRulesParametersAndTypes) {
  auto pack = load_rule_pack({RuleFile{"rules/test.json", rule_file(kValidRule)}}, "test");
  ASSERT_TRUE(pack);
  const auto error = [&](const std::string& body) {
    auto p =
        load_profile(RuleFile{"p.json", R"J({"schema": "smbaudit-profile/1", "name": "p", )J" + body + "}"}, *pack);
    return p ? std::string() : p.error().to_string();
  };
  EXPECT_EQ(error(R"J("parameters": {"nope": {"level": 2}})J"),
            "p.json at /parameters/nope: no rule 'nope' in the pack");
  EXPECT_NE(error(R"J("parameters": {"client-signing": {"lvl": 2}})J").find("has no parameter 'lvl'"),
            std::string::npos);
  EXPECT_NE(error(R"J("parameters": {"client-signing": {"level": "two"}})J").find("same type as the default"),
            std::string::npos);
  EXPECT_NE(error(R"J("include": ["zzz-*"])J").find("matches no rule"), std::string::npos);
}

// Found by fuzz/profile (fuzz/regressions/profile): the number threw json::out_of_range past
// the loader, and the CLI exited 70 instead of naming the file.
TEST(ProfileLoader, ANumberTooLargeIsAnErrorNamingTheFile) {
  auto pack = load_rule_pack({RuleFile{"rules/test.json", rule_file(kValidRule)}}, "test");
  ASSERT_TRUE(pack);
  auto p = load_profile(RuleFile{"p.json", "111111111111111111111111111e111111111111111111111111111111191"}, *pack);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().to_string().rfind("p.json: not valid JSON: number overflow", 0), 0u) << p.error().to_string();
}

}  // namespace
}  // namespace smbaudit
