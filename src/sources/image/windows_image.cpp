#include "windows_image.h"

#include <fmt/format.h>

#include <vector>

#include "../../core/input.h"
#include "ntfs_volume.h"
#include "partition_table.h"
#include "smbaudit/limits.h"
#include "smbaudit/text.h"
#include "virtual_disk.h"
#include "wim.h"

namespace smbaudit::image {
namespace {

struct WindowsFileSpec {
  WindowsFile which;
  std::string_view path;  // on the volume, '\'-separated
  std::string_view copy;  // the private copy's name
  bool required;          // its absence means "not a Windows volume"
  std::uint64_t max_bytes;
};

// The one table of files taken from an image. GptTmpl.inf is not here: Windows keeps the local
// security policy in its security database (Windows\security\Database\secedit.sdb), not in a
// GptTmpl.inf under GroupPolicy, so there is no such file to read (docs/offline.md).
constexpr std::array<WindowsFileSpec, kWindowsFileCount> kWindowsFiles{{
    {WindowsFile::System, "Windows\\System32\\config\\SYSTEM", "SYSTEM", true, limits::kMaxHiveBytes},
    {WindowsFile::Software, "Windows\\System32\\config\\SOFTWARE", "SOFTWARE", false, limits::kMaxHiveBytes},
    {WindowsFile::RegistryPol, "Windows\\System32\\GroupPolicy\\Machine\\Registry.pol", "Registry.pol", false,
     limits::kMaxInputFileBytes},
}};

const WindowsFileSpec& spec(WindowsFile which) {
  return kWindowsFiles[static_cast<std::size_t>(which)];
}

std::string_view base_name(std::string_view windows_path) {
  return windows_path.substr(windows_path.rfind('\\') + 1);
}

std::string join_numbers(const std::vector<std::string>& items) {
  return join(items, ", ");
}

}  // namespace

// Builds an ExtractedImage step by step; each step's error is the reason (without the file name).
class ImageExtraction {
 public:
  ImageExtraction(std::filesystem::path image, const ImageOptions& options)
      : image_(std::move(image)), options_(options) {}

  Expected<ExtractedImage, std::string> run() {
    auto result = extract();
    if (!result) return Unexpected(one_line(fmt::format("{}: {}", image_.string(), result.error())));
    return result;
  }

 private:
  Expected<ExtractedImage, std::string> extract() {
    auto file = open_file_disk(image_);
    if (!file) return Unexpected(std::move(file.error()));
    Disk& disk = **file;
    if (disk.size() == 0) return Unexpected(std::string("empty file, not an image"));
    std::vector<std::byte> head(static_cast<std::size_t>(std::min<std::uint64_t>(disk.size(), 4096)));
    if (auto failed = disk.read(0, head)) return Unexpected(std::move(*failed));
    std::vector<std::byte> tail(static_cast<std::size_t>(std::min<std::uint64_t>(disk.size(), 512)));
    if (auto failed = disk.read(disk.size() - tail.size(), tail)) return Unexpected(std::move(*failed));

    if (has_bytes(head, 0, std::string_view("MSWIM\0\0\0", 8)) ||
        has_bytes(head, 0, std::string_view("WLPWM\0\0\0", 8))) {
      // An ESD is a WIM in the solid format (version 0xE00); wimlib reads both.
      const bool esd = head.size() >= 16 && le32(head, 12) == 0xE00;
      return from_wim(esd ? ImageFormat::Esd : ImageFormat::Wim);
    }
    std::optional<Container> container;
    if (has_bytes(head, 0, "vhdxfile"))
      container = Container::Vhdx;
    else if (has_bytes(head, 0, "conectix") || has_bytes(tail, 0, "conectix"))
      container = Container::Vhd;
    else if (has_bytes(head, 0, "KDMV") || has_bytes(head, 0, "# Disk DescriptorFile"))
      container = Container::Vmdk;
    else if (has_bytes(head, 0, "QFI\xfb"))
      container = Container::Qcow2;
    else if (has_bytes(head, 0, "regf"))
      return Unexpected(std::string("a registry hive, not an image: give it with --system or --software"));
    if (options_.index)
      return Unexpected(fmt::format("--image-index applies to WIM and ESD files; this is a {}",
                                    container ? container_name(*container) : "disk or volume image"));
    if (!container) return from_disk(disk, ImageFormat::RawDisk, "");
    auto virtual_disk = open_virtual_disk(image_, *container);
    if (!virtual_disk) return Unexpected(fmt::format("{}: {}", container_name(*container), virtual_disk.error()));
    const ImageFormat format = *container == Container::Vhd    ? ImageFormat::Vhd
                               : *container == Container::Vhdx ? ImageFormat::Vhdx
                               : *container == Container::Vmdk ? ImageFormat::Vmdk
                                                               : ImageFormat::Qcow2;
    return from_disk(**virtual_disk, format, fmt::format("the {}'s disk", container_name(*container)));
  }

