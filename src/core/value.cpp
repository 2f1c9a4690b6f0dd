#include "smbaudit/value.h"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "enum_names.h"
#include "smbaudit/text.h"

namespace smbaudit {
namespace {
constexpr std::array<std::pair<RegType, std::string_view>, 7> kRegTypes{{
    {RegType::Sz, "REG_SZ"},
    {RegType::ExpandSz, "REG_EXPAND_SZ"},
    {RegType::MultiSz, "REG_MULTI_SZ"},
    {RegType::Dword, "REG_DWORD"},
    {RegType::Qword, "REG_QWORD"},
    {RegType::Binary, "REG_BINARY"},
    {RegType::Other, "REG_OTHER"},
}};
}  // namespace

std::string_view to_string(RegType type) {
  return name_of(kRegTypes, type);
}
std::optional<RegType> reg_type_from_string(std::string_view name) {
  return value_of(kRegTypes, name, NameCase::Insensitive);
}

bool is_null(const Value& value) {
  return std::holds_alternative<std::monostate>(value);
}

std::string describe(const Value& value) {
  struct Visitor {
    std::string operator()(std::monostate) const { return "(none)"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const {
      // Hex helps with dialects and flag masks; decimal with everything else.
      if (i >= 256 || i < 0) return fmt::format("{} (0x{:x})", i, static_cast<std::uint64_t>(i));
      return fmt::format("{}", i);
    }
    std::string operator()(const std::string& s) const { return fmt::format("\"{}\"", s); }
    std::string operator()(const StringList& l) const {
      if (l.empty()) return "(empty list)";
      return "[" + join(l, ", ") + "]";
    }
    std::string operator()(const Bytes& b) const {
      std::string out = "hex:";
      for (std::size_t i = 0; i < b.size() && i < 64; ++i) out += fmt::format("{:02x}", b[i]);
      if (b.size() > 64) out += "...";
      return out;
    }
  };
  return std::visit(Visitor{}, value);
}

std::string describe_decimal(const Value& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return fmt::format("{}", *i);
  return describe(value);
}

}  // namespace smbaudit
