#include "report_reader.h"

#include <gtest/gtest.h>

#include <sstream>

#include "json_writer.h"
#include "smbaudit/limits.h"

namespace smbaudit {
namespace {

Rule make_rule() {
  Rule r;
  r.id = "client-signing";
  r.title = "SMB client requires signing";
  r.layer = Layer::Transit;
  r.severity = Severity::High;
  r.remediation.summary = "Require signing.";
  r.remediation.powershell = "Set-SmbClientConfiguration -RequireSecuritySignature $true";
  return r;
}

TEST(ReportReader, ReadsBackWhatTheJsonWriterWrote) {
  const Rule rule = make_rule();
  Report report;
  report.tool_version = "0.1.0";
  report.generated_at = "2026-11-22T03:15:00Z";
  report.host.name = "WS01";
  report.host.build = 26100;
  report.host.role = Role::DomainController;
  report.host.membership = Membership::Domain;
  Finding f;
  f.rule = &rule;
  f.severity = Severity::High;
  f.status = Status::Fail;
  Evidence e;
  e.kind = EvidenceKind::Registry;
  e.path = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters";
  e.name = "RequireSecuritySignature";
  e.presence = Presence::Present;
  e.type = RegType::Dword;
  e.data = std::int64_t{0};
  e.role = EvidenceRole::Decided;
  f.evidence.push_back(e);
  report.findings.push_back(f);
  report.score = score(report.findings);
  std::ostringstream out;
  JsonWriter().write(report, out);

  auto read = parse_report(out.str(), "r.json");
  ASSERT_TRUE(read) << read.error();
  EXPECT_EQ(read->host_name, "WS01");
  EXPECT_EQ(read->os_build, 26100);
  EXPECT_EQ(read->role, Role::DomainController);
  EXPECT_EQ(read->membership, Membership::Domain);
  ASSERT_EQ(read->findings.size(), 1u);
  const auto& rf = read->findings[0];
  EXPECT_EQ(rf.rule, "client-signing");
  EXPECT_EQ(rf.status, Status::Fail);
  EXPECT_EQ(rf.severity, Severity::High);
  EXPECT_EQ(rf.remediation_powershell, rule.remediation.powershell);
  ASSERT_EQ(rf.evidence.size(), 1u);
  EXPECT_EQ(rf.evidence[0].name, "RequireSecuritySignature");
  EXPECT_EQ(rf.evidence[0].kind, EvidenceKind::Registry);
  EXPECT_EQ(rf.evidence[0].type, RegType::Dword);
  EXPECT_EQ(rf.evidence[0].readability, Readability::Read);
  EXPECT_EQ(rf.evidence[0].data, Value(std::int64_t{0}));
  EXPECT_TRUE(rf.evidence[0].decided);
  ASSERT_TRUE(read->overall);
  EXPECT_EQ(*read->overall, 0.0);
}

// A registry string from a hive may be any bytes; the report must still be written and readable.
TEST(ReportReader, ReadsBackAReportWhoseFactsWereNotUtf8) {
  const Rule rule = make_rule();
  Report report;
  report.host.name =
      "WS\xff"
      "01";
  Finding f;
  f.rule = &rule;
  f.status = Status::Fail;
  f.explanation = "NullSessionShares is \"a\xc3\"";
  report.findings.push_back(f);
  std::ostringstream out;
  JsonWriter().write(report, out);
  auto read = parse_report(out.str(), "r.json");
  ASSERT_TRUE(read) << read.error();
  EXPECT_EQ(read->host_name,
            "WS\xef\xbf\xbd"
            "01");
  EXPECT_EQ(read->findings.at(0).explanation, "NullSessionShares is \"a\xef\xbf\xbd\"");
}

TEST(ReportReader, AcceptsFieldsALaterVersionAdds) {
  auto read = parse_report(R"({"schema": "smbaudit-report/1", "new_thing": 1, "host": {"name": "H", "x": 2},
    "score": {"overall": null, "layers": {}}, "findings": []})",
                           "r.json");
  ASSERT_TRUE(read) << read.error();
  EXPECT_FALSE(read->overall);
}

