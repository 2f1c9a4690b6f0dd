#include "temp_folder.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <fmt/format.h>

namespace smbaudit::image {

Expected<TempFolder, std::string> TempFolder::create() {
  std::error_code ec;
  auto base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string pattern = (base / "smbaudit-image-XXXXXX").string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (::mkdtemp(name.data()) == nullptr)  // mkdtemp creates it with mode 0700
    return Unexpected(fmt::format("cannot create a temporary folder in {}: {}", base.string(), std::strerror(errno)));
  return TempFolder(std::filesystem::path(name.data()));
}

TempFolder::~TempFolder() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

TempFolder& TempFolder::operator=(TempFolder&& other) noexcept {
  if (this != &other) {
    TempFolder old(std::move(*this));
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

}  // namespace smbaudit::image
