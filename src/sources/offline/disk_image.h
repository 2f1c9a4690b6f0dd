// Recognises a disk or volume image given where a hive file or a mounted volume was expected
// (--system, --software, --image-root), by its magic numbers, so the user is told what the
// file is and how to get at its hives instead of "not a registry hive".
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace smbaudit::offline {

struct ImageKind {
  std::string_view name;    // "a WIM image", "a VHDX virtual disk", ...
  std::string_view advice;  // what to do instead, one clause
};

// What `head` (the file's first 4 KiB or more) and `tail` (its last 512 bytes, for a VHD's
// footer) show the file to be, or nullopt when it is none of the image formats.
[[nodiscard]] std::optional<ImageKind> recognise_image(std::string_view head, std::string_view tail);

// Reads the head and tail of `file` and recognises it; nullopt when unreadable or not an image.
[[nodiscard]] std::optional<ImageKind> recognise_image_file(const std::filesystem::path& file);

// "FILE is a VHDX virtual disk, not a registry hive: ..." for the message callers log.
[[nodiscard]] std::string image_message(const ImageKind& kind, std::string_view expected);

}  // namespace smbaudit::offline
