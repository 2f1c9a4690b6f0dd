// Reading a patch-level table (rules/data/patch-level.json): the same reader as every rules
// file, so a problem is named by file and JSON pointer, every one of them.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "../core/enum_names.h"
#include "json_reader.h"
#include "smbaudit/limits.h"

namespace smbaudit {
namespace {

constexpr std::string_view kPatchTableSchema = "smbaudit-patch-level/1";
constexpr std::array<std::pair<PatchFamily, std::string_view>, 3> kFamilies{{
    {PatchFamily::Any, "any"},
    {PatchFamily::Client, "client"},
    {PatchFamily::Server, "server"},
}};
constexpr std::string_view kComponents[] = {"smb-client", "smb-server", "smb", "ntlm", "kerberos"};

std::optional<int> build_number(std::string_view text) {
  int n = 0;
  if (text.size() < 4 || text.size() > 5) return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n <= 0) return std::nullopt;
  return n;
}

std::string date_field(FileReader& r, const json& j, const std::string& at, std::string_view key) {
  auto text = r.string_field(j, at, key, true).value_or("");
  if (!text.empty() && !is_iso_date(text))
    r.fail(at + "/" + std::string(key), fmt::format("expected a date YYYY-MM-DD, got \"{}\"", text));
  return text;
}

std::optional<PatchFix> read_fix(FileReader& r, const json& j, const std::string& at, const PatchTable& table) {
  if (!j.is_object()) {
    r.fail(at, "expected {build, family, fixed_ubr, products}");
    return std::nullopt;
  }
  r.only_keys(j, at, {"build", "family", "fixed_ubr", "products", "note"});
  const std::size_t before = r.error_count();
  PatchFix fix;
  if (const json* build = r.member(j, at, "build", true)) {
    if (!build->is_number_integer() || build->get<std::int64_t>() <= 0 || build->get<std::int64_t>() > 99999)
      r.fail(at + "/build", "expected a build number");
    else if (fix.build = build->get<int>(); !table.builds.count(fix.build))
      r.fail(at + "/build", fmt::format("build {} is not listed in /builds", fix.build));
  }
  const auto family = r.string_field(j, at, "family", true).value_or("");
  if (auto parsed = value_of(kFamilies, family))
    fix.family = *parsed;
  else if (!family.empty())
    r.fail(at + "/family", fmt::format("unknown family '{}' (allowed: {})", family, names_of(kFamilies)));
  if (const json* ubr = r.member(j, at, "fixed_ubr", true)) {
    if (ubr->is_number_integer() && ubr->get<std::int64_t>() >= 0 && ubr->get<std::int64_t>() <= 1'000'000)
      fix.fixed_ubr = ubr->get<int>();
    else if (!ubr->is_null())
      r.fail(at + "/fixed_ubr", "expected an update build revision or null (no fix named for this build)");
  }
  if (r.string_list(j, at, "products").empty()) r.fail(at + "/products", "name at least one product");
  fix.note = r.string_field(j, at, "note", false).value_or("");
  if (r.error_count() != before) return std::nullopt;
  return fix;
}

}  // namespace

Expected<PatchTable, std::vector<LoadError>> parse_patch_table(const RuleFile& file) {
  std::vector<LoadError> errors;
  auto doc = parse_json(file, errors);
  const auto failed = [&]() -> Expected<PatchTable, std::vector<LoadError>> { return Unexpected(std::move(errors)); };
  if (!doc) return failed();
  FileReader r(file.name, errors);
  if (!check_schema(*doc, kPatchTableSchema, r)) return failed();
  r.only_keys(*doc, "", {"$schema", "schema", "generated", "as_of", "since", "source", "builds", "cves"});
  PatchTable table;
  table.file = file.name;
  date_field(r, *doc, "", "generated");
  table.as_of = date_field(r, *doc, "", "as_of");
  table.since = date_field(r, *doc, "", "since");
  r.string_field(*doc, "", "source", true);
  if (const json* builds = r.member(*doc, "", "builds", true)) {
    if (!builds->is_object() || builds->empty()) r.fail("/builds", "expected {BUILD: PRODUCTS} with one build or more");
    for (const auto& [key, name] : builds->is_object() ? builds->items() : empty_json_object().items()) {
      const auto build = build_number(key);
      if (!build || !name.is_string())
        r.fail("/builds/" + escape_pointer(key), "expected a build number naming its products");
      else
        table.builds[*build] = name.get<std::string>();
    }
  }
  const json* cves = r.member(*doc, "", "cves", true);
  if (cves && (!cves->is_array() || cves->empty())) r.fail("/cves", "expected a non-empty array of CVEs");
  if (cves && cves->is_array() && cves->size() > limits::kMaxPatchTableCves)
    r.fail("/cves", fmt::format("more than {} CVEs", limits::kMaxPatchTableCves));
  else if (cves && cves->is_array()) {
    for (std::size_t i = 0; i < cves->size(); ++i) {
      const json& c = (*cves)[i];
      const std::string at = fmt::format("/cves/{}", i);
      if (!c.is_object()) {
        r.fail(at, "expected a CVE object");
        continue;
      }
      r.only_keys(c, at, {"id", "title", "component", "published", "source", "fixes"});
      PatchCve cve;
      cve.id = r.string_field(c, at, "id", true).value_or("");
      if (!cve.id.empty() && (cve.id.rfind("CVE-", 0) != 0 || cve.id.size() < 13))
        r.fail(at + "/id", fmt::format("'{}' is not a CVE id (CVE-YYYY-NNNN)", cve.id));
      cve.title = r.string_field(c, at, "title", true).value_or("");
      cve.component = r.string_field(c, at, "component", true).value_or("");
      if (!cve.component.empty() &&
          std::find(std::begin(kComponents), std::end(kComponents), cve.component) == std::end(kComponents))
        r.fail(at + "/component", fmt::format("unknown component '{}' (allowed: smb-client, smb-server, smb, "
                                              "ntlm, kerberos)",
                                              cve.component));
      cve.published = date_field(r, c, at, "published");
      r.string_field(c, at, "source", true);
      const json* fixes = r.member(c, at, "fixes", true);
      if (fixes && (!fixes->is_array() || fixes->empty())) {
        r.fail(at + "/fixes", "expected a non-empty array of fixes");
      } else if (fixes) {
        for (std::size_t f = 0; f < fixes->size(); ++f)
          if (auto fix = read_fix(r, (*fixes)[f], fmt::format("{}/fixes/{}", at, f), table))
            cve.fixes.push_back(std::move(*fix));
      }
      table.cves.push_back(std::move(cve));
    }
  }
  if (!errors.empty()) return failed();
  return table;
}

}  // namespace smbaudit
