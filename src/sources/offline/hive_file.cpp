#include "hive_file.h"

#include <fmt/format.h>

#include <fstream>

#include "disk_image.h"
#include "hive.h"
#include "smbaudit/limits.h"

namespace smbaudit::offline {
namespace {

// Base block layout (the "regf" header, 4 KiB): offsets of the fields checked here.
constexpr std::size_t kBaseBlockSize = 0x1000;
constexpr std::size_t kSequence1 = 0x04, kSequence2 = 0x08, kMajor = 0x14, kMinor = 0x18, kFileType = 0x1C,
                      kFormat = 0x20, kRootCell = 0x24, kHbinsSize = 0x28, kChecksum = 0x1FC;
constexpr std::size_t kHeadBytes = kBaseBlockSize + 0x20;  // base block + the first bin's header

std::uint32_t u32(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}

}  // namespace

Expected<HiveFileInfo, std::string> check_hive_header(std::string_view head, std::uint64_t file_size) {
  if (file_size > limits::kMaxHiveBytes)
    return Unexpected(fmt::format("the file is larger than the {} MiB limit for a hive", limits::kMaxHiveBytes >> 20));
  if (head.size() < 4 || head.substr(0, 4) != "regf")
    return Unexpected(std::string("not a registry hive (no 'regf' signature)"));
  if (file_size < 2 * kBaseBlockSize || head.size() < kHeadBytes)
    return Unexpected(fmt::format("truncated hive: {} bytes is less than a base block and one hive bin", file_size));
  std::uint32_t sum = 0;
  for (std::size_t at = 0; at < kChecksum; at += 4) sum ^= u32(head, at);
  // Windows stores a sum of 0xFFFFFFFF as 0xFFFFFFFE and 0 as 1; other writers store it as is.
  const std::uint32_t stored = u32(head, kChecksum);
  const std::uint32_t adjusted = sum == 0xFFFFFFFFu ? 0xFFFFFFFEu : sum == 0 ? 1u : sum;
  if (stored != sum && stored != adjusted)
    return Unexpected(std::string("corrupted hive: the base block's checksum is wrong"));
  if (u32(head, kMajor) != 1)
    return Unexpected(fmt::format("unsupported hive format version {}.{}", u32(head, kMajor), u32(head, kMinor)));
  if (u32(head, kFileType) != 0)
    return Unexpected(std::string("a transaction log (.LOG1/.LOG2), not a primary hive file"));
  if (u32(head, kFormat) != 1) return Unexpected(fmt::format("unsupported hive file format {}", u32(head, kFormat)));
  const std::uint64_t bins = u32(head, kHbinsSize);
  if (bins == 0 || bins % kBaseBlockSize != 0)
    return Unexpected(fmt::format("corrupted hive: the base block declares {} bytes of hive bins", bins));
  if (kBaseBlockSize + bins > file_size)
    return Unexpected(fmt::format("truncated hive: the base block declares {} bytes but the file has {}",
                                  kBaseBlockSize + bins, file_size));
  if (u32(head, kRootCell) >= bins)
    return Unexpected(std::string("corrupted hive: the root key lies outside the bins"));
  if (head.substr(kBaseBlockSize, 4) != "hbin")
    return Unexpected(std::string("corrupted hive: no hive bin follows the base block"));
  return HiveFileInfo{file_size, u32(head, kSequence1) != u32(head, kSequence2)};
}

Expected<HiveFileInfo, std::string> check_hive_file(const std::filesystem::path& file) {
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (!std::filesystem::exists(status)) return Unexpected(std::string("no such file"));
  if (std::filesystem::is_directory(status)) return Unexpected(std::string("is a directory, expected a hive file"));
  if (!std::filesystem::is_regular_file(status)) return Unexpected(std::string("not a regular file"));
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) return Unexpected("cannot read the file size: " + ec.message());
  std::ifstream in(file, std::ios::binary);
  if (!in) return Unexpected(std::string("cannot open the file for reading"));
  std::string head(kHeadBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  auto checked = check_hive_header(head, size);
  // A whole disk or WIM given instead of a hive (also above the hive size limit): say what it is.
  if (!checked && head.substr(0, 4) != "regf")
    if (auto image = recognise_image_file(file)) return Unexpected(image_message(*image, "a registry hive"));
  return checked;
}

std::optional<std::string> find_bin_damage(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string head(kHeadBytes, '\0');
  if (!in.read(head.data(), static_cast<std::streamsize>(head.size()))) return std::nullopt;
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) return std::nullopt;
  const std::uint64_t end = kBaseBlockSize + std::uint64_t{u32(head, kHbinsSize)};
  std::string bin(0x20, '\0');
  std::size_t count = 0;
  for (std::uint64_t at = kBaseBlockSize; at < end; ++count) {
    in.seekg(static_cast<std::streamoff>(at));
    if (!in.read(bin.data(), static_cast<std::streamsize>(bin.size())))
      return fmt::format("the hive bins end at 0x{:x}, before the 0x{:x} bytes the base block declares", at, end);
    if (bin.substr(0, 4) != "hbin") return fmt::format("no hive bin at 0x{:x} (after {} bins)", at, count);
    const std::uint64_t bin_size = u32(bin, 8);
    if (u32(bin, 4) != at - kBaseBlockSize)
      return fmt::format("the hive bin at 0x{:x} gives a wrong offset for itself", at);
    if (bin_size == 0 || bin_size % kBaseBlockSize != 0)
      return fmt::format("the hive bin at 0x{:x} has a bad size ({})", at, bin_size);
    if (at + bin_size > size) return fmt::format("the hive bin at 0x{:x} runs past the end of the file", at);
    at += bin_size;
  }
  return std::nullopt;
}

std::string too_many_values() {
  return fmt::format("more than {} values in one key", limits::kMaxValuesPerKey);
}

}  // namespace smbaudit::offline
