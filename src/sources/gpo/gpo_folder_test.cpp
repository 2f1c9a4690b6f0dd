#include "gpo_folder.h"

#include <gtest/gtest.h>

#include "smbaudit/limits.h"
#include "support/gpo_fixtures.h"
#include "support/temp_dir.h"

namespace smbaudit::gpo {
namespace {

namespace fs = std::filesystem;
using test_support::GpoFiles;
using test_support::PregBuilder;
using test_support::TempDir;

constexpr const char* kKey = "Software\\Policies\\Microsoft\\Windows\\LanmanWorkstation";

GpoFiles all_three() {
  GpoFiles g;
  g.display_name = "SMB Baseline";
  g.guid = "{6AC1786C-016F-11D2-945F-00C04FB984F9}";
  g.registry_pol = PregBuilder().dword(kKey, "AllowInsecureGuestAuth", 0).bytes();
  g.gpttmpl = test_support::gpttmpl_with_preamble("[System Access]\nMinimumPasswordLength = 14\n");
  g.registry_xml = test_support::registry_xml({{.key = "Software\\X", .name = "A", .value = "00000001"}});
  return g;
}

std::string error_of(const fs::path& folder) {
  auto gpo = load_gpo(folder);
  EXPECT_FALSE(gpo);
  return gpo ? std::string() : gpo.error();
}

TEST(GpoFolder, ReadsASysvolGpoWithItsNameFromGptIniAndItsGuidFromTheFolder) {
  TempDir dir;
  const fs::path root = test_support::write_sysvol_gpo(dir.path(), all_three());
  const auto gpo = load_gpo(root);
  ASSERT_TRUE(gpo) << gpo.error();
  const GpoInfo& info = gpo->location.info;
  EXPECT_EQ(info.form, GpoForm::Sysvol);
  EXPECT_EQ(info.display_name, "SMB Baseline");
  EXPECT_EQ(info.guid, "{6AC1786C-016F-11D2-945F-00C04FB984F9}");
  EXPECT_EQ(info.label(), "'SMB Baseline' {6AC1786C-016F-11D2-945F-00C04FB984F9}");
  ASSERT_EQ(gpo->registry_pol.size(), 1u);
  EXPECT_EQ(gpo->registry_pol[0].value_name, "AllowInsecureGuestAuth");
  ASSERT_TRUE(gpo->gpttmpl);
  EXPECT_EQ(gpo->gpttmpl->system_access.at(0).name, "MinimumPasswordLength");
  ASSERT_TRUE(gpo->registry_xml);
  EXPECT_EQ(gpo->registry_xml->items.size(), 1u);
}

TEST(GpoFolder, ReadsABackupGpoWithItsNameAndGuidFromBkupInfo) {
  TempDir dir;
  const fs::path root =
      test_support::write_backup_gpo(dir.path(), all_three(), "{A1B2C3D4-0000-0000-0000-000000000001}");
  const auto gpo = load_gpo(root);
  ASSERT_TRUE(gpo) << gpo.error();
  const GpoInfo& info = gpo->location.info;
  EXPECT_EQ(info.form, GpoForm::Backup);
  EXPECT_EQ(info.display_name, "SMB Baseline");
  EXPECT_EQ(info.guid, "{6AC1786C-016F-11D2-945F-00C04FB984F9}");
  EXPECT_EQ(info.backup_id, "{A1B2C3D4-0000-0000-0000-000000000001}");
  EXPECT_FALSE(info.computer_settings_disabled);
  EXPECT_EQ(gpo->registry_pol.size(), 1u);
  EXPECT_TRUE(gpo->gpttmpl);
  EXPECT_TRUE(gpo->registry_xml);
}

TEST(GpoFolder, MatchesFileAndFolderNamesInAnyCase) {
  GpoFiles g = all_three();
  g.lower_case_names = true;
  for (bool backup : {false, true}) {
    TempDir dir;
    const fs::path root =
        backup ? test_support::write_backup_gpo(dir.path(), g, "{B}") : test_support::write_sysvol_gpo(dir.path(), g);
    const auto at = locate_gpo(root);
    ASSERT_TRUE(at) << at.error();
    EXPECT_TRUE(at->registry_pol) << backup;
    EXPECT_TRUE(at->gpttmpl) << backup;
    EXPECT_TRUE(at->registry_xml) << backup;
    EXPECT_EQ(at->info.display_name, "SMB Baseline");
  }
}

TEST(GpoFolder, AGpoWithOnlySomeFilesHasTheOthersAbsent) {
  TempDir dir;
  GpoFiles g;
  g.gpttmpl = test_support::gpttmpl_with_preamble("");
  g.display_name_in_gpt_ini = false;
  const fs::path root = test_support::write_sysvol_gpo(dir.path(), g);
  const auto at = locate_gpo(root);
  ASSERT_TRUE(at) << at.error();
  EXPECT_FALSE(at->registry_pol);
  EXPECT_TRUE(at->gpttmpl);
  EXPECT_FALSE(at->registry_xml);
  EXPECT_EQ(at->info.display_name, "");
  EXPECT_EQ(at->info.label(), g.guid);
}

TEST(GpoFolder, ReadsThatABackupsComputerSettingsAreDisabled) {
  TempDir dir;
  GpoFiles g = all_three();
  g.computer_settings_disabled = true;
  const auto at = locate_gpo(test_support::write_backup_gpo(dir.path(), g, "{B}"));
  ASSERT_TRUE(at) << at.error();
  EXPECT_TRUE(at->info.computer_settings_disabled);
}

TEST(GpoFolder, RefusesABackupRootListingEveryBackupByNameAndId) {
  TempDir dir;
  GpoFiles a = all_three(), b = all_three();
  b.display_name = "Workstations";
  test_support::write_backup_gpo(dir.path(), a, "{ID-A}");
  test_support::write_backup_gpo(dir.path(), b, "{ID-B}");
  test_support::write_backup_manifest(dir.path(), {{a, "{ID-A}"}, {b, "{ID-B}"}});
  EXPECT_EQ(error_of(dir.path()), dir.path().string() +
                                      ": a folder of 2 GPO backups (manifest.xml), not one GPO; give one of them: 'SMB "
                                      "Baseline' {ID-A}, 'Workstations' {ID-B}");
}

TEST(GpoFolder, AnUnreadableManifestStillListsTheBackupFolders) {
  TempDir dir;
  test_support::write_backup_gpo(dir.path(), all_three(), "{ID-A}");
  dir.write("manifest.xml", "<Backups>");
  EXPECT_EQ(error_of(dir.path()),
            dir.path().string() + ": a folder of 1 GPO backups (manifest.xml), not one GPO; give one of them: {ID-A}");
}

TEST(GpoFolder, RefusesAGptIniOnlyFolderAndFoldersThatAreNoGpo) {
  TempDir dir;
  GpoFiles g;
  const fs::path root = test_support::write_sysvol_gpo(dir.path(), g);
  EXPECT_EQ(error_of(root),
            root.string() +
                ": a GPO without machine policy: none of Machine\\Registry.pol, Machine\\Microsoft\\Windows "
                "NT\\SecEdit\\GptTmpl.inf or Machine\\Preferences\\Registry\\Registry.xml is there, so "
                "there is nothing to audit");
  const fs::path backup = test_support::write_backup_gpo(dir.path(), g, "{B}");
  EXPECT_NE(error_of(backup).find("none of DomainSysvol\\GPO\\Machine\\Registry.pol"), std::string::npos);

  const fs::path empty = dir.path() / "empty";
  fs::create_directories(empty);
  EXPECT_EQ(error_of(empty),
            empty.string() +
                ": not a GPO folder: no GPT.INI (a SYSVOL or local GPO) and no Backup.xml or bkupInfo.xml "
                "(a Backup-GPO folder)");
  EXPECT_EQ(error_of(dir.path() / "missing"), (dir.path() / "missing").string() + ": no such folder");
  const fs::path file = dir.write("file.txt", "x");
  EXPECT_EQ(error_of(file), file.string() +
                                ": not a folder; give a GPO's folder ({GUID} with GPT.INI, or a Backup-GPO folder with "
                                "Backup.xml)");
}

TEST(GpoFolder, RefusesNamesThatDifferOnlyInCase) {
#ifdef _WIN32
  GTEST_SKIP() << "a Windows file system cannot hold two names that differ only in case";
#endif
  TempDir dir;
  GpoFiles g = all_three();
  const fs::path root = test_support::write_sysvol_gpo(dir.path(), g);
  dir.write(g.guid + "/machine/registry.pol", PregBuilder().bytes());
  const std::string error = error_of(root);
  EXPECT_NE(error.find("Windows names are case-insensitive, so which one applies is ambiguous"), std::string::npos)
      << error;
}

TEST(GpoFolder, EveryBrokenPolicyFileIsOneLineNamingTheFileAndWhere) {
  TempDir dir;
  GpoFiles g = all_three();
  PregBuilder pol;
  pol.dword(kKey, "A", 1);
  const std::size_t at = pol.size();
  g.registry_pol = pol.raw("[").bytes();
  fs::path root = test_support::write_sysvol_gpo(dir.path(), g);
  EXPECT_EQ(error_of(root), (root / "Machine" / "Registry.pol").string() + ": record at byte " + std::to_string(at) +
                                ": the record is cut short ('[' expected at the start of a record)");

  g = all_three();
  g.gpttmpl = test_support::gpttmpl_with_preamble("[System Access]\nMinimumPasswordLength = x\n");
  root = test_support::write_sysvol_gpo(dir.path() / "2", g);
  EXPECT_EQ(error_of(root),
            (root / "Machine" / "Microsoft" / "Windows NT" / "SecEdit" / "GptTmpl.inf").string() +
                ": line 4: the value of MinimumPasswordLength is neither a number nor a quoted string: 'x'");

  g = all_three();
  g.registry_xml = "<RegistrySettings>\n<Registry>";
  root = test_support::write_sysvol_gpo(dir.path() / "3", g);
  EXPECT_EQ(error_of(root), (root / "Machine" / "Preferences" / "Registry" / "Registry.xml").string() +
                                ": line 2: <Registry> is not closed");

  g = all_three();
  g.registry_pol = std::string("PReg\x02\0\0\0", 8);
  root = test_support::write_sysvol_gpo(dir.path() / "4", g);
  EXPECT_EQ(error_of(root), (root / "Machine" / "Registry.pol").string() +
                                ": unsupported Registry.pol version 2 (only version 1 exists)");

  root = test_support::write_backup_gpo(dir.path() / "5", all_three(), "{B}");
  dir.write("5/{B}/bkupInfo.xml", "<BackupInst><GPOGuid>");
  EXPECT_EQ(error_of(root), (root / "bkupInfo.xml").string() + ": line 1: <GPOGuid> is not closed");
}

TEST(GpoFolder, RefusesAPolicyFileLargerThanTheInputLimitBeforeReadingIt) {
  TempDir dir;
  GpoFiles g = all_three();
  const fs::path root = test_support::write_sysvol_gpo(dir.path(), g);
  const fs::path pol = root / "Machine" / "Registry.pol";
  fs::resize_file(pol, limits::kMaxInputFileBytes + 1);  // sparse: nothing is written
  EXPECT_EQ(error_of(root), pol.string() + ": file is larger than the 16 MiB limit");
}

}  // namespace
}  // namespace smbaudit::gpo
