// Golden files for the report writers: a fixed report rendered by each writer must match
// tests/golden/ byte for byte. Set SMBAUDIT_UPDATE_GOLDEN=1 to rewrite them after a
// deliberate change, and review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "smbaudit/report_writer.h"
#include "smbaudit/snapshot.h"
#include "support/temp_dir.h"

namespace smbaudit {
namespace {

const char* kRules = R"J({"schema": "smbaudit-rules/1",
  "scope_notes": ["gMSA and SCRIL are directory-side settings."],
  "rules": [
  {"id": "smb1-client-disabled", "title": "SMB1 client driver is disabled or removed", "layer": "attack-surface",
   "severity": "high",
   "check": {"any_of": [
     {"registry_key": "HKLM\\SYSTEM\\CurrentControlSet\\Services\\mrxsmb10", "op": "absent"},
     {"setting": {"sources": [{"registry": "HKLM\\SYSTEM\\CurrentControlSet\\Services\\mrxsmb10", "value": "Start"}]},
      "op": "equals", "value": 4}]},
   "rationale": "SMB1 cannot protect a session.", "remediation": {"summary": "Remove SMB1.",
   "powershell": "Disable-WindowsOptionalFeature -Online -FeatureName SMB1Protocol-Client"}},
  {"id": "webclient-disabled", "title": "WebClient is disabled", "layer": "attack-surface", "severity": "medium",
   "check": {"any_of": [{"service": "WebClient", "op": "absent"},
     {"service": "WebClient", "property": "start_type", "op": "equals", "value": "disabled"}]},
   "rationale": "WebDAV lets NTLM be relayed.", "remediation": {"summary": "Disable WebClient.",
   "powershell": "Set-Service WebClient -StartupType Disabled",
   "group_policy": "Computer Configuration > Windows Settings > Security Settings > System Services > WebClient = Disabled"}},
  {"id": "client-signing", "title": "SMB client requires signing", "layer": "transit", "severity": "high",
   "check": {"setting": {"sources": [
       {"registry": "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters", "value": "RequireSecuritySignature"},
       {"wmi": "root\\Microsoft\\Windows\\SMB", "class": "MSFT_SmbClientConfiguration", "property": "RequireSecuritySignature"}],
     "default": [{"when": {"min_build": 26100}, "value": 1, "note": "required from build 26100"}, {"value": 0}]},
     "op": "equals", "value": 1},
   "rationale": "Unsigned traffic can be altered.", "remediation": {"summary": "Require signing.",
   "powershell": "Set-SmbClientConfiguration -RequireSecuritySignature $true -Force"}},
  {"id": "dc-ntlm-audit", "title": "Domain NTLM audit", "layer": "identity", "severity": "low",
   "applies_to": {"roles": ["domain_controller"]},
   "check": {"setting": {"sources": [{"registry": "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Netlogon\\Parameters", "value": "AuditNTLMInDomain"}]},
     "op": "equals", "value": 7},
   "rationale": "Shows NTLM use.", "remediation": {"summary": "Audit NTLM.", "group_policy": "Network security: Restrict NTLM: Audit NTLM authentication in this domain = Enable all"}},
  {"id": "lm-compatibility", "title": "LM and NTLMv1 refused", "layer": "identity", "severity": "critical",
   "check": {"setting": {"sources": [{"registry": "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa", "value": "LmCompatibilityLevel"}],
     "default": [{"value": 3, "note": "3 on Vista and later"}]}, "op": "equals", "value": 5},
   "rationale": "NTLMv1 responses can be cracked.", "remediation": {"summary": "Send NTLMv2 only; refuse LM and NTLM.",
   "group_policy": "Network security: LAN Manager authentication level = Send NTLMv2 response only. Refuse LM & NTLM"}}
]})J";

