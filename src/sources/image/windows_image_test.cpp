// The image reader over fixture images built by tests/support/image_builder.h with Debian's
// tools. Each image holds fixture hives (and a Registry.pol); what comes out must be
// byte-for-byte the files that went in, whatever the container.
#include "windows_image.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>

#include "support/image_builder.h"
#include "support/image_fixtures.h"
#include "support/temp_dir.h"

namespace smbaudit::image {
namespace {

namespace fs = std::filesystem;
using test_support::read_file;
using test_support::TempDir;

using Fixtures = test_support::ImageFixtures;

class WindowsImage : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { fixtures_ = new Fixtures; }
  static void TearDownTestSuite() {
    delete fixtures_;
    fixtures_ = nullptr;
  }
  void SetUp() override {
    if (auto missing = Fixtures::missing_tools()) GTEST_SKIP() << "fixture images cannot be built: " << *missing;
  }
  Fixtures& f() { return *fixtures_; }

  // The hives and Registry.pol came out exactly as they went in.
  static void expect_files_of(const ExtractedImage& image, const fs::path& tree, bool registry_pol = true) {
    const auto* system = image.file(WindowsFile::System);
    const auto* software = image.file(WindowsFile::Software);
    ASSERT_NE(system, nullptr);
    ASSERT_NE(software, nullptr);
    EXPECT_EQ(read_file(system->path), read_file(tree / "Windows/System32/config/SYSTEM"));
    EXPECT_EQ(read_file(software->path), read_file(tree / "Windows/System32/config/SOFTWARE"));
    EXPECT_EQ(system->size, fs::file_size(system->path));
    const auto* pol = image.file(WindowsFile::RegistryPol);
    if (registry_pol) {
      ASSERT_NE(pol, nullptr);
      EXPECT_EQ(read_file(pol->path), test_support::sample_registry_pol());
    } else {
      EXPECT_EQ(pol, nullptr);
    }
  }

  static std::string error_of(const fs::path& file, ImageOptions options = {}) {
    auto image = extract_windows_files(file, options);
    if (image) return "extracted " + image->description();
    EXPECT_EQ(image.error().rfind(file.string() + ": ", 0), 0u) << image.error();
    EXPECT_EQ(image.error().find('\n'), std::string::npos);
    return image.error().substr(file.string().size() + 2);
  }

