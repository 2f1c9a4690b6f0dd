// Evaluating an "updates_installed_within_days" check (the logic: src/engine/updates.cpp).
#include "../updates.h"
#include "../check_context.h"

namespace smbaudit {

Outcome UpdatesCheck::evaluate(CheckContext& context, const Check&) const {
  return evaluate_updates(*this, context.host(), context.facts(), context.operand_value(max_age_days), context.sink());
}

}  // namespace smbaudit