TEST(ReportReader, NamesTheFileAndPointerOfAMalformedReport) {
  auto r = parse_report(R"({"schema": "smbaudit-report/1", "host": {"name": "H"}, "score": {"overall": 5},
    "findings": [{"rule": "x", "status": "maybe", "severity": "high"}]})",
                        "bad.json");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "bad.json: at /findings/0/status: unknown status 'maybe'");
  EXPECT_EQ(parse_report("{", "t.json").error().rfind("t.json: not valid JSON", 0), 0u);
  EXPECT_EQ(parse_report(R"({"schema": "smbaudit-facts/1"})", "f.json").error(),
            "f.json: at /schema: unsupported schema 'smbaudit-facts/1' (this version reads 'smbaudit-report/1')");
  EXPECT_EQ(parse_report("[]", "a.json").error(), "a.json: missing \"schema\" (is this a smbaudit JSON report?)");
}

// The bad-input catalogue for reports (diff and summary read fleet reports): each is
// refused with one line naming the file, never a crash or a half-read report.
TEST(ReportReader, RefusesEveryKindOfBadInputWithOneLine) {
  const std::string head = R"({"schema": "smbaudit-report/1", "host": {"name": "H"}, "score": {"overall": null}, )";
  const std::pair<std::string, std::string> cases[] = {
      {"", "r.json: not valid JSON: "},
      {"not json", "r.json: not valid JSON: "},
      {head + R"("findings": [{"rule": "x", )", "r.json: not valid JSON: "},
      {std::string(100'000, '[') + std::string(100'000, ']'), "r.json: JSON nests deeper than 64 levels"},
      {head + R"("findings": [{"rule": 5, "status": "pass", "severity": "high"}]})",
       "r.json: at /findings/0/rule: expected a string"},
      {head + R"("findings": [{"rule": "x", "status": "pass", "severity": "urgent"}]})",
       "r.json: at /findings/0/severity: unknown severity 'urgent'"},
      {head + "\"findings\": [{\"rule\": \"\xff\"}]}", "r.json: not valid JSON: "},
      {head + R"("findings": [], "x": 1e99999})", "r.json: not valid JSON: number overflow"},
      {head + R"("findings": {}})", "r.json: at /findings: expected an array"},
      {R"({"schema": "smbaudit-report/1", "host": {"name": "H", "role": "mainframe"}, "score": {"overall": null},
          "findings": []})",
       "r.json: at /host/role: unknown role 'mainframe' (allowed: workstation, member_server, domain_controller)"},
      {std::string(limits::kMaxInputFileBytes + 1, ' '), "r.json: file is larger than the 16 MiB limit"},
  };
  for (const auto& [text, expected] : cases) {
    auto r = parse_report(text, "r.json");
    ASSERT_FALSE(r) << text.substr(0, 80);
    EXPECT_EQ(r.error().rfind(expected, 0), 0u) << r.error();
    EXPECT_EQ(r.error().find('\n'), std::string::npos) << r.error();
  }
}

TEST(ReportReader, CapsTheNumberOfFindings) {
  std::string findings;
  for (std::size_t i = 0; i <= limits::kMaxReportFindings; ++i)
    findings += std::string(i ? "," : "") + R"({"rule": "x", "status": "pass", "severity": "high"})";
  auto r = parse_report(R"({"schema": "smbaudit-report/1", "host": {"name": "H"}, "score": {"overall": null},
    "findings": [)" + findings +
                            "]}",
                        "r.json");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "r.json: at /findings: more than 10000 findings");
}

}  // namespace
}  // namespace smbaudit

namespace smbaudit {
namespace {

// Prose full of JSON's own punctuation, so skipping it unparsed is put to the test.
std::string tricky_report(Rule& rule) {
  rule = make_rule();
  rule.rationale = R"(quotes " and \" and brackets ] } [ { and a trailing backslash \)";
  rule.references = {"https://example.com/]\"}"};
  Report report;
  report.tool_version = "0.2.0";
  report.generated_at = "2026-11-22T03:15:00Z";
  report.host.name = "WS01";
  Finding f;
  f.rule = &rule;
  f.severity = Severity::High;
  f.status = Status::Fail;
  f.explanation = R"(value "]" is not "}" \\server\share)";
  f.waiver = AppliedWaiver{WaiverState::Active, "accepted \"for now\"", "2027-01-01", "w.json", 0};
  Evidence e;
  e.path = "HKLM\\SOFTWARE\\{weird]key";
  e.name = "\"quoted\"";
  e.presence = Presence::Present;
  e.type = RegType::Sz;
  e.data = std::string("[{\"nested\": \"json in a string\"}]\\");
  f.evidence.push_back(e);
  report.findings.push_back(f);
  report.score = score(report.findings);
  std::ostringstream out;
  JsonWriter().write(report, out);
  return out.str();
}

