// Bytes that must be read through a file path (hivex opens hives by path) but must never
// land on disk where they could be left behind: an image reader extracts a hive into
// memory, and this gives it a path that exists only for this process and only while the
// object lives.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "smbaudit/expected.h"

namespace smbaudit::offline {

class PrivateFile {
 public:
  // Holds `bytes` in an anonymous file: on Linux a memfd (else an O_TMPFILE file, else a
  // mkstemp file unlinked at once), reached through /proc/self/fd; on Windows a file in a
  // private temporary folder, deleted with the folder. The error says why none could be made.
  [[nodiscard]] static Expected<std::unique_ptr<PrivateFile>, std::string> hold(std::span<const std::uint8_t> bytes);

  ~PrivateFile();
  PrivateFile(const PrivateFile&) = delete;
  PrivateFile& operator=(const PrivateFile&) = delete;

  // The path to open the bytes by; valid until the object is destroyed.
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  PrivateFile() = default;

  std::filesystem::path path_;
  int fd_ = -1;                   // Linux: the open anonymous file
  std::filesystem::path folder_;  // Windows: the private folder removed on destruction
};

}  // namespace smbaudit::offline
