// MBR and GPT partition tables, parsed by smbaudit itself: they are untrusted bytes (every
// offset and count is checked before use, without overflow) and the fuzz target
// fuzz/partition_table.cpp runs this parser over arbitrary disks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "disk.h"
#include "smbaudit/expected.h"

namespace smbaudit::image {

enum class TableKind { Mbr, Gpt };

struct Partition {
  // As Linux numbers them: a GPT entry's index + 1; MBR slots 1-4, logical partitions from 5.
  int number = 0;
  std::uint64_t offset = 0;  // bytes from the start of the disk
  std::uint64_t size = 0;    // bytes
  std::string type;          // "Microsoft basic data", "EFI system", "MBR type 0x07 (NTFS/exFAT)"...
  std::string name;          // the GPT partition name (empty for MBR)
};

struct PartitionTable {
  TableKind kind = TableKind::Mbr;
  std::uint32_t sector_size = 512;
  std::vector<Partition> partitions;  // data partitions by number (no extended containers)
};

// Caps for hostile tables.
inline constexpr int kMaxLogicalPartitions = 128;         // MBR logical partitions in one extended partition
inline constexpr std::uint32_t kMaxGptEntries = 16384;    // entries in a GPT (Windows writes 128)
inline constexpr std::uint32_t kMaxGptEntryBytes = 4096;  // one GPT entry (Windows writes 128)

// The partition table at the start of `disk`; nullopt when sector 0 holds none (no 0x55AA
// signature, or entries no partitioning tool writes). A table that is there but wrong (an entry
// past the end of the disk, overlapping partitions, a loop of logical partitions, a GPT whose
// checksums fail in both copies) is an error saying what is wrong, in a few words.
[[nodiscard]] Expected<std::optional<PartitionTable>, std::string> read_partition_table(Disk& disk);

// "partition 2 (Microsoft basic data 'Basic data partition', 40.0 GiB at 1.0 MiB)".
[[nodiscard]] std::string describe(const Partition& partition);

// "40.0 GiB", "512 bytes".
[[nodiscard]] std::string size_text(std::uint64_t bytes);

// CRC-32 (IEEE 802.3, as GPT uses it).
[[nodiscard]] std::uint32_t crc32(std::span<const std::byte> bytes, std::uint32_t crc = 0);

}  // namespace smbaudit::image
