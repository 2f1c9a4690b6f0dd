// Remediation scripts for the fixture reports in tests/remediate/: golden files for every
// format (SMBAUDIT_UPDATE_GOLDEN=1 regenerates them), and the .reg files as regedit reads
// them (UTF-16LE) parsed back: every value the fix writes must be the control's hardened
// value (an independent table, from the control reference), and every value the undo
// writes must be what the report observed, absent ones deleted.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "../src/core/utf.h"
#include "../src/remediate/scripts.h"
#include "../src/report/report_reader.h"
#include "smbaudit/rule_loader.h"
#include "support/rule_cases.h"
#include "support/temp_dir.h"

namespace smbaudit {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kFixtures = fs::path(SMBAUDIT_SOURCE_DIR) / "tests" / "remediate";
const fs::path kGolden = fs::path(SMBAUDIT_SOURCE_DIR) / "tests" / "golden";

RemediationPlan plan_for(const std::string& fixture) {
  auto report = read_report(kFixtures / fixture);
  EXPECT_TRUE(report) << report.error();
  if (!report) return {};
  const RulePack pack = test_support::builtin_pack();
  RuleParameters params;
  for (const auto& file : builtin_profile_files()) {
    auto profile = load_profile(file, pack);
    if (profile && profile->name == report->profile) params = profile->parameters;
  }
  return plan_remediation(*report, pack, params);
}

void expect_golden(const std::string& name, const std::string& actual) {
  const fs::path path = kGolden / name;
  const char* update = std::getenv("SMBAUDIT_UPDATE_GOLDEN");
  if (update && *update == '1') {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(path)) << path << " missing: run with SMBAUDIT_UPDATE_GOLDEN=1";
  EXPECT_EQ(test_support::read_file(path), actual) << "differs from " << path;
}

struct Fixture {
  std::string report, stem;
};
const Fixture kFixturesList[] = {{"ws01-guide.report.json", "remediate-ws01"},
                                 {"dc01-strict.report.json", "remediate-dc01"}};

TEST(RemediationGolden, EveryFormatMatchesItsGoldenFile) {
  for (const auto& fx : kFixturesList) {
    SCOPED_TRACE(fx.report);
    const RemediationPlan plan = plan_for(fx.report);
    ASSERT_TRUE(plan.has_changes());
    for (const auto& format : script_formats()) {
      if (format.folder) continue;  // GPO folders: tests/e2e/gpo_test.cpp round-trips them through an audit
      const std::string main_name = fx.stem + std::string(format.extension);
      const ScriptText text = format.render(plan, fs::path(rollback_path(main_name, format)).filename().string());
      expect_golden(main_name, text.main);
      EXPECT_EQ(text.rollback.has_value(), !format.rollback_suffix.empty());
      if (text.rollback) expect_golden(rollback_path(main_name, format), *text.rollback);
    }
  }
}

// --- a small .reg reader, independent of the writer -------------------------------------

// UTF-16LE to UTF-8 through the input decoder (utf::utf16_text_to_utf8), a strict
// decoder written apart from the renderers' encoder (utf8_to_utf16le).
std::string from_utf16le(const std::string& bytes) {
  auto text = utf::utf16_text_to_utf8(bytes, utf::ByteOrder::LittleEndian);
  EXPECT_TRUE(text) << text.error();
  return text ? *text : std::string();
}

struct RegEntry {
  std::optional<RegValue> value;  // nullopt: "name"=- (delete)
};
using RegFile = std::map<std::pair<std::string, std::string>, RegEntry>;  // (HKLM\key, lower-case name)

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Bytes hex_bytes(std::string_view hex) {
  Bytes out;
  std::size_t i = 0;
  while (i < hex.size()) {
    while (i < hex.size() && (hex[i] == ',' || hex[i] == ' ')) ++i;
    if (i + 1 >= hex.size()) break;
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
    i += 2;
  }
  return out;
}

std::vector<std::string> utf16_strings(const Bytes& b) {
  std::vector<std::string> out;
  std::string units;
  for (std::size_t i = 0; i + 1 < b.size(); i += 2) {
    if (b[i] == 0 && b[i + 1] == 0) {
      out.push_back(from_utf16le(units));
      units.clear();
      continue;
    }
    units += static_cast<char>(b[i]);
    units += static_cast<char>(b[i + 1]);
  }
  return out;
}

// Parses regedit's format: BOM, header, [key], "name"=data with backslash continuations.
RegFile parse_reg(const std::string& bytes) {
  EXPECT_EQ(bytes.substr(0, 2), std::string("\xff\xfe")) << "regedit needs a UTF-16LE BOM";
  std::string text = from_utf16le(bytes.substr(2));
  std::vector<std::string> lines;
  std::string line;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n') {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!lines.empty() && !lines.back().empty() && lines.back().back() == '\\' && line.rfind("  ", 0) == 0) {
        lines.back().pop_back();
        lines.back() += line.substr(2);
      } else {
        lines.push_back(line);
      }
      line.clear();
    } else {
      line += text[i];
    }
  }
  EXPECT_EQ(lines.at(0), "Windows Registry Editor Version 5.00");
  RegFile out;
  std::string key;
  for (std::size_t n = 1; n < lines.size(); ++n) {
    const std::string& l = lines[n];
    if (l.empty() || l[0] == ';') continue;
    if (l[0] == '[') {
      EXPECT_EQ(l.back(), ']') << l;
      key = l.substr(1, l.size() - 2);
      EXPECT_EQ(key.rfind("HKEY_LOCAL_MACHINE\\", 0), 0u) << l;
      key = "HKLM\\" + key.substr(19);
      continue;
    }
    EXPECT_EQ(l[0], '"') << l;
    std::string name;
    std::size_t i = 1;
    for (; i < l.size() && l[i] != '"'; ++i) {
      if (l[i] == '\\') ++i;
      name += l[i];
    }
    const std::string data = l.substr(i + 2);
    EXPECT_EQ(l[i + 1], '=') << l;
    RegEntry e;
    if (data == "-") {
      // deletion
    } else if (data.rfind("dword:", 0) == 0) {
      e.value = RegValue{name, RegType::Dword, Value{std::int64_t{std::stoll(data.substr(6), nullptr, 16)}}};
    } else if (data.rfind("hex(7):", 0) == 0) {
      auto strings = utf16_strings(hex_bytes(data.substr(7)));
      EXPECT_TRUE(!strings.empty() && strings.back().empty()) << "REG_MULTI_SZ needs its final terminator";
      if (!strings.empty()) strings.pop_back();
      e.value = RegValue{name, RegType::MultiSz, Value{strings}};
    } else if (data[0] == '"') {
      std::string s;
      for (std::size_t k = 1; k + 1 < data.size(); ++k) {
        if (data[k] == '\\') ++k;
        s += data[k];
      }
      e.value = RegValue{name, RegType::Sz, Value{s}};
    } else {
      ADD_FAILURE() << "unexpected data in test fixture: " << l;
    }
    out[{key, lower(name)}] = e;
  }
  return out;
}

