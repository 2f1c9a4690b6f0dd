#include "unc_paths.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace smbaudit {
namespace {

TEST(UncPattern, ParsesAndRejectsLikeWindows) {
  auto p = parse_unc_pattern("\\\\*\\SYSVOL\\");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->server, "*");
  EXPECT_EQ(p->share, "SYSVOL");
  EXPECT_FALSE(parse_unc_pattern("\\\\*\\*"));
  EXPECT_FALSE(parse_unc_pattern("\\\\server"));
  EXPECT_FALSE(parse_unc_pattern("server\\share"));
  EXPECT_FALSE(parse_unc_pattern("\\\\a\\b\\c"));
}

TEST(UncPattern, CoversAndOverlaps) {
  const auto any_sysvol = *parse_unc_pattern("\\\\*\\sysvol");
  const auto dc1_sysvol = *parse_unc_pattern("\\\\DC1\\SYSVOL");
  const auto dc1_all = *parse_unc_pattern("\\\\dc1\\*");
  EXPECT_TRUE(covers(any_sysvol, dc1_sysvol));
  EXPECT_FALSE(covers(dc1_sysvol, any_sysvol));
  EXPECT_TRUE(overlaps(dc1_sysvol, any_sysvol));
  EXPECT_TRUE(overlaps(dc1_all, any_sysvol));
  EXPECT_FALSE(overlaps(*parse_unc_pattern("\\\\*\\data"), any_sysvol));
}

class UncCheck : public ::testing::Test {
 protected:
  Outcome run(std::vector<std::pair<std::string, std::string>> entries, int build = 19045, bool privacy = false) {
    FactSet f;
    RegistryKeyFact key{entries.empty() ? Presence::Absent : Presence::Present, {}, ""};
    for (auto& [name, data] : entries) key.values.push_back(RegValue{name, RegType::Sz, Value{data}});
    f.registry.emplace(std::string(kHardenedPathsKey), key);
    HostFacts host;
    host.build = build;
    UncHardeningCheck check{{"\\\\*\\SYSVOL", "\\\\*\\NETLOGON"},
                            "extra",
                            {"RequireMutualAuthentication", "RequireIntegrity"},
                            "privacy",
                            10240};
    const auto param = [&](const std::string& name) -> Value {
      if (name == "privacy") return Value{privacy};
      return Value{extra_};
    };
    evidence_.clear();
    return evaluate_unc_hardening(check, host, f, param, [this](Evidence e) { evidence_.push_back(std::move(e)); });
  }
  StringList extra_;
  std::vector<Evidence> evidence_;
};

TEST_F(UncCheck, ExplicitEntriesPassWhateverTheirSpacingAndCase) {
  EXPECT_EQ(run({{"\\\\*\\SYSVOL", "RequireMutualAuthentication=1, RequireIntegrity=1"},
                 {"\\\\*\\netlogon", "requireintegrity = 1,RequireMutualAuthentication=1"}})
                .status,
            Status::Pass);
}

TEST_F(UncCheck, SaysWhenNoEntryHasTheRequiredPatternsOwnName) {
  EXPECT_EQ(run({{"\\\\*\\SYSVOL", "RequireMutualAuthentication=1, RequireIntegrity=1"}}, 9600).status, Status::Fail);
  // A fix writes \\*\NETLOGON; its rollback needs to know there was no such value.
  const auto netlogon =
      std::find_if(evidence_.begin(), evidence_.end(), [](const Evidence& e) { return e.name == "\\\\*\\NETLOGON"; });
  ASSERT_NE(netlogon, evidence_.end());
  EXPECT_EQ(netlogon->presence, Presence::Absent);
  EXPECT_EQ(
      std::count_if(evidence_.begin(), evidence_.end(), [](const Evidence& e) { return e.name == "\\\\*\\SYSVOL"; }),
      1);
}

TEST_F(UncCheck, NoEntryRelyOnWindowsDefaultFromWindows10) {
  EXPECT_EQ(run({}, 19045).status, Status::Pass);
  EXPECT_EQ(run({}, 9600).status, Status::Fail);
  EXPECT_EQ(run({}, 19045, /*privacy=*/true).status, Status::Fail);
}

TEST_F(UncCheck, AnEntryThatTurnsAFlagOffFails) {
  const Outcome o = run({{"\\\\*\\SYSVOL", "RequireMutualAuthentication=0, RequireIntegrity=0"}});
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.explanation.find("RequireMutualAuthentication=0"), std::string::npos) << o.explanation;
  // Weakening one server's SYSVOL also fails.
  EXPECT_EQ(run({{"\\\\DC1\\*", "RequireIntegrity=0"}}).status, Status::Fail);
}

