#include "private_file.h"

#include <fmt/format.h>

#ifdef _WIN32
#include <fstream>
#include <random>
#else
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#endif

namespace smbaudit::offline {

#ifdef _WIN32

Expected<std::unique_ptr<PrivateFile>, std::string> PrivateFile::hold(std::span<const std::uint8_t> bytes) {
  std::unique_ptr<PrivateFile> file(new PrivateFile());
  std::error_code ec;
  std::random_device rd;
  const auto folder = std::filesystem::temp_directory_path(ec) / fmt::format("smbaudit-{:08x}{:08x}", rd(), rd());
  if (ec || !std::filesystem::create_directory(folder, ec))
    return Unexpected("cannot create a private temporary folder: " + ec.message());
  file->folder_ = folder;  // from here on the destructor removes it
  file->path_ = folder / "data";
  std::ofstream out(file->path_, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Unexpected(fmt::format("cannot write {} bytes to a private temporary file", bytes.size()));
  return file;
}

PrivateFile::~PrivateFile() {
  std::error_code ec;
  if (!folder_.empty()) std::filesystem::remove_all(folder_, ec);
}

#else

namespace {

// An anonymous file: it has no name in any folder, so nothing is left when the process ends,
// however it ends.
int anonymous_file(std::string& failure) {
  int fd = memfd_create("smbaudit-private", MFD_CLOEXEC);
  if (fd >= 0) return fd;
  failure = fmt::format("memfd_create: {}", std::strerror(errno));
  const char* tmp = std::getenv("TMPDIR");
  const std::string dir = tmp && *tmp ? tmp : "/tmp";
  fd = open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  failure += fmt::format("; O_TMPFILE in {}: {}", dir, std::strerror(errno));
  std::string name = dir + "/smbaudit-private-XXXXXX";
  fd = mkstemp(name.data());
  if (fd < 0) {
    failure += fmt::format("; mkstemp in {}: {}", dir, std::strerror(errno));
    return -1;
  }
  unlink(name.c_str());  // the open descriptor keeps the data; the name goes now
  return fd;
}

}  // namespace

Expected<std::unique_ptr<PrivateFile>, std::string> PrivateFile::hold(std::span<const std::uint8_t> bytes) {
  std::string failure;
  const int fd = anonymous_file(failure);
  if (fd < 0) return Unexpected("cannot create a private temporary file: " + failure);
  std::unique_ptr<PrivateFile> file(new PrivateFile());
  file->fd_ = fd;  // from here on the destructor closes it
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      return Unexpected(fmt::format("cannot write {} bytes to a private temporary file: {}", bytes.size(),
                                    n < 0 ? std::strerror(errno) : "no space"));
    done += static_cast<std::size_t>(n);
  }
  file->path_ = fmt::format("/proc/self/fd/{}", fd);
  return file;
}

PrivateFile::~PrivateFile() {
  if (fd_ >= 0) close(fd_);
}

#endif

}  // namespace smbaudit::offline
