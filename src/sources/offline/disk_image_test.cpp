#include "disk_image.h"

#include <gtest/gtest.h>

namespace smbaudit::offline {
namespace {

std::string sector_with(std::size_t at, std::string_view magic, std::size_t size = 4096) {
  std::string bytes(size, '\0');
  bytes.replace(at, magic.size(), magic);
  return bytes;
}

std::string_view name_of(std::string_view head, std::string_view tail = {}) {
  auto kind = recognise_image(head, tail);
  return kind ? kind->name : std::string_view("(none)");
}

TEST(DiskImage, RecognisesEachImageFormatByItsMagicNumbers) {
  using namespace std::string_view_literals;
  EXPECT_EQ(name_of(sector_with(0, "MSWIM\0\0\0"sv)).substr(0, 11), "a WIM image");
  EXPECT_EQ(name_of(sector_with(0, "vhdxfile")), "a VHDX virtual disk");
  EXPECT_EQ(name_of(sector_with(0, "conectix")), "a VHD virtual disk") << "a dynamic VHD's copy of its footer";
  EXPECT_EQ(name_of(std::string(4096, '\0'), sector_with(0, "conectix", 512)), "a VHD virtual disk")
      << "a fixed VHD's footer in the last 512 bytes";
  EXPECT_EQ(name_of(sector_with(0, "QFI\xfb")), "a QCOW2 virtual disk");
  EXPECT_EQ(name_of(sector_with(0, "KDMV")), "a VMDK virtual disk");
  EXPECT_EQ(name_of(sector_with(0, "# Disk DescriptorFile\nversion=1\n")), "a VMDK virtual disk");
  EXPECT_EQ(name_of(sector_with(510, "\x55\xaa")), "a raw disk image with an MBR partition table");
  std::string gpt = sector_with(510, "\x55\xaa");
  gpt.replace(512, 8, "EFI PART");
  EXPECT_EQ(name_of(gpt), "a raw disk image with a GPT partition table");
  std::string ntfs = sector_with(3, "NTFS    ");
  ntfs.replace(510, 2, "\x55\xaa");
  EXPECT_EQ(name_of(ntfs), "an NTFS volume image") << "a boot sector is not taken for an MBR";
}

TEST(DiskImage, AHiveTextOrShortFileIsNoImage) {
  EXPECT_EQ(name_of(sector_with(0, "regf")), "(none)");
  EXPECT_EQ(name_of("Windows Registry Editor Version 5.00\r\n"), "(none)");
  EXPECT_EQ(name_of(""), "(none)");
  EXPECT_EQ(name_of("MSW"), "(none)") << "a magic number cut short";
}

TEST(DiskImage, TheMessageSaysWhatTheFileIsAndWhatToDo) {
  auto kind = recognise_image(sector_with(0, "vhdxfile"), {});
  ASSERT_TRUE(kind);
  const std::string message = image_message(*kind, "a registry hive");
  EXPECT_EQ(message.rfind("this is a VHDX virtual disk, not a registry hive: ", 0), 0u) << message;
#ifdef SMBAUDIT_HAVE_IMAGE
  // A build that reads image files says so first.
  EXPECT_NE(message.find("give the file itself to --image, or mount its Windows partition read-only"),
            std::string::npos)
      << message;
#else
  EXPECT_NE(message.find("not a registry hive: mount its Windows partition read-only"), std::string::npos) << message;
#endif
  EXPECT_NE(message.find("docs/offline.md"), std::string::npos);
}

}  // namespace
}  // namespace smbaudit::offline
