// Fuzzes the UNC hardened path parser and the "Key=Value, ..." flag data parser: the first
// line is a pattern compared with a second pattern on the next line; the rest is flag data.
#include "../src/engine/compare.h"
#include "../src/engine/unc_paths.h"
#include "fuzz_input.h"

using namespace smbaudit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  const auto first_end = std::min(text.find('\n'), text.size());
  const std::string_view first = text.substr(0, first_end);
  text.remove_prefix(std::min(first_end + 1, text.size()));
  const auto second_end = std::min(text.find('\n'), text.size());
  const std::string_view second = text.substr(0, second_end);
  const std::string_view flags = text.substr(std::min(second_end + 1, text.size()));

  const auto a = parse_unc_pattern(first);
  const auto b = parse_unc_pattern(second);
  if (a) fuzz::require(!a->server.empty() && !a->share.empty() && !(a->server == "*" && a->share == "*"));
  if (a && b) {
    // A pattern that covers another also overlaps it, and every pattern covers itself.
    if (covers(*a, *b)) fuzz::require(overlaps(*a, *b));
    fuzz::require(covers(*a, *a));
  }
  for (std::string_view field : {"RequireMutualAuthentication", "RequireIntegrity", "RequirePrivacy"})
    (void)kv_field(flags, field);
  return 0;
}
