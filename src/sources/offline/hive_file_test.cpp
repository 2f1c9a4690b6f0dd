#include "hive_file.h"

#include <gtest/gtest.h>

#include "smbaudit/limits.h"
#include "support/empty_hive.h"
#include "support/temp_dir.h"

namespace smbaudit::offline {
namespace {

using test_support::empty_hive_bytes;
using test_support::TempDir;

std::string error_for(const TempDir& dir, const std::string& bytes) {
  auto info = check_hive_file(dir.write("hive", bytes));
  return info ? std::string("accepted") : info.error();
}

void put32(std::string& b, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) b[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

// Recomputes the base block's checksum after a test changed a header field.
void reseal(std::string& b) {
  std::uint32_t sum = 0;
  for (std::size_t at = 0; at < 0x1FC; at += 4)
    sum ^= static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
  put32(b, 0x1FC, sum);
}

TEST(HiveFile, AcceptsAnEmptyHiveAndSeesItIsClean) {
  TempDir dir;
  auto info = check_hive_file(dir.write("hive", empty_hive_bytes()));
  ASSERT_TRUE(info) << info.error();
  EXPECT_EQ(info->size, 8192u);
  EXPECT_FALSE(info->dirty);
}

TEST(HiveFile, NamesWhatIsWrongWithFilesThatAreNotHives) {
  TempDir dir;
  EXPECT_EQ(check_hive_file(dir.path() / "missing").error(), "no such file");
  EXPECT_EQ(check_hive_file(dir.path()).error(), "is a directory, expected a hive file");
  EXPECT_EQ(error_for(dir, "Windows Registry Editor Version 5.00\r\n"), "not a registry hive (no 'regf' signature)");
  EXPECT_EQ(error_for(dir, ""), "not a registry hive (no 'regf' signature)");
}

TEST(HiveFile, RefusesAFileLargerThanTheHiveLimitFromItsSizeAlone) {
  auto info = check_hive_header(empty_hive_bytes(), limits::kMaxHiveBytes + 1);
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error(), "the file is larger than the 1024 MiB limit for a hive");
  EXPECT_TRUE(check_hive_header(empty_hive_bytes(), 8192)) << "the same bytes at their real size are a hive";
}

TEST(HiveFile, RejectsATruncatedHive) {
  TempDir dir;
  const std::string hive = empty_hive_bytes();
  EXPECT_NE(error_for(dir, hive.substr(0, 6000)).find("truncated hive"), std::string::npos);
  EXPECT_NE(error_for(dir, hive.substr(0, 8191)).find("truncated hive"), std::string::npos);
  std::string longer = hive;
  put32(longer, 0x28, 0x3000);  // the header now declares three bins
  reseal(longer);
  EXPECT_EQ(error_for(dir, longer), "truncated hive: the base block declares 16384 bytes but the file has 8192");
}

TEST(HiveFile, RejectsADamagedHeader) {
  TempDir dir;
  std::string flipped = empty_hive_bytes();
  flipped[0x24] ^= 0x10;
  EXPECT_EQ(error_for(dir, flipped), "corrupted hive: the base block's checksum is wrong");
  std::string log = empty_hive_bytes();
  put32(log, 0x1C, 1);
  reseal(log);
  EXPECT_EQ(error_for(dir, log), "a transaction log (.LOG1/.LOG2), not a primary hive file");
  std::string no_bin = empty_hive_bytes();
  no_bin[0x1000] = 'X';
  EXPECT_EQ(error_for(dir, no_bin), "corrupted hive: no hive bin follows the base block");
}

TEST(HiveFile, SeesADirtyHive) {
  TempDir dir;
  std::string dirty = empty_hive_bytes();
  put32(dirty, 0x04, 7);
  reseal(dirty);
  auto info = check_hive_file(dir.write("hive", dirty));
  ASSERT_TRUE(info) << info.error();
  EXPECT_TRUE(info->dirty);
}

TEST(HiveFile, FindsWhereTheChainOfBinsBreaks) {
  TempDir dir;
  std::string two_bins = empty_hive_bytes() + std::string(0x1000, '\0');
  put32(two_bins, 0x28, 0x2000);
  reseal(two_bins);
  EXPECT_EQ(find_bin_damage(dir.write("hive", two_bins)), "no hive bin at 0x2000 (after 1 bins)");
  EXPECT_EQ(find_bin_damage(dir.write("hive", empty_hive_bytes())), std::nullopt);
}

}  // namespace
}  // namespace smbaudit::offline
