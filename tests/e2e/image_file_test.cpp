// End-to-end tests of --image FILE: the real binary over image files built at test time with
// Debian's tools (tests/support/image_fixtures.h). Every container must give the verdicts its
// hive files give, on audit, explain, remediate and collect; bad images are one line and exit 2.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include "../support/gpo_fixtures.h"
#include "../support/image_fixtures.h"
#include "../support/temp_dir.h"
#include "run.h"

namespace smbaudit {
namespace {

namespace fs = std::filesystem;
using test_support::read_file;
using test_support::run_smbaudit;
using test_support::RunResult;
using test_support::TempDir;

std::map<std::string, std::string> verdicts_of(const RunResult& r) {
  std::map<std::string, std::string> out;
  const auto report = nlohmann::json::parse(r.out);  // named: a temporary would die before the loop
  for (const auto& f : report["findings"]) out[f["rule"]] = f["status"];
  return out;
}

class ImageFile : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { fixtures_ = new test_support::ImageFixtures; }
  static void TearDownTestSuite() {
    delete fixtures_;
    fixtures_ = nullptr;
  }
  void SetUp() override {
    if (auto missing = test_support::ImageFixtures::missing_tools())
      GTEST_SKIP() << "fixture images cannot be built: " << *missing;
  }
  test_support::ImageFixtures& f() { return *fixtures_; }

