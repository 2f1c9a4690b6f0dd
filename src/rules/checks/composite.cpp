// all_of, any_of, not: checks made of checks.
#include <ostream>

#include "../check_reader.h"

namespace smbaudit {

CompositeCheck CompositeCheck::parse(CheckReader& in, std::string_view key) {
  in.only_keys({"all_of", "any_of", "not"});
  CompositeCheck node;
  if (key == "not") {
    node.combinator = Combinator::Not;
    node.children.push_back(in.check(key));
  } else {
    node.combinator = key == "all_of" ? Combinator::AllOf : Combinator::AnyOf;
    node.children = in.checks(key);
  }
  return node;
}

void CompositeCheck::facts(FactRefs& out) const {
  for (const auto& child : children) out.add(child);
}

void CompositeCheck::show(std::ostream& out, int depth, const Check& self) const {
  out << std::string(static_cast<std::size_t>(depth) * 2, ' ') << kKeys[static_cast<int>(combinator)]
      << (self.label.empty() ? "" : " " + self.label) << "\n";
  for (const auto& child : children) print_check(child, depth + 1, out);
}

}  // namespace smbaudit
