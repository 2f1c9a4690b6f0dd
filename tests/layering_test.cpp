// The layering in docs/ARCHITECTURE.md is the one the code has: this reads the doc's tables
// ("Folders and what each may depend on", "Public headers") and fails for any #include in
// src/ that reaches a stage its folder may not depend on, for any public header the doc does
// not place in a stage, and for operating-system or third-party headers outside the stages
// the doc allows them in. Unit tests (*_test.cpp) may include anything.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace smbaudit {
namespace {

namespace fs = std::filesystem;

const fs::path kRoot = SMBAUDIT_SOURCE_DIR;
const std::vector<std::string> kStages{"core", "rules", "sources", "engine", "report", "remediate", "fleet", "cli"};

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> cells(const std::string& row) {
  std::vector<std::string> out;
  std::string cell;
  for (std::size_t i = 1; i < row.size(); ++i) {
    if (row[i] == '|') {
      out.push_back(cell);
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  return out;
}

// Stage -> the stages it may depend on (itself included), from the folders table.
std::map<std::string, std::set<std::string>> allowed_dependencies(const std::string& doc) {
  std::map<std::string, std::set<std::string>> out;
  std::istringstream lines(doc);
  const std::regex folder(R"(^\s*`src/([a-z]+)/`\s*$)");
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| `src/", 0) != 0) continue;
    const auto c = cells(line);
    std::smatch m;
    if (c.size() < 4 || !std::regex_match(c[0], m, folder)) continue;
    const std::string stage = m[1];
    std::set<std::string>& deps = out[stage];
    deps.insert(stage);
    const std::string& may = c.back();
    if (may.find("everything") != std::string::npos) deps.insert(kStages.begin(), kStages.end());
    for (const auto& s : kStages)
      if (std::regex_search(may, std::regex("\\b" + s + "\\b"))) deps.insert(s);
  }
  return out;
}

// Public header ("fact_source.h") -> the stage it belongs to, from the public headers table.
std::map<std::string, std::string> header_stages(const std::string& doc) {
  std::map<std::string, std::string> out;
  std::istringstream lines(doc);
  const std::regex header(R"(`smbaudit/([a-z_]+\.h)`)");
  const std::regex stage(R"(^\s*([a-z]+)\s*$)");
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| `smbaudit/", 0) != 0) continue;
    const auto c = cells(line);
    std::smatch s;
    if (c.size() < 2 || !std::regex_match(c[1], s, stage)) continue;
    for (auto it = std::sregex_iterator(c[0].begin(), c[0].end(), header); it != std::sregex_iterator(); ++it)
      out[(*it)[1]] = s[1];
  }
  return out;
}

struct Include {
  std::string target;
  bool quoted = false;
  int line = 0;
};

std::vector<Include> includes_of(const fs::path& file) {
  std::vector<Include> out;
  std::istringstream lines(read(file));
  const std::regex include(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
  int n = 0;
  for (std::string line; std::getline(lines, line);) {
    ++n;
    std::smatch m;
    if (std::regex_search(line, m, include)) out.push_back({m[2], m[1] == "\"", n});
  }
  return out;
}

// Headers only some stages may include: the operating system's, and libraries with one home.
struct Restricted {
  std::regex header;
  std::set<std::string> stages;
  std::string why;
};

const std::vector<Restricted>& restricted() {
  // Win32, POSIX (dlfcn included), hivex and libyal: the fact sources read hosts, hives and images; the command line
  // drives the console (UTF-8 code page, colour, isatty); docs/ARCHITECTURE.md names the one exception,
  // src/report/atomic_file.cpp, checked separately below.
  static const std::vector<Restricted> list{
      {std::regex(
           R"(^(windows|dsrole|lm|objbase|oleauto|winsvc|wbemidl|comdef|io|unistd|fcntl|dlfcn|hivex|libvhdi|libfsntfs|libbfio|libvmdk|libqcow)\.h$|^sys/)"),
       {"sources", "cli"},
       "an operating-system API"},
      {std::regex(R"(^spdlog/)"), {"cli"}, "logging (spdlog) is the command line's"},
      {std::regex(R"(^CLI/)"), {"cli"}, "flags (CLI11) are the command line's"},
      {std::regex(R"(^gtest/)"), {}, "GoogleTest belongs in tests"},
  };
  return list;
}

// The one file outside sources/ and cli/ that calls the operating system (docs/ARCHITECTURE.md).
const std::set<std::string> kOsExceptions{"src/report/atomic_file.cpp"};

// The stage an include reaches, or "" when it is a standard or third-party header.
std::string stage_of(const fs::path& from, const Include& inc, const std::map<std::string, std::string>& headers,
                     std::vector<std::string>& problems, const std::string& where) {
  if (!inc.quoted) return "";
  if (inc.target.rfind("smbaudit/", 0) == 0) {
    const std::string name = inc.target.substr(9);
    auto it = headers.find(name);
    if (it == headers.end()) {
      problems.push_back(where + ": includes " + inc.target + ", which the public headers table does not place");
      return "";
    }
    return it->second;
  }
  // Lexical only: the same under Wine, where the source folder is a Unix path.
  const fs::path resolved = (from.parent_path() / inc.target).lexically_normal();
  const fs::path src = (kRoot / "src").lexically_normal();
  const auto rel = resolved.lexically_relative(src);
  if (rel.empty() || rel.begin()->string() == "..") return "";  // support/ for tests, generated files
  return rel.begin()->string();
}

std::vector<std::string> violations(const std::map<std::string, std::set<std::string>>& allowed,
                                    const std::map<std::string, std::string>& headers,
                                    const std::set<std::string>& os_exceptions = kOsExceptions) {
  std::vector<std::string> problems;
  std::vector<std::pair<fs::path, std::string>> files;  // file, its stage
  for (const auto& entry : fs::recursive_directory_iterator(kRoot / "src")) {
    const fs::path& file = entry.path();
    const std::string ext = file.extension().string();
    if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".h")) continue;
    if (file.stem().string().ends_with("_test")) continue;
    files.emplace_back(file, file.lexically_relative(kRoot / "src").begin()->string());
  }
  // A public header belongs to the stage the public headers table places it in.
  for (const auto& entry : fs::directory_iterator(kRoot / "include" / "smbaudit")) {
    auto it = headers.find(entry.path().filename().string());
    if (it != headers.end()) files.emplace_back(entry.path(), it->second);
  }
  for (const auto& [file, stage] : files) {
    const std::string rel = file.lexically_relative(kRoot).generic_string();
    auto deps = allowed.find(stage);
    if (deps == allowed.end()) {
      problems.push_back(rel + ": stage " + stage + " is not in the folders table");
      continue;
    }
    for (const Include& inc : includes_of(file)) {
      const std::string where = rel + ":" + std::to_string(inc.line);
      const std::string target = stage_of(file, inc, headers, problems, where);
      if (!target.empty() && !deps->second.count(target))
        problems.push_back(where + ": " + stage + " may not depend on " + target + " (includes " + inc.target + ")");
      if (inc.quoted) continue;
      for (const auto& r : restricted())
        if (std::regex_search(inc.target, r.header) && !r.stages.count(stage) && !os_exceptions.count(rel))
          problems.push_back(where + ": includes <" + inc.target + ">: " + r.why + ", not " + stage + "'s");
    }
  }
  return problems;
}

class Layering : public ::testing::Test {
 protected:
  void SetUp() override {
    doc_ = read(kRoot / "docs" / "ARCHITECTURE.md");
    allowed_ = allowed_dependencies(doc_);
    headers_ = header_stages(doc_);
  }
  std::string doc_;
  std::map<std::string, std::set<std::string>> allowed_;
  std::map<std::string, std::string> headers_;
};

TEST_F(Layering, TheDocsTablesCoverEveryStageAndPublicHeader) {
  for (const auto& stage : kStages) EXPECT_TRUE(allowed_.count(stage)) << "src/" << stage << "/ has no row";
  EXPECT_EQ(allowed_.at("engine"), (std::set<std::string>{"core", "rules", "engine"}));
  EXPECT_EQ(allowed_.at("core"), (std::set<std::string>{"core"}));
  for (const auto& entry : fs::directory_iterator(kRoot / "include" / "smbaudit")) {
    const std::string name = entry.path().filename().string();
    ASSERT_TRUE(headers_.count(name)) << "include/smbaudit/" << name << " is not in the public headers table";
    EXPECT_TRUE(allowed_.count(headers_.at(name))) << name << " belongs to an unknown stage";
  }
}

TEST_F(Layering, NoSourceFileIncludesAStageItMayNotDependOn) {
  const auto problems = violations(allowed_, headers_);
  for (const auto& p : problems) ADD_FAILURE() << p;
}

// The check itself: a forbidden include must be caught, and an operating-system header
// outside the stages allowed one.
TEST_F(Layering, AForbiddenIncludeIsCaught) {
  auto strict = allowed_;
  strict["report"].erase("engine");  // as if report could not use the engine
  const auto problems = violations(strict, headers_);
  EXPECT_FALSE(problems.empty());
  bool named = false;
  for (const auto& p : problems) named = named || p.find("report may not depend on engine") != std::string::npos;
  EXPECT_TRUE(named);

  auto no_os = allowed_;
  const auto os = violations(no_os, headers_, /*os_exceptions=*/{});
  bool atomic = false;
  for (const auto& p : os) atomic = atomic || p.find("src/report/atomic_file.cpp") != std::string::npos;
  EXPECT_TRUE(atomic) << "without its exception, atomic_file.cpp's OS headers must be reported";
}

}  // namespace
}  // namespace smbaudit
