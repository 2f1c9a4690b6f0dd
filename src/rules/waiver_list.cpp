// Waiver files: accepted risks, each with a justification and an expiry date.
#include <fmt/format.h>

#include "../core/json_value.h"
#include "json_reader.h"

namespace smbaudit {
namespace {
constexpr std::string_view kWaiversSchema = "smbaudit-waivers/1";
}  // namespace

Expected<WaiverList, std::vector<LoadError>> load_waivers(const RuleFile& file, const RulePack& pack) {
  std::vector<LoadError> errors;
  auto doc = parse_json(file, errors);
  const auto failed = [&]() -> Expected<WaiverList, std::vector<LoadError>> { return Unexpected(std::move(errors)); };
  if (!doc) return failed();
  FileReader r(file.name, errors);
  if (!check_schema(*doc, kWaiversSchema, r)) return failed();
  r.only_keys(*doc, "", {"$schema", "schema", "description", "waivers"});
  WaiverList list{file.name, {}};
  const json* waivers = r.member(*doc, "", "waivers", true);
  if (waivers && !waivers->is_array()) r.fail("/waivers", "expected an array of waivers");
  const std::size_t count = waivers && waivers->is_array() ? waivers->size() : 0;
  for (std::size_t i = 0; i < count; ++i) {
    const json& w = (*waivers)[i];
    const std::string at = fmt::format("/waivers/{}", i);
    if (!w.is_object()) {
      r.fail(at, fmt::format("expected an object, got {}", json_type_name(w)));
      continue;
    }
    r.only_keys(w, at, {"rule", "hosts", "justification", "expires"});
    Waiver waiver;
    waiver.rule = r.string_field(w, at, "rule", true).value_or("");
    if (!waiver.rule.empty() && !pack.find(waiver.rule))
      r.fail(at + "/rule", fmt::format("no rule '{}' in the pack (see 'smbaudit rules list')", waiver.rule));
    waiver.hosts = r.string_list(w, at, "hosts");
    for (std::size_t h = 0; h < waiver.hosts.size(); ++h)
      if (trim(waiver.hosts[h]).empty()) r.fail(fmt::format("{}/hosts/{}", at, h), "must not be empty");
    waiver.justification = r.string_field(w, at, "justification", true).value_or("");
    waiver.expires = r.string_field(w, at, "expires", true).value_or("");
    if (!waiver.expires.empty() && !is_iso_date(waiver.expires))
      r.fail(at + "/expires", fmt::format("expected a date YYYY-MM-DD, got \"{}\"", waiver.expires));
    list.waivers.push_back(std::move(waiver));
  }
  if (!errors.empty()) return failed();
  return list;
}

}  // namespace smbaudit
