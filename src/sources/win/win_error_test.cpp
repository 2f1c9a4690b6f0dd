#ifdef _WIN32
#include "win_error.h"

#include <gtest/gtest.h>
#include <windows.h>

namespace smbaudit::win {
namespace {

TEST(WinError, NamesTheApiTheSystemMessageAndTheCode) {
  const std::string text = describe_win32("RegOpenKeyExW", ERROR_ACCESS_DENIED);
  EXPECT_EQ(text.rfind("RegOpenKeyExW: ", 0), 0u) << text;
  EXPECT_NE(text.find("(5)"), std::string::npos) << text;
  EXPECT_EQ(text.find("unknown error"), std::string::npos) << text;
  EXPECT_EQ(text.find('\n'), std::string::npos) << text;
}

TEST(WinError, NamesWmiCodesTheSystemTableLacks) {
  EXPECT_EQ(describe_hresult("ConnectServer", static_cast<std::int32_t>(0x8004100E)),
            "ConnectServer: invalid namespace (0x8004100E)");
  EXPECT_EQ(describe_hresult("ExecQuery", static_cast<std::int32_t>(0x80041010)),
            "ExecQuery: invalid class (0x80041010)");
}

TEST(WinError, EverySystemMessageIsOneLine) {
  // Some system messages span lines (and netmsg.dll's often do): evidence is one line each.
  for (std::uint32_t code = 0; code < 3000; ++code) {
    const std::string text = win32_message(code);
    ASSERT_EQ(text.find_first_of("\r\n"), std::string::npos) << code << ": " << text;
  }
}

TEST(WinError, SaysUnknownErrorForACodeWithoutAMessage) {
  EXPECT_EQ(win32_message(0x2FFFFFFF), "unknown error");
}

}  // namespace
}  // namespace smbaudit::win
#endif
