#include "partition_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

#include "../../core/reg_data.h"
#include "../../core/utf.h"

namespace smbaudit::image {
namespace {

using Bytes = std::vector<std::byte>;

constexpr std::size_t kMbrEntries = 446;
constexpr std::uint64_t kMaxGptArrayBytes = 4u << 20;  // 16384 entries of 256 bytes; Windows writes 16 KiB

std::uint32_t crc_table_entry(std::uint32_t n) {
  std::uint32_t c = n;
  for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
  return c;
}

const std::array<std::uint32_t, 256>& crc_table() {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t n = 0; n < 256; ++n) t[n] = crc_table_entry(n);
    return t;
  }();
  return table;
}

bool is_extended(unsigned type) {
  return type == 0x05 || type == 0x0F || type == 0x85;
}

std::string mbr_type_name(unsigned type) {
  std::string_view what;
  switch (type) {
    case 0x01:
    case 0x04:
    case 0x06:
    case 0x0E: what = "FAT"; break;
    case 0x07: what = "NTFS/exFAT"; break;
    case 0x0B:
    case 0x0C: what = "FAT32"; break;
    case 0x17: what = "hidden NTFS"; break;
    case 0x27: what = "Windows recovery"; break;
    case 0x42: what = "Windows dynamic disk"; break;
    case 0x82: what = "Linux swap"; break;
    case 0x83: what = "Linux"; break;
    case 0xEF: what = "EFI system"; break;
    default: return fmt::format("MBR type 0x{:02x}", type);
  }
  return fmt::format("MBR type 0x{:02x} ({})", type, what);
}

// A GUID as GPT stores it: the first three fields little-endian.
std::string guid_text(std::span<const std::byte> b) {
  return fmt::format("{:08X}-{:04X}-{:04X}-{:02X}{:02X}-{:02X}{:02X}{:02X}{:02X}{:02X}{:02X}", le32(b, 0), le16(b, 4),
                     le16(b, 6), std::to_integer<unsigned>(b[8]), std::to_integer<unsigned>(b[9]),
                     std::to_integer<unsigned>(b[10]), std::to_integer<unsigned>(b[11]),
                     std::to_integer<unsigned>(b[12]), std::to_integer<unsigned>(b[13]),
                     std::to_integer<unsigned>(b[14]), std::to_integer<unsigned>(b[15]));
}

std::string gpt_type_name(const std::string& guid) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kTypes{{
      {"EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", "Microsoft basic data"},
      {"C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "EFI system"},
      {"E3C9E316-0B5C-4DB8-817D-F92DF00215AE", "Microsoft reserved"},
      {"DE94BBA4-06D1-4D40-A16A-BFD50179D6AC", "Windows recovery"},
      {"5808C8AA-7E8F-42E0-85D2-E1E90434CFB3", "Windows LDM metadata"},
      {"AF9B60A0-1431-4F62-BC68-3311714A69AD", "Windows LDM data"},
      {"0FC63DAF-8483-4772-8E79-3D69D8477DE4", "Linux"},
  }};
  for (const auto& [id, name] : kTypes)
    if (id == guid) return std::string(name);
  return "type " + guid;
}

Expected<Bytes, std::string> read_bytes(Disk& disk, std::uint64_t offset, std::uint64_t length) {
  Bytes out(static_cast<std::size_t>(length));
  if (auto failed = disk.read(offset, out)) return Unexpected(std::move(*failed));
  return out;
}

// The byte range of sectors [first, first + count), or why it does not fit on the disk.
std::optional<std::string> check_extent(const Disk& disk, std::uint32_t ss, const Partition& p, std::uint64_t first,
                                        std::uint64_t count) {
  const auto offset = checked_mul(first, ss);
  const auto size = checked_mul(count, ss);
  if (!offset || !size || !within(*offset, *size, disk.size()))
    return fmt::format("partition {} (sectors {} to {}) ends past the end of the disk ({} sectors of {} bytes)",
                       p.number, first, count == 0 ? first : first + (count - 1), disk.size() / ss, ss);
  return std::nullopt;
}

struct GptHeader {
  std::uint64_t entries_lba = 0;
  std::uint32_t entries = 0;
  std::uint32_t entry_size = 0;
  std::uint32_t entries_crc = 0;
};

