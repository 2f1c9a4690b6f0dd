#ifdef _WIN32
#include "handles.h"

#include <gtest/gtest.h>
#include <windows.h>

#include <filesystem>
#include <string>

namespace smbaudit::win {
namespace {

// A handle to a new temporary file, deleted when its last handle closes.
HANDLE open_temp_file(const std::wstring& name) {
  const std::wstring path = (std::filesystem::temp_directory_path() / name).wstring();
  return CreateFileW(path.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                     FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, nullptr);
}

TEST(UniqueFileHandle, AFailedCreateFileIsEmptyAndNothingIsClosed) {
  UniqueFileHandle none;
  EXPECT_FALSE(none);
  EXPECT_EQ(none.get(), INVALID_HANDLE_VALUE);
  UniqueFileHandle failed(CreateFileW(L"Z:\\no\\such\\folder\\smbaudit.txt", GENERIC_READ, 0, nullptr, OPEN_EXISTING,
                                      FILE_ATTRIBUTE_NORMAL, nullptr));
  EXPECT_FALSE(failed);  // INVALID_HANDLE_VALUE, which a null check would have taken for a handle
}

TEST(UniqueFileHandle, ReleaseGivesTheHandleUpAndResetClosesTheOldOne) {
  UniqueFileHandle file(open_temp_file(L"smbaudit-handles-a.tmp"));
  ASSERT_TRUE(file);
  const HANDLE released = file.release();
  EXPECT_FALSE(file);
  EXPECT_NE(CloseHandle(released), 0) << "release() must not have closed it";

  UniqueFileHandle owner(open_temp_file(L"smbaudit-handles-b.tmp"));
  ASSERT_TRUE(owner);
  const HANDLE first = owner.get();
  const HANDLE second = open_temp_file(L"smbaudit-handles-c.tmp");
  ASSERT_NE(second, INVALID_HANDLE_VALUE);
  owner.reset(second);
  EXPECT_EQ(owner.get(), second);
  EXPECT_EQ(CloseHandle(first), 0) << "reset(h) must have closed the handle it held";
  owner.reset();
  EXPECT_FALSE(owner);
}

TEST(Bstr, OwnsWhatAnApiWritesAndViewsItWithEmbeddedNulls) {
  Bstr s;
  EXPECT_TRUE(s.view().empty());
  *s.put() = SysAllocStringLen(L"a\0b", 3);
  EXPECT_EQ(s.view(), std::wstring_view(L"a\0b", 3));
  *s.put() = SysAllocString(L"again");  // put() freed the first one
  EXPECT_EQ(s.view(), L"again");
}

}  // namespace
}  // namespace smbaudit::win
#endif
