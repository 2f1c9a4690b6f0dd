// End-to-end tests of offline images: the real binary over fixture hives built at test time,
// laid out as a mounted Windows volume would be, and over files that are not good hives.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/hive_builder.h"
#include "../support/temp_dir.h"
#include "../support/windows_images.h"
#include "run.h"

namespace smbaudit {
namespace {

using test_support::read_file;
using test_support::run_smbaudit;
using test_support::TempDir;

class Offline : public ::testing::Test {
 protected:
  // Writes `image`'s hives into `config` (a path under the temporary folder) as SYSTEM and SOFTWARE
  // files with the given names.
  void write(const std::string& image, const std::string& config, const std::string& system_name = "SYSTEM",
             const std::string& software_name = "SOFTWARE") {
    const auto folder = dir_.path() / config;
    std::filesystem::create_directories(folder);
    auto failed = test_support::write_image_hives(*test_support::windows_image(image), folder / system_name,
                                                  folder / software_name);
    ASSERT_FALSE(failed) << *failed;
  }
  std::string path(const std::string& relative) const { return (dir_.path() / relative).string(); }

  // Exit 2 and exactly one line on stderr, which names the file and says what is wrong.
  static void expect_bad_input(const test_support::RunResult& r, const std::string& file, const std::string& what) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(file + ": "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
  }

