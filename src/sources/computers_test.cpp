#include "computers.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace smbaudit {
namespace {

using test_support::TempDir;

TEST(ComputerNames, CombinesFlagsAndListSkippingCommentsBlanksAndDuplicates) {
  TempDir dir;
  const auto list = dir.write("hosts.txt", "# file servers\r\nFS01\r\n\r\n  \\\\fs02  \r\nws01\r\nFS01\r\n");
  auto names = computer_names({"WS01", "\\\\srv9"}, list.string());
  ASSERT_TRUE(names) << names.error();
  EXPECT_EQ(*names, (std::vector<std::string>{"WS01", "srv9", "FS01", "fs02"}));
}

TEST(ComputerNames, AcceptsAddressesAndFullyQualifiedNames) {
  auto names = computer_names({"10.0.0.5", "fs01.corp.example", "fe80::1"}, "");
  ASSERT_TRUE(names) << names.error();
  EXPECT_EQ(names->size(), 3u);
}

TEST(ComputerNames, RejectsAShareOrSpaceNamingTheLine) {
  TempDir dir;
  const auto list = dir.write("hosts.txt", "FS01\n\\\\FS02\\share\n");
  auto names = computer_names({}, list.string());
  ASSERT_FALSE(names);
  EXPECT_NE(names.error().find("hosts.txt: line 2:"), std::string::npos) << names.error();
  EXPECT_FALSE(computer_names({"two words"}, ""));
  EXPECT_FALSE(computer_names({""}, ""));
}

TEST(ComputerNames, MissingOrEmptyListIsAnError) {
  TempDir dir;
  auto missing = computer_names({}, (dir.path() / "nope.txt").string());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("cannot open"), std::string::npos);
  auto empty = computer_names({}, dir.write("empty.txt", "# nothing\n").string());
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().find("names no computer"), std::string::npos);
}

}  // namespace
}  // namespace smbaudit

namespace smbaudit {
namespace {

// Issue 16, item 11: `Get-ADComputer ... | Select -Expand Name > hosts.txt` in Windows
// PowerShell 5.1 writes UTF-16LE with a byte-order mark.
TEST(ComputerNames, ReadsAListPowerShellWroteAsUtf16) {
  test_support::TempDir dir;
  const std::string text = "# servers\r\nFS01\r\nFS02\r\n";
  std::string le = "\xff\xfe", be = "\xfe\xff";
  for (char c : text) {
    le += c;
    le += '\0';
    be += '\0';
    be += c;
  }
  for (const auto& bytes : {le, be}) {
    auto names = computer_names({}, dir.write("hosts.txt", bytes).string());
    ASSERT_TRUE(names) << names.error();
    EXPECT_EQ(*names, (std::vector<std::string>{"FS01", "FS02"}));
  }
}

}  // namespace
}  // namespace smbaudit
