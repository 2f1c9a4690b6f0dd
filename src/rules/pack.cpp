// Rule packs: parsing rule files into a pack, its digest, reading a folder of rule files.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "../core/input.h"
#include "../core/json_value.h"
#include "../core/sha256.h"
#include "check_reader.h"
#include "fix_safety.h"
#include "json_reader.h"
#include "remediation_reader.h"
#include "smbaudit/limits.h"
#include "text_template.h"

namespace smbaudit {
namespace {

constexpr std::string_view kRulesSchema = "smbaudit-rules/1";

// ^[a-z0-9]+(-[a-z0-9]+)*$, by hand: std::regex cost more than the rest of reading a rule.
bool kebab_case(std::string_view id) {
  if (id.empty() || id.front() == '-' || id.back() == '-') return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (c == '-' ? id[i - 1] == '-' : !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

// Placeholders must name the rule's parameters, and fix advice must never delete or recreate
// what it was not asked to change (src/rules/fix_safety.h).
void check_texts(const Rule& rule, const std::string& pointer, FileReader& r) {
  const ParameterLookup lookup = [&rule](std::string_view name) -> const Value* {
    const Parameter* p = rule.parameter(name);
    return p ? &p->default_value : nullptr;
  };
  for (const auto& [field, text] : parameter_texts(rule))
    if (auto problem = template_problem(*text, lookup)) r.fail(pointer + std::string(field), *problem);
  for (const auto& [field, text] : {std::pair{"/remediation/powershell", &rule.remediation.powershell},
                                    std::pair{"/remediation/group_policy", &rule.remediation.group_policy}})
    if (auto harm = harmful_fix_text(*text)) r.fail(pointer + field, *harm);
}

void parse_rule(const json& j, const std::string& pointer, FileReader& r, const RuleFile& file,
                std::vector<Rule>& out) {
  if (!j.is_object()) {
    r.fail(pointer, fmt::format("expected a rule object, got {}", json_type_name(j)));
    return;
  }
  Rule rule;
  rule.file = file.name;
  if (auto id = r.string_field(j, pointer, "id", true)) {
    rule.id = *id;
    r.set_rule(rule.id);
    if (rule.id.size() > 64 || !kebab_case(rule.id))
      r.fail(pointer + "/id", fmt::format("rule id '{}' is not kebab-case (a-z, 0-9, single dashes)", rule.id));
  }
  r.only_keys(j, pointer,
              {"id", "title", "layer", "severity", "applies_to", "parameters", "check", "rationale", "remediation",
               "references"});
  rule.title = r.string_field(j, pointer, "title", true).value_or("");
  if (auto layer = r.string_field(j, pointer, "layer", true)) {
    if (auto parsed = layer_from_string(*layer))
      rule.layer = *parsed;
    else
      r.fail(pointer + "/layer", fmt::format("unknown layer '{}' (allowed: {})", *layer, layer_names()));
  }
  if (auto severity = r.string_field(j, pointer, "severity", true)) {
    if (auto parsed = severity_from_string(*severity))
      rule.severity = *parsed;
    else
      r.fail(pointer + "/severity", fmt::format("unknown severity '{}' (allowed: {})", *severity, severity_names()));
  }
  if (const json* applies = r.member(j, pointer, "applies_to", false))
    rule.applies_to = r.condition(*applies, pointer + "/applies_to");
  if (const json* params = r.member(j, pointer, "parameters", false)) {
    const std::string here = pointer + "/parameters";
    if (!params->is_object()) {
      r.fail(here, "expected an object of parameters");
    } else {
      for (const auto& [name, spec] : params->items()) {
        const std::string at = here + "/" + escape_pointer(name);
        if (!spec.is_object()) {
          r.fail(at, "expected {\"default\": VALUE, \"description\": TEXT}");
          continue;
        }
        r.only_keys(spec, at, {"default", "description"});
        Parameter p;
        p.name = name;
        if (const json* d = r.member(spec, at, "default", true)) {
          if (auto v = value_from_json(*d); v && !is_null(*v))
            p.default_value = *v;
          else
            r.fail(at + "/default", "expected a number, string, boolean or list of strings");
        }
        p.description = r.string_field(spec, at, "description", true).value_or("");
        rule.parameters.push_back(std::move(p));
      }
    }
  }
  if (const json* check = r.member(j, pointer, "check", true))
    rule.check = read_check(r, rule, *check, pointer + "/check", 0);
  rule.rationale = r.string_field(j, pointer, "rationale", true).value_or("");
  if (const json* rem = r.member(j, pointer, "remediation", true))
    rule.remediation = read_remediation(r, rule, *rem, pointer + "/remediation");
  rule.references = r.string_list(j, pointer, "references");
  // The built-in pack's texts went through this check when it was built and tested
  // (RuleLoader.EveryBuiltInFilePassesTheValidatingReader): 2.5 million instructions a run.
  if (file.provenance != Provenance::BuiltIn) check_texts(rule, pointer, r);
  r.set_rule("");
  out.push_back(std::move(rule));
}

}  // namespace

std::string LoadError::to_string() const {
  std::string out = file;
  if (!rule_id.empty()) out += fmt::format(": rule '{}'", rule_id);
  if (!pointer.empty()) out += fmt::format(" at {}", pointer);
  out += ": " + message;
  return one_line(out);
}

Expected<RulePack, std::vector<LoadError>> load_rule_pack(const std::vector<RuleFile>& files, std::string origin,
                                                          const std::vector<RuleFile>& data) {
  std::vector<LoadError> errors;
  RulePack pack;
  pack.origin = std::move(origin);
  std::map<std::string, std::string> seen;  // id -> file
  // One file at a time, each document freed before the next is built: the pack's documents
  // together are a megabyte of small allocations, and fresh heap pages cost a page fault
  // each (parsing the files on a second thread into documents that all lived at once cost
  // more in faults than it saved).
  for (const auto& file : files) {
    auto doc = parse_json(file, errors);
    if (!doc) continue;
    FileReader r(file.name, errors);
    r.set_data(&data);
    if (!check_schema(*doc, kRulesSchema, r)) continue;
    r.only_keys(*doc, "", {"$schema", "schema", "description", "scope_notes", "rules"});
    for (auto& note : r.string_list(*doc, "", "scope_notes")) pack.scope_notes.push_back(std::move(note));
    const json* rules = r.member(*doc, "", "rules", true);
    if (!rules) continue;
    if (!rules->is_array()) {
      r.fail("/rules", "expected an array of rules");
      continue;
    }
    std::vector<Rule> parsed;
    for (std::size_t i = 0; i < rules->size(); ++i)
      parse_rule((*rules)[i], fmt::format("/rules/{}", i), r, file, parsed);
    for (std::size_t i = 0; i < parsed.size(); ++i) {
      auto& rule = parsed[i];
      if (rule.id.empty()) continue;
      if (auto [it, inserted] = seen.emplace(rule.id, file.name); !inserted) {
        errors.push_back(LoadError{file.name, rule.id, fmt::format("/rules/{}/id", i),
                                   fmt::format("duplicate rule id (also defined in {})", it->second)});
        continue;
      }
      pack.rules.push_back(std::move(rule));
    }
    if (pack.rules.size() > limits::kMaxRules) {
      errors.push_back(LoadError{file.name, "", "/rules", fmt::format("more than {} rules", limits::kMaxRules)});
      break;
    }
  }
  if (!errors.empty()) return Unexpected(std::move(errors));
  return pack;
}

std::string pack_digest(const std::vector<RuleFile>& rules, const std::vector<RuleFile>& profiles,
                        const std::vector<RuleFile>& data) {
  // "built-in:ntlm.json", "rules/ntlm.json" and "C:\\pack\\ntlm.json" are all "ntlm.json" in the pack.
  const auto base = [](std::string_view name) {
    if (auto cut = name.find_last_of("/\\:"); cut != std::string_view::npos) name.remove_prefix(cut + 1);
    return std::string(name);
  };
  std::vector<std::pair<std::string, std::string>> lines;  // path, line
  for (const auto& f : rules) lines.emplace_back(base(f.name), "");
  for (const auto& f : profiles) lines.emplace_back("profiles/" + base(f.name), "");
  for (const auto& f : data) lines.emplace_back("data/" + base(f.name), "");
  std::size_t i = 0;
  for (const auto* list : {&rules, &profiles, &data})
    for (const auto& f : *list) {
      lines[i].second = fmt::format("{}  {}\n", sha256_hex(f.text), lines[i].first);
      ++i;
    }
  std::sort(lines.begin(), lines.end());
  Sha256 digest;
  for (const auto& [path, line] : lines) digest.update(line);
  return digest.hex_digest();
}

Expected<std::vector<RuleFile>, LoadError> read_rule_dir(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return Unexpected(LoadError{dir.string(), "", "", "not a directory (expected a folder of rule .json files)"});
  std::vector<fs::path> paths;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".json") paths.push_back(it->path());
  }
  if (ec) return Unexpected(LoadError{dir.string(), "", "", "cannot list folder: " + ec.message()});
  std::sort(paths.begin(), paths.end());
  std::vector<RuleFile> files;
  std::size_t total = 0;
  for (const auto& p : paths) {
    auto text = read_input_file(p);
    if (!text) return Unexpected(LoadError{p.string(), "", "", std::move(text.error())});
    total += text->size();
    if (total > limits::kMaxPackBytes)
      return Unexpected(LoadError{dir.string(), "", "",
                                  fmt::format("the rule files together are larger than the {} MiB limit",
                                              limits::kMaxPackBytes / (1024 * 1024))});
    files.push_back(RuleFile{p.string(), std::move(*text)});
  }
  if (files.empty()) return Unexpected(LoadError{dir.string(), "", "", "holds no rule .json files"});
  return files;
}

}  // namespace smbaudit
