// Choosing and loading what an audit runs with: the pack (built in, or a folder and its
// profiles/), its digest, and the profile (by name, or a file). No logging: every problem
// comes back as a line, and the command line decides how to show it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "smbaudit/expected.h"
#include "smbaudit/rule_loader.h"

namespace smbaudit {

// What went wrong, one problem per line (a pack can have many), and the pack they are in.
struct PackProblems {
  std::string origin;
  std::vector<std::string> lines;
};

// The rule and profile files of a pack.
struct PackFiles {
  std::vector<RuleFile> rules;
  std::vector<RuleFile> profiles;
  std::string origin;          // "built-in" or the folder
  std::vector<RuleFile> data;  // data/*.json: tables rules read (the patch-level table)

  // The built-in pack's digest was computed when it was compiled in.
  [[nodiscard]] std::string digest() const;
};

// The built-in pack when `dir` is empty, else the folder's rule files and its profiles/.
[[nodiscard]] Expected<PackFiles, PackProblems> pack_files(const std::string& dir);
[[nodiscard]] Expected<RulePack, PackProblems> parse_pack(const PackFiles& files);

struct LoadedRules {
  RulePack pack;
  std::optional<Profile> profile;
  std::vector<std::string> scope_notes;
  std::string sha256;                  // pack_digest() of the files read
  std::optional<std::string> version;  // the built-in pack's (the tool's version); a folder has none
};

// Loads the pack (built-in when `rules_dir` is empty) and the profile: a name among the
// pack's profiles ("guide" when empty), or a path to a profile file. With
// `expected_sha256`, a pack whose digest differs is refused before it is parsed.
[[nodiscard]] Expected<LoadedRules, PackProblems> load_rules(const std::string& rules_dir, const std::string& profile,
                                                             const std::string& expected_sha256 = {});

// "built-in:guide.json", "rules/profiles/guide.json" and "C:\\pack\\guide.json" all name "guide".
[[nodiscard]] std::string profile_stem(const RuleFile& file);

// The load errors of one file as problem lines.
[[nodiscard]] PackProblems problems_of(const std::vector<LoadError>& errors, std::string origin);

}  // namespace smbaudit
