// The bad-input catalogue: every tests/bad-input/*.json case (format in
// tests/bad-input/README.md) runs the real binary over files written or generated into a
// temporary folder, and asserts the documented exit code, exactly one error line naming
// what is wrong, a run under 10 s, and that nothing in the folder was created or changed
// (no partial report, the previous report kept).
#include <gtest/gtest.h>
#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#endif

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../support/temp_dir.h"
#include "run.h"

namespace smbaudit {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test_support::Ending;
using test_support::read_file;
using test_support::run_smbaudit;
using test_support::TempDir;

const fs::path kCatalogue = fs::path(SMBAUDIT_SOURCE_DIR) / "tests" / "bad-input";

std::vector<fs::path> case_files() {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(kCatalogue, ec))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string expand(std::string text, const fs::path& tmp) {
  for (const auto& [name, value] :
       {std::pair<std::string, std::string>{"{tmp}", tmp.string()}, {"{source}", SMBAUDIT_SOURCE_DIR}}) {
    for (auto at = text.find(name); at != std::string::npos; at = text.find(name, at + value.size()))
      text.replace(at, name.size(), value);
  }
  return text;
}

std::string from_hex(const std::string& hex) {
  std::string out;
  std::istringstream in(hex);
  std::string byte;
  while (in >> byte) out += static_cast<char>(std::stoi(byte, nullptr, 16));
  return out;
}

// A file's content: a string as is, or {"parts": [...], "size": N} where each part is
// {"text"}, {"hex"}, {"repeat", "count"} or {"copy": PATH-IN-REPOSITORY, "from": OFFSET, "bytes": N}
// (so a case can splice bytes into a committed binary, such as an example hive), and
// "size" extends the file with zeros (sparse, so 100 MB costs nothing).
void write_case_file(const fs::path& path, const json& spec) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  if (spec.is_string()) {
    out << spec.get<std::string>();
    return;
  }
  const json parts = spec.value("parts", json::array());
  for (const auto& part : parts) {
    if (part.contains("text")) {
      out << part["text"].get<std::string>();
    } else if (part.contains("hex")) {
      out << from_hex(part["hex"].get<std::string>());
    } else if (part.contains("repeat")) {
      const auto unit = part["repeat"].get<std::string>();
      for (int i = 0; i < part["count"].get<int>(); ++i) out << unit;
    } else if (part.contains("copy")) {
      std::string text = read_file(fs::path(SMBAUDIT_SOURCE_DIR) / part["copy"].get<std::string>());
      if (part.contains("from")) text.erase(0, std::min(text.size(), part["from"].get<std::size_t>()));
      if (part.contains("bytes")) text.resize(std::min(text.size(), part["bytes"].get<std::size_t>()));
      out << text;
    } else {
      ADD_FAILURE() << "unknown part " << part.dump();
    }
  }
  out.close();
  if (spec.contains("size")) fs::resize_file(path, spec["size"].get<std::uintmax_t>());
}

// Every file under `dir` with its size and (small files) content: what the run must not change.
std::map<std::string, std::string> tree(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const std::string rel = fs::relative(e.path(), dir).generic_string();
    if (e.is_directory()) {
      out[rel] = "(folder)";
    } else {
      const auto size = e.file_size();
      out[rel] = size <= 65536 ? read_file(e.path()) : "(" + std::to_string(size) + " bytes)";
    }
  }
  return out;
}

// "needs": [COMMAND, FLAG?]: cases for features this build may not have yet run only when
// `smbaudit COMMAND --help` succeeds (and mentions FLAG).
std::optional<std::string> missing_feature(const json& c) {
  if (!c.contains("needs")) return std::nullopt;
  const auto needs = c["needs"].get<std::vector<std::string>>();
  auto help = run_smbaudit({needs.at(0), "--help"});
  // An unknown command shows the top-level help instead, whose usage line does not name it.
  if (help.exit_code != 0 || help.out.find(" " + needs[0] + " [OPTIONS]") == std::string::npos)
    return "needs the '" + needs[0] + "' command";
  if (needs.size() > 1 && help.out.find(needs[1]) == std::string::npos) return "needs " + needs[0] + " " + needs[1];
  return std::nullopt;
}

// "posix" or "windows", then "wine" when Windows is Wine (its ntdll exports wine_get_version).
std::vector<std::string> platforms_here() {
#ifdef _WIN32
  std::vector<std::string> here{"windows"};
  if (HMODULE ntdll = GetModuleHandleW(L"ntdll.dll"); ntdll && GetProcAddress(ntdll, "wine_get_version"))
    here.emplace_back("wine");
  return here;
#else
  return {"posix"};
#endif
}

bool has_hive_reader(const std::vector<std::string>& here) {
#if defined(_WIN32)
  return std::find(here.begin(), here.end(), "wine") == here.end();
#elif defined(SMBAUDIT_HAVE_HIVEX)
  (void)here;
  return true;
#else
  (void)here;
  return false;
#endif
}

