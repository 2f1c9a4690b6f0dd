#include "disk.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace smbaudit::image {
namespace {

class FileDisk final : public Disk {
 public:
  FileDisk(int fd, std::uint64_t size) : fd_(fd), size_(size) {}
  ~FileDisk() override { ::close(fd_); }
  FileDisk(const FileDisk&) = delete;
  FileDisk& operator=(const FileDisk&) = delete;

  [[nodiscard]] std::uint64_t size() const override { return size_; }
  [[nodiscard]] std::optional<std::string> read(std::uint64_t offset, std::span<std::byte> out) override {
    if (!within(offset, out.size(), size_))
      return fmt::format("read of {} bytes at offset {} is past the end of the file ({} bytes)", out.size(), offset,
                         size_);
    std::size_t done = 0;
    while (done < out.size()) {
      const auto n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return fmt::format("cannot read at offset {}: {}", offset + done, std::strerror(errno));
      if (n == 0) return fmt::format("the file ends at offset {} (it shrank while being read)", offset + done);
      done += static_cast<std::size_t>(n);
    }
    return std::nullopt;
  }

 private:
  int fd_;
  std::uint64_t size_;
};

}  // namespace

Expected<std::unique_ptr<Disk>, std::string> open_file_disk(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return Unexpected(std::string(err == ENOENT ? "no such file" : std::strerror(err)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    const bool dir = S_ISDIR(st.st_mode);
    ::close(fd);
    return Unexpected(std::string(dir ? "is a directory, expected an image file (a mounted volume is --image-root)"
                                      : "not a regular file"));
  }
  return std::unique_ptr<Disk>(std::make_unique<FileDisk>(fd, static_cast<std::uint64_t>(st.st_size)));
}

std::optional<std::string> MemoryDisk::read(std::uint64_t offset, std::span<std::byte> out) {
  if (!within(offset, out.size(), bytes_.size()))
    return fmt::format("read of {} bytes at offset {} is past the end ({} bytes)", out.size(), offset, bytes_.size());
  if (out.empty()) return std::nullopt;  // memcpy's pointers must not be null, even for no bytes
  std::memcpy(out.data(), bytes_.data() + offset, out.size());
  return std::nullopt;
}

std::optional<std::string> DiskSlice::read(std::uint64_t offset, std::span<std::byte> out) {
  if (!within(offset, out.size(), size_))
    return fmt::format("read of {} bytes at offset {} is past the end of the partition ({} bytes)", out.size(), offset,
                       size_);
  return disk_.read(offset_ + offset, out);
}

}  // namespace smbaudit::image
