// Loading and validating rule packs and profiles from JSON.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "smbaudit/expected.h"
#include "smbaudit/rule.h"

namespace smbaudit {

// A load failure names the file, the rule (when known) and the JSON pointer.
struct LoadError {
  std::string file;
  std::string rule_id;
  std::string pointer;
  std::string message;

  [[nodiscard]] std::string to_string() const;
};

// Where a rule, profile or waivers file comes from. A built-in file is part of the binary
// (and checked by the validating reader in a test), so it is parsed without that pass.
enum class Provenance { External, BuiltIn };

struct RuleFile {
  std::string name;  // shown in messages: a path, or "built-in:NAME"
  std::string text;
  Provenance provenance = Provenance::External;
};

// Parses and validates rule files into one pack; every problem found is returned. `data` are
// the pack's data files (data/*.json: the patch-level table), which checks name by their
// path in the pack ("data/patch-level.json") and which are read with the rule that names them.
[[nodiscard]] Expected<RulePack, std::vector<LoadError>> load_rule_pack(const std::vector<RuleFile>& files,
                                                                        std::string origin,
                                                                        const std::vector<RuleFile>& data = {});

// Parses and validates a patch-level table (schema smbaudit-patch-level/1, docs/patch-level.md).
[[nodiscard]] Expected<PatchTable, std::vector<LoadError>> parse_patch_table(const RuleFile& file);

// Reads every *.json file directly in `dir` (not profiles/, data/ or schema/) in name order.
[[nodiscard]] Expected<std::vector<RuleFile>, LoadError> read_rule_dir(const std::filesystem::path& dir);

// The pack's digest (docs/security.md, "Rule pack integrity"): SHA-256 of the text
// "HEX  PATH\n" for every rule file and profile, where HEX is the file's own SHA-256 and
// PATH its path in the pack ("ntlm.json", "profiles/guide.json", "data/patch-level.json"),
// lines sorted by PATH in byte order; that is what `sha256sum` prints, so
// `sha256sum FILES... | sha256sum` agrees.
[[nodiscard]] std::string pack_digest(const std::vector<RuleFile>& rules, const std::vector<RuleFile>& profiles,
                                      const std::vector<RuleFile>& data = {});

// The rule files compiled into the binary, and their pack_digest, computed at build time
// (cmake/EmbedRules.cmake) so that no run hashes them again.
[[nodiscard]] std::vector<RuleFile> builtin_rule_files();
[[nodiscard]] std::vector<RuleFile> builtin_profile_files();
[[nodiscard]] std::vector<RuleFile> builtin_data_files();  // named "built-in:data/NAME"
[[nodiscard]] std::string_view builtin_pack_digest();

// A profile selects rules and overrides parameters and severities.
struct Profile {
  std::string name;
  std::string description;
  std::vector<std::string> include;  // rule id globs; empty: every rule
  std::vector<std::string> exclude;
  std::map<std::string, std::map<std::string, Value>> parameters;  // rule id -> parameter -> value
  std::map<std::string, Severity> severities;
};

// Parses a profile and checks every rule id and parameter it names exists in `pack`; on
// failure, every problem found (as a pack reports them), in file order.
[[nodiscard]] Expected<Profile, std::vector<LoadError>> load_profile(const RuleFile& file, const RulePack& pack);

// An accepted risk: a rule's failure on some hosts, justified, until a date.
struct Waiver {
  std::string rule;
  std::vector<std::string> hosts;  // host name globs ('*' any run); empty: every host
  std::string justification;
  std::string expires;  // YYYY-MM-DD, inclusive (UTC)
};

struct WaiverList {
  std::string file;
  std::vector<Waiver> waivers;  // in file order
};

// Parses a waivers file (smbaudit-waivers/1) as strictly as a profile: unknown fields,
// rule ids not in `pack`, bad dates and empty justifications are errors; on failure, every
// problem found.
[[nodiscard]] Expected<WaiverList, std::vector<LoadError>> load_waivers(const RuleFile& file, const RulePack& pack);

}  // namespace smbaudit