TEST(ReportReader, VerdictsReadsTheSameVerdictsWithoutTheProse) {
  Rule rule;
  const std::string text = tricky_report(rule);
  auto full = parse_report(text, "r.json", ReadDetail::Full);
  auto verdicts = parse_report(text, "r.json", ReadDetail::Verdicts);
  ASSERT_TRUE(full) << full.error();
  ASSERT_TRUE(verdicts) << verdicts.error();
  ASSERT_EQ(verdicts->findings.size(), 1u);
  const auto& f = full->findings[0];
  const auto& v = verdicts->findings[0];
  EXPECT_EQ(v.rule, f.rule);
  EXPECT_EQ(v.title, f.title);
  EXPECT_EQ(v.status, f.status);
  EXPECT_EQ(v.severity, f.severity);
  EXPECT_EQ(v.layer, f.layer);
  EXPECT_EQ(v.waiver, WaiverState::Active);
  EXPECT_EQ(verdicts->overall, full->overall);
  EXPECT_EQ(verdicts->host_name, "WS01");
  EXPECT_EQ(f.evidence.size(), 1u);
  EXPECT_TRUE(v.evidence.empty());
  EXPECT_TRUE(v.explanation.empty());
}

TEST(ReportReader, VerdictsStillRefusesAMalformedReportWithTheParsersMessage) {
  Rule rule;
  std::string text = tricky_report(rule);
  // Cut the file inside a finding's evidence: the skipping scan cannot finish it.
  const std::string cut = text.substr(0, text.find("json in a string"));
  auto r = parse_report(cut, "cut.json", ReadDetail::Verdicts);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().rfind("cut.json: not valid JSON", 0), 0u) << r.error();
  // Outside the skipped members everything is checked as in a full read.
  std::string bad_status = text;
  bad_status.replace(bad_status.find("\"status\": \"fail\""), 16, "\"status\": \"bad\"");
  auto s = parse_report(bad_status, "s.json", ReadDetail::Verdicts);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error(), "s.json: at /findings/0/status: unknown status 'bad'");
}

// Evidence is read into the Report model's enums; words a later version writes that this one
// does not name are left unset, never mapped to a neighbour.
TEST(ReportReader, ReadsEvidenceIntoTheModelsEnumsAndLeavesUnknownWordsUnset) {
  const std::string text = R"J({"schema": "smbaudit-report/1", "tool_version": "x", "generated_at": "t",
    "profile": "guide", "host": {"name": "H"}, "score": {"overall": null},
    "findings": [{"rule": "r", "status": "fail", "severity": "low", "evidence": [
      {"kind": "service", "name": "WebClient", "present": true, "start_type": "disabled", "state": "running"},
      {"kind": "registry", "path": "HKLM\\SOFTWARE\\X", "name": "V", "status": "unknown", "message": "not read"},
      {"kind": "registry", "path": "HKLM\\SOFTWARE\\X", "name": "W", "present": true, "type": "REG_FUTURE", "data": 1},
      {"kind": "mdm", "name": "later", "start_type": "someday", "state": "sleeping"}]}]})J";
  auto read = parse_report(text, "r.json");
  ASSERT_TRUE(read) << read.error();
  const auto& ev = read->findings.at(0).evidence;
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_EQ(ev[0].kind, EvidenceKind::Service);
  EXPECT_EQ(ev[0].start_type, StartType::Disabled);
  EXPECT_EQ(ev[0].state, ServiceState::Running);
  EXPECT_EQ(ev[1].readability, Readability::Unknown);
  EXPECT_EQ(ev[2].type, RegType::Other);
  EXPECT_FALSE(ev[3].kind);
  EXPECT_FALSE(ev[3].start_type);
  EXPECT_FALSE(ev[3].state);
}

}  // namespace
}  // namespace smbaudit
