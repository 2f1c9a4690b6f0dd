#include <gtest/gtest.h>

#include "../core/input.h"
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

// kValidRule with its remediation replaced by `remediation` (a JSON object's text).
std::string with_remediation(const std::string& remediation) {
  std::string rule = kValidRule;
  const auto at = rule.find("\"remediation\"");
  const auto end = rule.find('}', at);
  rule.replace(at, end - at + 1, "\"remediation\": " + remediation);
  return rule_file(rule);
}

constexpr const char* kLw = R"J("HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters")J";

TEST(RuleLoader, ReadsStructuredFixData) {
  auto pack = load_rule_pack(
      {RuleFile{"rules/test.json",
                with_remediation(std::string(R"J({"summary": "s", "powershell": "p", "caution": "breaks old NAS",
                  "registry": [{"key": )J") +
                                 kLw + R"J(, "value": "RequireSecuritySignature", "type": "REG_DWORD",
                                "data": {"param": "level"}, "when": {"min_build": 9600}, "only_if_set": true}],
                  "services": [{"service": "WebClient", "start_type": "disabled"}]})J")}},
      "test");
  ASSERT_TRUE(pack) << pack.error().front().to_string();
  const Remediation& fix = pack->rules.front().remediation;
  ASSERT_EQ(fix.registry.size(), 1u);
  EXPECT_EQ(fix.registry[0].key, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters");
  EXPECT_EQ(fix.registry[0].data.parameter, "level");
  EXPECT_EQ(fix.registry[0].when.min_build, 9600);
  EXPECT_EQ(fix.registry[0].scope, FixScope::OnlyIfSet);
  ASSERT_EQ(fix.services.size(), 1u);
  EXPECT_EQ(fix.services[0].start_type, StartType::Disabled);
  EXPECT_EQ(fix.caution, "breaks old NAS");
  EXPECT_TRUE(fix.automatic());
}

TEST(RuleLoader, RefusesFixDataThatDoesNotFitItsType) {
  const std::string prefix = std::string(R"J({"summary": "s", "powershell": "p", "registry": [{"key": )J") + kLw;
  EXPECT_EQ(first_error(with_remediation(prefix + R"J(, "value": "V", "type": "REG_DWORD", "data": "1"}]})J")),
            "rules/test.json: rule 'client-signing' at /rules/0/remediation/registry/0/data: expected data of type "
            "REG_DWORD or {\"param\": NAME}");
  EXPECT_EQ(first_error(with_remediation(prefix + R"J(, "value": "V", "type": "REG_DWORD", "data": 4294967296}]})J")),
            "rules/test.json: rule 'client-signing' at /rules/0/remediation/registry/0/data: 4294967296 does not fit "
            "REG_DWORD");
  EXPECT_EQ(first_error(with_remediation(prefix + R"J(, "value": "V", "type": "REG_BINARY", "data": 1}]})J")),
            "rules/test.json: rule 'client-signing' at /rules/0/remediation/registry/0/type: unsupported type "
            "'REG_BINARY' (allowed: REG_DWORD, REG_QWORD, REG_SZ, REG_EXPAND_SZ, REG_MULTI_SZ)");
  EXPECT_EQ(
      first_error(with_remediation(prefix + R"J(, "value": "V", "type": "REG_SZ", "data": {"param": "level"}}]})J")),
      "rules/test.json: rule 'client-signing' at /rules/0/remediation/registry/0/data/param: parameter 'level' "
      "has the wrong type here");
  EXPECT_EQ(
      first_error(with_remediation(
          prefix + R"J(, "value": "V", "type": "REG_DWORD", "data": 1, "when_parameter": {"lvl": 1}}]})J")),
      "rules/test.json: rule 'client-signing' at /rules/0/remediation/registry/0/when_parameter/lvl: no parameter "
      "named 'lvl' is declared by this rule");
}

TEST(RuleLoader, RefusesAManualStepBesideAnAutomaticFix) {
  EXPECT_EQ(first_error(with_remediation(R"J({"summary": "s", "powershell": "p", "manual": "by hand",
                                             "services": [{"service": "WebClient", "start_type": "off"}]})J")),
            "rules/test.json: rule 'client-signing' at /rules/0/remediation/services/0/start_type: unknown start type "
            "'off' (allowed: boot, system, automatic, automatic_delayed, manual, disabled)");
  EXPECT_EQ(first_error(with_remediation(R"J({"summary": "s", "powershell": "p", "manual": "by hand",
                                             "services": [{"service": "WebClient", "start_type": "disabled"}]})J")),
            "rules/test.json: rule 'client-signing' at /rules/0/remediation/manual: a rule with an automatic fix "
            "(registry, services, account_policy) has no 'manual' step");
}

TEST(RuleLoader, RefusesAnAccountPolicyFixItCannotWrite) {
  EXPECT_EQ(first_error(with_remediation(R"J({"summary": "s", "powershell": "p",
                                             "account_policy": [{"setting": "LockoutBadCount", "value": 5}]})J")),
            "rules/test.json: rule 'client-signing' at /rules/0/remediation/account_policy/0/setting: unknown account "
            "policy setting 'LockoutBadCount' (allowed: MinimumPasswordLength)");
  EXPECT_EQ(
      first_error(with_remediation(R"J({"summary": "s", "powershell": "p",
                                       "account_policy": [{"setting": "MinimumPasswordLength", "value": -1}]})J")),
      "rules/test.json: rule 'client-signing' at /rules/0/remediation/account_policy/0/value: expected a number from 0 "
      "to 1024 or {\"param\": NAME}");
  EXPECT_EQ(first_error(with_remediation(R"J({"summary": "s", "powershell": "p", "account_policy": []})J")),
            "rules/test.json: rule 'client-signing' at /rules/0/remediation/account_policy: expected a non-empty array "
            "of {setting, value}");
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

TEST(RuleLoader, ReadsAnEverySubkeyCheckAndRefusesItWithoutAValueOrWithOpAbsent) {
  const auto with_check = [](const std::string& check) {
    std::string rule = kValidRule;
    const auto from = rule.find("\"check\": ");
    const auto to = rule.find("\"rationale\"");
    return rule_file(rule.replace(from, to - from, "\"check\": " + check + ",\n  "));
  };
  const std::string key = R"("HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces")";
  auto pack = load_rule_pack(
      {RuleFile{"rules/test.json", with_check(R"({"every_subkey": )" + key +
                                              R"(, "registry_value": "NetbiosOptions", "op": "equals", "value": 2})")}},
      "test");
  ASSERT_TRUE(pack) << pack.error().front().to_string();
  FactPlan plan;
  add_facts(pack->rules.front().check, plan);
  EXPECT_EQ(plan.registry_subkeys.count("HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces"),
            1u);
  EXPECT_EQ(plan.registry_keys.size(), 1u);
  EXPECT_NE(
      first_error(with_check(R"({"every_subkey": )" + key + R"(, "op": "equals", "value": 2})")).find("registry_value"),
      std::string::npos);
  EXPECT_NE(first_error(with_check(R"({"every_subkey": )" + key + R"(, "registry_value": "X", "op": "absent"})"))
                .find("'absent' is not one of its ops"),
            std::string::npos);
}

TEST(RuleLoader, RejectsAnUndeclaredParameter) {
  std::string rule = kValidRule;
  rule.replace(rule.find("\"param\": \"level\""), 16, "\"param\": \"lvl\"");
  EXPECT_NE(first_error(rule_file(rule)).find("no parameter named 'lvl'"), std::string::npos);
}

TEST(RuleLoader, ADefaultIsEitherAValueOrUnknownWithItsReason) {
  const std::string from = R"J({"when": {"min_build": 26100}, "value": 1})J";
  const auto with_default = [&](const std::string& replacement) {
    std::string rule = kValidRule;
    rule.replace(rule.find(from), from.size(), replacement);
    return rule_file(rule);
  };
  auto pack = load_rule_pack(
      {RuleFile{"rules/test.json", with_default(R"J({"when": {"min_build": 26100}, "unknown": "hardware decides"})J")}},
      "test");
  ASSERT_TRUE(pack) << pack.error().front().to_string();
  const auto& defaults = std::get<SettingCheck>(pack->rules.front().check.node).setting.defaults;
  ASSERT_EQ(defaults.size(), 2u);
  EXPECT_EQ(defaults[0].unknown, "hardware decides");
  EXPECT_TRUE(defaults[1].unknown.empty());
  EXPECT_NE(first_error(with_default(R"J({"unknown": "hardware decides", "value": 1})J")).find("not both"),
            std::string::npos);
  EXPECT_NE(first_error(with_default(R"J({"unknown": "hardware decides", "note": "n"})J")).find("not both"),
            std::string::npos);
  EXPECT_NE(first_error(with_default(R"J({"unknown": ""})J")).find("/default/0/unknown"), std::string::npos);
  EXPECT_NE(first_error(with_default(R"J({"when": {"min_build": 26100}})J")).find("/default/0"), std::string::npos);
}

TEST(RuleLoader, RejectsIdsThatAreNotKebabCase) {
  for (const char* id : {"Client_Signing", "-client", "client-", "client--signing", "client signing", "a-B"}) {
    std::string rule = kValidRule;
    rule.replace(rule.find("client-signing"), 14, id);
    EXPECT_NE(first_error(rule_file(rule)).find("is not kebab-case"), std::string::npos) << id;
  }
  for (const char* id : {"a", "smb1-client-disabled", "x-1-y"}) {
    std::string rule = kValidRule;
    rule.replace(rule.find("client-signing"), 14, id);
    EXPECT_EQ(first_error(rule_file(rule)).find("is not kebab-case"), std::string::npos) << id;
  }
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
  // A data file (the patch-level table) is part of the pack as data/NAME.
  EXPECT_EQ(pack_digest(rules, profiles, {{"/srv/pack/data/t.json", "z"}}),
            "3ad4865c75ef628853be0ae82708dc8427308fa6b8ac1985f90c71ac704137b7");
}

TEST(PackDigest, TheBuiltInPacksDigestFromTheBuildIsTheOneItsFilesGive) {
  EXPECT_EQ(builtin_pack_digest(), pack_digest(builtin_rule_files(), builtin_profile_files(), builtin_data_files()));
}

// Built-in files skip the validating pass at run time (they are part of the binary): this is
// where they go through it.
TEST(RuleLoader, EveryBuiltInFilePassesTheValidatingReader) {
  auto rules = builtin_rule_files();
  for (auto& f : rules) {
    EXPECT_EQ(f.provenance, Provenance::BuiltIn) << f.name;
    f.provenance = Provenance::External;
  }
  auto data = builtin_data_files();
  for (auto& f : data) f.provenance = Provenance::External;
  auto pack = load_rule_pack(rules, "test", data);
  ASSERT_TRUE(pack) << pack.error().front().to_string();
  for (auto profile : builtin_profile_files()) {
    EXPECT_EQ(profile.provenance, Provenance::BuiltIn) << profile.name;
    profile.provenance = Provenance::External;
    auto loaded = load_profile(profile, *pack);
    EXPECT_TRUE(loaded) << profile.name << ": " << (loaded ? "" : loaded.error().front().to_string());
  }
}

// The built-in pack is parsed by parse_trusted_json without the validating pass: it must
// build, for every file, what nlohmann's parser builds.
TEST(RuleLoader, TheTrustedParserReadsEveryBuiltInFileAsNlohmannDoes) {
  for (const auto& list : {builtin_rule_files(), builtin_profile_files(), builtin_data_files()}) {
    for (const auto& f : list) {
      const auto mine = parse_trusted_json(f.text);
      ASSERT_TRUE(mine) << f.name << ": " << mine.error();
      EXPECT_EQ(mine->dump(), nlohmann::json::parse(f.text).dump()) << f.name;
    }
  }
}

TEST(RuleLoader, ABuiltInFileThatIsNotJsonIsStillOneErrorNotAnException) {
  auto pack = load_rule_pack({RuleFile{"built-in:broken.json", "{\"schema\": ", Provenance::BuiltIn}}, "test");
  ASSERT_FALSE(pack);
  EXPECT_NE(pack.error().front().to_string().find("built-in:broken.json: not valid JSON"), std::string::npos)
      << pack.error().front().to_string();
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
  ASSERT_TRUE(profile) << profile.error().front().to_string();
  EXPECT_EQ(std::get<std::int64_t>(profile->parameters["client-signing"]["level"]), 2);
  EXPECT_EQ(profile->severities["client-signing"], Severity::Low);
}

TEST(ProfileLoader, RejectsUnknownRulesParametersAndTypes) {
  auto pack = load_rule_pack({RuleFile{"rules/test.json", rule_file(kValidRule)}}, "test");
  ASSERT_TRUE(pack);
  const auto error = [&](const std::string& body) {
    auto p =
        load_profile(RuleFile{"p.json", R"J({"schema": "smbaudit-profile/1", "name": "p", )J" + body + "}"}, *pack);
    return p ? std::string() : p.error().front().to_string();
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
  EXPECT_EQ(p.error().front().to_string().rfind("p.json: not valid JSON: number overflow", 0), 0u)
      << p.error().front().to_string();
}

}  // namespace
}  // namespace smbaudit

namespace smbaudit {
namespace {

RulePack one_rule_pack() {
  auto pack = load_rule_pack({RuleFile{"rules/test.json", rule_file(kValidRule)}}, "test");
  EXPECT_TRUE(pack);
  return std::move(*pack);
}

std::string waiver_error(const std::string& waivers) {
  auto list = load_waivers({"waivers.json", R"J({"schema": "smbaudit-waivers/1", "waivers": [)J" + waivers + "]}"},
                           one_rule_pack());
  return list ? "" : list.error().front().to_string();
}

TEST(ProfileAndWaiverLoaders, ReportEveryProblemInFileOrderAsAPackDoes) {
  const RulePack pack = one_rule_pack();
  auto profile = load_profile(RuleFile{"p.json", R"J({"schema": "smbaudit-profile/1", "name": "p",
      "exclude": ["nothing-*"], "severity": {"client-signing": "urgent", "nope": "low"}})J"},
                              pack);
  ASSERT_FALSE(profile);
  std::vector<std::string> lines;
  for (const auto& e : profile.error()) lines.push_back(e.to_string());
  EXPECT_EQ(lines, (std::vector<std::string>{"p.json at /exclude: 'nothing-*' matches no rule in the pack",
                                             "p.json at /severity/client-signing: expected one of critical, high, "
                                             "medium, low, info",
                                             "p.json at /severity/nope: no rule 'nope' in the pack"}));

  auto waivers = load_waivers({"w.json", R"J({"schema": "smbaudit-waivers/1", "waivers": [
      {"rule": "nope", "justification": "j", "expires": "2027-01-01"},
      {"rule": "client-signing", "justification": "j", "expires": "soon"}]})J"},
                              pack);
  ASSERT_FALSE(waivers);
  ASSERT_EQ(waivers.error().size(), 2u);
  EXPECT_NE(waivers.error()[0].to_string().find("w.json at /waivers/0/rule"), std::string::npos);
  EXPECT_NE(waivers.error()[1].to_string().find("w.json at /waivers/1/expires"), std::string::npos);
}

TEST(WaiverLoader, ReadsRuleHostsJustificationAndExpiry) {
  auto list = load_waivers({"waivers.json", R"J({"schema": "smbaudit-waivers/1", "waivers": [
      {"rule": "client-signing", "hosts": ["LAB-*", "KIOSK01"], "justification": "Lab isolated.", "expires": "2028-02-29"},
      {"rule": "client-signing", "justification": "Everywhere.", "expires": "2027-01-01"}]})J"},
                           one_rule_pack());
  ASSERT_TRUE(list) << list.error().front().to_string();
  EXPECT_EQ(list->file, "waivers.json");
  ASSERT_EQ(list->waivers.size(), 2u);
  EXPECT_EQ(list->waivers[0].hosts, (std::vector<std::string>{"LAB-*", "KIOSK01"}));
  EXPECT_EQ(list->waivers[0].expires, "2028-02-29");
  EXPECT_TRUE(list->waivers[1].hosts.empty());
}

