// Random-access, read-only bytes of a disk or volume: a raw image file, the virtual disk
// inside a VHD/VHDX/VMDK/QCOW2 container, a partition of either, or bytes in memory (tests,
// fuzzing). Everything that parses image structure reads through this, so the same parser
// runs over every container and over a fuzzer's input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "smbaudit/expected.h"

namespace smbaudit::image {

class Disk {
 public:
  virtual ~Disk() = default;
  [[nodiscard]] virtual std::uint64_t size() const = 0;
  // The logical sector size the container declares (512 for a raw file: a 4 KiB-sector disk is
  // recognised by where its GPT header lies).
  [[nodiscard]] virtual std::uint32_t sector_size() const { return 512; }
  // Reads exactly out.size() bytes at `offset`; an error in a few words (reading past the end
  // is one) when it cannot.
  [[nodiscard]] virtual std::optional<std::string> read(std::uint64_t offset, std::span<std::byte> out) = 0;
};

// A regular file read with pread (never written: it is opened O_RDONLY).
[[nodiscard]] Expected<std::unique_ptr<Disk>, std::string> open_file_disk(const std::filesystem::path& file);

// Bytes in memory; the disk refers to them, so they must outlive it.
class MemoryDisk final : public Disk {
 public:
  explicit MemoryDisk(std::span<const std::byte> bytes, std::uint32_t sector_size = 512)
      : bytes_(bytes), sector_size_(sector_size) {}
  [[nodiscard]] std::uint64_t size() const override { return bytes_.size(); }
  [[nodiscard]] std::uint32_t sector_size() const override { return sector_size_; }
  [[nodiscard]] std::optional<std::string> read(std::uint64_t offset, std::span<std::byte> out) override;

 private:
  std::span<const std::byte> bytes_;
  std::uint32_t sector_size_;
};

// A window of another disk (a partition): offset and size are checked against the disk's size.
class DiskSlice final : public Disk {
 public:
  DiskSlice(Disk& disk, std::uint64_t offset, std::uint64_t size) : disk_(disk), offset_(offset), size_(size) {}
  [[nodiscard]] std::uint64_t size() const override { return size_; }
  [[nodiscard]] std::uint32_t sector_size() const override { return disk_.sector_size(); }
  [[nodiscard]] std::optional<std::string> read(std::uint64_t offset, std::span<std::byte> out) override;

 private:
  Disk& disk_;
  std::uint64_t offset_;
  std::uint64_t size_;
};

// True when [offset, offset + length) lies inside [0, size), without overflowing.
[[nodiscard]] constexpr bool within(std::uint64_t offset, std::uint64_t length, std::uint64_t size) {
  return offset <= size && length <= size - offset;
}

// Checked arithmetic for sizes read from untrusted structures: nullopt on overflow.
[[nodiscard]] inline std::optional<std::uint64_t> checked_mul(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}
[[nodiscard]] inline std::optional<std::uint64_t> checked_add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

// Little-endian fields of on-disk structures.
[[nodiscard]] inline std::uint16_t le16(std::span<const std::byte> b, std::size_t at) {
  return static_cast<std::uint16_t>(std::to_integer<unsigned>(b[at]) | std::to_integer<unsigned>(b[at + 1]) << 8);
}
[[nodiscard]] inline std::uint32_t le32(std::span<const std::byte> b, std::size_t at) {
  return static_cast<std::uint32_t>(le16(b, at)) | static_cast<std::uint32_t>(le16(b, at + 2)) << 16;
}
[[nodiscard]] inline std::uint64_t le64(std::span<const std::byte> b, std::size_t at) {
  return static_cast<std::uint64_t>(le32(b, at)) | static_cast<std::uint64_t>(le32(b, at + 4)) << 32;
}
[[nodiscard]] inline bool has_bytes(std::span<const std::byte> b, std::size_t at, std::string_view text) {
  if (at > b.size() || text.size() > b.size() - at) return false;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (std::to_integer<char>(b[at + i]) != text[i]) return false;
  return true;
}

}  // namespace smbaudit::image
