#include "updates.h"

#include <gtest/gtest.h>

namespace smbaudit {
namespace {

TEST(InstalledOn, ParsesTheFormsWindowsWrites) {
  const long nov20 = *parse_iso_date("2026-11-20");
  EXPECT_EQ(parse_installed_on("11/20/2026"), nov20);
  EXPECT_EQ(parse_installed_on("20.11.2026"), nov20);
  EXPECT_EQ(parse_installed_on("20261120"), nov20);
  EXPECT_EQ(parse_installed_on(" 2026-11-20 "), nov20);
  EXPECT_EQ(parse_installed_on("01dd5a9a00000000").has_value(), true);
}

TEST(InstalledOn, ReadsMonthFirstUnlessThatIsImpossible) {
  EXPECT_EQ(parse_installed_on("03/04/2026"), parse_iso_date("2026-03-04"));
  EXPECT_EQ(parse_installed_on("25/03/2026"), parse_iso_date("2026-03-25"));
}

TEST(InstalledOn, RejectsGarbage) {
  for (const char* text : {"", "yesterday", "13/13/2026", "1/2", "//", "99999999", "ffffffffffffffff"})
    EXPECT_FALSE(parse_installed_on(text)) << text;
}

Outcome run(std::vector<std::string> dates, std::optional<std::string> collected, std::int64_t limit = 30) {
  FactSet f;
  WmiClassFact cls;
  int n = 0;
  for (auto& d : dates)
    cls.instances.push_back(WmiInstance{{"HotFixID", Value{"KB" + std::to_string(++n)}}, {"InstalledOn", Value{d}}});
  f.wmi.emplace(WmiClassRef{"root\\cimv2", "Win32_QuickFixEngineering"}, cls);
  HostFacts host;
  host.collected_at = collected;
  return evaluate_updates(UpdatesCheck{}, host, f, Value{limit}, [](Evidence) {});
}

TEST(UpdatesCheck, ComparesTheNewestUpdateWithTheCollectionTime) {
  EXPECT_EQ(run({"1/2/2025", "11/1/2026"}, "2026-11-20T02:00:00Z").status, Status::Pass);
  const Outcome old = run({"1/2/2025", "9/1/2026"}, "2026-11-20T02:00:00Z");
  EXPECT_EQ(old.status, Status::Fail);
  EXPECT_NE(old.explanation.find("KB2"), std::string::npos);
  EXPECT_EQ(run({}, "2026-11-20T02:00:00Z").status, Status::Fail);
  EXPECT_EQ(run({"garbage"}, "2026-11-20T02:00:00Z").status, Status::Unknown);
  EXPECT_EQ(run({"11/1/2026"}, std::nullopt).status, Status::Unknown);
  // A date after collection cannot be right: it does not count as a recent update.
  EXPECT_EQ(run({"12/24/2026"}, "2026-11-20T02:00:00Z").status, Status::Unknown);
}

}  // namespace
}  // namespace smbaudit
