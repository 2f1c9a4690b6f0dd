#include "ntfs_volume.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "libyal.h"
#include "libyal_api.h"

namespace smbaudit::image {
namespace {

using NtfsError = LibyalError<libfsntfs_error_t, yal::libfsntfs_error_backtrace_sprint, yal::libfsntfs_error_free>;
using BfioError = LibyalError<libbfio_error_t, yal::libbfio_error_backtrace_sprint, yal::libbfio_error_free>;

constexpr std::size_t kChunkBytes = 1 << 20;  // a file is copied through a buffer of this size

// The libbfio handle's state: a position over a Disk. libbfio calls these C callbacks; they
// only read, and report failure as -1 (the Disk's reason is kept for the error message).
struct BfioBridge {
  Disk* disk = nullptr;
  std::uint64_t position = 0;
  bool open = false;
  std::string last_error;
};

BfioBridge* bridge(intptr_t* io) {
  return reinterpret_cast<BfioBridge*>(io);
}

int bridge_free(intptr_t** io, libbfio_error_t**) {
  delete reinterpret_cast<BfioBridge*>(*io);
  *io = nullptr;
  return 1;
}
int bridge_clone(intptr_t** to, intptr_t* from, libbfio_error_t**) {
  if (from == nullptr) {
    *to = nullptr;
    return 1;
  }
  auto* copy = new BfioBridge(*bridge(from));
  copy->open = false;
  copy->position = 0;
  *to = reinterpret_cast<intptr_t*>(copy);
  return 1;
}
int bridge_open(intptr_t* io, int flags, libbfio_error_t**) {
  if ((flags & LIBBFIO_ACCESS_FLAG_WRITE) != 0) return -1;  // never written
  bridge(io)->open = true;
  return 1;
}
int bridge_close(intptr_t* io, libbfio_error_t**) {
  bridge(io)->open = false;
  return 0;
}
ssize_t bridge_read(intptr_t* io, uint8_t* buffer, size_t size, libbfio_error_t**) {
  auto* b = bridge(io);
  const std::uint64_t end = b->disk->size();
  if (b->position >= end) return 0;
  const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(size, end - b->position));
  if (auto failed = b->disk->read(b->position, std::span(reinterpret_cast<std::byte*>(buffer), n))) {
    b->last_error = std::move(*failed);
    return -1;
  }
  b->position += n;
  return static_cast<ssize_t>(n);
}
ssize_t bridge_write(intptr_t*, const uint8_t*, size_t, libbfio_error_t**) {
  return -1;
}
off64_t bridge_seek(intptr_t* io, off64_t offset, int whence, libbfio_error_t**) {
  auto* b = bridge(io);
  std::int64_t base = 0;
  if (whence == SEEK_CUR)
    base = static_cast<std::int64_t>(b->position);
  else if (whence == SEEK_END)
    base = static_cast<std::int64_t>(b->disk->size());
  else if (whence != SEEK_SET)
    return -1;
  std::int64_t target = 0;
  if (__builtin_add_overflow(base, offset, &target) || target < 0) return -1;
  b->position = static_cast<std::uint64_t>(target);
  return target;
}
int bridge_exists(intptr_t*, libbfio_error_t**) {
  return 1;
}
int bridge_is_open(intptr_t* io, libbfio_error_t**) {
  return bridge(io)->open ? 1 : 0;
}
int bridge_get_size(intptr_t* io, size64_t* size, libbfio_error_t**) {
  *size = bridge(io)->disk->size();
  return 1;
}

class FileEntry {
 public:
  FileEntry() = default;
  ~FileEntry() {
    if (entry_) yal::libfsntfs_file_entry_free(&entry_, nullptr);
  }
  FileEntry(const FileEntry&) = delete;
  FileEntry& operator=(const FileEntry&) = delete;
  libfsntfs_file_entry_t** put() { return &entry_; }
  libfsntfs_file_entry_t* get() const { return entry_; }

 private:
  libfsntfs_file_entry_t* entry_ = nullptr;
};

class LibfsntfsVolume final : public NtfsVolume {
 public:
  LibfsntfsVolume(libbfio_handle_t* io, BfioBridge* state, libfsntfs_volume_t* volume)
      : io_(io), state_(state), volume_(volume) {}
  ~LibfsntfsVolume() override {
    yal::libfsntfs_volume_close(volume_, nullptr);
    yal::libfsntfs_volume_free(&volume_, nullptr);
    yal::libbfio_handle_free(&io_, nullptr);
  }
  LibfsntfsVolume(const LibfsntfsVolume&) = delete;
  LibfsntfsVolume& operator=(const LibfsntfsVolume&) = delete;

  Expected<bool, std::string> exists(std::string_view path) override {
    FileEntry entry;
    auto found = lookup(path, entry);
    if (!found) return Unexpected(std::move(found.error()));
    return *found;
  }

