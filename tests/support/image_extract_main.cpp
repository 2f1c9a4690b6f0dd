// smbaudit_image_extract: runs the image reader (src/sources/image) on an image file and says
// what it found, for scripts/bench-image.sh and for trying images by hand.
//   smbaudit_image_extract IMAGE [--index N] [--partition N] [--copy-to DIR]
// Prints the volume it read, each file's origin and size, and how many bytes this process read
// (/proc/self/io rchar): a 30 GB disk must cost megabytes, not gigabytes.
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "../../src/sources/image/windows_image.h"

namespace {

int usage() {
  std::cerr << "usage: smbaudit_image_extract IMAGE [--index N] [--partition N] [--copy-to DIR]\n";
  return 2;
}

std::optional<int> number(const std::string& text) {
  int n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return n;
}

std::string bytes_read() {
  std::ifstream io("/proc/self/io");
  std::string key, value;
  while (io >> key >> value)
    if (key == "rchar:") return value;
  return "?";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace smbaudit::image;
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage();
  ImageOptions options;
  std::filesystem::path copy_to;
  for (std::size_t i = 1; i < args.size(); i += 2) {
    if (i + 1 >= args.size()) return usage();
    if (args[i] == "--index")
      options.index = number(args[i + 1]);
    else if (args[i] == "--partition")
      options.partition = number(args[i + 1]);
    else if (args[i] == "--copy-to")
      copy_to = args[i + 1];
    else
      return usage();
  }
  auto image = extract_windows_files(args[0], options);
  if (!image) {
    std::cerr << image.error() << "\n";
    return 2;
  }
  std::cout << image->description() << "\n";
  for (WindowsFile which : {WindowsFile::System, WindowsFile::Software, WindowsFile::RegistryPol}) {
    const auto* file = image->file(which);
    if (!file) {
      std::cout << "  (absent) \\" << windows_path(which) << "\n";
      continue;
    }
    std::cout << "  " << file->origin << ": " << file->size << " bytes\n";
    if (!copy_to.empty()) {
      std::filesystem::create_directories(copy_to);
      std::filesystem::copy_file(file->path, copy_to / file->path.filename(),
                                 std::filesystem::copy_options::overwrite_existing);
    }
  }
  std::cout << "bytes read by this process: " << bytes_read() << "\n";
  return 0;
}
