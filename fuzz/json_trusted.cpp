// parse_trusted_json (src/core/input.h) builds the documents every JSON input becomes, after
// the validating pass or, for the built-in pack, after the tests: on any bytes it must end
// with a document or an error, and where nlohmann's parser accepts the bytes it must build
// the same document (the same values and the same number types), short of nesting beyond
// the cap that every input has.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "../src/core/input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto mine = smbaudit::parse_trusted_json(text);
  const auto reference = nlohmann::json::parse(text, nullptr, false);
  if (reference.is_discarded()) return 0;
  if (!mine) {
    if (mine.error().find("nested too deeply") == std::string::npos) std::abort();
    return 0;
  }
  if (*mine != reference || mine->dump() != reference.dump()) std::abort();
  return 0;
}