// Image files (--image) are read only by native non-Windows builds with the image libraries.
constexpr bool kHasImageReader =
#if defined(SMBAUDIT_HAVE_IMAGE) && !defined(_WIN32)
    true;
#else
    false;
#endif

class BadInput : public ::testing::TestWithParam<fs::path> {};

TEST_P(BadInput, GivesTheDocumentedExitCodeAndOneErrorLineAndWritesNothing) {
  const json c = json::parse(read_file(GetParam()));
  SCOPED_TRACE(GetParam().filename().string() + ": " + c.value("what", ""));
  const std::vector<std::string> here = platforms_here();
  if (c.contains("platforms")) {
    const auto platforms = c["platforms"].get<std::vector<std::string>>();
    if (std::find_first_of(platforms.begin(), platforms.end(), here.begin(), here.end()) == platforms.end())
      GTEST_SKIP() << "not on " << here.back();
  }
  // Cases that parse a hive need a hive reader that works: hivex (Linux), or Windows' own,
  // which Wine lacks (its RegLoadAppKeyW is a stub: case hive-unreadable-after-load).
  if (c.value("reads_hives", false) && !has_hive_reader(here)) GTEST_SKIP() << "no working hive reader here";
  if (c.value("reads_images", false) && !kHasImageReader) GTEST_SKIP() << "no image reader in this build";
  if (auto missing = missing_feature(c)) GTEST_SKIP() << *missing;

  TempDir tmp;
  // Bound to a name: iterating items() of the temporary value() returns would dangle.
  const json files = c.value("files", json::object());
  for (const auto& [rel, spec] : files.items()) write_case_file(tmp.path() / rel, spec);
  const auto before = tree(tmp.path());
  std::vector<std::string> args;
  for (const auto& a : c["args"]) args.push_back(expand(a.get<std::string>(), tmp.path()));

  // No bad input may hang: the run is killed at 10 s (a slow machine or Wine needs no more).
  const auto r = run_smbaudit(args, std::chrono::seconds(10));
  ASSERT_NE(r.ending, Ending::TimedOut) << "still running after 10 s";
  ASSERT_EQ(r.ending, Ending::Exited) << "crashed\n" << r.err;

  // An internal error (70) is never a documented answer to bad input.
  EXPECT_TRUE(r.exit_code >= 0 && r.exit_code <= 3) << "exit " << r.exit_code << "\n" << r.err;
  EXPECT_EQ(r.exit_code, c["exit"].get<int>()) << r.err;
  std::vector<std::string> errors, warnings;
  std::istringstream lines(r.err);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("smbaudit: error: ", 0) == 0) errors.push_back(line);
    if (line.rfind("smbaudit: warning: ", 0) == 0) warnings.push_back(line);
  }
  ASSERT_EQ(errors.size(), c.value("error_lines", 1u)) << r.err;
  // "error": the text (or texts) the error line must contain.
  const json wanted = !c.contains("error")    ? json::array()
                      : c["error"].is_array() ? c["error"]
                                              : json::array({c["error"]});
  for (const auto& w : wanted) {
    const std::string expected = expand(w.get<std::string>(), tmp.path());
    EXPECT_NE(errors.front().find(expected), std::string::npos) << "expected '" << expected << "' in\n" << r.err;
  }
  // "warning": input that is bad but not an error (an expired waiver) says so in a warning line.
  if (c.contains("warning")) {
    const std::string expected = expand(c["warning"].get<std::string>(), tmp.path());
    EXPECT_TRUE(std::any_of(warnings.begin(), warnings.end(),
                            [&](const std::string& w) { return w.find(expected) != std::string::npos; }))
        << "expected a warning with '" << expected << "' in\n"
        << r.err;
  }
  if (c.contains("last_error")) {
    const std::string expected = expand(c["last_error"].get<std::string>(), tmp.path());
    EXPECT_NE(errors.back().find(expected), std::string::npos) << "expected '" << expected << "' last in\n" << r.err;
  }
  EXPECT_EQ(tree(tmp.path()), before) << "the run created or changed files";
  // Nor half a report on standard output ("stdout": what a case may print there, e.g. a
  // collection failure's report of errors).
  if (c.contains("stdout"))
    EXPECT_NE(r.out.find(c["stdout"].get<std::string>()), std::string::npos) << r.out;
  else
    EXPECT_EQ(r.out, "") << "printed to standard output";
}

std::string case_name(const ::testing::TestParamInfo<fs::path>& info) {
  std::string name = info.param.stem().string();
  std::replace_if(
      name.begin(), name.end(), [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Catalogue, BadInput, ::testing::ValuesIn(case_files()), case_name);

TEST(BadInputCatalogue, IsThere) {
  EXPECT_GE(case_files().size(), 30u) << kCatalogue;
}

}  // namespace
}  // namespace smbaudit
