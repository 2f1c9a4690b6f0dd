// Fail closed: a rule whose facts could not be read is never a pass. Every rule of the
// built-in pack, which between them use every check kind, is evaluated on several hosts
// with every fact it reads unreadable (unknown, then error).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "smbaudit/engine.h"

namespace smbaudit {
namespace {

void kinds_used(const Check& check, std::set<std::size_t>& out) {
  out.insert(check.node.index());
  if (const auto* c = std::get_if<CompositeCheck>(&check.node))
    for (const auto& child : c->children) kinds_used(child, out);
}

std::vector<HostFacts> hosts() {
  HostFacts workstation{.name = "WS", .build = 22631, .ubr = 4460, .edition = "Enterprise"};
  workstation.role = Role::Workstation;
  workstation.membership = Membership::Domain;
  workstation.collected_at = "2026-11-20T02:00:00Z";
  HostFacts dc = workstation;
  dc.name = "DC";
  dc.build = 26100;
  dc.edition = "ServerDatacenter";
  dc.role = Role::DomainController;
  HostFacts unknown_host;  // nothing known about the host either (an offline image without SOFTWARE)
  unknown_host.name = "X";
  return {workstation, dc, unknown_host};
}

FactSet unreadable(const FactPlan& plan, FactProblem problem) {
  const FactError e{problem, "could not be read in this test"};
  FactSet facts;
  for (const auto& key : plan.registry_keys) facts.registry.emplace(key, Unexpected(e));
  for (const auto& service : plan.services) facts.services.emplace(service, Unexpected(e));
  for (const auto& cls : plan.wmi_classes) facts.wmi.emplace(cls, Unexpected(e));
  if (plan.account_policy) facts.account_policy = Unexpected(e);
  return facts;
}

TEST(FailClosed, NoRuleOfThePackPassesOnFactsThatCouldNotBeRead) {
  auto pack = load_rule_pack(builtin_rule_files(), "built-in", builtin_data_files());
  ASSERT_TRUE(pack);
  std::set<std::size_t> kinds;
  int evaluated = 0;
  for (const Rule& rule : pack->rules) {
    kinds_used(rule.check, kinds);
    const FactPlan plan = plan_for({&rule});
    for (FactProblem problem : {FactProblem::Unknown, FactProblem::Error}) {
      const FactSet facts = unreadable(plan, problem);
      for (const HostFacts& host : hosts()) {
        const Finding f = evaluate(rule, host, facts, {});
        EXPECT_NE(f.status, Status::Pass) << rule.id << " on " << host.name << ": " << f.explanation;
        ++evaluated;
      }
    }
  }
  EXPECT_EQ(kinds.size(), std::variant_size_v<decltype(Check::node)>) << "some check kind is not covered";
  EXPECT_GT(evaluated, 100);
}

TEST(FailClosed, TheScoreLeavesUnknownAndErrorOutAndCountsThem) {
  auto pack = load_rule_pack(builtin_rule_files(), "built-in", builtin_data_files());
  ASSERT_TRUE(pack);
  // A rule that reads the host's own facts only (the patch level: build and UBR) is decided by
  // them; every other rule reads something that could not be read here.
  RulePack unreadable_pack{pack->origin, {}, {}};
  for (const Rule& rule : pack->rules) {
    const auto refs = fact_refs(rule.check);
    if (std::any_of(refs.begin(), refs.end(), [](const FactRef& r) { return r.kind != FactKind::Host; }))
      unreadable_pack.rules.push_back(rule);
  }
  ASSERT_LT(unreadable_pack.rules.size(), pack->rules.size());
  auto selection = select_rules(unreadable_pack, nullptr, {}, {});
  ASSERT_TRUE(selection);
  const Report report =
      build_report(*selection, hosts().front(), unreadable(plan_for(selection->rules), FactProblem::Error));
  EXPECT_FALSE(report.score.overall) << "nothing could be read, so nothing can be scored";
  EXPECT_EQ(report.score.totals.passed, 0);
  EXPECT_EQ(report.score.totals.error + report.score.totals.not_applicable + report.score.totals.unknown,
            static_cast<int>(report.findings.size()));
  EXPECT_GT(report.score.totals.error, 0);
}

}  // namespace
}  // namespace smbaudit