  Expected<ExtractedImage, std::string> new_result(ImageFormat format) {
    auto folder = TempFolder::create();
    if (!folder) return Unexpected(std::move(folder.error()));
    return ExtractedImage(std::move(*folder), format);
  }

  // A disk holding one bare volume or a partition table.
  Expected<ExtractedImage, std::string> from_disk(Disk& disk, ImageFormat format, const std::string& what) {
    const std::string subject = what.empty() ? "it" : what;
    std::vector<std::byte> boot(static_cast<std::size_t>(std::min<std::uint64_t>(disk.size(), 512)));
    if (auto failed = disk.read(0, boot)) return Unexpected(fmt::format("cannot read {}: {}", subject, *failed));
    const VolumeKind kind = probe_volume(boot);
    if (kind == VolumeKind::BitLocker)
      return Unexpected(
          fmt::format("{} is a BitLocker-encrypted volume ('-FVE-FS-'): smbaudit cannot read it; audit "
                      "the image before encryption or a decrypted copy",
                      what.empty() ? "it" : what));
    if (kind == VolumeKind::Ntfs) {
      if (options_.partition)
        return Unexpected(
            fmt::format("{} is a bare NTFS volume with no partition table: --partition does not apply", subject));
      auto volume = open_ntfs(disk);
      if (!volume) return Unexpected(std::move(volume.error()));
      auto windows = (*volume)->exists(spec(WindowsFile::System).path);
      if (!windows) return Unexpected(std::move(windows.error()));
      if (!*windows)
        return Unexpected(
            fmt::format("no Windows volume: the NTFS volume holds no {}", spec(WindowsFile::System).path));
      const ImageFormat shown = format == ImageFormat::RawDisk ? ImageFormat::NtfsVolume : format;
      return copy_files(**volume, shown, fmt::format("{} ({})", image_.string(), format_name(shown)), image_.string());
    }
    auto table = read_partition_table(disk);
    if (!table) return Unexpected(fmt::format("partition table: {}", table.error()));
    if (!*table) {
      if (format == ImageFormat::RawDisk)
        return Unexpected(
            std::string("not an image smbaudit recognises: no WIM, ESD, VHD, VHDX, VMDK or QCOW2 header, "
                        "no MBR or GPT partition table and no NTFS volume"));
      return Unexpected(fmt::format("{} holds neither a partition table nor an NTFS volume", subject));
    }
    return from_partitions(disk, **table, format);
  }