  // The report of `audit ARGS --format json`, which must succeed.
  static RunResult audit(std::vector<std::string> args) {
    args.insert(args.begin(), "audit");
    args.insert(args.end(), {"--format", "json"});
    auto r = run_smbaudit(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r;
  }

  // The verdicts of the hive files a fixture tree holds, given with --system and --software.
  static std::map<std::string, std::string> hive_verdicts(const fs::path& tree) {
    const auto config = tree / "Windows/System32/config";
    return verdicts_of(audit({"--system", (config / "SYSTEM").string(), "--software", (config / "SOFTWARE").string()}));
  }

  // Exit 2 and exactly one line on stderr, naming the image and saying what is wrong.
  static void expect_bad_image(const RunResult& r, const fs::path& image, const std::string& what) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(image.string() + ": "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
  }

  static test_support::ImageFixtures* fixtures_;
};

test_support::ImageFixtures* ImageFile::fixtures_ = nullptr;

TEST_F(ImageFile, EveryContainerGivesTheVerdictsOfItsHiveFiles) {
  const auto expected = hive_verdicts(f().tree());
  ASSERT_GT(expected.size(), 20u);
  for (const fs::path& image :
       {f().wim(), f().esd(), f().volume(), f().gpt(), f().mbr(), f().vhd(), f().vhdx(), f().vmdk(), f().qcow2()}) {
    SCOPED_TRACE(image.filename().string());
    auto r = audit({"--image", image.string()});
    if (r.exit_code != 0) continue;
    EXPECT_EQ(verdicts_of(r), expected);
    const auto report = nlohmann::json::parse(r.out);
    EXPECT_EQ(report["source"]["kind"], "offline");
    // The source and every origin name the image and the hive's place in it, never a temporary copy.
    const std::string description = report["source"]["description"];
    EXPECT_NE(description.find("SYSTEM " + image.string()), std::string::npos) << description;
    EXPECT_NE(description.find("\\Windows\\System32\\config\\SOFTWARE"), std::string::npos) << description;
    EXPECT_EQ(description.find("/proc/self/fd"), std::string::npos) << description;
    for (const auto& finding : report["findings"])
      for (const auto& evidence : finding.value("evidence", nlohmann::json::array()))
        if (evidence.contains("origin")) {
          const std::string origin = evidence["origin"];
          EXPECT_EQ(origin.rfind(image.string(), 0), 0u) << origin;
          EXPECT_NE(origin.find(": \\Windows\\System32\\config\\"), std::string::npos) << origin;
        }
  }
}

TEST_F(ImageFile, TheEvidenceSaysWhichPartitionAndKeyDecided) {
  auto r = audit({"--image", f().gpt().string()});
  const auto report = nlohmann::json::parse(r.out);
  bool seen = false;
  for (const auto& finding : report["findings"])
    if (finding["rule"] == "smb1-client-disabled") {
      EXPECT_EQ(finding["evidence"][0]["origin"],
                f().gpt().string() +
                    ", partition 3: \\Windows\\System32\\config\\SYSTEM:\\ControlSet001\\Services\\mrxsmb10");
      seen = true;
    }
  EXPECT_TRUE(seen);
}

TEST_F(ImageFile, AWimWithSeveralImagesNeedsAnIndexThatExists) {
  expect_bad_image(run_smbaudit({"audit", "--image", f().two_images().string()}), f().two_images(),
                   "the WIM holds 2 images; choose one with --image-index N (1: Windows 11 Enterprise, 2: Windows 11 "
                   "Home)");
  expect_bad_image(run_smbaudit({"audit", "--image", f().two_images().string(), "--image-index", "3"}),
                   f().two_images(), "the WIM has no image 3 (it holds 1: Windows 11 Enterprise, 2: Windows 11 Home)");
  EXPECT_EQ(verdicts_of(audit({"--image", f().two_images().string(), "--image-index", "2"})),
            hive_verdicts(f().home_tree()));
  EXPECT_EQ(verdicts_of(audit({"--image", f().two_images().string(), "--image-index", "1"})),
            hive_verdicts(f().tree()));
}

TEST_F(ImageFile, SeveralWindowsPartitionsAreListedAndPartitionPicksOne) {
  expect_bad_image(run_smbaudit({"audit", "--image", f().two_windows().string()}), f().two_windows(),
                   "several Windows volumes: partition 1 (");
  auto listed = run_smbaudit({"audit", "--image", f().two_windows().string()});
  EXPECT_NE(listed.err.find("; choose one with --partition N"), std::string::npos) << listed.err;
  EXPECT_EQ(verdicts_of(audit({"--image", f().two_windows().string(), "--partition", "3"})),
            hive_verdicts(f().home_tree()));
  expect_bad_image(run_smbaudit({"audit", "--image", f().two_windows().string(), "--partition", "2"}),
                   f().two_windows(), "is not a Windows volume");
}

TEST_F(ImageFile, BadImagesAreOneLineAndExitTwo) {
  TempDir dir;
  const std::string vhdx = read_file(f().vhdx());
  const auto cut = dir.write("cut.vhdx", vhdx.substr(0, 300 * 1024));
  expect_bad_image(run_smbaudit({"audit", "--image", cut.string()}), cut, "VHDX: damaged or truncated virtual disk");
  const std::string gpt = read_file(f().gpt());
  const auto short_disk = dir.write("short.img", gpt.substr(0, 6 << 20));
  expect_bad_image(run_smbaudit({"audit", "--image", short_disk.string()}), short_disk,
                   "ends past the end of the disk");
  const auto child = dir.path() / "child.avhdx";
  ASSERT_EQ(test_support::make_differencing_vhdx(f().vhdx(), child, "golden-base.vhdx"), std::nullopt);
  expect_bad_image(run_smbaudit({"audit", "--image", child.string()}), child,
                   "VHDX: a differencing disk whose parent 'C:\\images\\golden-base.vhdx' is missing");
  expect_bad_image(run_smbaudit({"audit", "--image", f().no_windows().string()}), f().no_windows(),
                   "no Windows volume");
  expect_bad_image(run_smbaudit({"audit", "--image", f().no_windows_wim().string()}), f().no_windows_wim(),
                   "no Windows volume");
  expect_bad_image(run_smbaudit({"audit", "--image", (dir.path() / "missing.vhdx").string()}),
                   dir.path() / "missing.vhdx", "no such file");
}

TEST_F(ImageFile, SettingsGoWithImageOnlyAndImageWithNoOtherSource) {
  const auto config = f().tree() / "Windows/System32/config";
  auto r = run_smbaudit({"audit", "--system", (config / "SYSTEM").string(), "--image-index", "2"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--image-index goes with --image, not with --system or --software"), std::string::npos) << r.err;
  r = run_smbaudit({"audit", "--image-root", f().tree().string(), "--partition", "1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--partition goes with --image"), std::string::npos) << r.err;
  r = run_smbaudit({"audit", "--image", f().wim().string(), "--image-root", f().tree().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot be combined"), std::string::npos) << r.err;
}

TEST_F(ImageFile, ExplainRemediateAndCollectReadTheImageToo) {
  const std::string image = f().vhdx().string();
  auto explained = run_smbaudit({"explain", "smb1-client-disabled", "--image", image});
  EXPECT_EQ(explained.exit_code, 0) << explained.err;
  EXPECT_NE(explained.out.find(image + ", partition 3: \\Windows\\System32\\config\\SYSTEM"), std::string::npos)
      << explained.out;

  TempDir dir;
  const auto facts = dir.path() / "facts.json";
  auto collected = run_smbaudit({"collect", "--image", image, "--output", facts.string()});
  ASSERT_EQ(collected.exit_code, 0) << collected.err;
  EXPECT_EQ(verdicts_of(audit({"--facts", facts.string()})), hive_verdicts(f().tree()));

  // An image is offline: a script that would change the computer running it is refused, as for
  // hive files; the Group Policy form, to build into the image, is written.
  auto ps1 =
      run_smbaudit({"remediate", "--image", image, "--format", "ps1", "--output", (dir.path() / "fix").string()});
  EXPECT_EQ(ps1.exit_code, 2) << ps1.err;
  EXPECT_NE(ps1.err.find("the audit read an offline image"), std::string::npos) << ps1.err;
  auto gpo = run_smbaudit({"remediate", "--image", image, "--format", "gpo"});
  EXPECT_EQ(gpo.exit_code, 0) << gpo.err;
  EXPECT_NE(gpo.out.find("The audit read an offline image: build these settings into the image"), std::string::npos)
      << gpo.out;
}

TEST_F(ImageFile, LeavesNothingInTheTemporaryFolderAndNeverWritesTheImage) {
  TempDir tmp;
  const std::string before = read_file(f().vhdx());
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  ::setenv("TMPDIR", tmp.path().c_str(), 1);  // the child inherits it
  audit({"--image", f().vhdx().string()});
  auto failed = run_smbaudit({"audit", "--image", f().two_images().string()});
  audit({"--image", f().wim().string()});
  if (old)
    ::setenv("TMPDIR", saved.c_str(), 1);
  else
    ::unsetenv("TMPDIR");
  EXPECT_EQ(failed.exit_code, 2);
  EXPECT_TRUE(fs::is_empty(tmp.path())) << "a private copy was left in " << tmp.path();
  EXPECT_EQ(read_file(f().vhdx()), before);
}

// Issue 15: the image's local Group Policy (Windows\System32\GroupPolicy\Machine\Registry.pol)
// applies over its hives, as Windows applies it at boot, from an image file and from a mounted
// volume alike; the evidence names the policy file inside the image.
TEST_F(ImageFile, TheImagesLocalGroupPolicyAppliesOverItsHives) {
  TempDir dir;
  const fs::path tree = dir.path() / "tree";
  const std::string pol =
      test_support::PregBuilder()
          .dword("Software\\Policies\\Microsoft\\Windows\\LanmanWorkstation", "AllowInsecureGuestAuth", 1)
          .bytes();
  ASSERT_FALSE(test_support::write_windows_tree("hardened-26100-enterprise", tree, pol));
  const fs::path wim = dir.path() / "weakened.wim";
  ASSERT_FALSE(test_support::make_wim(tree, wim, "Windows 11 Enterprise"));
  ASSERT_EQ(hive_verdicts(tree)["insecure-guest-logons-disabled"], "pass");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--image", wim.string()}, std::vector<std::string>{"--image-root", tree.string()}}) {
    SCOPED_TRACE(args[0]);
    const auto report = nlohmann::json::parse(audit(args).out);
    std::string status, layer;
    for (const auto& finding : report["findings"]) {
      if (finding["rule"] != "insecure-guest-logons-disabled") continue;
      status = finding["status"];
      for (const auto& e : finding["evidence"])
        if (e.value("name", "") == "AllowInsecureGuestAuth" && e.contains("layer"))
          layer = e["layer"]["name"].get<std::string>() + " | " + e["layer"]["location"].get<std::string>();
    }
    EXPECT_EQ(status, "fail");
    EXPECT_NE(layer.find("Local Group Policy"), std::string::npos) << layer;
    EXPECT_NE(layer.find("Registry.pol"), std::string::npos) << layer;
  }
}

}  // namespace
}  // namespace smbaudit