// Issue 13, item 7: an entry narrower than a required path that leaves a required flag out is
// not a pass: Microsoft does not say Windows still applies the wider entry to the paths the
// narrower one matches.
TEST_F(UncCheck, ANarrowerEntryWithoutARequiredFlagFails) {
  const Outcome o = run({{"\\\\*\\SYSVOL", "RequireMutualAuthentication=1, RequireIntegrity=1"},
                         {"\\\\*\\NETLOGON", "RequireMutualAuthentication=1, RequireIntegrity=1"},
                         {"\\\\corp.example\\SYSVOL", "RequireMutualAuthentication=1"}});
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_EQ(o.explanation,
            "\\\\corp.example\\SYSVOL lacks RequireIntegrity=1 (narrower than \\\\*\\SYSVOL: Windows may apply "
            "it alone to the paths it matches)");
  // The same narrower entry with every flag passes.
  EXPECT_EQ(run({{"\\\\*\\SYSVOL", "RequireMutualAuthentication=1, RequireIntegrity=1"},
                 {"\\\\*\\NETLOGON", "RequireMutualAuthentication=1, RequireIntegrity=1"},
                 {"\\\\corp.example\\SYSVOL", "RequireMutualAuthentication=1, RequireIntegrity=1"}})
                .status,
            Status::Pass);
}

// Issue 16, item 15: "\\*\NETLOGON sets RequireIntegrity|RequirePrivacy=0 for \\*\NETLOGON".
TEST_F(UncCheck, MessagesNameEachPathOnce) {
  const Outcome own = run({{"\\\\*\\SYSVOL", "RequireMutualAuthentication=1, RequireIntegrity=1"},
                           {"\\\\*\\NETLOGON", "RequireMutualAuthentication=1, RequireIntegrity=0"}});
  EXPECT_EQ(own.explanation, "\\\\*\\NETLOGON sets RequireIntegrity=0");
  const Outcome wider = run({{"\\\\*\\SYSVOL", "RequireMutualAuthentication=1, RequireIntegrity=1"},
                             {"\\\\*\\NETLOGON", "RequireMutualAuthentication=1, RequireIntegrity=1"},
                             {"\\\\DC1\\*", "RequireMutualAuthentication=1, RequireIntegrity=0"}});
  EXPECT_EQ(wider.explanation,
            "\\\\DC1\\* sets RequireIntegrity=0 (overlapping \\\\*\\SYSVOL); \\\\DC1\\* sets RequireIntegrity=0 "
            "(overlapping \\\\*\\NETLOGON)");
}

TEST_F(UncCheck, EntryMissingAFlagFails) {
  EXPECT_EQ(run({{"\\\\*\\SYSVOL", "RequireMutualAuthentication=1"},
                 {"\\\\*\\NETLOGON", "RequireMutualAuthentication=1, RequireIntegrity=1"}})
                .status,
            Status::Fail);
}

TEST(UncAlternatives, PrivacyStandsInForIntegrity) {
  FactSet f;
  f.registry.emplace(std::string(kHardenedPathsKey),
                     RegistryKeyFact{Presence::Present,
                                     {RegValue{"\\\\*\\SYSVOL", RegType::Sz,
                                               Value{std::string("RequireMutualAuthentication=1,RequirePrivacy=1")}}},
                                     ""});
  HostFacts host;
  host.build = 26100;
  const auto run = [&](std::string flag) {
    UncHardeningCheck check{{"\\\\*\\SYSVOL"}, {}, {"RequireMutualAuthentication", flag}, {}, 10240};
    return evaluate_unc_hardening(
               check, host, f, [](const std::string&) { return Value{}; }, [](Evidence) {})
        .status;
  };
  EXPECT_EQ(run("RequireIntegrity|RequirePrivacy"), Status::Pass);
  EXPECT_EQ(run("RequireIntegrity"), Status::Fail);
}

TEST_F(UncCheck, ExtraPathsFromTheParameterMustBeCovered) {
  extra_ = {"\\\\fs01\\finance"};
  EXPECT_EQ(run({}).status, Status::Fail);
  EXPECT_EQ(run({{"\\\\fs01\\*", "RequireMutualAuthentication=1, RequireIntegrity=1"}}).status, Status::Pass);
}

TEST_F(UncCheck, UnknownBuildIsUnknown) {
  FactSet f;
  f.registry.emplace(std::string(kHardenedPathsKey), RegistryKeyFact{Presence::Absent, {}, ""});
  UncHardeningCheck check{{"\\\\*\\SYSVOL"}, {}, {"RequireIntegrity"}, {}, 10240};
  EXPECT_EQ(evaluate_unc_hardening(
                check, HostFacts{}, f, [](const std::string&) { return Value{}; }, [](Evidence) {})
                .status,
            Status::Unknown);
}

}  // namespace
}  // namespace smbaudit