  Expected<ExtractedImage, std::string> from_partitions(Disk& disk, const PartitionTable& table, ImageFormat format) {
    const auto label = [&](const Partition& p) {
      return fmt::format("{} ({}, {})", image_.string(), format_name(format), describe(p));
    };
    const auto origin = [&](const Partition& p) { return fmt::format("{}, partition {}", image_.string(), p.number); };
    if (options_.partition) {
      const Partition* chosen = nullptr;
      std::vector<std::string> numbers;
      for (const auto& p : table.partitions) {
        numbers.push_back(std::to_string(p.number));
        if (p.number == *options_.partition) chosen = &p;
      }
      if (!chosen)
        return Unexpected(fmt::format("--partition {}: the disk has no such partition (it has {})", *options_.partition,
                                      numbers.empty() ? "none" : join_numbers(numbers)));
      DiskSlice slice(disk, chosen->offset, chosen->size);
      auto volume = open_windows_partition(slice, *chosen);
      if (!volume) return Unexpected(std::move(volume.error()));
      if (!volume->volume)
        return Unexpected(fmt::format("{} is not a Windows volume: {}", describe(*chosen), volume->why));
      return copy_files(*volume->volume, format, label(*chosen), origin(*chosen));
    }
    struct Found {
      const Partition* partition;
      std::unique_ptr<DiskSlice> slice;
      std::unique_ptr<NtfsVolume> volume;
    };
    std::vector<Found> windows;
    std::vector<std::string> bitlocker, damaged, others;
    for (const auto& p : table.partitions) {
      auto slice = std::make_unique<DiskSlice>(disk, p.offset, p.size);
      auto volume = open_windows_partition(*slice, p);
      if (!volume) {
        damaged.push_back(fmt::format("{}: {}", describe(p), volume.error()));
      } else if (volume->volume) {
        windows.push_back({&p, std::move(slice), std::move(volume->volume)});
      } else {
        (volume->bitlocker ? bitlocker : others).push_back(describe(p));
      }
    }
    if (windows.size() == 1)
      return copy_files(*windows[0].volume, format, label(*windows[0].partition), origin(*windows[0].partition));
    if (windows.size() > 1) {
      std::vector<std::string> list;
      for (const auto& w : windows) list.push_back(describe(*w.partition));
      return Unexpected(fmt::format("several Windows volumes: {}; choose one with --partition N", join(list, ", ")));
    }
    if (!bitlocker.empty())
      return Unexpected(
          fmt::format("no readable Windows volume: {} is BitLocker-encrypted ('-FVE-FS-'), which smbaudit "
                      "cannot read; audit the image before encryption or a decrypted copy",
                      join(bitlocker, ", ")));
    if (!damaged.empty()) return Unexpected(fmt::format("no readable Windows volume: {}", damaged.front()));
    return Unexpected(fmt::format("no Windows volume: no partition holds {} ({})", spec(WindowsFile::System).path,
                                  others.empty() ? "the table lists no partition" : join(others, ", ")));
  }

  struct PartitionVolume {
    std::unique_ptr<NtfsVolume> volume;  // set when it holds Windows
    bool bitlocker = false;
    std::string why;  // why it is not a Windows volume
  };

  // Opens a partition's volume when it is NTFS and holds Windows; an error only when an NTFS
  // volume is damaged.
  Expected<PartitionVolume, std::string> open_windows_partition(Disk& slice, const Partition&) {
    std::vector<std::byte> boot(static_cast<std::size_t>(std::min<std::uint64_t>(slice.size(), 512)));
    if (boot.size() < 512) return PartitionVolume{nullptr, false, "it is too small to hold a volume"};
    if (auto failed = slice.read(0, boot)) return Unexpected(std::move(*failed));
    switch (probe_volume(boot)) {
      case VolumeKind::BitLocker:
        return PartitionVolume{nullptr, true, "it is BitLocker-encrypted ('-FVE-FS-'), which smbaudit cannot read"};
      case VolumeKind::Other: return PartitionVolume{nullptr, false, "it is not an NTFS volume"};
      case VolumeKind::Ntfs: break;
    }
    auto volume = open_ntfs(slice);
    if (!volume) return Unexpected(std::move(volume.error()));
    auto windows = (*volume)->exists(spec(WindowsFile::System).path);
    if (!windows) return Unexpected(std::move(windows.error()));
    if (!*windows)
      return PartitionVolume{nullptr, false,
                             fmt::format("its NTFS volume holds no {}", spec(WindowsFile::System).path)};
    return PartitionVolume{std::move(*volume), false, ""};
  }

  Expected<ExtractedImage, std::string> copy_files(NtfsVolume& volume, ImageFormat format, std::string description,
                                                   const std::string& origin) {
    auto result = new_result(format);
    if (!result) return result;
    result->description_ = std::move(description);
    for (const auto& f : kWindowsFiles) {
      const auto to = result->folder_.path() / f.copy;
      auto copied = volume.extract(f.path, f.max_bytes, to);
      if (!copied) return Unexpected(std::move(copied.error()));
      if (!*copied) {
        if (f.required) return Unexpected(fmt::format("no Windows volume: it holds no {}", f.path));
        continue;
      }
      std::error_code ec;
      const auto size = std::filesystem::file_size(to, ec);
      result->files_[static_cast<std::size_t>(f.which)] =
          ExtractedFile{to, fmt::format("{}: \\{}", origin, f.path), size};
    }
    return result;
  }

