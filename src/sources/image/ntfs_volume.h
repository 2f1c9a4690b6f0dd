// Files of an NTFS volume read without the kernel: libfsntfs (LGPL-3+, linked dynamically)
// over any Disk, through a libbfio handle whose reads go to the Disk (so the same code reads a
// bare volume image, a partition of a raw disk and a partition inside a VHDX).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "disk.h"
#include "smbaudit/expected.h"

namespace smbaudit::image {

enum class VolumeKind { Ntfs, BitLocker, Other };

// What a volume's first sector says it is: "NTFS    " or BitLocker's "-FVE-FS-" at offset 3.
[[nodiscard]] VolumeKind probe_volume(std::span<const std::byte> boot_sector);

class NtfsVolume {
 public:
  virtual ~NtfsVolume() = default;
  // Whether the file exists; `path` uses '\' and is matched case-insensitively, as Windows does.
  [[nodiscard]] virtual Expected<bool, std::string> exists(std::string_view path) = 0;
  // Copies the file's default data stream to `to` in bounded chunks; false when the file does not
  // exist; an error when it is larger than `max_bytes`, is not a file, or cannot be read.
  [[nodiscard]] virtual Expected<bool, std::string> extract(std::string_view path, std::uint64_t max_bytes,
                                                            const std::filesystem::path& to) = 0;
};

// Opens the NTFS volume on `disk`, which must outlive it; the error says what is wrong in a few words.
[[nodiscard]] Expected<std::unique_ptr<NtfsVolume>, std::string> open_ntfs(Disk& disk);

}  // namespace smbaudit::image