TEST(WaiverLoader, AWaiverNamingAnUnknownRuleIsAnError) {
  EXPECT_EQ(waiver_error(R"J({"rule": "client-signin", "justification": "x", "expires": "2027-01-01"})J"),
            "waivers.json at /waivers/0/rule: no rule 'client-signin' in the pack (see 'smbaudit rules list')");
}

TEST(WaiverLoader, RejectsBadDatesMissingJustificationAndUnknownFields) {
  EXPECT_EQ(waiver_error(R"J({"rule": "client-signing", "justification": "x", "expires": "2027-02-29"})J"),
            "waivers.json at /waivers/0/expires: expected a date YYYY-MM-DD, got \"2027-02-29\"");
  EXPECT_EQ(waiver_error(R"J({"rule": "client-signing", "justification": "x", "expires": "31/12/2027"})J"),
            "waivers.json at /waivers/0/expires: expected a date YYYY-MM-DD, got \"31/12/2027\"");
  EXPECT_EQ(waiver_error(R"J({"rule": "client-signing", "justification": " ", "expires": "2027-01-01"})J"),
            "waivers.json at /waivers/0/justification: must not be empty");
  EXPECT_EQ(waiver_error(R"J({"rule": "client-signing", "expires": "2027-01-01"})J"),
            "waivers.json at /waivers/0: missing required field 'justification'");
  EXPECT_EQ(waiver_error(R"J({"rule": "client-signing", "justification": "x", "expires": "2027-01-01", "host": "A"})J"),
            "waivers.json at /waivers/0/host: unknown field 'host' (allowed: rule, hosts, justification, expires)");
  auto other = load_waivers({"w.json", R"J({"schema": "smbaudit-profile/1", "waivers": []})J"}, one_rule_pack());
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().front().to_string(),
            "w.json at /schema: unsupported schema 'smbaudit-profile/1' (this version reads 'smbaudit-waivers/1')");
}

