#include "disk_image.h"

#include <fmt/format.h>

#include <fstream>

namespace smbaudit::offline {
namespace {

constexpr std::size_t kHeadBytes = 4096, kTailBytes = 512;

// A build with the image reader takes the file itself; the other ways still work.
#ifdef SMBAUDIT_HAVE_IMAGE
#define SMBAUDIT_IMAGE_FLAG "give the file itself to --image, or "
#else
#define SMBAUDIT_IMAGE_FLAG ""
#endif

constexpr std::string_view kMountDisk = SMBAUDIT_IMAGE_FLAG
    "mount its Windows partition read-only and give --image-root the mount point, or extract "
    "Windows/System32/config/SYSTEM and SOFTWARE and give --system and --software (docs/offline.md, \"Getting at "
    "the hives of an image\")";

bool at(std::string_view bytes, std::size_t offset, std::string_view magic) {
  return bytes.size() >= offset + magic.size() && bytes.substr(offset, magic.size()) == magic;
}

}  // namespace

std::optional<ImageKind> recognise_image(std::string_view head, std::string_view tail) {
  using namespace std::string_view_literals;
  if (at(head, 0, "MSWIM\0\0\0"sv))
    return ImageKind{"a WIM image (install.wim, boot.wim or a captured image; an .esd is the same format)",
                     SMBAUDIT_IMAGE_FLAG
                     "extract the hives of one image with wimlib-imagex extract, or mount it read-only with "
                     "wimlib-imagex mount and give --image-root the mount point (docs/offline.md, \"Getting at the "
                     "hives of an image\")"};
  if (at(head, 0, "vhdxfile")) return ImageKind{"a VHDX virtual disk", kMountDisk};
  // A VHD ends with its 512-byte footer (older writers: 511); a dynamic one also starts with a copy.
  if (at(head, 0, "conectix") || at(tail, tail.size() >= 512 ? tail.size() - 512 : 0, "conectix") ||
      (tail.size() >= 511 && at(tail, tail.size() - 511, "conectix")))
    return ImageKind{"a VHD virtual disk", kMountDisk};
  if (at(head, 0, "QFI\xfb")) return ImageKind{"a QCOW2 virtual disk", kMountDisk};
  if (at(head, 0, "KDMV") || at(head, 0, "# Disk DescriptorFile")) return ImageKind{"a VMDK virtual disk", kMountDisk};
  // An NTFS boot sector also ends in 55 AA, so it is told apart from a partition table first.
  if (at(head, 3, "NTFS    "))
    return ImageKind{"an NTFS volume image", SMBAUDIT_IMAGE_FLAG
                     "mount it read-only (ntfs-3g -o ro FILE DIR) and give --image-root DIR, or copy the hives out "
                     "with ntfscat (docs/offline.md, \"Getting at the hives of an image\")"};
  if (at(head, 512, "EFI PART")) return ImageKind{"a raw disk image with a GPT partition table", kMountDisk};
  if (at(head, 510, "\x55\xaa")) return ImageKind{"a raw disk image with an MBR partition table", kMountDisk};
  return std::nullopt;
}

std::optional<ImageKind> recognise_image_file(const std::filesystem::path& file) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string head(kHeadBytes, '\0'), tail(kTailBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (size > kTailBytes) {
    in.clear();
    in.seekg(static_cast<std::streamoff>(size - kTailBytes));
    in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
    tail.resize(static_cast<std::size_t>(in.gcount()));
  } else {
    tail = head;
  }
  return recognise_image(head, tail);
}

std::string image_message(const ImageKind& kind, std::string_view expected) {
  return fmt::format("this is {}, not {}: {}", kind.name, expected, kind.advice);
}

}  // namespace smbaudit::offline