// Hardened values from the control reference (controls.md), written out independently of
// the rule files: a fix that writes anything else, or anything not listed, fails.
const std::map<std::pair<std::string, std::string>, RegValue>& hardened() {
  static const std::string lw = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters";
  static const std::string ls = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters";
  static const std::string msv = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa\\MSV1_0";
  static const std::string hp = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\NetworkProvider\\HardenedPaths";
  static const std::string plw = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanWorkstation";
  static const std::string pls = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\LanmanServer";
  static const std::string lsa = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa";
  static const std::string ldap = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LDAP";
  static const std::string ntds = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\NTDS\\Parameters";
  static const std::string dns = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\DNSClient";
  const auto dword = [](std::string name, std::int64_t v) { return RegValue{name, RegType::Dword, Value{v}}; };
  const auto sz = [](std::string name, std::string v) { return RegValue{name, RegType::Sz, Value{v}}; };
  static const std::map<std::pair<std::string, std::string>, RegValue> table{
      {{lw, "minsmb2dialect"}, dword("MinSMB2Dialect", 0x311)},
      {{lw, "requiresecuritysignature"}, dword("RequireSecuritySignature", 1)},
      {{ls, "requiresecuritysignature"}, dword("RequireSecuritySignature", 1)},
      {{ls, "encryptdata"}, dword("EncryptData", 1)},
      {{ls, "smb1"}, dword("SMB1", 0)},
      {{ls, "auditsmb1access"}, dword("AuditSmb1Access", 1)},
      {{"HKLM\\SYSTEM\\CurrentControlSet\\Services\\mrxsmb10", "start"}, dword("Start", 4)},
      {{"HKLM\\SYSTEM\\CurrentControlSet\\Services\\WebClient", "start"}, dword("Start", 4)},
      {{"HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation", "dependonservice"},
       RegValue{"DependOnService", RegType::MultiSz, Value{StringList{"Bowser", "MRxSmb20", "NSI"}}}},
      {{lsa, "lmcompatibilitylevel"}, dword("LmCompatibilityLevel", 5)},
      // The guide profile audits outgoing NTLM (1); strict denies it (2).
      {{msv, "restrictsendingntlmtraffic"}, dword("RestrictSendingNTLMTraffic", 1)},
      {{"HKLM\\SYSTEM\\CurrentControlSet\\Services\\Netlogon\\Parameters", "auditntlmindomain"},
       dword("AuditNTLMInDomain", 7)},
      // dc01 is audited with the strict profile (RequirePrivacy), ws01 with the guide.
      {{hp, "\\\\*\\sysvol"},
       sz("\\\\*\\SYSVOL", "RequireMutualAuthentication=1, RequireIntegrity=1, RequirePrivacy=1")},
      {{hp, "\\\\*\\netlogon"}, sz("\\\\*\\NETLOGON", "RequireMutualAuthentication=1, RequireIntegrity=1")},
      // The controls around SMB (docs/rule-sources.md).
      {{plw, "minsmb2dialect"}, dword("MinSmb2Dialect", 0x311)},
      {{pls, "auditclientdoesnotsupportsigning"}, dword("AuditClientDoesNotSupportSigning", 1)},
      {{pls, "auditclientdoesnotsupportencryption"}, dword("AuditClientDoesNotSupportEncryption", 1)},
      {{pls, "auditinsecureguestlogon"}, dword("AuditInsecureGuestLogon", 1)},
      {{plw, "auditserverdoesnotsupportsigning"}, dword("AuditServerDoesNotSupportSigning", 1)},
      {{plw, "auditserverdoesnotsupportencryption"}, dword("AuditServerDoesNotSupportEncryption", 1)},
      {{plw, "auditinsecureguestlogon"}, dword("AuditInsecureGuestLogon", 1)},
      {{lsa, "restrictanonymoussam"}, dword("RestrictAnonymousSAM", 1)},
      {{lsa, "restrictanonymous"}, dword("RestrictAnonymous", 1)},
      {{lsa, "everyoneincludesanonymous"}, dword("EveryoneIncludesAnonymous", 0)},
      // 2 (no UEFI lock) from build 22621, 1 before: checked below.
      {{lsa, "runasppl"}, dword("RunAsPPL", 2)},
      {{"HKLM\\SYSTEM\\CurrentControlSet\\Services\\Spooler", "start"}, dword("Start", 4)},
      {{"HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Printers", "registerspoolerremoterpcendpoint"},
       dword("RegisterSpoolerRemoteRpcEndPoint", 2)},
      {{"HKLM\\SYSTEM\\CurrentControlSet\\Services\\Netlogon\\Parameters", "restrictntlmindomain"},
       dword("RestrictNTLMInDomain", 7)},
      // dc01 (strict) requires LDAP client signing (2); ws01 (guide) negotiates encryption (1).
      {{ldap, "ldapclientintegrity"}, dword("LDAPClientIntegrity", 2)},
      {{ldap, "ldapclientconfidentiality"}, dword("LDAPClientConfidentiality", 1)},
      {{ntds, "ldapserverintegrity"}, dword("LDAPServerIntegrity", 2)},
      {{ntds, "ldapenforcechannelbinding"}, dword("LdapEnforceChannelBinding", 2)},
      {{dns, "enablemulticast"}, dword("EnableMulticast", 0)},
      // ws01 (guide) turns NetBIOS name resolution off on public networks.
      {{dns, "enablenetbios"}, dword("EnableNetbios", 2)},
      {{"HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters", "nodetype"}, dword("NodeType", 2)},
      {{"HKLM\\SYSTEM\\CurrentControlSet\\Services\\Dnscache\\Parameters", "enablemdns"}, dword("EnableMDNS", 0)},
      {{ls, "smbservernamehardeninglevel"}, dword("SmbServerNameHardeningLevel", 1)},
  };
  return table;
}

