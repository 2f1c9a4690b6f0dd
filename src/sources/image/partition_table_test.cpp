#include "partition_table.h"

#include <gtest/gtest.h>

#include <cstring>

namespace smbaudit::image {
namespace {

using Bytes = std::vector<std::byte>;

void put(Bytes& b, std::size_t at, std::uint64_t v, int width) {
  for (int i = 0; i < width; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::byte>((v >> (8 * i)) & 0xFF);
}

void put_text(Bytes& b, std::size_t at, std::string_view text) {
  std::memcpy(b.data() + at, text.data(), text.size());
}

void boot_signature(Bytes& b, std::size_t sector_at) {
  b[sector_at + 510] = std::byte{0x55};
  b[sector_at + 511] = std::byte{0xAA};
}

// One 16-byte MBR (or EBR) entry in the sector at `sector_at`.
void mbr_entry(Bytes& b, std::size_t sector_at, int slot, unsigned type, std::uint32_t start, std::uint32_t count,
               unsigned status = 0) {
  const std::size_t at = sector_at + 446 + static_cast<std::size_t>(slot) * 16;
  b[at] = static_cast<std::byte>(status);
  b[at + 4] = static_cast<std::byte>(type);
  put(b, at + 8, start, 4);
  put(b, at + 12, count, 4);
  boot_signature(b, sector_at);
}

struct GptEntry {
  std::uint64_t first;
  std::uint64_t last;
  std::string_view name = "";
  // Microsoft basic data, as stored (first three fields little-endian)
  std::array<std::uint8_t, 16> type{0xA2, 0xA0, 0xD0, 0xEB, 0xE5, 0xB9, 0x33, 0x44,
                                    0x87, 0xC0, 0x68, 0xB6, 0xB7, 0x26, 0x99, 0xC7};
};

// A GPT disk of `sectors` sectors: protective MBR, header at 1 with 128 entries from sector 2,
// backup entries and header at the end.
Bytes gpt_disk(std::uint64_t sectors, const std::vector<GptEntry>& entries, std::uint32_t ss = 512) {
  Bytes b(static_cast<std::size_t>(sectors * ss));
  mbr_entry(b, 0, 0, 0xEE, 1, static_cast<std::uint32_t>(sectors - 1));
  Bytes array(128 * 128);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::size_t at = i * 128;
    for (std::size_t k = 0; k < 16; ++k) array[at + k] = static_cast<std::byte>(entries[i].type[k]);
    array[at + 16] = std::byte{1};  // unique id
    put(array, at + 32, entries[i].first, 8);
    put(array, at + 40, entries[i].last, 8);
    for (std::size_t k = 0; k < entries[i].name.size(); ++k)
      array[at + 56 + 2 * k] = static_cast<std::byte>(entries[i].name[k]);
  }
  const std::uint64_t array_sectors = array.size() / ss;
  auto header = [&](std::uint64_t lba, std::uint64_t other, std::uint64_t entries_lba) {
    Bytes h(ss);
    put_text(h, 0, "EFI PART");
    put(h, 8, 0x00010000, 4);
    put(h, 12, 92, 4);
    put(h, 24, lba, 8);
    put(h, 32, other, 8);
    put(h, 40, 2 + array_sectors, 8);
    put(h, 48, sectors - 2 - array_sectors, 8);
    put(h, 72, entries_lba, 8);
    put(h, 80, 128, 4);
    put(h, 84, 128, 4);
    put(h, 88, crc32(array), 4);
    put(h, 16, crc32(std::span<const std::byte>(h).first(92)), 4);
    std::memcpy(b.data() + lba * ss, h.data(), ss);
    std::memcpy(b.data() + entries_lba * ss, array.data(), array.size());
  };
  header(1, sectors - 1, 2);
  header(sectors - 1, 1, sectors - 1 - array_sectors);
  return b;
}

Expected<std::optional<PartitionTable>, std::string> parse(const Bytes& b, std::uint32_t ss = 512) {
  MemoryDisk disk(b, ss);
  return read_partition_table(disk);
}

std::string error_of(const Bytes& b) {
  auto t = parse(b);
  if (!t) return t.error();
  return *t ? "parsed" : "no table";
}

TEST(PartitionTable, Crc32MatchesTheStandardCheckValue) {
  const std::string text = "123456789";
  EXPECT_EQ(crc32(std::as_bytes(std::span(text.data(), text.size()))), 0xCBF43926u);
}

TEST(PartitionTable, MbrListsPrimaryPartitionsWithOffsetSizeAndType) {
  Bytes b(4096 * 512);
  mbr_entry(b, 0, 0, 0x07, 2048, 1024, 0x80);
  mbr_entry(b, 0, 2, 0x27, 3072, 512);
  auto t = parse(b);
  ASSERT_TRUE(t) << t.error();
  ASSERT_TRUE(*t);
  EXPECT_EQ((*t)->kind, TableKind::Mbr);
  ASSERT_EQ((*t)->partitions.size(), 2u);
  EXPECT_EQ((*t)->partitions[0].number, 1);
  EXPECT_EQ((*t)->partitions[0].offset, 2048u * 512);
  EXPECT_EQ((*t)->partitions[0].size, 1024u * 512);
  EXPECT_EQ((*t)->partitions[0].type, "MBR type 0x07 (NTFS/exFAT)");
  EXPECT_EQ((*t)->partitions[1].number, 3);
  EXPECT_EQ(describe((*t)->partitions[1]), "partition 3 (MBR type 0x27 (Windows recovery), 256.0 KiB at 1.5 MiB)");
}

TEST(PartitionTable, MbrLogicalPartitionsAreNumberedFromFiveAlongTheExtendedChain) {
  Bytes b(8192 * 512);
  mbr_entry(b, 0, 0, 0x07, 2048, 1024);
  mbr_entry(b, 0, 1, 0x05, 4096, 4096);           // extended: sectors 4096-8191
  mbr_entry(b, 4096 * 512, 0, 0x07, 1, 1023);     // logical 5 at 4097
  mbr_entry(b, 4096 * 512, 1, 0x05, 2048, 2048);  // next EBR at 4096 + 2048
  mbr_entry(b, 6144 * 512, 0, 0x07, 1, 1000);     // logical 6 at 6145
  auto t = parse(b);
  ASSERT_TRUE(t) << t.error();
  ASSERT_EQ((*t)->partitions.size(), 3u);
  EXPECT_EQ((*t)->partitions[1].number, 5);
  EXPECT_EQ((*t)->partitions[1].offset, 4097u * 512);
  EXPECT_EQ((*t)->partitions[2].number, 6);
  EXPECT_EQ((*t)->partitions[2].offset, 6145u * 512);
}

TEST(PartitionTable, AnExtendedChainThatLoopsBackIsAnErrorNotAHang) {
  Bytes b(8192 * 512);
  mbr_entry(b, 0, 0, 0x0F, 4096, 4096);
  mbr_entry(b, 4096 * 512, 0, 0x07, 1, 100);
  mbr_entry(b, 4096 * 512, 1, 0x05, 2048, 100);
  mbr_entry(b, 6144 * 512, 0, 0x07, 1, 100);
  mbr_entry(b, 6144 * 512, 1, 0x05, 0, 100);  // back to the first EBR
  EXPECT_EQ(error_of(b), "the extended partition's chain of logical partitions loops back to sector 4096");
}

TEST(PartitionTable, AnExtendedChainLongerThanTheCapIsAnError) {
  const std::uint32_t ebrs = kMaxLogicalPartitions + 10;
  Bytes b((2 + std::size_t{ebrs} * 2) * 512);
  mbr_entry(b, 0, 0, 0x05, 2, ebrs * 2);
  for (std::uint32_t i = 0; i < ebrs; ++i) {
    const std::size_t at = (2 + std::size_t{i} * 2) * 512;
    mbr_entry(b, at, 0, 0x07, 1, 1);
    if (i + 1 < ebrs) mbr_entry(b, at, 1, 0x05, (i + 1) * 2, 2);
  }
  EXPECT_EQ(error_of(b), "the extended partition holds more than 128 logical partitions");
}

TEST(PartitionTable, AnExtendedLinkPastItsPartitionIsAnError) {
  Bytes b(8192 * 512);
  mbr_entry(b, 0, 0, 0x05, 4096, 2048);
  mbr_entry(b, 4096 * 512, 0, 0x07, 1, 100);
  mbr_entry(b, 4096 * 512, 1, 0x05, 3000, 100);
  EXPECT_EQ(error_of(b), "the extended partition's link at sector 4096 points past its end (to sector 7096)");
}

TEST(PartitionTable, ALogicalPartitionPastItsExtendedPartitionIsAnError) {
  Bytes b(8192 * 512);
  mbr_entry(b, 0, 0, 0x05, 4096, 1024);
  mbr_entry(b, 4096 * 512, 0, 0x07, 1, 2000);
  EXPECT_EQ(error_of(b),
            "partition 5 (sectors 4097 to 6096) ends past the end of its extended partition (sector 5119)");
}

TEST(PartitionTable, AnEntryPastTheEndOfTheDiskIsAnErrorNamingThePartition) {
  Bytes b(4096 * 512);
  mbr_entry(b, 0, 0, 0x07, 2048, 1024);
  mbr_entry(b, 0, 1, 0x07, 3072, 0xFFFFFFF0u);
  EXPECT_EQ(error_of(b),
            "partition 2 (sectors 3072 to 4294970351) ends past the end of the disk (4096 sectors of 512 bytes)");
}

TEST(PartitionTable, OverlappingPartitionsAreAnError) {
  Bytes b(4096 * 512);
  mbr_entry(b, 0, 0, 0x07, 2048, 1024);
  mbr_entry(b, 0, 1, 0x07, 2560, 1024);
  EXPECT_EQ(error_of(b), "partitions 1 and 2 overlap");
}

TEST(PartitionTable, ASectorThatIsNoPartitionTableGivesNone) {
  Bytes b(64 * 512);
  EXPECT_EQ(error_of(b), "no table");  // no 0x55AA
  boot_signature(b, 0);
  EXPECT_EQ(error_of(b), "no table");  // no entries
  put_text(b, 3, "NTFS    ");
  b[446] = std::byte{0x33};  // a volume boot sector's code where the entries would be
  b[446 + 4] = std::byte{0x07};
  EXPECT_EQ(error_of(b), "no table");
}

TEST(PartitionTable, GptListsEntriesWithTypeAndName) {
  auto b = gpt_disk(8192, {{2048, 3071, "EFI"}, {4096, 8000, "Basic data partition"}});
  auto t = parse(b);
  ASSERT_TRUE(t) << t.error();
  ASSERT_TRUE(*t);
  EXPECT_EQ((*t)->kind, TableKind::Gpt);
  ASSERT_EQ((*t)->partitions.size(), 2u);
  const auto& p = (*t)->partitions[1];
  EXPECT_EQ(p.number, 2);
  EXPECT_EQ(p.offset, 4096u * 512);
  EXPECT_EQ(p.size, (8000u - 4096 + 1) * 512);
  EXPECT_EQ(p.type, "Microsoft basic data");
  EXPECT_EQ(p.name, "Basic data partition");
}

TEST(PartitionTable, GptOnFourKibSectorsIsFoundAtSectorOne) {
  auto b = gpt_disk(1024, {{256, 1000}}, 4096);
  auto t = parse(b);  // the disk says 512: the header is found at 4096 all the same
  ASSERT_TRUE(t) << t.error();
  ASSERT_TRUE(*t);
  EXPECT_EQ((*t)->sector_size, 4096u);
  EXPECT_EQ((*t)->partitions[0].offset, 256u * 4096);
}

TEST(PartitionTable, GptEntryPastTheEndIsAnError) {
  auto b = gpt_disk(8192, {{2048, 9000}});
  // The backup copy says the same, so neither copy is sound.
  EXPECT_EQ(error_of(b),
            "damaged GPT: partition 1 (sectors 2048 to 9000) ends past the end of the disk (8192 sectors of 512 bytes) "
            "(and no sound backup copy in the last sector)");
}

// Found by fuzz/partition_table (fuzz/regressions/partition_table/gpt-entry-whole-range): the
// sector count of an entry from 0 to 2^64-1 wrapped to 0 and passed as an empty partition.
TEST(PartitionTable, GptEntrySpanningEverySectorNumberIsPastTheEnd) {
  auto b = gpt_disk(8192, {{0, ~std::uint64_t{0}}});
  EXPECT_EQ(error_of(b),
            "damaged GPT: partition 1 (sectors 0 to 18446744073709551615) ends past the end of the disk (and no sound "
            "backup copy in the last sector)");
}

TEST(PartitionTable, GptEntryEndingBeforeItStartsIsAnError) {
  auto b = gpt_disk(8192, {{4000, 3000}});
  EXPECT_NE(error_of(b).find("partition 1: its last sector (3000) is before its first (4000)"), std::string::npos);
}

TEST(PartitionTable, GptWithADamagedPrimaryHeaderIsReadFromTheBackup) {
  auto b = gpt_disk(8192, {{2048, 4000}});
  b[512 + 40] ^= std::byte{1};  // a header field: the checksum no longer matches
  auto t = parse(b);
  ASSERT_TRUE(t) << t.error();
  ASSERT_EQ((*t)->partitions.size(), 1u);
  EXPECT_EQ((*t)->partitions[0].offset, 2048u * 512);
}

TEST(PartitionTable, GptDamagedInBothCopiesIsAnError) {
  auto b = gpt_disk(8192, {{2048, 4000}});
  b[1024 + 40] ^= std::byte{1};               // the primary entries
  b[(8192 - 33) * 512 + 40] ^= std::byte{1};  // the backup entries
  EXPECT_EQ(
      error_of(b),
      "damaged GPT: the GPT's partition entries' checksum is wrong (and no sound backup copy in the last sector)");
}

TEST(PartitionTable, GptWithAHugeEntryArrayIsRefusedBeforeReadingIt) {
  auto b = gpt_disk(8192, {{2048, 4000}});
  for (std::size_t lba : {std::size_t{1}, std::size_t{8191}}) {
    Bytes h(b.begin() + static_cast<std::ptrdiff_t>(lba * 512),
            b.begin() + static_cast<std::ptrdiff_t>(lba * 512 + 512));
    put(h, 80, 0xFFFFFFFFu, 4);
    put(h, 16, 0, 4);
    put(h, 16, crc32(std::span<const std::byte>(h).first(92)), 4);
    std::memcpy(b.data() + lba * 512, h.data(), 512);
  }
  EXPECT_EQ(
      error_of(b),
      "damaged GPT: the GPT declares 4294967295 entries (at most 16384 are read) (and no sound backup copy in the "
      "last sector)");
}

// Found by fuzz/partition_table (fuzz/regressions/partition_table/gpt-no-entries): an empty
// entry array was read as zero bytes from a null pointer.
TEST(PartitionTable, AGptDeclaringNoEntriesHasNoPartitions) {
  auto b = gpt_disk(8192, {});
  for (std::size_t lba : {std::size_t{1}, std::size_t{8191}}) {
    Bytes h(b.begin() + static_cast<std::ptrdiff_t>(lba * 512),
            b.begin() + static_cast<std::ptrdiff_t>(lba * 512 + 512));
    put(h, 80, 0, 4);
    put(h, 88, 0, 4);  // the CRC-32 of no bytes
    put(h, 16, 0, 4);
    put(h, 16, crc32(std::span<const std::byte>(h).first(92)), 4);
    std::memcpy(b.data() + lba * 512, h.data(), 512);
  }
  auto t = parse(b);
  ASSERT_TRUE(t) << t.error();
  ASSERT_TRUE(*t);
  EXPECT_TRUE((*t)->partitions.empty());
}

TEST(PartitionTable, AProtectiveMbrWithoutAGptIsAnError) {
  Bytes b(4096 * 512);
  mbr_entry(b, 0, 0, 0xEE, 1, 4095);
  EXPECT_EQ(error_of(b), "a protective MBR (type 0xEE) but no GPT header ('EFI PART') at sector 1");
}

TEST(PartitionTable, ATruncatedDiskReportsEntriesPastItsEnd) {
  auto b = gpt_disk(8192, {{2048, 8000}});
  b.resize(6000 * 512);  // cut short: the backup is gone and partition 1 runs past the end
  EXPECT_NE(error_of(b).find("partition 1 (sectors 2048 to 8000) ends past the end of the disk (6000 sectors"),
            std::string::npos);
}

TEST(PartitionTable, SizesAreShownInBinaryUnits) {
  EXPECT_EQ(size_text(512), "512 bytes");
  EXPECT_EQ(size_text(1536), "1.5 KiB");
  EXPECT_EQ(size_text(40ull << 30), "40.0 GiB");
}

}  // namespace
}  // namespace smbaudit::image
