// End-to-end tests of input as Windows writes it: UTF-16 files from Windows PowerShell 5.1.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/temp_dir.h"
#include "run.h"

namespace smbaudit {
namespace {

using test_support::read_file;
using test_support::run_smbaudit;
using test_support::TempDir;

const std::string kWs01Facts = test_support::source_path("examples/ws01-facts.json");

enum class Order { Little, Big };

// What Windows PowerShell 5.1's `>` and Out-File write: UTF-16 with a byte-order mark.
std::string utf16(const std::string& utf8, Order order) {
  std::u16string units;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    char32_t cp = b;
    std::size_t len = 1;
    if (b >= 0xf0) {
      cp = b & 0x07u;
      len = 4;
    } else if (b >= 0xe0) {
      cp = b & 0x0fu;
      len = 3;
    } else if (b >= 0xc0) {
      cp = b & 0x1fu;
      len = 2;
    }
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3fu);
    i += len;
    if (cp >= 0x10000) {
      units += static_cast<char16_t>(0xd800 + ((cp - 0x10000) >> 10));
      units += static_cast<char16_t>(0xdc00 + ((cp - 0x10000) & 0x3ff));
    } else {
      units += static_cast<char16_t>(cp);
    }
  }
  std::string out = order == Order::Little ? "\xff\xfe" : "\xfe\xff";
  for (char16_t u : units) {
    const char lo = static_cast<char>(u & 0xff), hi = static_cast<char>(u >> 8);
    out += order == Order::Little ? lo : hi;
    out += order == Order::Little ? hi : lo;
  }
  return out;
}

// Issue 16, item 11: a file PowerShell 5.1 wrote was refused with "last read: '\xff'".
TEST(Utf16Input, FactsReportsWaiversAndProfilesWrittenByPowerShellAreRead) {
  TempDir dir;
  for (Order order : {Order::Little, Order::Big}) {
    SCOPED_TRACE(order == Order::Little ? "UTF-16LE" : "UTF-16BE");
    // A facts file with a non-ASCII host name, as `smbaudit collect > facts.json` writes it.
    std::string facts = read_file(kWs01Facts);
    facts.replace(facts.find("\"name\": \"WS01\""), 14, "\"name\": \"WS01-Zürich\"");
    const auto facts16 = dir.write("facts.json", utf16(facts, order));
    const auto waivers = dir.write("waivers.json", utf16(R"J({"schema": "smbaudit-waivers/1", "waivers": [
      {"rule": "ntlm-outgoing-audited", "justification": "pilot", "expires": "2099-12-31"}]})J",
                                                         order));
    const auto profile = dir.write("profile.json", utf16(R"J({"schema": "smbaudit-profile/1", "name": "mine",
      "include": ["ntlm-*", "minimum-password-length"]})J",
                                                         order));
    auto r = run_smbaudit({"audit", "--facts", facts16.string(), "--waivers", waivers.string(), "--profile",
                           profile.string(), "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto report = nlohmann::json::parse(r.out);
    EXPECT_EQ(report["host"]["name"], "WS01-Zürich");
    EXPECT_EQ(report["rules"]["profile"], "mine");
    // A report saved the same way is read back by diff, summary and remediate.
    const auto saved = dir.write("report.json", utf16(r.out, order));
    auto diff = run_smbaudit({"diff", saved.string(), saved.string()});
    EXPECT_EQ(diff.exit_code, 0) << diff.err;
    auto summary = run_smbaudit({"summary", saved.string()});
    EXPECT_EQ(summary.exit_code, 0) << summary.err;
    EXPECT_NE(summary.out.find("WS01-Zürich"), std::string::npos) << summary.out;
    auto remediate =
        run_smbaudit({"remediate", "--report", saved.string(), "--profile", profile.string(), "--format", "gpo"});
    EXPECT_EQ(remediate.exit_code, 0) << remediate.err;
  }
}

TEST(Utf16Input, BrokenUtf16AndUtf16WithoutAByteOrderMarkAreNamedInOneLine) {
  TempDir dir;
  std::string cut = utf16(R"({"schema": "smbaudit-facts/1"})", Order::Little);
  cut.pop_back();
  const auto odd = dir.write("odd.json", cut);
  auto r = run_smbaudit({"audit", "--facts", odd.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("odd.json: UTF-16 text has an odd number of bytes"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  const auto no_bom = dir.write("nobom.json", utf16(R"({"schema": "smbaudit-facts/1"})", Order::Little).substr(2));
  auto n = run_smbaudit({"audit", "--facts", no_bom.string()});
  EXPECT_EQ(n.exit_code, 2);
  EXPECT_NE(n.err.find("nobom.json: the file looks like UTF-16 without a byte-order mark"), std::string::npos) << n.err;
}

}  // namespace
}  // namespace smbaudit
