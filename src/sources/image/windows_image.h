// Reading a Windows image FILE, without mounting it, root, FUSE or loop devices, and without
// writing to it: finds the Windows volume (the NTFS partition, or the WIM image, holding
// Windows\System32\config\SYSTEM) and copies the files the offline source needs into a private
// temporary folder that is removed when the result goes (on success and on every error).
//
//   image::ImageOptions options;                 // --image-index N, --partition N
//   auto image = image::extract_windows_files("golden.vhdx", options);
//   if (!image) return bad(image.error());       // one line naming the file and the reason
//   const auto* system = image->file(image::WindowsFile::System);       // always present
//   const auto* software = image->file(image::WindowsFile::Software);   // nullptr when absent
//   open_hive_file(system->path, ...);            // system->origin names it in evidence
//
// Formats (recognised by their content, not their name): WIM and ESD (through wimlib's
// tools, a separate process), VHD and VHDX (libvhdi; differencing disks follow their parent),
// VMDK (libvmdk), QCOW2 (libqcow), raw disks with an MBR or GPT (smbaudit's own parser), and a
// bare NTFS volume (libfsntfs reads every NTFS volume). Native non-Windows builds only.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "smbaudit/expected.h"
#include "temp_folder.h"

namespace smbaudit::image {

struct ImageOptions {
  std::optional<int> index;      // --image-index N: the image of a WIM or ESD (needed when it holds several)
  std::optional<int> partition;  // --partition N: the partition of a disk image (needed when several hold Windows)
  std::chrono::milliseconds tool_timeout{std::chrono::seconds(300)};  // each wiminfo / wimextract run
};

enum class ImageFormat { Wim, Esd, Vhd, Vhdx, Vmdk, Qcow2, RawDisk, NtfsVolume };
[[nodiscard]] std::string_view format_name(ImageFormat format);

// The files taken from the Windows volume; one table (kWindowsFiles in windows_image.cpp) says
// where each lies and how large it may be.
enum class WindowsFile { System, Software, RegistryPol };
inline constexpr std::size_t kWindowsFileCount = 3;
// Where the file lies on the volume: "Windows\System32\config\SYSTEM".
[[nodiscard]] std::string_view windows_path(WindowsFile file);

struct ExtractedFile {
  std::filesystem::path path;  // the private copy; valid while the ExtractedImage lives
  std::string origin;          // for evidence and messages: "golden.vhdx, partition 3: \Windows\System32\config\SYSTEM"
  std::uint64_t size = 0;
};

class ExtractedImage {
 public:
  // nullptr when the volume does not hold it (System is always there).
  [[nodiscard]] const ExtractedFile* file(WindowsFile which) const;
  [[nodiscard]] ImageFormat format() const { return format_; }
  // Which volume was read: "golden.vhdx (VHDX, partition 3 (Microsoft basic data, 40.0 GiB at 101.0 MiB))".
  [[nodiscard]] const std::string& description() const { return description_; }

 private:
  friend class ImageExtraction;
  ExtractedImage(TempFolder folder, ImageFormat format) : folder_(std::move(folder)), format_(format) {}
  TempFolder folder_;
  ImageFormat format_;
  std::string description_;
  std::array<std::optional<ExtractedFile>, kWindowsFileCount> files_;
};

// The error is one line, "FILE: reason", e.g. "golden.vhdx: a differencing disk whose parent
// 'base.vhdx' is missing (looked in /images); copy the parent beside it".
[[nodiscard]] Expected<ExtractedImage, std::string> extract_windows_files(const std::filesystem::path& image,
                                                                          const ImageOptions& options = {});

}  // namespace smbaudit::image