Expected<GptHeader, std::string> read_gpt_header(Disk& disk, std::uint32_t ss, std::uint64_t lba) {
  const auto at = checked_mul(lba, ss);
  if (!at || !within(*at, ss, disk.size())) return Unexpected(std::string("the disk is too small for a GPT header"));
  auto sector = read_bytes(disk, *at, ss);
  if (!sector) return Unexpected(std::move(sector.error()));
  Bytes& h = *sector;
  if (!has_bytes(h, 0, "EFI PART")) return Unexpected(fmt::format("no GPT header ('EFI PART') at sector {}", lba));
  const std::uint32_t header_size = le32(h, 12);
  if (header_size < 92 || header_size > ss)
    return Unexpected(
        fmt::format("the GPT header at sector {} declares an impossible size ({} bytes)", lba, header_size));
  const std::uint32_t stored = le32(h, 16);
  for (std::size_t i = 16; i < 20; ++i) h[i] = std::byte{0};
  if (crc32(std::span<const std::byte>(h).first(header_size)) != stored)
    return Unexpected(fmt::format("the GPT header's checksum at sector {} is wrong", lba));
  if (le64(h, 24) != lba)
    return Unexpected(fmt::format("the GPT header at sector {} says it lies at sector {}", lba, le64(h, 24)));
  GptHeader g{le64(h, 72), le32(h, 80), le32(h, 84), le32(h, 88)};
  if (g.entry_size < 128 || g.entry_size > kMaxGptEntryBytes || g.entry_size % 8 != 0)
    return Unexpected(
        fmt::format("the GPT declares entries of {} bytes (128 to {} expected)", g.entry_size, kMaxGptEntryBytes));
  if (g.entries > kMaxGptEntries)
    return Unexpected(fmt::format("the GPT declares {} entries (at most {} are read)", g.entries, kMaxGptEntries));
  return g;
}

Expected<PartitionTable, std::string> read_gpt_entries(Disk& disk, std::uint32_t ss, const GptHeader& g) {
  const std::uint64_t bytes = std::uint64_t{g.entries} * g.entry_size;  // both capped: no overflow
  const auto offset = checked_mul(g.entries_lba, ss);
  if (bytes > kMaxGptArrayBytes)
    return Unexpected(fmt::format("the GPT's entry array is {} bytes (at most {} are read)", bytes, kMaxGptArrayBytes));
  if (!offset || !within(*offset, bytes, disk.size()))
    return Unexpected(
        fmt::format("the GPT's partition entries (sector {}) lie past the end of the disk", g.entries_lba));
  auto array = read_bytes(disk, *offset, bytes);
  if (!array) return Unexpected(std::move(array.error()));
  if (crc32(*array) != g.entries_crc) return Unexpected(std::string("the GPT's partition entries' checksum is wrong"));
  PartitionTable table{TableKind::Gpt, ss, {}};
  const std::span<const std::byte> all(*array);
  for (std::uint32_t i = 0; i < g.entries; ++i) {
    const auto e = all.subspan(std::size_t{i} * g.entry_size, g.entry_size);
    if (std::all_of(e.begin(), e.begin() + 16, [](std::byte b) { return b == std::byte{0}; })) continue;
    Partition p;
    p.number = static_cast<int>(i) + 1;
    p.type = gpt_type_name(guid_text(e.first(16)));
    std::vector<std::uint8_t> name;
    for (std::size_t at = 56; at + 1 < 128; at += 2) {
      if (e[at] == std::byte{0} && e[at + 1] == std::byte{0}) break;
      name.push_back(std::to_integer<std::uint8_t>(e[at]));
      name.push_back(std::to_integer<std::uint8_t>(e[at + 1]));
    }
    p.name = utf::utf16le_to_utf8(name);
    const std::uint64_t first = le64(e, 32), last = le64(e, 40);
    if (last < first)
      return Unexpected(
          fmt::format("partition {}: its last sector ({}) is before its first ({})", p.number, last, first));
    // 0 to 2^64-1 would be 2^64 sectors, which wraps to 0: past any end.
    const auto count = checked_add(last - first, 1);
    if (!count)
      return Unexpected(
          fmt::format("partition {} (sectors {} to {}) ends past the end of the disk", p.number, first, last));
    if (auto bad = check_extent(disk, ss, p, first, *count)) return Unexpected(std::move(*bad));
    p.offset = first * ss;
    p.size = (last - first + 1) * ss;
    table.partitions.push_back(std::move(p));
  }
  return table;
}