TEST(RemediationReg, FixValuesParsedBackAreTheControlsHardenedValues) {
  std::set<std::string> seen;
  for (const auto& fx : kFixturesList) {
    SCOPED_TRACE(fx.report);
    const RemediationPlan plan = plan_for(fx.report);
    const ScriptFormat& reg = *find_script_format("reg");
    const RegFile fix = parse_reg(reg.encode(reg.render(plan, "undo.reg").main));
    ASSERT_FALSE(fix.empty());
    for (const auto& [where, entry] : fix) {
      SCOPED_TRACE(where.first + "\\" + where.second);
      ASSERT_TRUE(entry.value) << "the fix never deletes";
      auto it = hardened().find(where);
      if (it == hardened().end() && where.second == "\\\\*\\netlogon") continue;  // the strict variant, below
      ASSERT_NE(it, hardened().end()) << "not a hardened value this test knows";
      EXPECT_EQ(entry.value->type, it->second.type);
      if (where.first.find("HardenedPaths") != std::string::npos && plan.profile == "strict") {
        EXPECT_EQ(entry.value->data,
                  Value{std::string("RequireMutualAuthentication=1, RequireIntegrity=1, RequirePrivacy=1")});
      } else if (where.first.find("HardenedPaths") != std::string::npos) {
        EXPECT_EQ(entry.value->data, Value{std::string("RequireMutualAuthentication=1, RequireIntegrity=1")});
      } else if (where.second == "runasppl") {
        // host_details starts "build 26100.2314, ...": RunAsPPL 2 exists from build 22621.
        const bool no_lock = std::stoi(plan.host_details.substr(plan.host_details.find("build ") + 6)) >= 22621;
        EXPECT_EQ(entry.value->data, (Value{std::int64_t{no_lock ? 2 : 1}}));
      } else {
        EXPECT_EQ(entry.value->data, it->second.data);
      }
      seen.insert(where.first + "\\" + where.second);
    }
  }
  EXPECT_GE(seen.size(), 12u) << "the fixtures should exercise most of the table";
}

