// Evaluating an "unc_hardened_paths" check (the logic: src/engine/unc_paths.cpp).
#include "../check_context.h"
#include "../unc_paths.h"

namespace smbaudit {

Outcome UncHardeningCheck::evaluate(CheckContext& context, const Check&) const {
  return evaluate_unc_hardening(
      *this, context.host(), context.facts(),
      [&context](const std::string& name) {
        return context.operand_value(Operand{{}, {}, name});
      },
      context.sink());
}

}  // namespace smbaudit
