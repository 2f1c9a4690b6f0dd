// The "account_policy" check: a local account policy value (the minimum password length),
// which also reads "Relax minimum password length limits" (rule.h, kRelaxLengthLimitsKey).
#include <fmt/format.h>

#include <ostream>

#include "../check_reader.h"

namespace smbaudit {

AccountPolicyCheck AccountPolicyCheck::parse(CheckReader& in, std::string_view key) {
  in.only_keys({"account_policy", "op", "value"});
  AccountPolicyCheck node;
  node.property = in.string(key, true).value_or("");
  if (!node.property.empty() && node.property != "min_password_length")
    in.fail("/account_policy",
            fmt::format("unknown account policy property '{}' (allowed: min_password_length)", node.property));
  std::tie(node.op, node.operand) = in.comparison();
  return node;
}

void AccountPolicyCheck::facts(FactRefs& out) const {
  out.add(FactRef{FactKind::AccountPolicy, property, {}, {}});
  if (property == "min_password_length")
    out.add(FactRef{FactKind::Registry, std::string(kRelaxLengthLimitsKey), std::string(kRelaxLengthLimitsValue), {}});
}

void AccountPolicyCheck::show(std::ostream& out, int depth, const Check&) const {
  out << std::string(static_cast<std::size_t>(depth) * 2, ' ') << "account policy " << property << " "
      << operand_text(op, operand) << "\n";
}

}  // namespace smbaudit
