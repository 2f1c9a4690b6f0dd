// libfsntfs through smbaudit's libbfio bridge, checked against the files that went into an
// NTFS volume built by mkntfs and wimapply, and against ntfs-3g's own reader (ntfscat).
#include "ntfs_volume.h"

#include <gtest/gtest.h>

#include <random>

#include "subprocess.h"
#include "support/image_builder.h"
#include "support/temp_dir.h"

namespace smbaudit::image {
namespace {

namespace fs = std::filesystem;
using test_support::read_file;
using test_support::TempDir;

class NtfsVolumeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto missing = test_support::missing_image_tools({"mkntfs", "wimcapture", "wimapply"}))
      GTEST_SKIP() << "no NTFS fixture volume: " << *missing;
    ASSERT_EQ(test_support::write_windows_tree("golden-26100-pro", dir_.path() / "tree"), std::nullopt);
    // Larger than the 1 MiB copy buffer, and not a multiple of it.
    std::mt19937 random(15);
    std::string big(3 * 1024 * 1024 + 123, '\0');
    for (char& c : big) c = static_cast<char>(random() & 0xFF);
    big_ = dir_.write("tree/Windows/System32/config/BIG", big);
    volume_path_ = dir_.path() / "volume.ntfs";
    ASSERT_EQ(test_support::make_ntfs_volume(dir_.path() / "tree", volume_path_, 16), std::nullopt);
    auto disk = open_file_disk(volume_path_);
    ASSERT_TRUE(disk) << disk.error();
    disk_ = std::move(*disk);
    auto volume = open_ntfs(*disk_);
    ASSERT_TRUE(volume) << volume.error();
    volume_ = std::move(*volume);
  }

  TempDir dir_;
  fs::path big_, volume_path_;
  std::unique_ptr<Disk> disk_;
  std::unique_ptr<NtfsVolume> volume_;
};

TEST_F(NtfsVolumeTest, CopiesFilesByteForByteInBoundedChunks) {
  for (const std::string name : {"SYSTEM", "SOFTWARE", "BIG"}) {
    SCOPED_TRACE(name);
    const auto out = dir_.path() / ("out-" + name);
    auto copied = volume_->extract("\\Windows\\System32\\config\\" + name, 1ull << 30, out);
    ASSERT_TRUE(copied) << copied.error();
    EXPECT_TRUE(*copied);
    EXPECT_EQ(read_file(out), read_file(dir_.path() / "tree/Windows/System32/config" / name));
  }
}

TEST_F(NtfsVolumeTest, ReadsWhatNtfs3gReads) {
  if (auto missing = test_support::missing_image_tools({"ntfscat"})) GTEST_SKIP() << *missing;
  for (const std::string name : {"SYSTEM", "BIG"}) {
    const auto out = dir_.path() / ("out-" + name);
    ASSERT_TRUE(volume_->extract("\\Windows\\System32\\config\\" + name, 1ull << 30, out));
    ProcessOptions options;
    options.max_output = 8 << 20;
    auto ntfscat = run_process({"ntfscat", volume_path_.string(), "/Windows/System32/config/" + name}, options);
    ASSERT_TRUE(ntfscat) << ntfscat.error();
    EXPECT_EQ(ntfscat->exit_code, 0) << ntfscat->err;
    EXPECT_EQ(read_file(out), ntfscat->out);
  }
}

TEST_F(NtfsVolumeTest, FindsNamesInAnyCaseAndSaysWhenAFileIsAbsent) {
  auto found = volume_->exists("\\WINDOWS\\system32\\Config\\system");
  ASSERT_TRUE(found) << found.error();
  EXPECT_TRUE(*found);
  auto absent = volume_->exists("\\Windows\\System32\\config\\SAM");
  ASSERT_TRUE(absent) << absent.error();
  EXPECT_FALSE(*absent);
  auto not_copied = volume_->extract("\\Windows\\System32\\config\\SAM", 1 << 20, dir_.path() / "sam");
  ASSERT_TRUE(not_copied);
  EXPECT_FALSE(*not_copied);
  EXPECT_FALSE(fs::exists(dir_.path() / "sam"));
}

TEST_F(NtfsVolumeTest, RefusesAFileOverTheLimitAndAFolder) {
  auto big = volume_->extract("\\Windows\\System32\\config\\BIG", 1 << 20, dir_.path() / "big");
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error(), "\\Windows\\System32\\config\\BIG is 3145851 bytes, larger than the 1 MiB limit");
  auto folder = volume_->extract("\\Windows\\System32", 1 << 20, dir_.path() / "folder");
  ASSERT_FALSE(folder);
  EXPECT_EQ(folder.error(), "\\Windows\\System32 is not a file");
}

TEST(ProbeVolume, TellsNtfsFromBitLockerFromAnythingElse) {
  std::vector<std::byte> sector(512);
  const auto put = [&](std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) sector[3 + i] = static_cast<std::byte>(s[i]);
  };
  EXPECT_EQ(probe_volume(sector), VolumeKind::Other);
  put("NTFS    ");
  EXPECT_EQ(probe_volume(sector), VolumeKind::Ntfs);
  put("-FVE-FS-");
  EXPECT_EQ(probe_volume(sector), VolumeKind::BitLocker);
  EXPECT_EQ(probe_volume(std::span(sector).first(5)), VolumeKind::Other);
}

}  // namespace
}  // namespace smbaudit::image