// What the report's evidence says each value was, read straight from the JSON.
std::map<std::pair<std::string, std::string>, json> observed(const std::string& fixture) {
  std::map<std::pair<std::string, std::string>, json> out;
  const json doc = json::parse(test_support::read_file(kFixtures / fixture));
  for (const auto& f : doc.at("findings"))
    for (const auto& e : f.at("evidence"))
      if (e.at("kind") == "registry" && e.at("name").is_null() && e.value("present", true) == false)
        out[{e.at("path").get<std::string>(), "*"}] = e;  // the key is absent: so is every value in it
      else if (e.at("kind") == "registry" && e.at("name").is_string() && e.contains("present"))
        out[{e.at("path").get<std::string>(), lower(e.at("name").get<std::string>())}] = e;
      else if (e.at("kind") == "service" && e.contains("start_type") && e.at("start_type").is_string())
        out[{"HKLM\\SYSTEM\\CurrentControlSet\\Services\\" + e.at("name").get<std::string>(), "start"}] = e;
  return out;
}

TEST(RemediationReg, UndoParsedBackRestoresExactlyWhatTheReportObserved) {
  const std::map<std::string, std::int64_t> start{
      {"boot", 0}, {"system", 1}, {"automatic", 2}, {"automatic_delayed", 2}, {"manual", 3}, {"disabled", 4}};
  for (const auto& fx : kFixturesList) {
    SCOPED_TRACE(fx.report);
    const RemediationPlan plan = plan_for(fx.report);
    const ScriptFormat& reg = *find_script_format("reg");
    const ScriptText text = reg.render(plan, "undo.reg");
    const RegFile fix = parse_reg(reg.encode(text.main));
    const RegFile undo = parse_reg(reg.encode(*text.rollback));
    const auto seen = observed(fx.report);
    ASSERT_EQ(undo.size(), fix.size()) << "the undo covers every value the fix writes, once";
    for (const auto& [where, entry] : undo) {
      SCOPED_TRACE(where.first + "\\" + where.second);
      ASSERT_TRUE(fix.count(where));
      auto it = seen.find(where);
      if (it == seen.end()) it = seen.find({where.first, "*"});
      ASSERT_NE(it, seen.end()) << "the report has no evidence for a value the undo writes";
      const json& e = it->second;
      if (e.at("kind") == "service") {
        ASSERT_TRUE(entry.value);
        EXPECT_EQ(entry.value->data, Value{start.at(e.at("start_type").get<std::string>())});
      } else if (!e.at("present").get<bool>()) {
        EXPECT_FALSE(entry.value) << "absent before: the undo deletes it";
      } else {
        ASSERT_TRUE(entry.value);
        EXPECT_EQ(std::string(to_string(entry.value->type)), e.at("type").get<std::string>());
        if (e.at("data").is_array())
          EXPECT_EQ(entry.value->data, Value{e.at("data").get<StringList>()});
        else if (e.at("data").is_string())
          EXPECT_EQ(entry.value->data, Value{e.at("data").get<std::string>()});
        else
          EXPECT_EQ(entry.value->data, Value{e.at("data").get<std::int64_t>()});
      }
    }
  }
}