const char* kFacts = R"J({"schema": "smbaudit-facts/1",
  "host": {"name": "WS01", "os_build": 22631, "ubr": 4460, "edition": "Enterprise", "role": "workstation",
           "domain_joined": true, "domain": "corp.example", "collected_at": "2026-11-20T02:00:00Z", "elevated": true},
  "registry": {
    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\mrxsmb10": {"values": {"Start": {"type": "REG_DWORD", "data": 3}}},
    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters": {"values": {}},
    "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa": {"values": {"LmCompatibilityLevel": {"type": "REG_DWORD", "data": 5}}}
  },
  "services": {"WebClient": {"present": true, "start_type": "disabled", "state": "stopped"}},
  "wmi": {"root\\Microsoft\\Windows\\SMB": {"error": {"kind": "unknown", "message": "WMI namespace not found (0x8004100e)"}}}
})J";

// The unknown client-signing finding is waived; the failing SMB1 finding's waiver has expired.
const char* kWaivers = R"J({"schema": "smbaudit-waivers/1", "waivers": [
  {"rule": "client-signing", "hosts": ["WS*"], "justification": "WMI is blocked on this image until CHG-1042.",
   "expires": "2026-12-31"},
  {"rule": "smb1-client-disabled", "justification": "Legacy scanner replaced in October.", "expires": "2026-10-31"}
]})J";

enum class Waivers { None, Applied };

Report fixture_report(RulePack& pack, Waivers waivers = Waivers::None) {
  auto loaded = load_rule_pack({RuleFile{"golden.json", kRules}}, "golden");
  EXPECT_TRUE(loaded);
  pack = std::move(*loaded);
  auto source = parse_snapshot(kFacts, "ws01.json");
  EXPECT_TRUE(source);
  auto selection = select_rules(pack, nullptr, {}, {});
  auto facts = (*source)->collect(plan_for(selection->rules));
  Report report = build_report(*selection, *(*source)->host(), *facts);
  report.tool_version = "0.0.0-test";
  report.rules_origin = "golden";
  report.rules_sha256 = "5e2fd6b8a3c1d94e0f7a6b2c8d1e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4";
  report.rules_version = "0.0.0-test";
  report.profile = "guide";
  report.generated_at = "2026-11-21T00:00:00Z";
  report.source = (*source)->info();
  report.scope_notes = pack.scope_notes;
  if (waivers == Waivers::Applied) {
    auto list = load_waivers({"waivers.json", kWaivers}, pack);
    EXPECT_TRUE(list) << list.error().front().to_string();
    apply_waivers(report, *list, report.generated_at.substr(0, 10));
  }
  return report;
}

void expect_golden(const std::string& writer, ColorMode color, const std::string& file,
                   Waivers waivers = Waivers::None) {
  RulePack pack;
  const Report report = fixture_report(pack, waivers);
  std::ostringstream out;
  find_writer(writer)->make(WriterOptions{color, 0, std::nullopt})->write(report, out);
  const auto path = std::filesystem::path(SMBAUDIT_SOURCE_DIR) / "tests" / "golden" / file;
  if (const char* update = std::getenv("SMBAUDIT_UPDATE_GOLDEN"); update && *update == '1') {
    std::filesystem::create_directories(path.parent_path());
    ASSERT_TRUE(write_file_atomically(path, out.str()));
  }
  EXPECT_EQ(out.str(), test_support::read_file(path)) << "golden file " << path << " differs; see the test's comment";
}

TEST(GoldenReport, TextWriterMatches) {
  expect_golden("text", ColorMode::Plain, "report.txt");
}
TEST(GoldenReport, TextWriterWithColourMatches) {
  expect_golden("text", ColorMode::Ansi, "report-ansi.txt");
}
TEST(GoldenReport, JsonWriterMatches) {
  expect_golden("json", ColorMode::Plain, "report.json");
}