  Expected<bool, std::string> extract(std::string_view path, std::uint64_t max_bytes,
                                      const std::filesystem::path& to) override {
    FileEntry entry;
    auto found = lookup(path, entry);
    if (!found) return Unexpected(std::move(found.error()));
    if (!*found) return false;
    NtfsError error;
    int has_data = yal::libfsntfs_file_entry_has_default_data_stream(entry.get(), error.put());
    if (has_data != 1) return Unexpected(fmt::format("{} is not a file", path));
    size64_t size = 0;
    if (yal::libfsntfs_file_entry_get_size(entry.get(), &size, error.put()) != 1)
      return Unexpected(damaged(fmt::format("cannot read the size of {}", path), error));
    if (size > max_bytes)
      return Unexpected(fmt::format("{} is {} bytes, larger than the {} MiB limit", path, size, max_bytes >> 20));
    std::FILE* out = std::fopen(to.c_str(), "wbx");
    if (!out) return Unexpected(fmt::format("cannot create {}: {}", to.string(), std::strerror(errno)));
    std::vector<std::uint8_t> buffer(static_cast<std::size_t>(std::min<std::uint64_t>(size, kChunkBytes)));
    std::uint64_t done = 0;
    std::optional<std::string> failure;
    while (done < size && !failure) {
      const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), size - done));
      const auto n = yal::libfsntfs_file_entry_read_buffer_at_offset(entry.get(), buffer.data(), want,
                                                                     static_cast<off64_t>(done), error.put());
      if (n <= 0) {
        failure = damaged(fmt::format("cannot read {} at offset {}", path, done), error);
        break;
      }
      if (std::fwrite(buffer.data(), 1, static_cast<std::size_t>(n), out) != static_cast<std::size_t>(n))
        failure = fmt::format("cannot write {}: {}", to.string(), std::strerror(errno));
      done += static_cast<std::uint64_t>(n);
    }
    if (std::fclose(out) != 0 && !failure)
      failure = fmt::format("cannot write {}: {}", to.string(), std::strerror(errno));
    if (failure) return Unexpected(std::move(*failure));
    return true;
  }

 private:
  Expected<bool, std::string> lookup(std::string_view path, FileEntry& entry) {
    NtfsError error;
    state_->last_error.clear();
    const int found = yal::libfsntfs_volume_get_file_entry_by_utf8_path(
        volume_, reinterpret_cast<const std::uint8_t*>(path.data()), path.size(), entry.put(), error.put());
    if (found < 0) return Unexpected(damaged(fmt::format("cannot look up {}", path), error));
    return found == 1;
  }

  // A read that failed below libfsntfs says why (past the end of a truncated image...); else
  // libfsntfs's own cause.
  std::string damaged(std::string what, const NtfsError& error) const {
    return fmt::format("damaged NTFS volume: {} ({})", what,
                       state_->last_error.empty() ? error.cause() : state_->last_error);
  }

  libbfio_handle_t* io_;
  BfioBridge* state_;  // owned by io_
  libfsntfs_volume_t* volume_;
};

}  // namespace

VolumeKind probe_volume(std::span<const std::byte> boot_sector) {
  if (has_bytes(boot_sector, 3, "NTFS    ")) return VolumeKind::Ntfs;
  if (has_bytes(boot_sector, 3, "-FVE-FS-")) return VolumeKind::BitLocker;
  return VolumeKind::Other;
}

Expected<std::unique_ptr<NtfsVolume>, std::string> open_ntfs(Disk& disk) {
  if (auto missing = yal::load()) return Unexpected(std::move(*missing));
  auto* state = new BfioBridge{&disk, 0, false, {}};
  libbfio_handle_t* io = nullptr;
  BfioError bfio_error;
  if (yal::libbfio_handle_initialize(
          &io, reinterpret_cast<intptr_t*>(state), bridge_free, bridge_clone, bridge_open, bridge_close, bridge_read,
          bridge_write, bridge_seek, bridge_exists, bridge_is_open, bridge_get_size,
          LIBBFIO_FLAG_IO_HANDLE_MANAGED | LIBBFIO_FLAG_IO_HANDLE_CLONE_BY_FUNCTION, bfio_error.put()) != 1) {
    delete state;
    return Unexpected("libbfio: " + bfio_error.cause());
  }
  libfsntfs_volume_t* volume = nullptr;
  NtfsError error;
  if (yal::libfsntfs_volume_initialize(&volume, error.put()) != 1) {
    yal::libbfio_handle_free(&io, nullptr);
    return Unexpected("libfsntfs: " + error.cause());
  }
  if (yal::libfsntfs_volume_open_file_io_handle(volume, io, LIBFSNTFS_OPEN_READ, error.put()) != 1) {
    std::string why = state->last_error.empty() ? error.cause() : state->last_error;
    yal::libfsntfs_volume_free(&volume, nullptr);
    yal::libbfio_handle_free(&io, nullptr);
    return Unexpected(fmt::format("damaged NTFS volume ({})", why));
  }
  return std::unique_ptr<NtfsVolume>(std::make_unique<LibfsntfsVolume>(io, state, volume));
}

}  // namespace smbaudit::image
