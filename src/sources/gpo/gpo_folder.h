// Finding and reading one GPO on disk: a SYSVOL (or local) GPO folder ({GUID}\GPT.INI,
// {GUID}\Machine\...) or a Backup-GPO folder ({ID}\Backup.xml, {ID}\bkupInfo.xml,
// {ID}\DomainSysvol\GPO\Machine\...). File and folder names match case-insensitively, as on
// Windows. Every error is one line naming the file (or folder) and what is wrong.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gpp_registry.h"
#include "gpttmpl.h"
#include "registry_pol.h"
#include "smbaudit/expected.h"

namespace smbaudit::gpo {

enum class GpoForm { Sysvol, Backup };

struct GpoInfo {
  GpoForm form = GpoForm::Sysvol;
  std::filesystem::path folder;  // as given
  std::string display_name;      // empty when the folder does not say
  std::string guid;              // "{...}", empty when unknown
  std::string backup_id;         // the backup's ID (Backup form)
  // Backup.xml's Options has bit 2 set: the GPO's computer settings are disabled, so Windows
  // does not apply its machine policy.
  bool computer_settings_disabled = false;

  // "'Baseline' {GUID}", or the folder's name when the GPO has neither.
  [[nodiscard]] std::string label() const;
};

// Where a GPO's machine policy files are; each is absent when the GPO has none.
struct GpoLocation {
  GpoInfo info;
  std::optional<std::filesystem::path> registry_pol;  // Machine\Registry.pol
  std::optional<std::filesystem::path> gpttmpl;       // Machine\Microsoft\Windows NT\SecEdit\GptTmpl.inf
  std::optional<std::filesystem::path> registry_xml;  // Machine\Preferences\Registry\Registry.xml
};

// A GPO read into memory.
struct Gpo {
  GpoLocation location;
  std::vector<PolRecord> registry_pol;
  std::optional<InfFile> gpttmpl;
  std::optional<GppRegistryFile> registry_xml;
};

// A path as UTF-8 text for messages and origins. Never throws: a Windows name that is not
// valid UTF-16 (which path::string() would throw on) is shown as such.
[[nodiscard]] std::string path_text(const std::filesystem::path& path);

// Finds the GPO in `folder`. Refuses a folder that is not a GPO, a Backup-GPO root holding
// several backups (manifest.xml: the error lists each backup's display name and ID), and a
// GPO with none of the three machine policy files.
[[nodiscard]] Expected<GpoLocation, std::string> locate_gpo(const std::filesystem::path& folder);

// Locates the GPO and reads its files (each capped by limits::kMaxInputFileBytes).
[[nodiscard]] Expected<Gpo, std::string> load_gpo(const std::filesystem::path& folder);

}  // namespace smbaudit::gpo
