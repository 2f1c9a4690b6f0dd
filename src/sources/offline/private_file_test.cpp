#include "private_file.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>

#include "support/temp_dir.h"

namespace smbaudit::offline {
namespace {

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool empty_folder(const std::filesystem::path& dir) {
  return std::filesystem::directory_iterator(dir) == std::filesystem::directory_iterator();
}

// Points the temporary folder at a fresh one for one test, so nothing else writes there, and
// gives back the previous setting (or none) afterwards.
class PrivateTemp {
 public:
  PrivateTemp() {
    if (const char* old = std::getenv(kVariable)) old_ = old;
    set(dir_.path().string());
  }
  ~PrivateTemp() {
    if (old_)
      set(*old_);
    else
      unset();
  }
  PrivateTemp(const PrivateTemp&) = delete;
  PrivateTemp& operator=(const PrivateTemp&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return dir_.path(); }

 private:
#ifdef _WIN32
  static constexpr const char* kVariable = "TMP";
  static void set(const std::string& value) {
    _putenv_s(kVariable, value.c_str());
  }
  static void unset() {
    _putenv_s(kVariable, "");
  }  // an empty value removes it on Windows
#else
  static constexpr const char* kVariable = "TMPDIR";
  static void set(const std::string& value) {
    setenv(kVariable, value.c_str(), 1);
  }
  static void unset() {
    unsetenv(kVariable);
  }
#endif
  test_support::TempDir dir_;
  std::optional<std::string> old_;
};

TEST(PrivateFile, GivesAPathThatReadsBackTheBytes) {
  const std::string text("regf\0\x01\xff hive bytes", 17);
  auto file = PrivateFile::hold({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
  ASSERT_TRUE(file) << file.error();
  EXPECT_EQ(read_all((*file)->path()), text);
  EXPECT_EQ(std::filesystem::file_size((*file)->path()), text.size());
  // Opened twice (the header check, then hivex): both read the bytes from the start.
  EXPECT_EQ(read_all((*file)->path()), text);
}

TEST(PrivateFile, LeavesNothingBehindOnceDestroyed) {
  const PrivateTemp tmp;
  std::filesystem::path path;
  {
    const std::vector<std::uint8_t> bytes(64 * 1024, 0x5a);
    auto file = PrivateFile::hold(bytes);
    ASSERT_TRUE(file) << file.error();
    path = (*file)->path();
    EXPECT_TRUE(std::filesystem::exists(path));
    EXPECT_EQ(std::filesystem::file_size(path), bytes.size());
  }
  EXPECT_FALSE(std::filesystem::exists(path)) << path;
  EXPECT_TRUE(empty_folder(tmp.path())) << "something was left in " << tmp.path();
}

TEST(PrivateFile, HoldsAnEmptyFile) {
  auto file = PrivateFile::hold({});
  ASSERT_TRUE(file) << file.error();
  EXPECT_EQ(std::filesystem::file_size((*file)->path()), 0u);
}

}  // namespace
}  // namespace smbaudit::offline