  static Fixtures* fixtures_;
};

Fixtures* WindowsImage::fixtures_ = nullptr;

TEST_F(WindowsImage, ReadsTheHivesAndRegistryPolOfAWimWithOneImage) {
  auto image = extract_windows_files(f().wim());
  ASSERT_TRUE(image) << image.error();
  EXPECT_EQ(image->format(), ImageFormat::Wim);
  expect_files_of(*image, f().tree());
  EXPECT_EQ(image->description(), f().wim().string() + " (WIM image 1: Windows 11 Enterprise)");
  EXPECT_EQ(image->file(WindowsFile::System)->origin,
            f().wim().string() + ", image 1: \\Windows\\System32\\config\\SYSTEM");
}

TEST_F(WindowsImage, AWimWithSeveralImagesAndNoIndexIsRefusedWithTheirList) {
  EXPECT_EQ(error_of(f().two_images()),
            "the WIM holds 2 images; choose one with --image-index N "
            "(1: Windows 11 Enterprise, 2: Windows 11 Home)");
}

TEST_F(WindowsImage, AnIndexPicksOneImageOfSeveral) {
  auto image = extract_windows_files(f().two_images(), {.index = 2});
  ASSERT_TRUE(image) << image.error();
  expect_files_of(*image, f().home_tree(), false);
  EXPECT_EQ(image->description(), f().two_images().string() + " (WIM image 2: Windows 11 Home)");
}

TEST_F(WindowsImage, AWimIndexThatDoesNotExistIsAnErrorListingTheImages) {
  EXPECT_EQ(error_of(f().two_images(), {.index = 3}),
            "the WIM has no image 3 (it holds 1: Windows 11 Enterprise, 2: Windows 11 Home)");
}

TEST_F(WindowsImage, ReadsAnEsd) {
  auto image = extract_windows_files(f().esd());
  ASSERT_TRUE(image) << image.error();
  EXPECT_EQ(image->format(), ImageFormat::Esd);
  expect_files_of(*image, f().tree());
}

TEST_F(WindowsImage, AWimImageWithoutWindowsIsAnError) {
  EXPECT_EQ(error_of(f().no_windows_wim()),
            "no Windows volume: WIM image 1 (Data) holds no Windows\\System32\\config\\SYSTEM");
}

TEST_F(WindowsImage, ADamagedWimIsAnErrorWithTheToolsReason) {
  TempDir dir;
  const std::string bytes = read_file(f().wim());
  const auto cut = dir.write("cut.wim", bytes.substr(0, bytes.size() / 2));
  const auto error = error_of(cut);
  EXPECT_EQ(error.rfind("WIM: wiminfo failed (exit code ", 0), 0u) << error;
}

TEST_F(WindowsImage, PartitionDoesNotApplyToAWimNorAnIndexToADisk) {
  EXPECT_EQ(error_of(f().wim(), {.partition = 2}),
            "--partition applies to disk images; this is a WIM (choose an image with --image-index N)");
  EXPECT_EQ(error_of(f().vhdx(), {.index = 1}), "--image-index applies to WIM and ESD files; this is a VHDX");
}

TEST_F(WindowsImage, ReadsABareNtfsVolume) {
  auto image = extract_windows_files(f().volume());
  ASSERT_TRUE(image) << image.error();
  EXPECT_EQ(image->format(), ImageFormat::NtfsVolume);
  expect_files_of(*image, f().tree());
  EXPECT_EQ(image->file(WindowsFile::Software)->origin,
            f().volume().string() + ": \\Windows\\System32\\config\\SOFTWARE");
}

TEST_F(WindowsImage, MatchesNamesInAnyCaseAsWindowsDoes) {
  for (const auto& file : {f().lower_volume()}) {
    auto image = extract_windows_files(file);
    ASSERT_TRUE(image) << image.error();
    EXPECT_EQ(read_file(image->file(WindowsFile::System)->path),
              read_file(f().lower_tree() / "windows/system32/CONFIG/system"));
  }
  TempDir dir;
  const auto wim = dir.path() / "lower.wim";
  ASSERT_EQ(test_support::make_wim(f().lower_tree(), wim, "lower"), std::nullopt);
  auto image = extract_windows_files(wim);
  ASSERT_TRUE(image) << image.error();
  EXPECT_EQ(read_file(image->file(WindowsFile::System)->path),
            read_file(f().lower_tree() / "windows/system32/CONFIG/system"));
}

TEST_F(WindowsImage, ReadsTheWindowsPartitionOfAGptDiskPastTheOthers) {
  auto image = extract_windows_files(f().gpt());
  ASSERT_TRUE(image) << image.error();
  EXPECT_EQ(image->format(), ImageFormat::RawDisk);
  expect_files_of(*image, f().tree());
  EXPECT_EQ(image->description(),
            f().gpt().string() + " (raw disk, partition 3 (Microsoft basic data, 8.0 MiB at 4.0 MiB))");
  EXPECT_EQ(image->file(WindowsFile::System)->origin,
            f().gpt().string() + ", partition 3: \\Windows\\System32\\config\\SYSTEM");
}

TEST_F(WindowsImage, ReadsAnMbrDisk) {
  auto image = extract_windows_files(f().mbr());
  ASSERT_TRUE(image) << image.error();
  expect_files_of(*image, f().tree());
}

TEST_F(WindowsImage, ReadsTheSameFilesFromEveryVirtualDiskFormat) {
  const std::vector<std::pair<fs::path, ImageFormat>> disks{{f().vhd(), ImageFormat::Vhd},
                                                            {f().vhdx(), ImageFormat::Vhdx},
                                                            {f().vmdk(), ImageFormat::Vmdk},
                                                            {f().qcow2(), ImageFormat::Qcow2}};
  for (const auto& [file, format] : disks) {
    SCOPED_TRACE(file.string());
    auto image = extract_windows_files(file);
    ASSERT_TRUE(image) << image.error();
    EXPECT_EQ(image->format(), format);
    expect_files_of(*image, f().tree());
  }
}

// Debian 12's libvhdi reads some of a differencing VHDX's sectors as zeros (docs/offline.md),
// so a child is refused, after saying whether its parent is there.
TEST_F(WindowsImage, ADifferencingVhdxIsRefusedWithItsParentNamedAndAdviceToMerge) {
  TempDir dir;
  fs::copy_file(f().vhdx(), dir.path() / "base.vhdx");
  const auto child = dir.path() / "child.avhdx";
  ASSERT_EQ(test_support::make_differencing_vhdx(dir.path() / "base.vhdx", child, "base.vhdx"), std::nullopt);
  EXPECT_EQ(error_of(child), "VHDX: a differencing disk (its parent is " + (dir.path() / "base.vhdx").string() +
                                 "); smbaudit reads standalone disks only, as libvhdi misreads differencing ones: "
                                 "merge the chain into one disk with Merge-VHD on Hyper-V");
}

TEST_F(WindowsImage, ADifferencingVhdxWhoseParentIsMissingIsAnErrorNamingIt) {
  TempDir dir;
  const auto child = dir.path() / "child.avhdx";
  ASSERT_EQ(test_support::make_differencing_vhdx(f().vhdx(), child, "golden-base.vhdx"), std::nullopt);
  EXPECT_EQ(error_of(child),
            "VHDX: a differencing disk whose parent 'C:\\images\\golden-base.vhdx' is missing "
            "(looked in " +
                dir.path().string() +
                "); smbaudit reads standalone disks only: merge the chain into one disk with "
                "Merge-VHD on Hyper-V");
}

TEST_F(WindowsImage, SeveralWindowsVolumesAreAnErrorListingThemAndAPartitionNumberPicksOne) {
  EXPECT_EQ(error_of(f().two_windows()),
            "several Windows volumes: partition 1 (Microsoft basic data, 8.0 MiB at 1.0 MiB), partition 3 (Microsoft "
            "basic data, 8.0 MiB at 17.0 MiB); choose one with --partition N");
  auto image = extract_windows_files(f().two_windows(), {.partition = 3});
  ASSERT_TRUE(image) << image.error();
  expect_files_of(*image, f().home_tree(), false);
}

TEST_F(WindowsImage, APartitionNumberMustNameAWindowsPartitionOfTheDisk) {
  EXPECT_EQ(error_of(f().two_windows(), {.partition = 7}),
            "--partition 7: the disk has no such partition (it has 1, 2, 3)");
  EXPECT_EQ(error_of(f().two_windows(), {.partition = 2}),
            "partition 2 (Microsoft basic data, 8.0 MiB at 9.0 MiB) is not a Windows volume: its NTFS volume holds no "
            "Windows\\System32\\config\\SYSTEM");
  EXPECT_EQ(error_of(f().volume(), {.partition = 1}),
            "it is a bare NTFS volume with no partition table: --partition does not apply");
}

TEST_F(WindowsImage, AVolumeOrDiskWithoutWindowsIsAnError) {
  EXPECT_EQ(error_of(f().empty_volume()),
            "no Windows volume: the NTFS volume holds no Windows\\System32\\config\\SYSTEM");
  EXPECT_EQ(error_of(f().no_windows()),
            "no Windows volume: no partition holds Windows\\System32\\config\\SYSTEM (partition 1 (EFI system, 1.0 MiB "
            "at 1.0 MiB), partition 2 (Microsoft basic data, 8.0 MiB at 2.0 MiB))");
}

TEST_F(WindowsImage, ABitLockerVolumeIsAnErrorSayingItCannotBeRead) {
  TempDir dir;
  std::string bytes = read_file(f().empty_volume());
  bytes.replace(3, 8, "-FVE-FS-");
  const auto bare = dir.write("bitlocker.img", bytes);
  EXPECT_EQ(error_of(bare),
            "it is a BitLocker-encrypted volume ('-FVE-FS-'): smbaudit cannot read it; audit the image "
            "before encryption or a decrypted copy");
  const auto disk = dir.path() / "bitlocker-disk.img";
  ASSERT_EQ(test_support::make_disk(disk, "gpt", {{8, std::string(test_support::kBasicDataType), bare}}), std::nullopt);
  EXPECT_EQ(error_of(disk),
            "no readable Windows volume: partition 1 (Microsoft basic data, 8.0 MiB at 1.0 MiB) is "
            "BitLocker-encrypted ('-FVE-FS-'), which smbaudit cannot read; audit the image before "
            "encryption or a decrypted copy");
}

TEST_F(WindowsImage, ATruncatedDiskIsAnErrorSayingThePartitionRunsPastTheEnd) {
  TempDir dir;
  const std::string bytes = read_file(f().gpt());
  const auto cut = dir.write("cut.img", bytes.substr(0, 6 << 20));
  EXPECT_EQ(error_of(cut),
            "partition table: damaged GPT: partition 3 (sectors 8192 to 24575) ends past the end of "
            "the disk (12288 sectors of 512 bytes) (and no sound backup copy in the last sector)");
}

TEST_F(WindowsImage, ATruncatedVhdxIsAnError) {
  TempDir dir;
  const std::string bytes = read_file(f().vhdx());
  const auto cut = dir.write("cut.vhdx", bytes.substr(0, 300 * 1024));
  const auto error = error_of(cut);
  EXPECT_EQ(error.rfind("VHDX: damaged or truncated virtual disk (", 0), 0u) << error;
}

TEST_F(WindowsImage, ADamagedNtfsVolumeIsAnError) {
  TempDir dir;
  std::string bytes = read_file(f().volume());
  // The $MFT's first cluster (boot sector: cluster number at 0x30, sectors per cluster at 0x0D).
  std::uint64_t mft_cluster = 0;
  for (int i = 7; i >= 0; --i)
    mft_cluster = mft_cluster << 8 | static_cast<unsigned char>(bytes[0x30 + static_cast<std::size_t>(i)]);
  const std::size_t cluster = 512u * static_cast<unsigned char>(bytes[0x0D]);
  bytes.replace(mft_cluster * cluster, 16 * 1024, std::string(16 * 1024, 'X'));
  const auto damaged = dir.write("damaged.ntfs", bytes);
  const auto error = error_of(damaged);
  EXPECT_EQ(error.rfind("damaged NTFS volume (", 0), 0u) << error;
}

TEST_F(WindowsImage, AnUnrecognisedFileIsAnError) {
  TempDir dir;
  EXPECT_EQ(error_of(dir.write("notes.txt", std::string(10000, 'x'))),
            "not an image smbaudit recognises: no WIM, ESD, VHD, VHDX, VMDK or QCOW2 header, no MBR or GPT partition "
            "table and no NTFS volume");
  EXPECT_EQ(error_of(dir.write("empty.img", "")), "empty file, not an image");
  EXPECT_EQ(error_of(dir.path() / "missing.vhdx"), "no such file");
  EXPECT_EQ(error_of(dir.path()), "is a directory, expected an image file (a mounted volume is --image-root)");
  EXPECT_EQ(error_of(f().tree() / "Windows/System32/config/SYSTEM"),
            "a registry hive, not an image: give it with --system or --software");
}

TEST_F(WindowsImage, ThePrivateCopiesAreRemovedWhenTheResultGoesAndAfterAnError) {
  TempDir tmp;
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  ::setenv("TMPDIR", tmp.path().c_str(), 1);
  {
    auto image = extract_windows_files(f().vhdx());
    ASSERT_TRUE(image) << image.error();
    EXPECT_EQ(image->file(WindowsFile::System)->path.parent_path().parent_path(), tmp.path());
    EXPECT_EQ((fs::status(image->file(WindowsFile::System)->path.parent_path()).permissions() & fs::perms::all),
              fs::perms::owner_all);
    EXPECT_FALSE(fs::is_empty(tmp.path()));
  }
  EXPECT_TRUE(fs::is_empty(tmp.path()));
  EXPECT_FALSE(extract_windows_files(f().two_windows()));
  EXPECT_FALSE(extract_windows_files(f().no_windows_wim()));
  EXPECT_TRUE(fs::is_empty(tmp.path()));
  if (old)
    ::setenv("TMPDIR", saved.c_str(), 1);
  else
    ::unsetenv("TMPDIR");
}

TEST_F(WindowsImage, NeverWritesToTheImage) {
  const auto before = fs::last_write_time(f().vhdx());
  const auto bytes = read_file(f().vhdx());
  ASSERT_TRUE(extract_windows_files(f().vhdx()));
  EXPECT_EQ(fs::last_write_time(f().vhdx()), before);
  EXPECT_EQ(read_file(f().vhdx()), bytes);
}

}  // namespace
}  // namespace smbaudit::image
