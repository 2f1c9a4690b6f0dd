// Fuzzes the Group Policy Preferences Registry.xml reader (and the safe XML subset under
// it): any bytes as the file; what parses is applied to the policy model.
#include "../src/sources/gpo/gpp_registry.h"
#include "gpo_fuzz.h"

using namespace smbaudit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto file = gpo::parse_gpp_registry(fuzz::as_text(data, size));
  if (!file) {
    fuzz::require(!file.error().empty());
    return 0;
  }
  for (const auto& item : file->items) fuzz::require(item.filtered == !item.filters.empty());
  gpo::Gpo g;
  g.location.registry_xml = "Registry.xml";
  g.registry_xml = std::move(*file);
  fuzz::apply_and_resolve(g);
  return 0;
}
