// Evaluating all_of, any_of and not: how the parts' verdicts combine (fail closed).
#include <fmt/format.h>

#include <algorithm>

#include "../check_context.h"

namespace smbaudit {
namespace {

Outcome combine(const CompositeCheck& node, const Check& check, const std::vector<Outcome>& outcomes) {
  const auto texts = [&](Status wanted) {
    std::vector<std::string> parts;
    for (const auto& o : outcomes)
      if (o.status == wanted) parts.push_back(o.explanation);
    return join(parts, "; ");
  };
  const auto has = [&](Status s) {
    return std::any_of(outcomes.begin(), outcomes.end(), [s](const Outcome& o) { return o.status == s; });
  };
  const std::string prefix = check.label.empty() ? "" : check.label + ": ";
  switch (node.combinator) {
    case Combinator::Not: {
      Outcome o = outcomes.front();
      if (o.status == Status::Pass) return {Status::Fail, prefix + "not expected: " + o.explanation};
      if (o.status == Status::Fail) return {Status::Pass, prefix + o.explanation};
      return o;
    }
    case Combinator::AllOf:
      // A definite failure decides even when other parts are unknown: fail closed, never pass.
      if (has(Status::Fail)) return {Status::Fail, prefix + texts(Status::Fail)};
      if (has(Status::Error)) return {Status::Error, prefix + texts(Status::Error)};
      if (has(Status::Unknown)) return {Status::Unknown, prefix + texts(Status::Unknown)};
      return {Status::Pass, prefix + texts(Status::Pass)};
    case Combinator::AnyOf:
      for (const auto& o : outcomes)
        if (o.status == Status::Pass) return {Status::Pass, prefix + o.explanation};
      if (has(Status::Error)) return {Status::Error, prefix + texts(Status::Error)};
      if (has(Status::Unknown)) return {Status::Unknown, prefix + texts(Status::Unknown)};
      return {Status::Fail, prefix + "none holds: " + texts(Status::Fail)};
  }
  return {Status::Error, "unhandled combinator"};
}

}  // namespace

Outcome CompositeCheck::evaluate(CheckContext& context, const Check& check) const {
  std::vector<Outcome> outcomes;
  for (const auto& child : children) outcomes.push_back(context.eval(child));
  // A labelled condition on the host alone that fails says what the host lacks in its own
  // words, with the facts it saw ("... exist from 26100.3613: update Windows first (this
  // host: OS build 26100, update build revision 2000)"), not as a list of comparisons.
  if (!check.label.empty() && CheckContext::host_only(check)) {
    Outcome o = combine(*this, check, outcomes);
    if (o.status == Status::Fail)
      o.explanation = fmt::format("{} (this host: {})", check.label, context.host_facts_seen(check));
    return o;
  }
  // In all_of, a failing condition on the host (a build without the setting, another role)
  // decides alone: the settings next to it are not what needs changing first, and merging
  // them would hide that.
  if (combinator == Combinator::AllOf) {
    std::vector<std::string> host_failures;
    for (std::size_t i = 0; i < outcomes.size(); ++i)
      if (outcomes[i].status == Status::Fail && CheckContext::host_only(children[i]))
        host_failures.push_back(outcomes[i].explanation);
    if (!host_failures.empty())
      return {Status::Fail, (check.label.empty() ? "" : check.label + ": ") + join(host_failures, "; ")};
  }
  return combine(*this, check, outcomes);
}

}  // namespace smbaudit
