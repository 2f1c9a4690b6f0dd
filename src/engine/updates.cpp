#include "updates.h"

#include <fmt/format.h>

#include <charconv>
#include <chrono>

#include "../core/parse.h"

namespace smbaudit {
namespace {

std::optional<int> number(std::string_view s) {
  if (auto v = parse_int(s, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()))
    return static_cast<int>(*v);
  return std::nullopt;
}

std::optional<long> days(int y, int m, int d) {
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (y < 1990 || y > 2200 || !ymd.ok()) return std::nullopt;
  return static_cast<long>(sys_days{ymd}.time_since_epoch().count());
}

}  // namespace

std::optional<long> parse_iso_date(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = number(text.substr(0, 4)), m = number(text.substr(5, 2)), d = number(text.substr(8, 2));
  if (!y || !m || !d) return std::nullopt;
  return days(*y, *m, *d);
}

std::optional<long> parse_installed_on(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  if (auto iso = parse_iso_date(text)) return iso;
  if (text.size() == 8)
    if (auto all = number(text)) return days(*all / 10000, (*all / 100) % 100, *all % 100);
  if (text.size() == 16 && text.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos) {
    std::uint64_t filetime = 0;
    std::from_chars(text.data(), text.data() + text.size(), filetime, 16);
    // FILETIME counts 100 ns intervals from 1601-01-01; 134774 days separate 1601 from 1970.
    const auto day = static_cast<long>(filetime / 10'000'000ULL / 86'400ULL) - 134'774L;
    if (day > 7000 && day < 85000) return day;
    return std::nullopt;
  }
  for (char sep : {'/', '.', '-'}) {
    const auto a = text.find(sep);
    const auto b = a == std::string_view::npos ? a : text.find(sep, a + 1);
    if (b == std::string_view::npos) continue;
    auto first = number(text.substr(0, a)), second = number(text.substr(a + 1, b - a - 1));
    auto third = number(trim(text.substr(b + 1, 4)));
    if (!first || !second || !third) return std::nullopt;
    if (*third < 100) *third += 2000;
    // WMI writes month first; day first is read only where month first is impossible.
    if (auto month_first = days(*third, *first, *second)) return month_first;
    return days(*third, *second, *first);
  }
  return std::nullopt;
}

Outcome evaluate_updates(const UpdatesCheck&, const HostFacts& host, const FactSet& facts, const Value& max_age,
                         const EvidenceSink& sink) {
  const WmiClassRef ref{"root\\cimv2", "Win32_QuickFixEngineering"};
  Evidence e{.kind = EvidenceKind::Wmi, .path = ref.name_space + ":" + ref.class_name, .name = "InstalledOn"};
  auto cls = facts.wmi_class(ref);
  if (!cls) return unreadable(cls.error(), e, "installed updates", sink);
  const auto* limit = std::get_if<std::int64_t>(&max_age);
  if (!limit) return {Status::Error, "the max_age_days parameter is not a number"};
  if (!host.collected_at || !parse_iso_date(*host.collected_at))
    return {Status::Unknown, "the collection time is unknown, so the age of the newest update cannot be computed"};
  const long now = *parse_iso_date(*host.collected_at);
  std::optional<long> newest;
  std::string newest_id, newest_text;
  for (const auto& instance : cls->instances) {
    auto it = instance.find("InstalledOn");
    if (it == instance.end()) continue;
    const auto* text = std::get_if<std::string>(&it->second);
    if (!text) continue;
    auto day = parse_installed_on(*text);
    if (day && *day > now) day.reset();
    if (day && (!newest || *day > *newest)) {
      newest = day;
      newest_text = *text;
      auto id = instance.find("HotFixID");
      newest_id = id != instance.end() && std::holds_alternative<std::string>(id->second)
                      ? std::get<std::string>(id->second)
                      : "?";
    }
  }
  e.presence = newest ? Presence::Present : Presence::Absent;
  e.role = EvidenceRole::Decided;
  if (!newest) {
    sink(e);
    if (cls->instances.empty()) return {Status::Fail, "no installed updates are recorded"};
    return {Status::Unknown, "no InstalledOn date of the installed updates could be read"};
  }
  e.data = Value{fmt::format("{} installed {}", newest_id, newest_text)};
  sink(e);
  const long age = now - *newest;
  if (age <= *limit)
    return {Status::Pass,
            fmt::format("newest update {} was installed {} days before collection (limit {})", newest_id, age, *limit)};
  return {Status::Fail, fmt::format("newest update {} was installed {} days before collection; expected at most {}",
                                    newest_id, age, *limit)};
}

}  // namespace smbaudit
