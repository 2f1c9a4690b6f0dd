// WIM and ESD files through wimlib's command-line tools (Debian's wimtools): wiminfo lists
// the images, wimextract copies single files out of one. wimlib is GPL-3+ as Debian builds it
// (libwim links ntfs-3g), so smbaudit never links it: it runs the tools as separate processes,
// with the argument vector passed without a shell, a deadline, a size limit on what they write,
// and their standard error turned into one line.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "smbaudit/expected.h"

namespace smbaudit::image {

struct WimImage {
  int index = 0;
  std::string name;
};

// The images of a WIM, from `wiminfo FILE`.
[[nodiscard]] Expected<std::vector<WimImage>, std::string> list_wim_images(const std::filesystem::path& wim,
                                                                           std::chrono::milliseconds timeout);

// The images as wiminfo prints them ("Index:" and "Name:" lines), for tests of the parsing.
[[nodiscard]] std::vector<WimImage> parse_wiminfo(std::string_view text);

// Extracts `paths` ('/'-separated, from the image's root, matched case-insensitively) of image
// `index` into `dest` (each under its own base name); a path the image lacks is skipped. No file
// written may exceed `max_file_bytes`.
[[nodiscard]] std::optional<std::string> extract_wim_files(const std::filesystem::path& wim, int index,
                                                           const std::vector<std::string>& paths,
                                                           const std::filesystem::path& dest,
                                                           std::uint64_t max_file_bytes,
                                                           std::chrono::milliseconds timeout);

}  // namespace smbaudit::image