  Expected<ExtractedImage, std::string> from_wim(ImageFormat format) {
    const std::string_view kind = format_name(format);
    if (options_.partition)
      return Unexpected(
          fmt::format("--partition applies to disk images; this is a {} (choose an image with "
                      "--image-index N)",
                      kind));
    auto images = list_wim_images(image_, options_.tool_timeout);
    if (!images) return Unexpected(fmt::format("{}: {}", kind, images.error()));
    std::vector<std::string> listed;
    for (const auto& i : *images) listed.push_back(fmt::format("{}: {}", i.index, i.name));
    const WimImage* chosen = nullptr;
    if (options_.index) {
      for (const auto& i : *images)
        if (i.index == *options_.index) chosen = &i;
      if (!chosen)
        return Unexpected(
            fmt::format("the {} has no image {} (it holds {})", kind, *options_.index, join(listed, ", ")));
    } else if (images->size() == 1) {
      chosen = &images->front();
    } else {
      return Unexpected(fmt::format("the {} holds {} images; choose one with --image-index N ({})", kind,
                                    images->size(), join(listed, ", ")));
    }
    auto result = new_result(format);
    if (!result) return result;
    std::vector<std::string> paths;
    for (const auto& f : kWindowsFiles) {
      std::string p = "/" + std::string(f.path);
      for (char& c : p)
        if (c == '\\') c = '/';
      paths.push_back(std::move(p));
    }
    // The largest limit of any file bounds what wimextract may write; each is checked after.
    std::uint64_t cap = 0;
    for (const auto& f : kWindowsFiles) cap = std::max(cap, f.max_bytes);
    if (auto failed =
            extract_wim_files(image_, chosen->index, paths, result->folder_.path(), cap, options_.tool_timeout))
      return Unexpected(fmt::format("{}: {}", kind, *failed));
    const std::string origin = fmt::format("{}, image {}", image_.string(), chosen->index);
    result->description_ = fmt::format("{} ({} image {}: {})", image_.string(), kind, chosen->index, chosen->name);
    for (const auto& f : kWindowsFiles) {
      // wimextract writes each file under its name in the image, in whatever case that is.
      std::optional<std::filesystem::path> extracted;
      std::error_code ec;
      for (const auto& entry : std::filesystem::directory_iterator(result->folder_.path(), ec))
        if (iequals(entry.path().filename().string(), base_name(f.path)) && entry.is_regular_file(ec))
          extracted = entry.path();
      if (!extracted) {
        if (f.required)
          return Unexpected(fmt::format("no Windows volume: {} image {} ({}) holds no {}", kind, chosen->index,
                                        chosen->name, f.path));
        continue;
      }
      const auto size = std::filesystem::file_size(*extracted, ec);
      if (size > f.max_bytes)
        return Unexpected(fmt::format("{} is {} bytes, larger than the {} MiB limit", f.path, size, f.max_bytes >> 20));
      const auto to = result->folder_.path() / f.copy;
      if (*extracted != to) std::filesystem::rename(*extracted, to, ec);
      if (ec) return Unexpected(fmt::format("cannot rename {}: {}", extracted->string(), ec.message()));
      result->files_[static_cast<std::size_t>(f.which)] =
          ExtractedFile{to, fmt::format("{}: \\{}", origin, f.path), size};
    }
    return result;
  }

  std::filesystem::path image_;
  ImageOptions options_;
};

std::string_view format_name(ImageFormat format) {
  switch (format) {
    case ImageFormat::Wim: return "WIM";
    case ImageFormat::Esd: return "ESD";
    case ImageFormat::Vhd: return "VHD";
    case ImageFormat::Vhdx: return "VHDX";
    case ImageFormat::Vmdk: return "VMDK";
    case ImageFormat::Qcow2: return "QCOW2";
    case ImageFormat::RawDisk: return "raw disk";
    case ImageFormat::NtfsVolume: return "NTFS volume";
  }
  return "image";
}

std::string_view windows_path(WindowsFile file) {
  return spec(file).path;
}

const ExtractedFile* ExtractedImage::file(WindowsFile which) const {
  const auto& f = files_[static_cast<std::size_t>(which)];
  return f ? &*f : nullptr;
}

Expected<ExtractedImage, std::string> extract_windows_files(const std::filesystem::path& image,
                                                            const ImageOptions& options) {
  return ImageExtraction(image, options).run();
}

}  // namespace smbaudit::image