Expected<PartitionTable, std::string> read_gpt(Disk& disk) {
  // A GPT lies at sector 1 of the disk's logical sector size; a raw image does not say which,
  // so try the declared size first, then the other common one.
  std::vector<std::uint32_t> sizes{disk.sector_size()};
  for (std::uint32_t s : {512u, 4096u})
    if (s != sizes[0]) sizes.push_back(s);
  std::optional<std::string> first_error;
  for (std::uint32_t ss : sizes) {
    const auto at = checked_mul(1, ss);
    Bytes sig(8);
    if (!at || !within(*at, 8, disk.size()) || disk.read(*at, sig) || !has_bytes(sig, 0, "EFI PART")) continue;
    auto primary = read_gpt_header(disk, ss, 1);
    if (primary) {
      auto table = read_gpt_entries(disk, ss, *primary);
      if (table) return table;
      first_error = std::move(table.error());
    } else {
      first_error = std::move(primary.error());
    }
    // The primary copy is damaged: the backup lies in the disk's last sector.
    const std::uint64_t sectors = disk.size() / ss;
    if (sectors >= 2) {
      auto backup = read_gpt_header(disk, ss, sectors - 1);
      if (backup) {
        auto table = read_gpt_entries(disk, ss, *backup);
        if (table) return table;
      }
    }
    return Unexpected(fmt::format("damaged GPT: {} (and no sound backup copy in the last sector)", *first_error));
  }
  return Unexpected(std::string("a protective MBR (type 0xEE) but no GPT header ('EFI PART') at sector 1"));
}

struct MbrEntry {
  unsigned status = 0;
  unsigned type = 0;
  std::uint32_t start = 0;
  std::uint32_t count = 0;
};

MbrEntry mbr_entry(std::span<const std::byte> sector, int slot) {
  const std::size_t at = kMbrEntries + static_cast<std::size_t>(slot) * 16;
  return {std::to_integer<unsigned>(sector[at]), std::to_integer<unsigned>(sector[at + 4]), le32(sector, at + 8),
          le32(sector, at + 12)};
}

bool has_boot_signature(std::span<const std::byte> sector) {
  return sector[510] == std::byte{0x55} && sector[511] == std::byte{0xAA};
}

// The logical partitions of the extended partition at [ext_start, ext_start + ext_count).
std::optional<std::string> read_logical(Disk& disk, std::uint32_t ss, std::uint64_t ext_start, std::uint64_t ext_count,
                                        PartitionTable& table) {
  const std::uint64_t ext_end = ext_start + ext_count;  // u32 + u32: no overflow
  std::set<std::uint64_t> visited;
  std::uint64_t ebr = ext_start;
  int number = 5;
  while (true) {
    if (!visited.insert(ebr).second)
      return fmt::format("the extended partition's chain of logical partitions loops back to sector {}", ebr);
    if (number - 5 >= kMaxLogicalPartitions)
      return fmt::format("the extended partition holds more than {} logical partitions", kMaxLogicalPartitions);
    auto sector = read_bytes(disk, ebr * ss, ss);
    if (!sector) return fmt::format("cannot read the logical partition table at sector {}: {}", ebr, sector.error());
    if (!has_boot_signature(*sector))
      return fmt::format("the logical partition table at sector {} has no 0x55AA signature", ebr);
    const MbrEntry logical = mbr_entry(*sector, 0), next = mbr_entry(*sector, 1);
    if (logical.type != 0 && logical.count != 0) {
      Partition p;
      p.number = number;
      p.type = mbr_type_name(logical.type);
      const std::uint64_t first = ebr + logical.start;
      if (auto bad = check_extent(disk, ss, p, first, logical.count)) return bad;
      if (first + logical.count > ext_end)
        return fmt::format("partition {} (sectors {} to {}) ends past the end of its extended partition (sector {})",
                           number, first, first + logical.count - 1, ext_end - 1);
      p.offset = first * ss;
      p.size = std::uint64_t{logical.count} * ss;
      table.partitions.push_back(std::move(p));
    }
    ++number;
    if (!is_extended(next.type) || next.count == 0) return std::nullopt;
    const std::uint64_t following = ext_start + next.start;
    if (following >= ext_end)
      return fmt::format("the extended partition's link at sector {} points past its end (to sector {})", ebr,
                         following);
    ebr = following;
  }
}

