// A private temporary folder (mode 0700, a fresh random name under TMPDIR) removed with
// everything in it when the object goes, on success and on every error path alike.
#pragma once

#include <filesystem>
#include <string>

#include "smbaudit/expected.h"

namespace smbaudit::image {

class TempFolder {
 public:
  [[nodiscard]] static Expected<TempFolder, std::string> create();
  ~TempFolder();
  TempFolder(TempFolder&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempFolder& operator=(TempFolder&& other) noexcept;
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  explicit TempFolder(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

}  // namespace smbaudit::image