TEST(RemediationReg, RollbackFilesSitBesideTheScript) {
  EXPECT_EQ(rollback_path("out/fix.reg", *find_script_format("reg")), "out/fix.undo.reg");
  EXPECT_EQ(rollback_path("fix.PS1", *find_script_format("ps1")), "fix.rollback.ps1");
  EXPECT_EQ(rollback_path("fix", *find_script_format("ps1")), "fix.rollback.ps1");
}

TEST(RemediationReg, EncodesUtf16WithBomAndCrlfAndWrapsLongHexLikeRegedit) {
  const ScriptFormat& reg = *find_script_format("reg");
  EXPECT_EQ(reg.encode("a\n\xc3\xa9"), std::string("\xff\xfe"
                                                   "a\0\r\0\n\0\xe9\0",
                                                   10));
  RemediationPlan plan;
  plan.host = "H";
  RuleFix fix;
  fix.rule = "r";
  StringList many(12, "MRxSmb20");
  fix.registry.push_back(RegistryChange{"HKLM\\SYSTEM\\X", "List", RegType::MultiSz, Value{many}, std::nullopt, "r"});
  fix.registry.push_back(
      RegistryChange{"HKLM\\SYSTEM\\X", "Quote\"d", RegType::Sz, Value{std::string("a\\b \"c\"")}, std::nullopt, "r"});
  plan.fixes.push_back(fix);
  const RegFile parsed = parse_reg(reg.encode(reg.render(plan, "u.reg").main));
  ASSERT_TRUE(parsed.at({"HKLM\\SYSTEM\\X", "list"}).value);
  EXPECT_EQ(parsed.at({"HKLM\\SYSTEM\\X", "list"}).value->data, Value{many});
  EXPECT_EQ(parsed.at({"HKLM\\SYSTEM\\X", "quote\"d"}).value->data, Value{std::string("a\\b \"c\"")});
  const std::string text = reg.render(plan, "u.reg").main;
  std::size_t longest = 0, start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i)
    if (i == text.size() || text[i] == '\n') {
      if (text.compare(start, 1, ";") != 0) longest = std::max(longest, i - start);
      start = i + 1;
    }
  EXPECT_LE(longest, 80u);
}

}  // namespace
}  // namespace smbaudit
