// dump_json (src/core/json_value.h) must write what nlohmann's serializer writes: the input
// becomes a string, a key and, where it parses, a whole document, each dumped both ways.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "../src/core/json_value.h"

namespace {

void same(const nlohmann::ordered_json& j) {
  for (int indent : {-1, 2})
    if (smbaudit::dump_json(j, indent) != j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace))
      std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  same(nlohmann::ordered_json(text));
  same(nlohmann::ordered_json{{text, {text, size}}});
  const auto doc = nlohmann::ordered_json::parse(text, nullptr, false);
  if (!doc.is_discarded()) same(doc);
  return 0;
}
