// Fuzzes the Registry.pol (PReg) reader: any bytes as a file; what parses must write back
// to records that read the same, and is applied to the policy model.
#include "../src/sources/gpo/registry_pol.h"
#include "gpo_fuzz.h"

using namespace smbaudit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto records = gpo::parse_registry_pol(fuzz::as_text(data, size));
  if (!records) {
    fuzz::require(!records.error().empty());
    return 0;
  }
  const auto again = gpo::parse_registry_pol(gpo::write_registry_pol(*records));
  fuzz::require(again && *again == *records);
  for (const auto& r : *records) fuzz::require(gpo::interpret(r).has_value());
  gpo::Gpo g;
  g.location.registry_pol = "Registry.pol";
  g.registry_pol = *records;
  fuzz::apply_and_resolve(g);
  return 0;
}
