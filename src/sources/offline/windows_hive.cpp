// Hive reading on Windows: RegLoadAppKeyW over a private temporary copy of the file, so the
// image is never written (loading a hive can write to it and to its .LOG files).
// Wine's RegLoadAppKeyW is a stub, so this file is built by the mingw preset but cannot be
// tested here; everything above the Hive interface is tested on Linux through hivex.
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "../../core/reg_data.h"
#include "../win/handles.h"
#include "../win/subkeys.h"
#include "../win/wide.h"
#include "../win/win_error.h"
#include "hive.h"
#include "hive_file.h"
#include "smbaudit/limits.h"

namespace smbaudit::offline {
namespace {

// A private folder holding the hive copy and the .LOG files Windows creates beside it; removed
// when the hive is closed (after the key handle, which unloads the hive).
class TempFolder {
 public:
  explicit TempFolder(std::filesystem::path path) : path_(std::move(path)) {}
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class WindowsHive final : public Hive {
 public:
  WindowsHive(std::unique_ptr<TempFolder> folder, win::UniqueHkey root)
      : folder_(std::move(folder)), root_(std::move(root)) {}

  Expected<std::optional<std::vector<RegValue>>, std::string> read_key(std::string_view path) override {
    if (std::count(path.begin(), path.end(), '\\') >= limits::kMaxHiveKeyDepth)
      return Unexpected(fmt::format("key path deeper than {} names", limits::kMaxHiveKeyDepth));
    win::UniqueHkey key;
    const LSTATUS opened = RegOpenKeyExW(root_.get(), win::to_wide(path).c_str(), 0, KEY_READ, key.put());
    if (opened == ERROR_FILE_NOT_FOUND) return std::optional<std::vector<RegValue>>{};
    if (opened != ERROR_SUCCESS) return Unexpected(win::describe_win32("RegOpenKeyExW", static_cast<DWORD>(opened)));
    DWORD count = 0, max_name = 0, max_data = 0;
    LSTATUS status = RegQueryInfoKeyW(key.get(), nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, &count,
                                      &max_name, &max_data, nullptr, nullptr);
    if (status != ERROR_SUCCESS) return Unexpected(win::describe_win32("RegQueryInfoKeyW", static_cast<DWORD>(status)));
    if (count > limits::kMaxValuesPerKey) return Unexpected(too_many_values());
    std::vector<RegValue> out;
    std::wstring name(max_name + 1, L'\0');
    std::vector<std::uint8_t> data(max_data);
    for (DWORD i = 0; i < count; ++i) {
      DWORD name_len = static_cast<DWORD>(name.size()), data_len = static_cast<DWORD>(data.size()), type = 0;
      status = RegEnumValueW(key.get(), i, name.data(), &name_len, nullptr, &type, data.data(), &data_len);
      if (status == ERROR_NO_MORE_ITEMS) break;
      if (status != ERROR_SUCCESS) return Unexpected(win::describe_win32("RegEnumValueW", static_cast<DWORD>(status)));
      out.push_back(decode_reg_value(win::to_utf8({name.data(), name_len}), type, {data.data(), data_len}));
    }
    return std::optional<std::vector<RegValue>>{std::move(out)};
  }

  Expected<std::optional<std::vector<std::string>>, std::string> subkeys(std::string_view path) override {
    if (std::count(path.begin(), path.end(), '\\') >= limits::kMaxHiveKeyDepth)
      return Unexpected(fmt::format("key path deeper than {} names", limits::kMaxHiveKeyDepth));
    win::UniqueHkey key;
    const LSTATUS opened = RegOpenKeyExW(root_.get(), win::to_wide(path).c_str(), 0, KEY_READ, key.put());
    if (opened == ERROR_FILE_NOT_FOUND) return std::optional<std::vector<std::string>>{};
    if (opened != ERROR_SUCCESS) return Unexpected(win::describe_win32("RegOpenKeyExW", static_cast<DWORD>(opened)));
    auto names = win::subkey_names(key.get());
    if (!names) return Unexpected(names.error());
    return std::optional<std::vector<std::string>>{std::move(*names)};
  }

 private:
  // Declared first so it is destroyed last: the copy is deleted after the hive is unloaded.
  std::unique_ptr<TempFolder> folder_;
  win::UniqueHkey root_;
};

}  // namespace

Expected<std::unique_ptr<Hive>, std::string> open_hive(const std::filesystem::path& file) {
  std::error_code ec;
  std::random_device rd;
  auto folder = std::make_unique<TempFolder>(std::filesystem::temp_directory_path(ec) /
                                             fmt::format("smbaudit-hive-{:08x}{:08x}", rd(), rd()));
  if (ec || !std::filesystem::create_directory(folder->path(), ec))
    return Unexpected(std::string("cannot create a temporary folder for a copy of the hive"));
  const auto copy = folder->path() / "hive";
  if (!std::filesystem::copy_file(file, copy, ec))
    return Unexpected("cannot copy the hive to a temporary file: " + ec.message());
  // The copy keeps the image's read-only attribute, which would stop the hive from loading.
  SetFileAttributesW(copy.c_str(), FILE_ATTRIBUTE_NORMAL);
  win::UniqueHkey root;
  const LSTATUS status = RegLoadAppKeyW(copy.c_str(), root.put(), KEY_READ, REG_PROCESS_APPKEY, 0);
  if (status != ERROR_SUCCESS) {
    if (auto damage = find_bin_damage(file)) return Unexpected("corrupted hive: " + *damage);
    return Unexpected("Windows cannot load the hive: " +
                      win::describe_win32("RegLoadAppKeyW", static_cast<DWORD>(status)));
  }
  // Wine's stub returns success with a handle that opens nothing: check the root is readable.
  DWORD subkeys = 0;
  const LSTATUS query = RegQueryInfoKeyW(root.get(), nullptr, nullptr, nullptr, &subkeys, nullptr, nullptr, nullptr,
                                         nullptr, nullptr, nullptr, nullptr);
  if (query != ERROR_SUCCESS)
    return Unexpected("the hive loaded but cannot be read (as under Wine, whose RegLoadAppKeyW is a stub): " +
                      win::describe_win32("RegQueryInfoKeyW", static_cast<DWORD>(query)));
  return std::unique_ptr<Hive>(std::make_unique<WindowsHive>(std::move(folder), std::move(root)));
}

}  // namespace smbaudit::offline
