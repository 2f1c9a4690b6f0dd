#include "key_path.h"

#include <fmt/format.h>

namespace smbaudit::gpo {
namespace {

// Characters (code points), not bytes: the limit is Windows' and counts UTF-16 units, which
// this may undercount only for characters outside the BMP.
std::size_t characters(std::string_view utf8) {
  std::size_t n = 0;
  for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

}  // namespace

std::optional<std::string> key_path_problem(std::string_view key) {
  if (key.empty()) return std::string("the key path is empty");
  // The registry's own limits: 255 characters a name, 512 levels. Capping depth also
  // bounds the ancestor walk the policy model does for each key it resolves.
  constexpr std::size_t kMaxName = 255, kMaxDepth = 512;
  std::size_t depth = 0;
  for (std::size_t start = 0;;) {
    const std::size_t end = key.find('\\', start);
    const std::string_view part = key.substr(start, end == std::string_view::npos ? end : end - start);
    if (part.empty()) return fmt::format("the key path '{}' has an empty component", key);
    if (characters(part) > kMaxName) return fmt::format("a key name longer than {} characters in '{}'", kMaxName, key);
    if (++depth > kMaxDepth) return fmt::format("the key path is deeper than {} keys", kMaxDepth);
    if (end == std::string_view::npos) return std::nullopt;
    start = end + 1;
  }
}

std::string hklm_path(std::string_view key) {
  return "HKLM\\" + std::string(key);
}

}  // namespace smbaudit::gpo
