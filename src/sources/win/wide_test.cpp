#ifdef _WIN32
#include "wide.h"

#include <gtest/gtest.h>

namespace smbaudit::win {
namespace {

TEST(Wide, RoundTripsNonAsciiText) {
  const std::string utf8 = "W\xC3\xB6rkstation \xE2\x80\x94 \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x94\x92";
  const std::wstring wide = to_wide(utf8);
  EXPECT_EQ(wide.substr(0, 3), std::wstring(L"W\u00F6r"));
  EXPECT_EQ(to_utf8(wide), utf8);
  EXPECT_EQ(to_utf8(L""), "");
  EXPECT_EQ(to_wide(""), L"");
}

TEST(Wide, ReplacesAnUnpairedSurrogateInsteadOfFailing) {
  const wchar_t broken[] = {L'a', static_cast<wchar_t>(0xD800), L'b', 0};
  EXPECT_EQ(to_utf8(broken),
            "a\xEF\xBF\xBD"
            "b");
}

}  // namespace
}  // namespace smbaudit::win
#endif
