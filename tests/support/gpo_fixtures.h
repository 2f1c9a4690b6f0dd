// Fixture GPOs built from the specifications, for the readers' and the model's tests (and
// the end-to-end tests of --gpo): Registry.pol bytes field by field ([MS-GPREG] 2.2.1),
// including broken ones; GptTmpl.inf as UTF-16LE with its BOM ([MS-GPSB] 2.2); GPP
// Registry.xml as the Group Policy editor writes it ([MS-GPPREF]); and the two folder
// layouts (SYSVOL and Backup-GPO). Independent of the product's writers on purpose: a reader
// tested only against its own writer would share its misreadings.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smbaudit::test_support {

// UTF-8 text as UTF-16LE code units (no terminator).
[[nodiscard]] std::string utf16(std::string_view utf8);

// Registry.pol bytes: a header, then records appended one by one.
class PregBuilder {
 public:
  explicit PregBuilder(std::string_view signature = "PReg", std::uint32_t version = 1);

  // [key;name;type;size;data] with size = data's length.
  PregBuilder& record(std::string_view key, std::string_view name, std::uint32_t type, std::string_view data);
  PregBuilder& dword(std::string_view key, std::string_view name, std::uint32_t value);
  PregBuilder& sz(std::string_view key, std::string_view name, std::string_view text, std::uint32_t type = 1);
  // Appends bytes as they are (to build broken files).
  PregBuilder& raw(std::string_view bytes);

  [[nodiscard]] const std::string& bytes() const { return bytes_; }
  // The offset the next record will start at.
  [[nodiscard]] std::size_t size() const { return bytes_.size(); }

 private:
  std::string bytes_;
};

// A little-endian 32-bit number, as PReg's type and size fields store it.
[[nodiscard]] std::string le32(std::uint32_t v);

// A GptTmpl.inf: the UTF-8 text (lines joined by '\n') as UTF-16LE with a BOM and CRLF lines.
[[nodiscard]] std::string gpttmpl_bytes(std::string_view text);
// The same, with the [Unicode] and [Version] sections a security template starts with.
[[nodiscard]] std::string gpttmpl_with_preamble(std::string_view sections);

// One GPP registry item, as the Group Policy Management Editor writes it.
struct GppItem {
  std::string action = "U";  // C, R, U, D
  std::string hive = "HKEY_LOCAL_MACHINE";
  std::string key;
  std::string name;  // empty with is_default false: a key item
  bool is_default = false;
  std::string type = "REG_DWORD";
  std::string value;                // as the file stores it: "00000001" for a DWORD
  std::vector<std::string> values;  // REG_MULTI_SZ: the <Values> list
  bool disabled = false;
  std::string filters;  // inner XML of <Filters>, empty for none
};
// A Registry.xml holding `items` in order; `collections` wraps items [first, last) in a
// <Collection> with the given attributes/filters. Plain items only when empty.
struct GppCollection {
  std::size_t first = 0, last = 0;
  bool disabled = false;
  std::string filters;
};
[[nodiscard]] std::string registry_xml(const std::vector<GppItem>& items,
                                       const std::vector<GppCollection>& collections = {});

// The files of one GPO's machine side, each optional.
struct GpoFiles {
  std::string guid = "{31B2F340-016D-11D2-945F-00C04FB984F9}";
  std::string display_name = "Test GPO";
  std::optional<std::string> registry_pol;  // bytes
  std::optional<std::string> gpttmpl;       // bytes
  std::optional<std::string> registry_xml;  // bytes
  bool write_gpt_ini = true;
  bool display_name_in_gpt_ini = true;
  bool lower_case_names = false;            // "machine\registry.pol", "microsoft\windows nt\secedit\gpttmpl.inf"...
  bool computer_settings_disabled = false;  // Backup.xml Options bit 2
};

// Writes `gpo` as a SYSVOL folder DIR/{GUID}; returns that folder.
std::filesystem::path write_sysvol_gpo(const std::filesystem::path& dir, const GpoFiles& gpo);
// Writes `gpo` as a Backup-GPO folder DIR/{backup_id}; returns that folder.
std::filesystem::path write_backup_gpo(const std::filesystem::path& dir, const GpoFiles& gpo,
                                       const std::string& backup_id);
// Writes DIR/manifest.xml listing the backups (GPO display name and backup ID) as GPMC does.
void write_backup_manifest(const std::filesystem::path& dir,
                           const std::vector<std::pair<GpoFiles, std::string>>& backups);

}  // namespace smbaudit::test_support
