#include "pack_loading.h"

#include <gtest/gtest.h>

#include <string>

namespace smbaudit {
namespace {

TEST(PackLoading, TheBuiltInPackRunsWithTheGuideProfileUnlessAnotherIsNamed) {
  auto loaded = load_rules("", "");
  ASSERT_TRUE(loaded) << loaded.error().lines.front();
  ASSERT_TRUE(loaded->profile);
  EXPECT_EQ(loaded->profile->name, "guide");
  EXPECT_EQ(loaded->sha256, std::string(builtin_pack_digest()));
  EXPECT_TRUE(loaded->version);
  EXPECT_FALSE(loaded->pack.rules.empty());
}

TEST(PackLoading, AProfileThatIsNotThereNamesTheOnesThatAre) {
  auto loaded = load_rules("", "strictest");
  ASSERT_FALSE(loaded);
  ASSERT_EQ(loaded.error().lines.size(), 1u);
  const std::string& line = loaded.error().lines.front();
  EXPECT_EQ(line.rfind("no profile 'strictest' in built-in (available: ", 0), 0u) << line;
  EXPECT_NE(line.find("guide"), std::string::npos) << line;
}

TEST(PackLoading, ADigestThatDiffersIsRefusedBeforeThePackIsParsed) {
  auto loaded = load_rules("", "", std::string(64, '0'));
  ASSERT_FALSE(loaded);
  ASSERT_EQ(loaded.error().lines.size(), 1u);
  EXPECT_EQ(loaded.error().lines.front().rfind("rule pack digest mismatch for built-in: expected 000", 0), 0u)
      << loaded.error().lines.front();
  EXPECT_TRUE(load_rules("", "", std::string(builtin_pack_digest())));
}

TEST(PackLoading, AFolderThatIsNotThereIsOneProblemNamingIt) {
  auto files = pack_files("/no/such/pack");
  ASSERT_FALSE(files);
  EXPECT_EQ(files.error().origin, "/no/such/pack");
  ASSERT_EQ(files.error().lines.size(), 1u);
  EXPECT_NE(files.error().lines.front().find("/no/such/pack"), std::string::npos) << files.error().lines.front();
}

}  // namespace
}  // namespace smbaudit
