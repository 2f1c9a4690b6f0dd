#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>

#include "smbaudit/report_writer.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

namespace smbaudit {

Expected<bool, std::string> write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string name = path.string();
  if (fs::is_directory(path, ec)) return Unexpected(name + ": is a directory, expected a file path");
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  // Output templates name folders per day or host ({date}/{host}.json): make the missing ones.
  if (!fs::is_directory(dir, ec) && !fs::create_directories(dir, ec) && !fs::is_directory(dir))
    return Unexpected(fmt::format("{}: cannot create the folder {}: {}", name, dir.string(),
                                  ec ? ec.message() : std::string("a file is in the way")));
  std::random_device rd;
  const fs::path temp = dir / fmt::format(".{}.tmp-{:08x}", path.filename().string(), rd());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return Unexpected(name + ": cannot create a file in " + dir.string() + " (permission denied?)");
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      out.close();
      fs::remove(temp, ec);
      return Unexpected(name + ": write failed (disk full?)");
    }
  }
#ifdef _WIN32
  if (!MoveFileExW(temp.wstring().c_str(), path.wstring().c_str(),
                   MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
    const DWORD code = GetLastError();
    fs::remove(temp, ec);
    return Unexpected(fmt::format("{}: cannot replace the file (MoveFileExW error {})", name, code));
  }
#else
  // Flush the data before the rename so a crash cannot leave an empty file in place.
  if (int fd = ::open(temp.c_str(), O_RDONLY); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    fs::remove(temp, ec);
    return Unexpected(name + ": cannot replace the file: " + reason);
  }
#endif
  return true;
}

}  // namespace smbaudit