Expected<PartitionTable, std::string> read_mbr(Disk& disk, std::span<const std::byte> sector0) {
  const std::uint32_t ss = disk.sector_size();
  PartitionTable table{TableKind::Mbr, ss, {}};
  for (int slot = 0; slot < 4; ++slot) {
    const MbrEntry e = mbr_entry(sector0, slot);
    if (e.type == 0 || e.count == 0) continue;
    Partition p;
    p.number = slot + 1;
    p.type = mbr_type_name(e.type);
    if (auto bad = check_extent(disk, ss, p, e.start, e.count)) return Unexpected(std::move(*bad));
    if (is_extended(e.type)) {
      if (auto bad = read_logical(disk, ss, e.start, e.count, table)) return Unexpected(std::move(*bad));
      continue;
    }
    p.offset = std::uint64_t{e.start} * ss;
    p.size = std::uint64_t{e.count} * ss;
    table.partitions.push_back(std::move(p));
  }
  return table;
}

std::optional<std::string> check_overlaps(PartitionTable& table) {
  auto& parts = table.partitions;
  std::sort(parts.begin(), parts.end(), [](const Partition& a, const Partition& b) { return a.offset < b.offset; });
  for (std::size_t i = 1; i < parts.size(); ++i)
    if (parts[i].offset < parts[i - 1].offset + parts[i - 1].size)  // both checked to lie within the disk
      return fmt::format("partitions {} and {} overlap", std::min(parts[i - 1].number, parts[i].number),
                         std::max(parts[i - 1].number, parts[i].number));
  std::sort(parts.begin(), parts.end(), [](const Partition& a, const Partition& b) { return a.number < b.number; });
  return std::nullopt;
}

}  // namespace

std::uint32_t crc32(std::span<const std::byte> bytes, std::uint32_t crc) {
  const auto& table = crc_table();
  crc = ~crc;
  for (std::byte b : bytes) crc = table[(crc ^ std::to_integer<std::uint32_t>(b)) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

std::string size_text(std::uint64_t bytes) {
  constexpr std::array<std::string_view, 4> kUnits{"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return fmt::format("{} bytes", bytes);
  double v = static_cast<double>(bytes) / 1024;
  std::size_t unit = 0;
  while (v >= 1024 && unit + 1 < kUnits.size()) {
    v /= 1024;
    ++unit;
  }
  return fmt::format("{:.1f} {}", v, kUnits[unit]);
}

std::string describe(const Partition& p) {
  return fmt::format("partition {} ({}{}, {} at {})", p.number, p.type, p.name.empty() ? "" : " '" + p.name + "'",
                     size_text(p.size), size_text(p.offset));
}

Expected<std::optional<PartitionTable>, std::string> read_partition_table(Disk& disk) {
  const std::uint32_t ss = disk.sector_size();
  if (ss < 512 || ss > 65536 || disk.size() < 512) return std::optional<PartitionTable>();
  auto sector = read_bytes(disk, 0, 512);
  if (!sector) return Unexpected(std::move(sector.error()));
  if (!has_boot_signature(*sector)) return std::optional<PartitionTable>();
  // Partitioning tools write status 0x00 or 0x80 and at least one entry; anything else is a
  // volume's boot sector or other data that happens to end in 0x55AA.
  bool any = false, gpt = false;
  for (int slot = 0; slot < 4; ++slot) {
    const MbrEntry e = mbr_entry(*sector, slot);
    if (e.status != 0x00 && e.status != 0x80) return std::optional<PartitionTable>();
    any = any || e.type != 0;
    gpt = gpt || e.type == 0xEE;
  }
  if (!any) return std::optional<PartitionTable>();
  auto table = gpt ? read_gpt(disk) : read_mbr(disk, *sector);
  if (!table) return Unexpected(std::move(table.error()));
  if (auto bad = check_overlaps(*table)) return Unexpected(std::move(*bad));
  return std::optional<PartitionTable>(std::move(*table));
}

}  // namespace smbaudit::image