TEST(GoldenReport, TextWriterShowsWaiversAndExpiredWaivers) {
  expect_golden("text", ColorMode::Plain, "report-waived.txt", Waivers::Applied);
}
TEST(GoldenReport, JsonWriterRecordsWaiversBesideTheUnchangedStatus) {
  expect_golden("json", ColorMode::Plain, "report-waived.json", Waivers::Applied);
}
// The formats below are rendered from the waived fixture, so each shows how it marks waivers.
TEST(GoldenReport, SarifWriterMatches) {
  expect_golden("sarif", ColorMode::Plain, "report.sarif", Waivers::Applied);
}
TEST(GoldenReport, JunitWriterMatches) {
  expect_golden("junit", ColorMode::Plain, "report.junit.xml", Waivers::Applied);
}
TEST(GoldenReport, MarkdownWriterMatches) {
  expect_golden("markdown", ColorMode::Plain, "report.md", Waivers::Applied);
}
TEST(GoldenReport, NdjsonWriterMatches) {
  expect_golden("ndjson", ColorMode::Plain, "report.ndjson", Waivers::Applied);
}

TEST(GoldenReport, HtmlWriterMatches) {
  expect_golden("html", ColorMode::Plain, "report.html", Waivers::Applied);
}

// The page must open from a share or a mail attachment with no network: nothing it
// loads may come from elsewhere, and its policy forbids the browser to try.
TEST(HtmlReport, IsSelfContainedAndFetchesNothing) {
  RulePack pack;
  Report report = fixture_report(pack, Waivers::Applied);
  // A hostile reference must stay an inert link, never markup.
  Rule hostile = *report.findings[0].rule;
  hostile.references = {"https://learn.microsoft.com/x\"><script src=\"https://evil.example/x.js\"></script>",
                        "javascript:alert(1)"};
  report.findings[0].rule = &hostile;
  std::ostringstream out;
  find_writer("html")->make(WriterOptions{})->write(report, out);
  const std::string html = out.str();
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none';"), std::string::npos);
  for (const char* fetching : {"<script src", " src=\"", "<link", "<img", "<iframe", "<object", "<embed", "url(",
                               "@import", "srcset", "href=\"javascript"})
    EXPECT_EQ(html.find(fetching), std::string::npos) << fetching;
  // href appears only on plain links (<a>), which a browser follows only when clicked.
  for (std::size_t at = html.find("href="); at != std::string::npos; at = html.find("href=", at + 1))
    EXPECT_EQ(html.compare(at - 3, 3, "<a "), 0) << html.substr(at - 20, 60);
  EXPECT_NE(html.find("&lt;script src=&quot;https://evil.example"), std::string::npos) << "escaped, inert";
}

TEST(AtomicWrite, ReplacesTheFileAndLeavesNoTemporaryBehind) {
  test_support::TempDir dir;
  const auto target = dir.write("report.json", "old");
  ASSERT_TRUE(write_file_atomically(target, "new"));
  EXPECT_EQ(test_support::read_file(target), "new");
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1u);
}

TEST(AtomicWrite, RefusesADirectoryAndAFolderAFileIsIn) {
  test_support::TempDir dir;
  auto into_dir = write_file_atomically(dir.path(), "x");
  ASSERT_FALSE(into_dir);
  EXPECT_NE(into_dir.error().find("is a directory"), std::string::npos);
  const auto file = dir.write("file.txt", "x");
  auto under_file = write_file_atomically(file / "r.json", "x");
  ASSERT_FALSE(under_file);
  EXPECT_NE(under_file.error().find("cannot create the folder"), std::string::npos) << under_file.error();
}

// Output templates name folders per day or host ({date}/{host}.json): missing ones are made.
TEST(AtomicWrite, CreatesTheFoldersThePathNames) {
  test_support::TempDir dir;
  const auto target = dir.path() / "reports" / "2026-11-22" / "WS01.json";
  ASSERT_TRUE(write_file_atomically(target, "new"));
  EXPECT_EQ(test_support::read_file(target), "new");
}

TEST(WriterTable, ChoosesAWriterByExtension) {
  EXPECT_EQ(writer_for_extension("out/Report.JSON")->name, "json");
  EXPECT_EQ(writer_for_extension("out/report.txt")->name, "text");
  EXPECT_EQ(writer_for_extension("out/report"), nullptr);
}

}  // namespace
}  // namespace smbaudit