  TempDir dir_;
};

TEST_F(Offline, ImageRootFindsDifferentlyCasedHivesAndAuditsThem) {
  write("default-7601-professional", "vol/windows/system32/CONFIG", "system", "Software");
  auto r = run_smbaudit({"audit", "--image-root", path("vol"), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["source"]["kind"], "offline");
  const std::string description = report["source"]["description"];
  EXPECT_NE(description.find(path("vol/windows/system32/CONFIG/system")), std::string::npos) << description;
  EXPECT_NE(description.find("CurrentControlSet = ControlSet002"), std::string::npos) << description;
  EXPECT_EQ(report["host"]["name"], "WIN7-PRO");
  EXPECT_EQ(report["host"]["os_build"], 7601);
  std::map<std::string, std::string> verdicts;
  for (const auto& f : report["findings"]) verdicts[f["rule"]] = f["status"];
  EXPECT_EQ(verdicts["smb1-client-disabled"], "fail");
  EXPECT_EQ(verdicts["security-updates-current"], "unknown");
  for (const auto& f : report["findings"])
    if (f["rule"] == "smb1-client-disabled") {
      EXPECT_EQ(f["evidence"][0]["origin"],
                path("vol/windows/system32/CONFIG/system") + ":\\ControlSet002\\Services\\mrxsmb10");
    }
}

TEST_F(Offline, SystemAndSoftwareFlagsGiveTheTextReport) {
  write("hardened-26100-enterprise", "hives");
  auto r = run_smbaudit({"audit", "--system", path("hives/SYSTEM"), "--software", path("hives/SOFTWARE")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Host     WS-HARDENED (workstation, build 26100.8655, Enterprise, domain corp.example)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Source   offline SYSTEM " + path("hives/SYSTEM")), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("FAIL "), std::string::npos) << r.out;
}

TEST_F(Offline, OneHiveAloneLeavesTheOthersRulesUnknownAndSaysWhichIsMissing) {
  write("hardened-26100-enterprise", "hives");
  auto r = run_smbaudit({"audit", "--system", path("hives/SYSTEM"), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_NE(report["source"]["description"].get<std::string>().find("SOFTWARE not read (no --software hive given)"),
            std::string::npos);
  EXPECT_TRUE(report["host"]["os_build"].is_null()) << "the build is in SOFTWARE";
  for (const auto& f : report["findings"]) {
    if (f["rule"] == "lm-compatibility-level") {
      EXPECT_EQ(f["status"], "pass") << "a SYSTEM value with no default depending on the build";
    }
    if (f["rule"] == "insecure-guest-logons-disabled") {
      EXPECT_EQ(f["status"], "unknown") << "the policy value lives in SOFTWARE";
      EXPECT_NE(f["explanation"].get<std::string>().find("SOFTWARE hive not read"), std::string::npos);
    }
  }
}

TEST_F(Offline, BadHiveFilesAreOneLineAndExitTwo) {
  write("default-26100-home", "good");
  const std::string good = read_file(path("good/SYSTEM"));
  dir_.write("text.reg", "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM]\r\n");
  dir_.write("truncated", good.substr(0, good.size() / 2));
  std::string damaged = good;
  damaged.replace(0x2000, 4, "XXXX");  // the second bin's signature
  dir_.write("damaged", damaged);
  std::filesystem::create_directories(path("folder"));

  expect_bad_input(run_smbaudit({"audit", "--system", path("missing")}), path("missing"), "no such file");
  expect_bad_input(run_smbaudit({"audit", "--system", path("folder")}), path("folder"), "is a directory");
  expect_bad_input(run_smbaudit({"audit", "--system", path("text.reg")}), path("text.reg"),
                   "not a registry hive (no 'regf' signature)");
  expect_bad_input(run_smbaudit({"audit", "--system", path("truncated")}), path("truncated"), "truncated hive");
  expect_bad_input(run_smbaudit({"audit", "--system", path("damaged")}), path("damaged"),
                   "corrupted hive: no hive bin at 0x2000");
  // A SOFTWARE hive given as SYSTEM, and the other way round.
  expect_bad_input(run_smbaudit({"audit", "--system", path("good/SOFTWARE")}), path("good/SOFTWARE"),
                   "not a SYSTEM hive: it has no Select key");
  expect_bad_input(run_smbaudit({"audit", "--software", path("good/SYSTEM")}), path("good/SYSTEM"),
                   "not a SOFTWARE hive");
  // A user's NTUSER.DAT (its usual top-level keys, no Select) given as either machine hive.
  test_support::HiveSpec ntuser;
  ntuser.set("Software\\Microsoft\\Windows\\CurrentVersion\\Explorer", {test_support::dword("ShowFrequent", 1)})
      .set("Environment", {test_support::sz("TEMP", "%USERPROFILE%\\AppData\\Local\\Temp")})
      .set("Control Panel\\Desktop", {test_support::sz("Wallpaper", "")});
  ASSERT_EQ(test_support::write_hive(ntuser, path("NTUSER.DAT")), std::nullopt);
  expect_bad_input(run_smbaudit({"audit", "--system", path("NTUSER.DAT")}), path("NTUSER.DAT"),
                   "not a SYSTEM hive: it has no Select key");
  expect_bad_input(run_smbaudit({"audit", "--software", path("NTUSER.DAT")}), path("NTUSER.DAT"),
                   "not a SOFTWARE hive");
}

TEST_F(Offline, ImageRootProblemsAreBadInput) {
  dir_.write("notwindows/readme.txt", "x");
  expect_bad_input(run_smbaudit({"audit", "--image-root", path("notwindows")}), path("notwindows"),
                   "no Windows/System32/config folder");
  auto both = run_smbaudit({"audit", "--image-root", path("notwindows"), "--system", path("x")});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("--image-root cannot be combined with --system or --software"), std::string::npos);
  auto mixed = run_smbaudit({"audit", "--image-root", path("notwindows"), "--facts", path("x.json")});
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_NE(mixed.err.find("cannot be combined"), std::string::npos) << mixed.err;
}

std::map<std::string, std::string> verdicts_of(const test_support::RunResult& r) {
  std::map<std::string, std::string> out;
  const auto report = nlohmann::json::parse(r.out);  // named: a temporary would die before the loop
  for (const auto& f : report["findings"]) out[f["rule"]] = f["status"];
  return out;
}

// NetBIOS over TCP/IP off on every interface (NetbiosOptions 2 in each NetBT Interfaces
// subkey) is read from the image, and from a facts file collected from it.
TEST_F(Offline, EveryInterfaceSubkeyIsReadFromTheImageAndFromItsCollectedFacts) {
  auto image = *test_support::windows_image("default-7601-professional");
  const std::string interfaces = "ControlSet002\\Services\\NetBT\\Parameters\\Interfaces\\";
  image.system.set(interfaces + "Tcpip_{A}", {test_support::dword("NetbiosOptions", 2)});
  image.system.set(interfaces + "Tcpip_{B}", {test_support::dword("NetbiosOptions", 2)});
  std::filesystem::create_directories(path("off"));
  ASSERT_FALSE(test_support::write_image_hives(image, path("off/SYSTEM"), path("off/SOFTWARE")));
  image.system.set(interfaces + "Tcpip_{C}", {test_support::dword("NetbiosOptions", 0)});
  std::filesystem::create_directories(path("one-on"));
  ASSERT_FALSE(test_support::write_image_hives(image, path("one-on/SYSTEM"), path("one-on/SOFTWARE")));

  const std::string rule = "netbios-name-resolution-restricted";
  auto off = run_smbaudit({"audit", "--system", path("off/SYSTEM"), "--software", path("off/SOFTWARE"), "--only", rule,
                           "--format", "json"});
  ASSERT_EQ(off.exit_code, 0) << off.err;
  EXPECT_EQ(verdicts_of(off).at(rule), "pass") << off.out;
  auto one_on = run_smbaudit({"audit", "--system", path("one-on/SYSTEM"), "--software", path("one-on/SOFTWARE"),
                              "--only", rule, "--format", "json"});
  EXPECT_EQ(verdicts_of(one_on).at(rule), "fail") << one_on.out;
  EXPECT_NE(one_on.out.find("Tcpip_{C}\\\\NetbiosOptions is 0"), std::string::npos) << one_on.out;

  auto collected = run_smbaudit(
      {"collect", "--system", path("off/SYSTEM"), "--software", path("off/SOFTWARE"), "--output", path("off.json")});
  ASSERT_EQ(collected.exit_code, 0) << collected.err;
  auto from_facts = run_smbaudit({"audit", "--facts", path("off.json"), "--only", rule, "--format", "json"});
  ASSERT_EQ(from_facts.exit_code, 0) << from_facts.err;
  EXPECT_EQ(verdicts_of(from_facts).at(rule), "pass") << from_facts.out;
}

TEST_F(Offline, TheCommittedExampleImageAuditsLikeTheFixtureItWasBuiltFrom) {
  write("golden-26100-pro", "fresh/Windows/System32/config");
  const auto example = std::filesystem::path(SMBAUDIT_SOURCE_DIR) / "examples" / "golden-image";
  auto committed = run_smbaudit({"audit", "--image-root", example.string(), "--profile", "strict", "--format", "json"});
  auto fresh = run_smbaudit({"audit", "--image-root", path("fresh"), "--profile", "strict", "--format", "json"});
  ASSERT_EQ(committed.exit_code, 0) << committed.err;
  ASSERT_EQ(fresh.exit_code, 0) << fresh.err;
  const auto verdicts = verdicts_of(committed);
  EXPECT_EQ(verdicts, verdicts_of(fresh)) << "rebuild the example with scripts/make-example-image.sh";
  EXPECT_EQ(verdicts.at("unc-hardened-paths"), "fail");
  EXPECT_EQ(verdicts.at("insecure-guest-logons-disabled"), "pass");
}

}  // namespace
}  // namespace smbaudit
