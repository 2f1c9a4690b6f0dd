// Fixture hives for tests and examples, built from nothing: an empty hive written here from
// the format's description, filled through hivex's write API. Native builds only (hivex).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "empty_hive.h"
#include "smbaudit/expected.h"
#include "smbaudit/text.h"
#include "smbaudit/value.h"

namespace smbaudit::test_support {

// The keys of a hive (paths from its root, names joined by '\') and every value of each;
// parent keys are created as needed.
struct HiveSpec {
  std::map<std::string, std::vector<RegValue>, ILess> keys;

  // Adds `values` to the key at `path`, creating the key; a value of the same name is replaced.
  HiveSpec& set(const std::string& path, std::vector<RegValue> values = {});
  // Removes the key at `path` and every key below it.
  HiveSpec& remove(const std::string& path);

  // A value written as raw bytes with any type code, however malformed (the decoder's cases).
  struct RawValue {
    std::string name;
    std::uint32_t type_code = 0;
    std::string bytes;
  };
  std::map<std::string, std::vector<RawValue>, ILess> raw_keys;
  HiveSpec& set_raw(const std::string& path, RawValue value);
};

[[nodiscard]] RegValue dword(std::string name, std::int64_t value);
[[nodiscard]] RegValue sz(std::string name, std::string value);
[[nodiscard]] RegValue multi_sz(std::string name, StringList value);

// Writes a hive holding `spec` to `file` (replacing it); returns what failed, or nullopt.
[[nodiscard]] std::optional<std::string> write_hive(const HiveSpec& spec, const std::filesystem::path& file);

// Reads a spec from JSON: {"keys": {"PATH": {"NAME": {"type": "REG_DWORD", "data": 1}, ...}, ...}}.
[[nodiscard]] Expected<HiveSpec, std::string> hive_spec_from_json(std::string_view text);

}  // namespace smbaudit::test_support
