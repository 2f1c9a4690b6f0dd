#include "unc_paths.h"

#include <fmt/format.h>

#include "compare.h"

namespace smbaudit {
namespace {

bool part_covers(const std::string& pattern, const std::string& required) {
  return pattern == "*" || (required != "*" && iequals(pattern, required));
}
bool part_overlaps(const std::string& pattern, const std::string& required) {
  return pattern == "*" || required == "*" || iequals(pattern, required);
}

bool is_sysvol_or_netlogon(const UncPattern& p) {
  return iequals(p.share, "SYSVOL") || iequals(p.share, "NETLOGON");
}

std::string show(const UncPattern& p) {
  return "\\\\" + p.server + "\\" + p.share;
}

std::vector<std::string> split_alternatives(const std::string& flag) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= flag.size()) {
    const auto bar = std::min(flag.find('|', start), flag.size());
    out.emplace_back(trim(std::string_view(flag).substr(start, bar - start)));
    start = bar + 1;
  }
  return out;
}

// "RequireIntegrity=0 (or RequirePrivacy=0)" for the flag "RequireIntegrity|RequirePrivacy".
std::string flag_text(const std::string& flag, int value) {
  const auto alternatives = split_alternatives(flag);
  std::string out = fmt::format("{}={}", alternatives.front(), value);
  for (std::size_t i = 1; i < alternatives.size(); ++i) out += fmt::format(" (or {}={})", alternatives[i], value);
  return out;
}

}  // namespace

std::optional<UncPattern> parse_unc_pattern(std::string_view text) {
  text = trim(text);
  if (text.size() < 5 || text.substr(0, 2) != "\\\\") return std::nullopt;
  text.remove_prefix(2);
  if (!text.empty() && text.back() == '\\') text.remove_suffix(1);
  const auto slash = text.find('\\');
  if (slash == std::string_view::npos) return std::nullopt;
  UncPattern p{std::string(trim(text.substr(0, slash))), std::string(trim(text.substr(slash + 1)))};
  if (p.server.empty() || p.share.empty() || p.share.find('\\') != std::string::npos) return std::nullopt;
  if (p.server == "*" && p.share == "*") return std::nullopt;
  return p;
}

bool covers(const UncPattern& pattern, const UncPattern& required) {
  return part_covers(pattern.server, required.server) && part_covers(pattern.share, required.share);
}

bool overlaps(const UncPattern& pattern, const UncPattern& required) {
  return part_overlaps(pattern.server, required.server) && part_overlaps(pattern.share, required.share);
}

