// Fuzzes the MBR/GPT partition table parser (src/sources/image/partition_table.cpp): the
// input is a disk. GPT checksums would stop almost every mutation at the header, so when the
// first byte is odd the target reseals them (header and entry array) before parsing, letting
// the fuzzer reach the entries; the parse runs at both common sector sizes.
#include <cstring>
#include <vector>

#include "../src/sources/image/partition_table.h"
#include "fuzz_input.h"

using namespace smbaudit;
using namespace smbaudit::image;

namespace {

void put32(std::vector<std::byte>& b, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) b[at + i] = static_cast<std::byte>((v >> (8 * i)) & 0xFF);
}

void reseal_gpt(std::vector<std::byte>& disk, std::size_t ss) {
  if (disk.size() < 2 * ss || !has_bytes(disk, ss, "EFI PART")) return;
  const std::span<const std::byte> all(disk);
  const std::uint64_t entries_lba = le64(all, ss + 72);
  const std::uint64_t bytes = std::uint64_t{le32(all, ss + 80)} * le32(all, ss + 84);
  const auto offset = checked_mul(entries_lba, ss);
  if (offset && bytes <= (4u << 20) && within(*offset, bytes, disk.size()))
    put32(disk, ss + 88, crc32(all.subspan(static_cast<std::size_t>(*offset), static_cast<std::size_t>(bytes))));
  const std::uint32_t header_size = le32(all, ss + 12);
  if (header_size < 92 || header_size > ss) return;
  put32(disk, ss + 16, 0);
  put32(disk, ss + 16, crc32(std::span<const std::byte>(disk).subspan(ss, header_size)));
}

void check(const std::vector<std::byte>& bytes, std::uint32_t ss) {
  MemoryDisk disk(bytes, ss);
  auto table = read_partition_table(disk);
  if (!table) {
    fuzz::require(!table.error().empty() && table.error().find('\n') == std::string::npos);
    return;
  }
  if (!*table) return;
  // Every partition lies on the disk, none overlaps another, numbers are distinct and ascending.
  const auto& parts = (*table)->partitions;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    fuzz::require(parts[i].size > 0 && within(parts[i].offset, parts[i].size, disk.size()));
    fuzz::require(!describe(parts[i]).empty());
    for (std::size_t j = 0; j < i; ++j) {
      fuzz::require(parts[j].number < parts[i].number);
      fuzz::require(parts[j].offset + parts[j].size <= parts[i].offset ||
                    parts[i].offset + parts[i].size <= parts[j].offset);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0 || size > (8u << 20)) return 0;
  std::vector<std::byte> disk(size - 1);
  if (!disk.empty()) std::memcpy(disk.data(), data + 1, size - 1);
  for (std::uint32_t ss : {512u, 4096u}) {
    std::vector<std::byte> copy = disk;
    if (data[0] & 1) reseal_gpt(copy, ss);
    check(copy, ss);
  }
  return 0;
}
