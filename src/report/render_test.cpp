#include "render.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "markdown_writer.h"
#include "smbaudit/rule_loader.h"
#include "xml.h"

namespace smbaudit {
namespace {

TEST(EvidenceLine, SaysWhatWasReadWhereAndWhatDecided) {
  Evidence e;
  e.path = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa";
  e.name = "LmCompatibilityLevel";
  e.presence = Presence::Present;
  e.type = RegType::Dword;
  e.data = std::int64_t{5};
  e.role = EvidenceRole::Decided;
  EXPECT_EQ(evidence_line(e),
            "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa, value LmCompatibilityLevel = 5 (REG_DWORD) (decided)");
  e.presence = Presence::Absent;
  e.role = EvidenceRole::Consulted;
  EXPECT_EQ(evidence_line(e), "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa, value LmCompatibilityLevel: absent");
  e.readability = Readability::Error;
  e.note = "access denied (5)";
  EXPECT_EQ(evidence_line(e),
            "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa, value LmCompatibilityLevel: could not read (error): access "
            "denied (5)");
  Evidence d;
  d.kind = EvidenceKind::Default;
  d.path = "build >= 26100";
  d.data = std::int64_t{1};
  d.note = "required from 24H2";
  EXPECT_EQ(evidence_line(d), "Windows default when build >= 26100: 1 (required from 24H2)");
}

// Issue 16, item 15: a UNC value name joined to its key by a backslash cannot be read apart.
TEST(EvidenceLine, ShowsKeyAndValueNameApart) {
  Evidence e;
  e.path = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\NetworkProvider\\HardenedPaths";
  e.name = "\\\\*\\SYSVOL";
  e.presence = Presence::Present;
  e.type = RegType::Sz;
  e.data = std::string("RequireMutualAuthentication=1, RequireIntegrity=1");
  EXPECT_EQ(evidence_line(e),
            "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\NetworkProvider\\HardenedPaths, value \\\\*\\SYSVOL = "
            "\"RequireMutualAuthentication=1, RequireIntegrity=1\" (REG_SZ)");
}

TEST(FailuresFirst, OrdersByStatusThenWaivedLastThenSeverity) {
  Rule rule;
  Report r;
  for (auto [status, severity, waived] : {std::tuple{Status::Pass, Severity::Critical, false},
                                          {Status::Fail, Severity::Low, false},
                                          {Status::Fail, Severity::Critical, true},
                                          {Status::Unknown, Severity::High, false},
                                          {Status::Fail, Severity::High, false}}) {
    Finding f;
    f.rule = &rule;
    f.status = status;
    f.severity = severity;
    if (waived) f.waiver = AppliedWaiver{};
    r.findings.push_back(f);
  }
  const auto order = failures_first(r);
  EXPECT_EQ(order[0], &r.findings[4]);
  EXPECT_EQ(order[1], &r.findings[1]);
  EXPECT_EQ(order[2], &r.findings[2]) << "a waived failure after the unwaived ones";
  EXPECT_EQ(order[3], &r.findings[3]);
  EXPECT_EQ(order[4], &r.findings[0]);
}

TEST(Fingerprint, DependsOnRuleHostAndPlaceButNotOnTheRunOrHostCase) {
  EXPECT_EQ(stable_hash(""), "cbf29ce484222325");  // FNV-1a 64 offset basis
  EXPECT_EQ(stable_hash("a"), "af63dc4c8601ec8c");
  auto pack = load_rule_pack({RuleFile{"r.json", R"J({"schema": "smbaudit-rules/1", "rules": [
      {"id": "webclient-disabled", "title": "t", "layer": "attack-surface", "severity": "medium",
       "check": {"service": "WebClient", "op": "absent"}, "rationale": "r", "remediation": {"summary": "s", "powershell": "p"}}]})J"}},
                             "t");
  ASSERT_TRUE(pack) << pack.error().front().to_string();
  EXPECT_EQ(primary_location(pack->rules[0]), "HKLM\\SYSTEM\\CurrentControlSet\\Services\\WebClient");
  Finding a;
  a.rule = &pack->rules[0];
  a.status = Status::Fail;
  Finding b = a;
  b.status = Status::Unknown;
  b.explanation = "different run, different verdict";
  EXPECT_EQ(finding_fingerprint(a, "WS01"), finding_fingerprint(b, "ws01"));
  EXPECT_NE(finding_fingerprint(a, "WS01"), finding_fingerprint(a, "WS02"));
}

// Issue 12: the place and the fingerprint come from the facts a check reads, as data, so
// rewording a rule's texts (title, rationale, fix, the label in its explanation) never moves
// an alert in GitHub code scanning or a SIEM; reading another value does.
TEST(Fingerprint, StaysWhenTheWordingChangesAndMovesWithTheFactRead) {
  const auto rule_with = [](std::string_view title, std::string_view label, std::string_view value) {
    const std::string text = fmt::format(R"J({{"schema": "smbaudit-rules/1", "rules": [
      {{"id": "lm-refused", "title": "{}", "layer": "identity", "severity": "high",
       "applies_to": {{"min_build": 10240}},
       "check": {{"all_of": [{{"host": "build", "op": "at_least", "value": 10240}},
                            {{"setting": {{"sources": [{{"registry": "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa", "value": "{}"}}]}},
                             "op": "equals", "value": 5, "label": "{}"}}]}},
       "rationale": "{} rationale", "remediation": {{"summary": "{} summary", "powershell": "p"}}}}]}})J",
                                         title, value, label, title, title);
    auto pack = load_rule_pack({RuleFile{"r.json", text}}, "t");
    EXPECT_TRUE(pack) << pack.error().front().to_string();
    return std::move(*pack);
  };
  const RulePack before = rule_with("LAN Manager is refused", "LM level", "LmCompatibilityLevel");
  const RulePack reworded = rule_with("Only NTLMv2 is sent; LM and NTLM are refused",
                                      "the LAN Manager authentication level", "LmCompatibilityLevel");
  const RulePack other_value = rule_with("LAN Manager is refused", "LM level", "NoLMHash");
  EXPECT_EQ(primary_location(before.rules[0]), "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa\\LmCompatibilityLevel");
  EXPECT_EQ(primary_location(reworded.rules[0]), primary_location(before.rules[0]));
  const auto fingerprint = [](const RulePack& pack) {
    Finding f;
    f.rule = &pack.rules[0];
    f.status = Status::Fail;
    return finding_fingerprint(f, "WS01");
  };
  EXPECT_EQ(fingerprint(reworded), fingerprint(before));
  EXPECT_NE(fingerprint(other_value), fingerprint(before));
}

TEST(XmlEscape, KeepsAnyRegistryStringWellFormed) {
  EXPECT_EQ(xml_escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  EXPECT_EQ(xml_escape("tab\there\nnew"), "tab\there\nnew");
  EXPECT_EQ(xml_escape(std::string("nul\0bell\x07", 9)),
            "nul\xEF\xBF\xBD"
            "bell\xEF\xBF\xBD");
  EXPECT_EQ(xml_escape("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(xml_escape("bad \xC3 byte \xFF"), "bad \xEF\xBF\xBD byte \xEF\xBF\xBD");
  EXPECT_EQ(xml_escape("overlong \xC0\xAF"), "overlong \xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(MarkdownEscape, ShowsTableCellsAndPathsLiterally) {
  EXPECT_EQ(markdown_escape("a|b *c* HKLM\\X\nnext"), "a\\|b \\*c\\* HKLM\\\\X next");
}

}  // namespace
}  // namespace smbaudit
