// Fuzzes the GptTmpl.inf reader: any bytes as a security template; what parses and can be
// written must read back the same (line numbers aside), and is applied to the policy model.
#include "../src/sources/gpo/gpttmpl.h"
#include "gpo_fuzz.h"

using namespace smbaudit;

namespace {

void clear_lines(gpo::InfFile& inf) {
  for (auto& s : inf.system_access) s.line = 0;
  for (auto& v : inf.registry_values) v.line = 0;
  for (auto& s : inf.services) s.line = 0;
  for (auto& s : inf.skipped) s.line = 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto inf = gpo::parse_gpttmpl(fuzz::as_text(data, size));
  if (!inf) {
    fuzz::require(!inf.error().empty());
    return 0;
  }
  if (const auto written = gpo::write_gpttmpl(*inf)) {
    auto back = gpo::parse_gpttmpl(*written);
    fuzz::require(back.has_value());
    gpo::InfFile a = *inf;
    clear_lines(a);
    clear_lines(*back);
    fuzz::require(a == *back);
  }
  gpo::Gpo g;
  g.location.gpttmpl = "GptTmpl.inf";
  g.gpttmpl = std::move(*inf);
  fuzz::apply_and_resolve(g);
  return 0;
}
