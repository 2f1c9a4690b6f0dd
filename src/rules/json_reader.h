// Reading smbaudit's JSON files (rule packs, profiles, waivers): one reader per file that
// collects every problem, each with its JSON pointer, rather than stopping at the first.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smbaudit/rule_loader.h"

namespace smbaudit {

using json = nlohmann::json;

// "a/b" -> "a~1b": a member name as one JSON pointer token (RFC 6901).
[[nodiscard]] std::string escape_pointer(std::string_view token);
[[nodiscard]] const json& empty_json_object();

class FileReader {
 public:
  FileReader(std::string file, std::vector<LoadError>& errors) : file_(std::move(file)), errors_(errors) {}

  void set_rule(std::string id) { rule_ = std::move(id); }
  // The pack's data files, which a check names by their path in the pack.
  void set_data(const std::vector<RuleFile>* data) { data_ = data; }
  // "data/patch-level.json": the data file at that path in the pack, if it has one.
  [[nodiscard]] const RuleFile* data_file(std::string_view path) const;
  // Adds problems found in another file (a data file a rule names), as they are.
  void add(const std::vector<LoadError>& errors);
  void fail(const std::string& pointer, std::string message);
  [[nodiscard]] std::size_t error_count() const { return errors_.size(); }

  // Reports any member of `object` not in `allowed`.
  void only_keys(const json& object, const std::string& pointer, std::initializer_list<std::string_view> allowed);
  const json* member(const json& object, const std::string& pointer, std::string_view key, bool required);
  std::optional<std::string> string_field(const json& object, const std::string& pointer, std::string_view key,
                                          bool required);
  // A non-negative integer up to 1,000,000.
  std::optional<int> int_field(const json& object, const std::string& pointer, std::string_view key);
  std::vector<std::string> string_list(const json& object, const std::string& pointer, std::string_view key);
  // A registry key path, normalised to "HKLM\...".
  std::optional<std::string> registry_path(const json& object, const std::string& pointer, std::string_view key);
  HostCondition condition(const json& j, const std::string& pointer);
  // {"param": NAME} naming a parameter `rule` declares whose default has the type of `like`.
  std::optional<std::string> param_ref(const Rule& rule, const json& object, const std::string& pointer,
                                       std::string_view key, const Value& like);

 private:
  std::string file_;
  std::string rule_;
  std::vector<LoadError>& errors_;
  const std::vector<RuleFile>* data_ = nullptr;
};

// The file's JSON (strictly validated unless built in); a parse error is added to `errors`.
[[nodiscard]] std::optional<json> parse_json(const RuleFile& file, std::vector<LoadError>& errors);
// The document is an object whose "schema" is `expected`.
bool check_schema(const json& doc, std::string_view expected, FileReader& r);
// A real calendar date written YYYY-MM-DD, so string order is date order.
[[nodiscard]] bool is_iso_date(std::string_view s);

}  // namespace smbaudit