Outcome evaluate_unc_hardening(const UncHardeningCheck& check, const HostFacts& host, const FactSet& facts,
                               const ParameterLookup& parameter, const EvidenceSink& sink) {
  const std::string key(kHardenedPathsKey);
  // Every entry counts: a key known only in part could hold the entry that switches a flag off.
  auto fact = facts.whole_registry_key(key);
  if (!fact) return unreadable(fact.error(), Evidence{.kind = EvidenceKind::Registry, .path = key}, key, sink);

  std::vector<std::string> paths = check.paths;
  if (check.extra_paths_parameter) {
    const Value extra = parameter(*check.extra_paths_parameter);
    if (const auto* list = std::get_if<StringList>(&extra)) paths.insert(paths.end(), list->begin(), list->end());
  }
  std::vector<std::string> flags = check.flags;
  if (check.privacy_parameter && parameter(*check.privacy_parameter) == Value{true})
    flags.emplace_back("RequirePrivacy");

  struct Entry {
    const RegValue* value;
    UncPattern pattern;
  };
  std::vector<Entry> entries;
  std::vector<std::string> problems;
  if (fact->presence == Presence::Present) {
    for (const auto& v : fact->values) {
      auto pattern = parse_unc_pattern(v.name);
      if (!pattern) {
        Evidence ignored = value_evidence(key, *fact, v, EvidenceRole::Consulted);
        ignored.note = "not a valid pattern: Windows ignores it";
        sink(std::move(ignored));
        continue;
      }
      entries.push_back({&v, *pattern});
    }
  } else {
    sink(
        Evidence{.kind = EvidenceKind::Registry, .path = key, .presence = Presence::Absent, .layer = key_layer(*fact)});
  }

  std::vector<std::string> passed;
  for (const auto& path : paths) {
    auto required = parse_unc_pattern(path);
    if (!required) {
      problems.push_back(fmt::format("'{}' is not a UNC pattern", path));
      continue;
    }
    // No entry under the required pattern's own name is evidence too: a fix writes that name,
    // and its rollback must know the value was absent.
    if (fact->presence == Presence::Present && !fact->find(path)) sink(absent_value_evidence(key, *fact, path));
    bool configured = false;
    std::vector<std::string> missing_here;
    bool covered = false;
    for (const auto& e : entries) {
      if (!overlaps(e.pattern, *required)) continue;
      // Only an entry as general as the requirement replaces Windows' default for it;
      // a narrower one matters only if it switches a flag off.
      if (covers(e.pattern, *required)) configured = true;
      const auto* data = std::get_if<std::string>(&e.value->data);
      const std::string text = data ? *data : std::string();
      bool all = true;
      for (const auto& flag : flags) {
        // "A|B" accepts either flag: RequirePrivacy (encryption) also gives integrity.
        bool satisfied = false, switched_off = false;
        for (const auto& alternative : split_alternatives(flag)) {
          auto v = kv_field(text, alternative);
          if (v && *v == Value{std::int64_t{1}}) satisfied = true;
          if (v && *v == Value{std::int64_t{0}}) switched_off = true;
        }
        if (satisfied) continue;
        all = false;
        // The entry named once: "\\*\SYSVOL sets RequireIntegrity=0", not "... for \\*\SYSVOL" again.
        const bool same = iequals(e.value->name, show(*required));
        if (switched_off)
          problems.push_back(fmt::format("{} sets {}{}", e.value->name, flag_text(flag, 0),
                                         same ? "" : " (overlapping " + show(*required) + ")"));
        else if (covers(e.pattern, *required))
          missing_here.push_back(fmt::format("{} lacks {}", e.value->name, flag_text(flag, 1)));
        else
          // Narrower than the requirement (\\dc01\SYSVOL under \\*\SYSVOL): Microsoft does not
          // say whether Windows then uses it alone for the paths it matches, so the weaker
          // reading applies: a flag it leaves out is a flag those paths may go without.
          problems.push_back(
              fmt::format("{} lacks {} (narrower than {}: Windows may apply it alone to the "
                          "paths it matches)",
                          e.value->name, flag_text(flag, 1), show(*required)));
      }
      const bool decides = covers(e.pattern, *required);
      sink(value_evidence(key, *fact, *e.value, decides ? EvidenceRole::Decided : EvidenceRole::Consulted));
      if (decides && all) covered = true;
    }
    if (covered) {
      passed.push_back(show(*required));
      continue;
    }
    if (!configured && is_sysvol_or_netlogon(*required) && check.default_from_build) {
      if (!host.build)
        return {Status::Unknown,
                "the OS build is unknown, so Windows' default hardening for " + show(*required) + " cannot be judged"};
      const bool enforced = *host.build >= *check.default_from_build;
      const bool needs_privacy = std::find(flags.begin(), flags.end(), "RequirePrivacy") != flags.end();
      // Windows' default gives mutual authentication and integrity only.
      sink(Evidence{
          .kind = EvidenceKind::Default,
          .path = fmt::format("build >= {}", *check.default_from_build),
          .data = Value{std::string(enforced ? "RequireMutualAuthentication=1, RequireIntegrity=1" : "(none)")},
          .role = EvidenceRole::Decided,
          .note = "Windows enforces mutual authentication and integrity for SYSVOL and NETLOGON when no "
                  "entry configures them"});
      if (enforced && !needs_privacy) {
        passed.push_back(show(*required) + " (Windows default)");
        continue;
      }
      problems.push_back(
          enforced ? fmt::format("{} has only Windows' default hardening, without RequirePrivacy", show(*required))
                   : fmt::format("{} is not hardened (no entry, and build {} predates the default)", show(*required),
                                 *host.build));
      continue;
    }
    if (!missing_here.empty())
      problems.push_back(join(missing_here, "; "));
    else if (std::none_of(problems.begin(), problems.end(),
                          [&](const std::string& p) { return p.find(show(*required)) != std::string::npos; }))
      problems.push_back(fmt::format("no HardenedPaths entry covers {}", show(*required)));
  }
  if (!problems.empty()) return {Status::Fail, join(problems, "; ")};
  return {Status::Pass, fmt::format("hardened ({}): {}", join(flags, ", "), join(passed, ", "))};
}

}  // namespace smbaudit
