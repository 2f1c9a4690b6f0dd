#include "gpo_folder.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <span>

#include "../../core/input.h"
#include "../../core/reg_data.h"
#include "../../core/utf.h"
#include "smbaudit/text.h"
#include "xml_reader.h"

namespace smbaudit::gpo {
namespace fs = std::filesystem;
namespace {

// The machine policy files below a GPO's Machine folder, as Windows names them.
constexpr std::string_view kRegistryPol[] = {"Registry.pol"};
constexpr std::string_view kGptTmpl[] = {"Microsoft", "Windows NT", "SecEdit", "GptTmpl.inf"};
constexpr std::string_view kRegistryXml[] = {"Preferences", "Registry", "Registry.xml"};

std::string shown(const fs::path& p) {
  return one_line(path_text(p));
}

// The entry of `dir` named `name` in any case; an error when two entries differ only in case
// (a Linux checkout can hold both, and which one Windows would see is unknowable).
Expected<std::optional<fs::path>, std::string> child(const fs::path& dir, std::string_view name) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  if (ec) {
    // Not a folder (a file where a folder was expected): the entry is not there. A folder
    // that cannot be listed is an error, not an absence.
    if (!fs::is_directory(dir)) return std::optional<fs::path>{};
    return Unexpected(fmt::format("{}: cannot list the folder: {}", shown(dir), ec.message()));
  }
  std::optional<fs::path> found;
  for (; it != end; it.increment(ec)) {
    if (ec) return Unexpected(fmt::format("{}: cannot list the folder: {}", shown(dir), ec.message()));
    const fs::path& entry = it->path();
    if (!iequals(path_text(entry.filename()), name)) continue;
    if (found)
      return Unexpected(
          fmt::format("{}: both '{}' and '{}' are there; Windows names are case-insensitive, so which one "
                      "applies is ambiguous",
                      shown(dir), path_text(found->filename()), path_text(entry.filename())));
    found = entry;
  }
  if (ec) return Unexpected(fmt::format("{}: cannot list the folder: {}", shown(dir), ec.message()));
  return found;
}

// Follows `names` below `dir`, each matched in any case.
Expected<std::optional<fs::path>, std::string> descend(const fs::path& dir, std::span<const std::string_view> names) {
  fs::path at = dir;
  for (auto name : names) {
    auto next = child(at, name);
    if (!next) return Unexpected(next.error());
    if (!*next) return std::optional<fs::path>{};
    at = **next;
  }
  return std::optional<fs::path>{at};
}

Expected<std::string, std::string> read(const fs::path& file) {
  auto text = read_input_file(file);
  if (!text) return Unexpected(fmt::format("{}: {}", shown(file), text.error()));
  return text;
}

Expected<XmlElement, std::string> read_xml(const fs::path& file) {
  auto text = read(file);
  if (!text) return Unexpected(text.error());
  auto doc = parse_xml(*text);
  if (!doc) return Unexpected(fmt::format("{}: {}", shown(file), doc.error()));
  return doc;
}

// The text of the first element named `local` anywhere below `e` (CDATA included), trimmed.
std::string find_text(const XmlElement& e, std::string_view local) {
  if (e.local_name() == local) return std::string(trim(e.text));
  for (const auto& c : e.children)
    if (auto t = find_text(c, local); !t.empty()) return t;
  return {};
}

bool looks_like_guid(std::string_view s) {
  if (s.size() != 38 || s.front() != '{' || s.back() != '}') return false;
  for (std::size_t i = 1; i < 37; ++i) {
    const char c = s[i];
    const bool dash = i == 9 || i == 14 || i == 19 || i == 24;
    if (dash ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// A manifest.xml folder: name every backup it lists, so the user can pick one.
std::string backups_listed(const fs::path& folder, const fs::path& manifest) {
  std::vector<std::string> listed;
  auto doc = read_xml(manifest);
  if (doc) {
    for (const auto& inst : doc->children)
      if (inst.local_name() == "BackupInst")
        listed.push_back(fmt::format("'{}' {}", find_text(inst, "GPODisplayName"), find_text(inst, "ID")));
  }
  if (listed.empty()) {
    // An unreadable or empty manifest: the backup folders themselves.
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_directory(ec)) listed.push_back(path_text(it->path().filename()));
  }
  return fmt::format("{}: a folder of {} GPO backups (manifest.xml), not one GPO; give one of them: {}", shown(folder),
                     listed.size(), listed.empty() ? "(none found)" : join(listed, ", "));
}

// GPT.INI's display name ([General] displayName=...); a missing or odd GPT.INI just has none.
std::string gpt_ini_display_name(const fs::path& file) {
  auto text = read_input_file(file);
  if (!text) return {};
  std::string s = *text;
  if (s.starts_with("\xFF\xFE")) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(s.data());
    s = utf::utf16le_to_utf8(std::span<const std::uint8_t>(data + 2, s.size() - 2));
  }
  bool general = false;
  for (std::size_t start = 0; start < s.size();) {
    const std::size_t end = std::min(s.find('\n', start), s.size());
    const std::string_view line = trim(std::string_view(s).substr(start, end - start));
    start = end + 1;
    if (line.starts_with('[')) {
      general = iequals(line, "[General]");
    } else if (general && istarts_with(line, "displayName=")) {
      return std::string(trim(line.substr(12)));
    }
  }
  return {};
}

Expected<GpoInfo, std::string> backup_info(const fs::path& folder, const std::optional<fs::path>& bkup_info,
                                           const std::optional<fs::path>& backup_xml) {
  GpoInfo info;
  info.form = GpoForm::Backup;
  info.folder = folder;
  if (bkup_info) {
    auto doc = read_xml(*bkup_info);
    if (!doc) return Unexpected(doc.error());
    info.guid = find_text(*doc, "GPOGuid");
    info.display_name = find_text(*doc, "GPODisplayName");
    info.backup_id = find_text(*doc, "ID");
  }
  if (backup_xml) {
    auto doc = read_xml(*backup_xml);
    if (!doc) return Unexpected(doc.error());
    if (const XmlElement* gpo = doc->child("GroupPolicyObject")) {
      if (const XmlElement* core = gpo->child("GroupPolicyCoreSettings")) {
        if (info.guid.empty()) info.guid = find_text(*core, "ID");
        if (info.display_name.empty()) info.display_name = find_text(*core, "DisplayName");
        const std::string options = find_text(*core, "Options");
        if (!options.empty()) {
          unsigned bits = 0;
          const auto [end, ec] = std::from_chars(options.data(), options.data() + options.size(), bits);
          if (ec != std::errc() || end != options.data() + options.size())
            return Unexpected(fmt::format("{}: the GPO's Options '{}' is not a number", shown(*backup_xml), options));
          info.computer_settings_disabled = (bits & 2) != 0;
        }
      }
    }
  }
  if (info.backup_id.empty()) info.backup_id = path_text(folder.filename());
  return info;
}

}  // namespace

std::string path_text(const fs::path& path) {
  try {
    const std::u8string text = path.u8string();
    return {text.begin(), text.end()};
  } catch (const std::exception&) {
    return "(a name that is not valid Unicode)";
  }
}

std::string GpoInfo::label() const {
  if (display_name.empty() && guid.empty()) return one_line(path_text(folder.filename()));
  if (display_name.empty()) return guid;
  return one_line(guid.empty() ? fmt::format("'{}'", display_name) : fmt::format("'{}' {}", display_name, guid));
}

Expected<GpoLocation, std::string> locate_gpo(const fs::path& folder) {
  std::error_code ec;
  const auto status = fs::status(folder, ec);
  if (!fs::exists(status)) return Unexpected(fmt::format("{}: no such folder", shown(folder)));
  if (!fs::is_directory(status))
    return Unexpected(
        fmt::format("{}: not a folder; give a GPO's folder ({{GUID}} with GPT.INI, or a Backup-GPO "
                    "folder with Backup.xml)",
                    shown(folder)));
  const auto entry = [&folder](std::string_view name) { return child(folder, name); };

  auto manifest = entry("manifest.xml");
  if (!manifest) return Unexpected(manifest.error());
  if (*manifest) return Unexpected(backups_listed(folder, **manifest));

  GpoLocation at;
  fs::path machine;
  auto backup_xml = entry("Backup.xml");
  if (!backup_xml) return Unexpected(backup_xml.error());
  auto bkup_info = entry("bkupInfo.xml");
  if (!bkup_info) return Unexpected(bkup_info.error());
  auto gpt_ini = entry("GPT.INI");
  if (!gpt_ini) return Unexpected(gpt_ini.error());
  if (*backup_xml || *bkup_info) {
    auto info = backup_info(folder, *bkup_info, *backup_xml);
    if (!info) return Unexpected(info.error());
    at.info = std::move(*info);
    constexpr std::string_view kMachine[] = {"DomainSysvol", "GPO", "Machine"};
    auto m = descend(folder, kMachine);
    if (!m) return Unexpected(m.error());
    if (*m) machine = **m;
  } else if (*gpt_ini) {
    at.info.form = GpoForm::Sysvol;
    at.info.folder = folder;
    at.info.display_name = gpt_ini_display_name(**gpt_ini);
    const std::string name = path_text(folder.filename());
    if (looks_like_guid(name)) at.info.guid = name;
    auto m = entry("Machine");
    if (!m) return Unexpected(m.error());
    if (*m) machine = **m;
  } else {
    return Unexpected(
        fmt::format("{}: not a GPO folder: no GPT.INI (a SYSVOL or local GPO) and no Backup.xml or "
                    "bkupInfo.xml (a Backup-GPO folder)",
                    shown(folder)));
  }

  if (!machine.empty()) {
    const auto find = [&machine](std::span<const std::string_view> names,
                                 std::optional<fs::path>& out) -> std::optional<std::string> {
      auto f = descend(machine, names);
      if (!f) return f.error();
      if (*f) out = **f;  // a folder of that name is reported when it is read
      return std::nullopt;
    };
    for (auto [names, out] : {std::pair{std::span<const std::string_view>(kRegistryPol), &at.registry_pol},
                              std::pair{std::span<const std::string_view>(kGptTmpl), &at.gpttmpl},
                              std::pair{std::span<const std::string_view>(kRegistryXml), &at.registry_xml}})
      if (auto problem = find(names, *out)) return Unexpected(*problem);
  }
  if (!at.registry_pol && !at.gpttmpl && !at.registry_xml) {
    const std::string_view where = at.info.form == GpoForm::Backup ? "DomainSysvol\\GPO\\Machine" : "Machine";
    return Unexpected(
        fmt::format("{}: a GPO without machine policy: none of {}\\Registry.pol, "
                    "{}\\Microsoft\\Windows NT\\SecEdit\\GptTmpl.inf or "
                    "{}\\Preferences\\Registry\\Registry.xml is there, so there is nothing to audit",
                    shown(folder), where, where, where));
  }
  return at;
}

Expected<Gpo, std::string> load_gpo(const fs::path& folder) {
  auto at = locate_gpo(folder);
  if (!at) return Unexpected(at.error());
  Gpo gpo;
  gpo.location = std::move(*at);
  // Reads one policy file, when the GPO has it, with `parse`; errors name the file.
  const auto load = [](const std::optional<fs::path>& file, auto parse, auto& out) -> std::optional<std::string> {
    if (!file) return std::nullopt;
    auto bytes = read(*file);
    if (!bytes) return bytes.error();
    auto parsed = parse(*bytes);
    if (!parsed) return fmt::format("{}: {}", shown(*file), one_line(parsed.error()));
    out = std::move(*parsed);
    return std::nullopt;
  };
  const auto& loc = gpo.location;
  if (auto e = load(loc.registry_pol, parse_registry_pol, gpo.registry_pol)) return Unexpected(*e);
  if (auto e = load(loc.gpttmpl, parse_gpttmpl, gpo.gpttmpl)) return Unexpected(*e);
  if (auto e = load(loc.registry_xml, parse_gpp_registry, gpo.registry_xml)) return Unexpected(*e);
  return gpo;
}

}  // namespace smbaudit::gpo
