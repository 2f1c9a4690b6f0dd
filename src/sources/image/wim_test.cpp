#include "wim.h"

#include <gtest/gtest.h>

#include "libyal.h"

namespace smbaudit::image {
namespace {

TEST(Wiminfo, ListsEachImagesIndexAndName) {
  const auto images = parse_wiminfo(
      "WIM Information:\n----------------\nPath:           install.wim\nImage Count:    2\n\n"
      "Available Images:\n-----------------\nIndex:                  1\nName:                   Windows 11 Pro\n"
      "Description:            Windows 11 Pro\nDisplay Name:           Windows 11 Pro\n\n"
      "Index:                  2\nName:                   Windows 11 Enterprise: N\nDescription:  x\n");
  ASSERT_EQ(images.size(), 2u);
  EXPECT_EQ(images[0].index, 1);
  EXPECT_EQ(images[0].name, "Windows 11 Pro");
  EXPECT_EQ(images[1].index, 2);
  EXPECT_EQ(images[1].name, "Windows 11 Enterprise: N");
}

TEST(Wiminfo, IgnoresLinesThatAreNotImages) {
  EXPECT_TRUE(parse_wiminfo("").empty());
  EXPECT_TRUE(parse_wiminfo("Name: orphan\nIndex: x\nIndex: 3abc\n").empty());
}

TEST(LibyalCause, TakesTheDeepestCauseWithoutTheFunctionName) {
  EXPECT_EQ(
      libyal_cause("libvhdi_file_header_read_data: unsupported signature.\n"
                   "libvhdi_file_open_read: unable to read file header.\nlibvhdi_file_open: unable to open file."),
      "unsupported signature");
  EXPECT_EQ(libyal_cause(""), "");
}

}  // namespace
}  // namespace smbaudit::image
