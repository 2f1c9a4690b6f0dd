// End-to-end tests of the formats other tools ingest: NDJSON field types for log platforms,
// and SARIF categories and fingerprints for hosts whose names change every run.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "../support/temp_dir.h"
#include "run.h"

namespace smbaudit {
namespace {

using test_support::read_file;
using test_support::run_smbaudit;
using test_support::TempDir;

const std::string kWs01Facts = test_support::source_path("examples/ws01-facts.json");

std::string json_type(const nlohmann::json& v) {
  if (v.is_boolean()) return "boolean";
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  return v.type_name();
}

// Issue 16, item 9: `waived` was a number in the host record and a boolean in finding
// records, which breaks Elastic's dynamic mapping and a typed Sentinel table.
TEST(Ndjson, EveryFieldHasOneJsonTypeAcrossEveryRecordKind) {
  TempDir dir;
  const auto waivers = dir.write("w.json", R"J({"schema": "smbaudit-waivers/1", "waivers": [
    {"rule": "ntlm-outgoing-audited", "justification": "pilot", "expires": "2099-12-31"},
    {"rule": "minimum-password-length", "justification": "domain policy applies", "expires": "2099-12-31"}]})J");
  auto r = run_smbaudit({"audit", "--facts", kWs01Facts, "--waivers", waivers.string(), "--format", "ndjson"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, std::map<std::string, std::string>> types;  // field -> type -> a record kind having it
  std::set<std::string> kinds;
  for (std::size_t at = 0, end; at < r.out.size(); at = end + 1) {
    end = r.out.find('\n', at);
    auto record = nlohmann::json::parse(r.out.substr(at, end - at));
    kinds.insert(record["record"]);
    for (const auto& [field, value] : record.items())
      if (!value.is_null()) types[field].emplace(json_type(value), record["record"]);
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"host", "finding"}));
  for (const auto& [field, seen] : types) {
    EXPECT_EQ(seen.size(), 1u) << "field " << field << " has " << seen.size() << " types: " << seen.begin()->first
                               << " in " << seen.begin()->second << " records, " << seen.rbegin()->first << " in "
                               << seen.rbegin()->second << " records";
  }
  auto host = nlohmann::json::parse(r.out.substr(0, r.out.find('\n')));
  EXPECT_TRUE(host["waived_findings"].is_number()) << "the count's documented new name";
  EXPECT_FALSE(host.contains("waived"));
}

const char* kFacts = R"J({"schema": "smbaudit-facts/1",
  "host": {"name": "NAME", "os_build": 26100, "ubr": 4000, "edition": "Enterprise", "role": "workstation"},
  "registry": {"HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters": {"values":
    {"RequireSecuritySignature": {"type": "REG_DWORD", "data": 0}}}}})J";

std::string facts_for(TempDir& dir, const std::string& host) {
  std::string text = kFacts;
  text.replace(text.find("NAME"), 4, host);
  return dir.write(host + ".json", text).string();
}

// Issue 16, item 10: automationDetails.id was always smbaudit/HOST/, so upload-sarif ignored
// the workflow's category, and fingerprints held the host name, so on CI runners and Packer
// VMs (a new name every run) alerts never closed.
TEST(Sarif, AHostLabelKeepsFingerprintsAndTheCategoryWhenTheHostNameChanges) {
  TempDir dir;
  std::vector<nlohmann::json> runs;
  for (const std::string host : {"fv-az123-456", "fv-az789-012"}) {
    auto r = run_smbaudit({"audit", "--facts", facts_for(dir, host), "--only", "smb-client-signing-required",
                           "--host-label", "golden-win11", "--format", "sarif"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    runs.push_back(nlohmann::json::parse(r.out)["runs"][0]);
  }
  ASSERT_EQ(runs[0]["results"].size(), 1u);
  EXPECT_EQ(runs[0]["results"][0]["partialFingerprints"], runs[1]["results"][0]["partialFingerprints"])
      << "the same finding on the next runner is the same alert";
  EXPECT_EQ(runs[0]["automationDetails"]["id"], "smbaudit/golden-win11/");
  EXPECT_EQ(runs[1]["properties"]["host"], "fv-az789-012") << "the real name is still reported";
  EXPECT_EQ(runs[1]["properties"]["hostLabel"], "golden-win11");
  // Without a label the names differ, and so do the fingerprints (one host is not another).
  auto a = run_smbaudit({"audit", "--facts", facts_for(dir, "fv-az123-456"), "--only", "smb-client-signing-required",
                         "--format", "sarif"});
  auto b = run_smbaudit({"audit", "--facts", facts_for(dir, "fv-az789-012"), "--only", "smb-client-signing-required",
                         "--format", "sarif"});
  EXPECT_NE(nlohmann::json::parse(a.out)["runs"][0]["results"][0]["partialFingerprints"],
            nlohmann::json::parse(b.out)["runs"][0]["results"][0]["partialFingerprints"]);
  EXPECT_EQ(nlohmann::json::parse(a.out)["runs"][0]["automationDetails"]["id"], "smbaudit/fv-az123-456/");
}

TEST(Sarif, SarifCategorySetsOrLeavesOutTheAutomationId) {
  TempDir dir;
  const auto facts = facts_for(dir, "fv-az123-456");
  auto named = run_smbaudit(
      {"audit", "--facts", facts, "--sarif-category", "image-{host}", "--host-label", "win11", "--format", "sarif"});
  ASSERT_EQ(named.exit_code, 0) << named.err;
  EXPECT_EQ(nlohmann::json::parse(named.out)["runs"][0]["automationDetails"]["id"], "image-win11/");
  auto none = run_smbaudit({"audit", "--facts", facts, "--sarif-category", "", "--format", "sarif"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_FALSE(nlohmann::json::parse(none.out)["runs"][0].contains("automationDetails"))
      << "left to upload-sarif's category:";
}

TEST(HostLabel, NamesTheOutputFileAndTheJsonReportRecordsIt) {
  TempDir dir;
  auto r = run_smbaudit({"audit", "--facts", facts_for(dir, "fv-az123-456"), "--host-label", "golden-win11", "--output",
                         (dir.path() / "{host}.json").string(), "--output", (dir.path() / "{host}.ndjson").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto report = nlohmann::json::parse(read_file(dir.path() / "golden-win11.json"));
  EXPECT_EQ(report["host"]["name"], "fv-az123-456");
  EXPECT_EQ(report["host"]["label"], "golden-win11");
  const std::string ndjson = read_file(dir.path() / "golden-win11.ndjson");
  EXPECT_EQ(nlohmann::json::parse(ndjson.substr(0, ndjson.find('\n')))["host_label"], "golden-win11");
  // The next run on another runner is the same host to the fleet summary.
  ASSERT_EQ(run_smbaudit({"audit", "--facts", facts_for(dir, "fv-az789-012"), "--host-label", "golden-win11",
                          "--output", (dir.path() / "next" / "{host}.json").string()})
                .exit_code,
            0);
  auto summary = run_smbaudit({"summary", "--format", "json", (dir.path() / "golden-win11.json").string(),
                               (dir.path() / "next" / "golden-win11.json").string()});
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  auto fleet = nlohmann::json::parse(summary.out);
  EXPECT_EQ(fleet["hosts"], 1);
  EXPECT_EQ(fleet["superseded"], 1);
}

}  // namespace
}  // namespace smbaudit
