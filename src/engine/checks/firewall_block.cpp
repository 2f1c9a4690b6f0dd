// Evaluating a "firewall_outbound_block" check (the logic: src/engine/firewall.cpp).
#include "../check_context.h"
#include "../firewall.h"

namespace smbaudit {

Outcome FirewallBlockCheck::evaluate(CheckContext& context, const Check&) const {
  return evaluate_firewall(*this, context.facts(), context.sink());
}

}  // namespace smbaudit
