#include "pack_loading.h"

#include <fmt/format.h>

#include <filesystem>

#include "../core/input.h"
#include "smbaudit/text.h"
#include "smbaudit/version.h"

namespace smbaudit {
namespace {

namespace fs = std::filesystem;

PackProblems one_problem(std::string origin, std::string line) {
  return PackProblems{std::move(origin), {std::move(line)}};
}

bool looks_like_path(const std::string& s) {
  return s.find('/') != std::string::npos || s.find('\\') != std::string::npos ||
         (s.size() > 5 && s.substr(s.size() - 5) == ".json");
}

}  // namespace

std::string PackFiles::digest() const {
  const bool built_in = !rules.empty() && rules.front().provenance == Provenance::BuiltIn;
  return built_in ? std::string(builtin_pack_digest()) : pack_digest(rules, profiles, data);
}

PackProblems problems_of(const std::vector<LoadError>& errors, std::string origin) {
  PackProblems out{std::move(origin), {}};
  for (const auto& e : errors) out.lines.push_back(e.to_string());
  return out;
}

Expected<PackFiles, PackProblems> pack_files(const std::string& dir) {
  if (dir.empty()) return PackFiles{builtin_rule_files(), builtin_profile_files(), "built-in", builtin_data_files()};
  auto rules = read_rule_dir(dir);
  if (!rules) return Unexpected(one_problem(dir, rules.error().to_string()));
  PackFiles files{*rules, {}, dir};
  std::error_code ec;
  if (fs::is_directory(fs::path(dir) / "profiles", ec)) {
    auto profiles = read_rule_dir(fs::path(dir) / "profiles");
    if (!profiles) return Unexpected(one_problem(dir, profiles.error().to_string()));
    files.profiles = *profiles;
  }
  if (fs::is_directory(fs::path(dir) / "data", ec)) {
    auto data = read_rule_dir(fs::path(dir) / "data");
    if (!data) return Unexpected(one_problem(dir, data.error().to_string()));
    files.data = *data;
  }
  return files;
}

Expected<RulePack, PackProblems> parse_pack(const PackFiles& files) {
  auto pack = load_rule_pack(files.rules, files.origin, files.data);
  if (!pack) return Unexpected(problems_of(pack.error(), files.origin));
  return std::move(*pack);
}

std::string profile_stem(const RuleFile& file) {
  std::string_view name = file.name;
  if (auto cut = name.find_last_of("/\\:"); cut != std::string_view::npos) name.remove_prefix(cut + 1);
  if (name.size() > 5 && name.substr(name.size() - 5) == ".json") name.remove_suffix(5);
  return std::string(name);
}

Expected<LoadedRules, PackProblems> load_rules(const std::string& rules_dir, const std::string& profile_name,
                                               const std::string& expected_sha256) {
  SMBAUDIT_TRY_ASSIGN(PackFiles files, pack_files(rules_dir));
  const std::string digest = files.digest();
  if (!expected_sha256.empty() && to_lower(expected_sha256) != digest)
    return Unexpected(one_problem(files.origin, fmt::format("rule pack digest mismatch for {}: expected {}, actual {} "
                                                            "(--rules-sha256; see docs/security.md)",
                                                            files.origin, to_lower(expected_sha256), digest)));
  SMBAUDIT_TRY_ASSIGN(RulePack pack, parse_pack(files));
  LoadedRules loaded{std::move(pack), std::nullopt, {}, digest, std::nullopt};
  if (rules_dir.empty()) loaded.version = std::string(kVersion);
  loaded.scope_notes = loaded.pack.scope_notes;
  std::optional<RuleFile> chosen;
  if (!profile_name.empty() && looks_like_path(profile_name)) {
    auto text = read_input_file(profile_name);
    if (!text) return Unexpected(one_problem(profile_name, fmt::format("{}: {}", profile_name, text.error())));
    chosen = RuleFile{profile_name, std::move(*text)};
  } else {
    const std::string wanted = profile_name.empty() ? "guide" : profile_name;
    for (const auto& f : files.profiles)
      if (profile_stem(f) == wanted) chosen = f;
    if (!chosen && !profile_name.empty()) {
      std::vector<std::string> names;
      for (const auto& f : files.profiles) names.push_back(profile_stem(f));
      return Unexpected(
          one_problem(files.origin, fmt::format("no profile '{}' in {} (available: {})", profile_name, files.origin,
                                                names.empty() ? "none" : join(names, ", "))));
    }
  }
  if (chosen) {
    auto profile = load_profile(*chosen, loaded.pack);
    if (!profile) return Unexpected(problems_of(profile.error(), chosen->name));
    loaded.profile = std::move(*profile);
  }
  return loaded;
}

}  // namespace smbaudit
