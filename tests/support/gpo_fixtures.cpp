#include "gpo_fixtures.h"

#include <fmt/format.h>

#include <fstream>

#include "../../src/core/reg_data.h"
#include "../../src/core/utf.h"

namespace smbaudit::test_support {
namespace fs = std::filesystem;
namespace {

void write(const fs::path& file, std::string_view content) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

std::string unit(char c) {
  return std::string(1, c) + '\0';
}

std::string xml_text(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string item_xml(const GppItem& item, int n) {
  std::string props = fmt::format(
      R"(<Properties action="{}" displayDecimal="0" default="{}" hive="{}" key="{}" name="{}" type="{}" value="{}")",
      item.action, item.is_default ? 1 : 0, xml_text(item.hive), xml_text(item.key), xml_text(item.name), item.type,
      xml_text(item.value));
  if (item.values.empty()) {
    props += "/>";
  } else {
    props += "><Values>";
    for (const auto& v : item.values) props += "<Value>" + xml_text(v) + "</Value>";
    props += "</Values></Properties>";
  }
  const std::string filters = item.filters.empty() ? "" : "<Filters>" + item.filters + "</Filters>";
  return fmt::format(
      "\t<Registry clsid=\"{{9CD4B2F4-923D-47f5-A062-E897DD1DAD50}}\" name=\"{}\" status=\"{}\" image=\"12\" "
      "changed=\"2026-11-20 10:00:00\" uid=\"{{0000000{}-0000-0000-0000-000000000000}}\"{}>{}{}</Registry>\r\n",
      xml_text(item.name), xml_text(item.name), n % 10, item.disabled ? " disabled=\"1\"" : "", props, filters);
}

// The two ways one GPO's machine folder is reached, and its files' names.
fs::path machine_file(const fs::path& machine, const GpoFiles& gpo, std::string_view which) {
  const bool lower = gpo.lower_case_names;
  if (which == "pol") return machine / (lower ? "registry.pol" : "Registry.pol");
  if (which == "inf")
    return machine / (lower ? "microsoft" : "Microsoft") / (lower ? "windows nt" : "Windows NT") /
           (lower ? "secedit" : "SecEdit") / (lower ? "gpttmpl.inf" : "GptTmpl.inf");
  return machine / (lower ? "preferences" : "Preferences") / (lower ? "registry" : "Registry") /
         (lower ? "registry.xml" : "Registry.xml");
}

void write_machine(const fs::path& machine, const GpoFiles& gpo) {
  if (gpo.registry_pol) write(machine_file(machine, gpo, "pol"), *gpo.registry_pol);
  if (gpo.gpttmpl) write(machine_file(machine, gpo, "inf"), *gpo.gpttmpl);
  if (gpo.registry_xml) write(machine_file(machine, gpo, "xml"), *gpo.registry_xml);
}

std::string backup_inst(const GpoFiles& gpo, const std::string& backup_id) {
  return fmt::format(
      "<BackupInst xmlns=\"http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest\">"
      "<GPOGuid><![CDATA[{}]]></GPOGuid><GPODomain><![CDATA[contoso.test]]></GPODomain>"
      "<GPODomainGuid><![CDATA[{{00000000-0000-0000-0000-00000000000d}}]]></GPODomainGuid>"
      "<GPODomainController><![CDATA[dc01.contoso.test]]></GPODomainController>"
      "<BackupTime><![CDATA[2026-11-20T10:00:00]]></BackupTime><ID><![CDATA[{}]]></ID>"
      "<Comment><![CDATA[]]></Comment><GPODisplayName><![CDATA[{}]]></GPODisplayName></BackupInst>",
      gpo.guid, backup_id, gpo.display_name);
}

}  // namespace

std::string utf16(std::string_view utf8) {
  return utf::utf8_to_utf16le(utf8);
}

std::string le32(std::uint32_t v) {
  std::string out;
  for (int i = 0; i < 4; ++i, v >>= 8) out += static_cast<char>(v & 0xFF);
  return out;
}

PregBuilder::PregBuilder(std::string_view signature, std::uint32_t version) : bytes_(signature) {
  bytes_ += le32(version);
}

PregBuilder& PregBuilder::record(std::string_view key, std::string_view name, std::uint32_t type,
                                 std::string_view data) {
  bytes_ += unit('[') + utf16(key) + unit('\0') + unit(';') + utf16(name) + unit('\0') + unit(';') + le32(type) +
            unit(';') + le32(static_cast<std::uint32_t>(data.size())) + unit(';');
  bytes_ += data;
  bytes_ += unit(']');
  return *this;
}

PregBuilder& PregBuilder::dword(std::string_view key, std::string_view name, std::uint32_t value) {
  return record(key, name, 4, le32(value));
}

PregBuilder& PregBuilder::sz(std::string_view key, std::string_view name, std::string_view text, std::uint32_t type) {
  return record(key, name, type, utf16(text) + unit('\0'));
}

PregBuilder& PregBuilder::raw(std::string_view bytes) {
  bytes_ += bytes;
  return *this;
}

std::string gpttmpl_bytes(std::string_view text) {
  std::string crlf;
  for (char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  return "\xFF\xFE" + utf16(crlf);
}

std::string gpttmpl_with_preamble(std::string_view sections) {
  return gpttmpl_bytes("[Unicode]\nUnicode=yes\n" + std::string(sections) +
                       "[Version]\nsignature=\"$CHICAGO$\"\nRevision=1\n");
}

std::string registry_xml(const std::vector<GppItem>& items, const std::vector<GppCollection>& collections) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
      "<RegistrySettings clsid=\"{A3CCFC41-DFDB-43a5-8D26-0FE8B954DA51}\">\r\n";
  for (std::size_t i = 0; i < items.size(); ++i) {
    for (const auto& c : collections)
      if (c.first == i)
        out += fmt::format("<Collection clsid=\"{{53B533F5-224C-47e3-B01B-CA3B3F3FF4BF}}\" name=\"group\"{}>",
                           c.disabled ? " disabled=\"1\"" : "");
    out += item_xml(items[i], static_cast<int>(i));
    for (const auto& c : collections)
      if (c.last == i + 1) out += (c.filters.empty() ? "" : "<Filters>" + c.filters + "</Filters>") + "</Collection>";
  }
  return out + "</RegistrySettings>\r\n";
}

fs::path write_sysvol_gpo(const fs::path& dir, const GpoFiles& gpo) {
  const fs::path root = dir / gpo.guid;
  fs::create_directories(root);
  if (gpo.write_gpt_ini) {
    std::string ini = "[General]\r\nVersion=65537\r\n";
    if (gpo.display_name_in_gpt_ini) ini += "displayName=" + gpo.display_name + "\r\n";
    write(root / (gpo.lower_case_names ? "gpt.ini" : "GPT.INI"), ini);
  }
  write_machine(root / (gpo.lower_case_names ? "machine" : "Machine"), gpo);
  return root;
}

fs::path write_backup_gpo(const fs::path& dir, const GpoFiles& gpo, const std::string& backup_id) {
  const fs::path root = dir / backup_id;
  write(root / "Backup.xml",
        fmt::format("<?xml version=\"1.0\" encoding=\"utf-8\"?><GroupPolicyBackupScheme bkp:version=\"2.0\" "
                    "bkp:type=\"GroupPolicyBackupTemplate\" xmlns:bkp=\"http://www.microsoft.com/GroupPolicy/"
                    "GPOOperations\" xmlns=\"http://www.microsoft.com/GroupPolicy/GPOOperations\"><GroupPolicyObject>"
                    "<GroupPolicyCoreSettings><ID><![CDATA[{}]]></ID><Domain><![CDATA[contoso.test]]></Domain>"
                    "<DisplayName><![CDATA[{}]]></DisplayName><Options><![CDATA[{}]]></Options>"
                    "</GroupPolicyCoreSettings></GroupPolicyObject></GroupPolicyBackupScheme>",
                    gpo.guid, gpo.display_name, gpo.computer_settings_disabled ? 2 : 0));
  write(root / (gpo.lower_case_names ? "bkupinfo.xml" : "bkupInfo.xml"),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>" + backup_inst(gpo, backup_id));
  write_machine(root / "DomainSysvol" / "GPO" / (gpo.lower_case_names ? "machine" : "Machine"), gpo);
  return root;
}

void write_backup_manifest(const fs::path& dir, const std::vector<std::pair<GpoFiles, std::string>>& backups) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><Backups "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xmlns=\"http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest\" "
      "xmlns:mfst=\"http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest\" mfst:version=\"1.0\">";
  for (const auto& [gpo, id] : backups) out += backup_inst(gpo, id);
  write(dir / "manifest.xml", out + "</Backups>");
}

}  // namespace smbaudit::test_support
