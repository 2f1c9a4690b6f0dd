#include "smbaudit/text.h"

#include <gtest/gtest.h>

#include "smbaudit/facts.h"

namespace smbaudit {
namespace {

TEST(Text, ContainsIgnoresAsciiCase) {
  EXPECT_TRUE(icontains("v2.30|Action=BLOCK|Dir=Out|", "block"));
  EXPECT_TRUE(icontains("abc", ""));
  EXPECT_FALSE(icontains("v2.30|Action=Allow|", "block"));
  EXPECT_FALSE(icontains("blo", "block"));
  EXPECT_TRUE(icontains("bblBLOCK", "block"));  // a false start just before the match
  EXPECT_TRUE(icontains("Block", "block"));     // the whole string
  EXPECT_TRUE(icontains("x|blocK", "block"));   // at the very end
  EXPECT_FALSE(icontains("x|bloc", "block"));
}

TEST(GlobMatch, MatchesStarsCaseInsensitively) {
  EXPECT_TRUE(glob_match("Server*", "ServerStandard"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("smb1-*", "SMB1-client-disabled"));
  EXPECT_TRUE(glob_match("a*b*c", "axxbyyc"));
  EXPECT_FALSE(glob_match("Server*", "Enterprise"));
  EXPECT_FALSE(glob_match("a*b", "ac"));
}

TEST(GlobMatch, StaysFastOnPathologicalPatterns) {
  const std::string text(5000, 'a');
  EXPECT_FALSE(glob_match("*a*a*a*a*a*a*a*a*b", text));
}

TEST(RegistryPath, NormalizesTheLongHiveName) {
  auto p = normalize_registry_path("HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies");
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, "HKLM\\SOFTWARE\\Policies");
}

TEST(RegistryPath, RejectsOtherHivesEmptyComponentsAndSlashes) {
  EXPECT_FALSE(normalize_registry_path("HKCU\\Software\\X"));
  EXPECT_FALSE(normalize_registry_path("HKLM\\SAM\\Domains"));
  EXPECT_FALSE(normalize_registry_path("HKLM\\SYSTEM\\\\Services"));
  EXPECT_FALSE(normalize_registry_path("HKLM\\SYSTEM\\Services\\"));
  EXPECT_FALSE(normalize_registry_path("HKLM\\SYSTEM/CurrentControlSet"));
  EXPECT_FALSE(normalize_registry_path(""));
}

TEST(FactSet, ReportsAFactNobodyCollectedAsUnknown) {
  FactSet facts;
  auto key = facts.registry_key("HKLM\\SYSTEM\\X");
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().problem, FactProblem::Unknown);
}

TEST(FactSet, FindsRegistryKeysAndValuesWhateverTheirCase) {
  FactSet facts;
  RegistryKeyFact key{Presence::Present, {RegValue{"RequireSecuritySignature", RegType::Dword, std::int64_t{1}}}, ""};
  facts.registry.emplace("HKLM\\SYSTEM\\Params", key);
  auto found = facts.registry_key("hklm\\system\\PARAMS");
  ASSERT_TRUE(found);
  EXPECT_NE(found->find("requiresecuritysignature"), nullptr);
}

}  // namespace
}  // namespace smbaudit

namespace smbaudit {
namespace {

TEST(Text, WrapLinesBreaksAtSpacesUnderAHangingIndent) {
  EXPECT_EQ(wrap_lines("one two three four", "- ", "  ", 10), "- one two\n  three\n  four\n");
  EXPECT_EQ(wrap_lines("averyveryverylongword x", "", "", 8), "averyveryverylongword\nx\n")
      << "a word longer than the width keeps a line of its own";
  EXPECT_EQ(wrap_lines("one two three", "> ", "  ", 0), "> one two three\n") << "width 0: one line";
  EXPECT_EQ(wrap_lines("a  b", "", "", 80), "a  b\n") << "two spaces stay two";
  EXPECT_EQ(wrap_lines("é é é é", "", "", 3), "é é\né é\n") << "characters, not bytes, take columns";
}

}  // namespace
}  // namespace smbaudit
