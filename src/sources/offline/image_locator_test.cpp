// Image locators: which one the flags choose, and hives located as in-memory bytes.
#include "image_locator.h"

#include <gtest/gtest.h>

#include "offline_source.h"
#include "support/temp_dir.h"
#ifdef SMBAUDIT_HAVE_HIVEX
#include "support/hive_builder.h"
#endif

namespace smbaudit::offline {
namespace {

using test_support::TempDir;

TEST(ImageLocators, EachOwnsItsFlagsAndTheOfflineSourceListsThemAll) {
  std::vector<std::string_view> names;
  for (const auto& locator : image_locators())
    for (const auto& flag : locator.flags) names.push_back(flag.name);
  EXPECT_EQ(names, (std::vector<std::string_view>{"--system", "--software", "--image-root", "--image", "--image-index",
                                                  "--partition"}));
  EXPECT_EQ(locator_flags().size(), names.size());
  // Settings tune a locator but do not choose it, so the usage names only --image.
  EXPECT_EQ(locator_usage(), "--system PATH --software PATH | --image-root DIR | --image FILE");
}

TEST(ImageLocators, ASettingOfAnotherLocatorIsRefusedRatherThanIgnored) {
  SourceArgs args;
  args.set("--system", "SYSTEM");
  args.integer_slot("--partition") = 2;
  auto sources = open_offline_sources(args);
  ASSERT_FALSE(sources);
  EXPECT_EQ(sources.error().failure, CollectFailure::BadInput);
  EXPECT_EQ(sources.error().message, "--partition goes with --image, not with --system or --software");
}

TEST(ImageLocators, ASettingLeftAtItsFallbackIsNotGiven) {
  SourceArgs args;
  const SourceFlag index{"--image-index", "N", "", FlagKind::Integer, FlagRole::Setting, 1, 65535, 0};
  EXPECT_FALSE(args.given(index));
  args.integer_slot("--image-index") = 0;  // what the command line leaves in a flag not given
  EXPECT_FALSE(args.given(index));
  args.integer_slot("--image-index") = 1;
  EXPECT_TRUE(args.given(index));
}

TEST(ImageLocators, TwoLocatorsCannotBeCombined) {
  SourceArgs args;
  args.set("--system", "SYSTEM").set("--image-root", "/mnt/win");
  auto sources = open_offline_sources(args);
  ASSERT_FALSE(sources);
  EXPECT_EQ(sources.error().failure, CollectFailure::BadInput);
  EXPECT_EQ(sources.error().message, "--image-root cannot be combined with --system or --software");
}

TEST(ImageLocators, AMissingRootIsBadInputNamingIt) {
  test_support::TempDir dir;
  SourceArgs args;
  args.set("--image-root", (dir.path() / "nowhere").string());
  auto sources = open_offline_sources(args);
  ASSERT_FALSE(sources);
  EXPECT_EQ(sources.error().message, (dir.path() / "nowhere").string() + ": no such folder");
}

TEST(LocatedHive, AFileIsOpenedWhereItIsAndNamedByItsPath) {
  const LocatedHive hive = LocatedHive::file("/mnt/win/Windows/System32/config/SYSTEM");
  EXPECT_EQ(hive.path(), "/mnt/win/Windows/System32/config/SYSTEM");
  EXPECT_EQ(hive.name(), "/mnt/win/Windows/System32/config/SYSTEM");
  EXPECT_EQ(hive.held(), nullptr);
}

TEST(LocatedHive, BytesThatAreNoHiveAreRefusedByTheNameTheLocatorGave) {
  const std::string junk = "not a hive";
  auto hive = LocatedHive::bytes({reinterpret_cast<const std::uint8_t*>(junk.data()), junk.size()},
                                 "golden.wim:1:\\Windows\\System32\\config\\SYSTEM");
  ASSERT_TRUE(hive) << hive.error();
  LocatedImage image;
  image.system = *hive;
  auto source = open_located_image(image);
  ASSERT_FALSE(source);
  EXPECT_EQ(source.error().message,
            "golden.wim:1:\\Windows\\System32\\config\\SYSTEM: SYSTEM hive: not a registry hive (no 'regf' signature)");
}

TEST(ImageHives, FindsTheHivesUnderAMountedVolumeInAnyCase) {
  TempDir dir;
  dir.write("vol/windows/system32/CONFIG/system", "x");
  dir.write("vol/windows/system32/CONFIG/Software", "x");
  dir.write("vol/windows/system32/CONFIG/SYSTEM.LOG1", "x");
  auto found = find_image_hives(dir.path() / "vol");
  ASSERT_TRUE(found) << found.error();
  ASSERT_TRUE(found->system && found->software);
  EXPECT_EQ(found->system->filename(), "system");
  EXPECT_EQ(found->software->filename(), "Software");
}

TEST(ImageHives, ExplainsAFolderThatIsNotAWindowsVolume) {
  TempDir dir;
  dir.write("vol/Users/readme.txt", "x");
  EXPECT_EQ(find_image_hives(dir.path() / "vol").error(),
            "no Windows/System32/config folder under it (is it the root of a mounted Windows volume?)");
  EXPECT_EQ(find_image_hives(dir.path() / "nothing").error(), "no such folder");
  EXPECT_EQ(find_image_hives(dir.path() / "vol" / "Users" / "readme.txt").error(),
            "not a folder (give the root of a mounted Windows volume)");
  dir.write("empty/Windows/System32/config/SAM", "x");
  EXPECT_NE(find_image_hives(dir.path() / "empty").error().find("holds neither a SYSTEM nor a SOFTWARE hive"),
            std::string::npos);
}

TEST(ImageHives, MissingSoftwareUnderTheRootIsAllowed) {
  TempDir dir;
  dir.write("vol/Windows/System32/config/SYSTEM", "x");
  auto found = find_image_hives(dir.path() / "vol");
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->system);
  EXPECT_FALSE(found->software);
}

#ifdef SMBAUDIT_HAVE_HIVEX
// What the image-file locator of the next phase hands over: hive bytes read out of an image.
TEST(LocatedHive, HiveBytesAreReadThroughAPrivateFileThatGoesWithTheSource) {
  test_support::TempDir dir;
  test_support::HiveSpec software;
  software.set("Microsoft\\Windows NT\\CurrentVersion",
               {test_support::sz("CurrentBuildNumber", "26100"), test_support::sz("EditionID", "Enterprise")});
  const auto file = dir.path() / "SOFTWARE";
  auto failed = test_support::write_hive(software, file);
  ASSERT_FALSE(failed) << *failed;
  const std::string bytes = test_support::read_file(file);
  std::filesystem::remove(file);

  std::filesystem::path held;
  {
    auto hive = LocatedHive::bytes({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()},
                                   "golden.wim:1:\\Windows\\System32\\config\\SOFTWARE");
    ASSERT_TRUE(hive) << hive.error();
    held = hive->path();
    LocatedImage image;
    image.software = std::move(*hive);
    image.missing_note = "no SYSTEM hive in golden.wim:1";
    auto source = open_located_image(image);
    image = {};  // the source alone keeps the bytes now
    ASSERT_TRUE(source) << source.error().message;
    auto host = (*source)->host();
    ASSERT_TRUE(host) << host.error().message;
    EXPECT_EQ(host->build, 26100);
    EXPECT_EQ(host->edition, "Enterprise");
    EXPECT_NE((*source)->info().description.find("golden.wim:1:\\Windows\\System32\\config\\SOFTWARE"),
              std::string::npos)
        << (*source)->info().description;
    FactPlan plan;
    plan.registry_keys.insert("HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion");
    auto facts = (*source)->collect(plan);
    ASSERT_TRUE(facts);
    auto key = facts->registry_key("HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion");
    ASSERT_TRUE(key);
    EXPECT_EQ(key->origin,
              "golden.wim:1:\\Windows\\System32\\config\\SOFTWARE:\\Microsoft\\Windows NT\\CurrentVersion");
    EXPECT_TRUE(std::filesystem::exists(held));
  }
  EXPECT_FALSE(std::filesystem::exists(held)) << "the private file outlived the source";
}
#endif

}  // namespace
}  // namespace smbaudit::offline