// The patch-level check reads a data file of the pack; the table's problems are the pack's,
// named by the table's file and pointer, every one of them.
const char* kPatchRule = R"J({"id": "patched", "title": "Patched", "layer": "attack-surface", "severity": "high",
  "check": {"patch_level": {"table": "data/patch-level.json"}}, "rationale": "r",
  "remediation": {"summary": "s", "powershell": "p", "manual": "m"}})J";

std::string patch_table(const std::string& cves, const std::string& builds = R"({"26100": "Windows 11 24H2"})") {
  return R"({"schema": "smbaudit-patch-level/1", "generated": "2026-11-29", "as_of": "2026-06-09",
    "since": "2024-01-01", "source": "test", "builds": )" +
         builds + R"(, "cves": )" + cves + "}";
}

TEST(PatchTable, TheRuleCarriesTheTableItNames) {
  auto pack = load_rule_pack({RuleFile{"/pack/rules.json", rule_file(kPatchRule)}}, "test",
                             {RuleFile{"/pack/data/patch-level.json",
                                       patch_table(R"([{"id": "CVE-2026-40410", "title": "t", "component": "smb-client",
                   "published": "2026-05-12", "source": "s", "fixes": [
                   {"build": 26100, "family": "client", "fixed_ubr": 8457, "products": ["Windows 11 Version 24H2"]},
                   {"build": 26100, "family": "server", "fixed_ubr": null, "products": ["Windows Server 2025"],
                    "note": "range ends on another build"}]}])")}});
  ASSERT_TRUE(pack) << pack.error().front().to_string();
  const auto& check = std::get<PatchLevelCheck>(pack->rules.front().check.node);
  ASSERT_TRUE(check.table);
  EXPECT_EQ(check.table->as_of, "2026-06-09");
  ASSERT_EQ(check.table->cves.size(), 1u);
  ASSERT_EQ(check.table->cves[0].fixes.size(), 2u);
  EXPECT_EQ(check.table->cves[0].fixes[0].family, PatchFamily::Client);
  EXPECT_EQ(check.table->cves[0].fixes[0].fixed_ubr, 8457);
  EXPECT_FALSE(check.table->cves[0].fixes[1].fixed_ubr);
  EXPECT_EQ(check.table->cves[0].fixes[1].note, "range ends on another build");
}

TEST(PatchTable, AMissingOrBadTableIsALoadErrorNamingItsFileAndPointer) {
  const auto errors = [](std::vector<RuleFile> data) {
    std::vector<std::string> lines;
    auto pack = load_rule_pack({RuleFile{"/pack/rules.json", rule_file(kPatchRule)}}, "test", data);
    if (!pack)
      for (const auto& e : pack.error()) lines.push_back(e.to_string());
    return lines;
  };
  EXPECT_EQ(errors({}),
            std::vector<std::string>{"/pack/rules.json: rule 'patched' at /rules/0/check/patch_level/table: "
                                     "the pack has no data file 'data/patch-level.json'"});
  EXPECT_EQ(errors({{"/pack/data/other.json", patch_table("[]")}}).size(), 1u);
  const std::string bad = patch_table(R"([{"id": "CVE-1", "title": "t", "component": "dns", "published": "2026-13-01",
      "source": "s", "fixes": [{"build": 19045, "family": "both", "fixed_ubr": -1, "products": []}]}])");
  EXPECT_EQ(errors({{"/pack/data/patch-level.json", bad}}),
            (std::vector<std::string>{
                "/pack/data/patch-level.json at /cves/0/id: 'CVE-1' is not a CVE id (CVE-YYYY-NNNN)",
                "/pack/data/patch-level.json at /cves/0/component: unknown component 'dns' (allowed: smb-client, "
                "smb-server, smb, ntlm, kerberos)",
                "/pack/data/patch-level.json at /cves/0/published: expected a date YYYY-MM-DD, got \"2026-13-01\"",
                "/pack/data/patch-level.json at /cves/0/fixes/0/build: build 19045 is not listed in /builds",
                "/pack/data/patch-level.json at /cves/0/fixes/0/family: unknown family 'both' (allowed: any, client, "
                "server)",
                "/pack/data/patch-level.json at /cves/0/fixes/0/fixed_ubr: expected an update build revision or null "
                "(no fix named for this build)",
                "/pack/data/patch-level.json at /cves/0/fixes/0/products: name at least one product"}));
  EXPECT_EQ(errors({{"/pack/data/patch-level.json", "{\"schema\": \"smbaudit-patch-level/1\", \"cves\": ["}})
                .front()
                .rfind("/pack/data/patch-level.json: not valid JSON", 0),
            0u);
}

TEST(PatchTable, ATableOutsideThePacksDataFolderIsRefused) {
  const std::string rule = R"J({"id": "patched", "title": "Patched", "layer": "attack-surface", "severity": "high",
    "check": {"patch_level": {"table": "../etc/table.json"}}, "rationale": "r",
    "remediation": {"summary": "s", "powershell": "p", "manual": "m"}})J";
  EXPECT_EQ(first_error(rule_file(rule)),
            "rules/test.json: rule 'patched' at /rules/0/check/patch_level/table: "
            "'../etc/table.json' is not a data file of the pack (data/NAME.json)");
}

}  // namespace
}  // namespace smbaudit
