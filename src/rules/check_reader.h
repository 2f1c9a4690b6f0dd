// One check's JSON object, as a check kind's parser sees it (Kind::parse in
// src/rules/checks/<kind>.cpp): named members, the comparison, settings and parts, with every
// problem reported at its JSON pointer and collected, never thrown. The parsers never touch
// the JSON themselves, so a kind's file needs no JSON library.
#pragma once

#include <initializer_list>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "smbaudit/rule_loader.h"

namespace smbaudit {

class FileReader;

class CheckReader {
 public:
  CheckReader(FileReader& file, const Rule& rule, const nlohmann::json& object, std::string pointer, int depth);

  [[nodiscard]] const std::string& pointer() const { return pointer_; }
  // Reports `message` at this object's pointer followed by `sub` ("" or "/port").
  void fail(std::string_view sub, std::string message);

  // Reports every member not in `allowed`; a check's own object also allows "label".
  void only_keys(std::initializer_list<std::string_view> allowed);
  [[nodiscard]] bool has(std::string_view key) const;
  [[nodiscard]] bool is_object(std::string_view key) const;
  [[nodiscard]] std::optional<std::string> string(std::string_view key, bool required);
  [[nodiscard]] std::optional<int> integer(std::string_view key);                   // 0 .. 1,000,000
  [[nodiscard]] std::optional<std::int64_t> literal_integer(std::string_view key);  // the member, when a JSON integer
  [[nodiscard]] std::vector<std::string> strings(std::string_view key);
  [[nodiscard]] std::optional<std::string> registry_path(std::string_view key);
  [[nodiscard]] std::optional<std::string> param_ref(std::string_view key, const Value& like);
  // "unknown" or "skip".
  [[nodiscard]] std::optional<WhenUnavailable> when_unavailable(std::string_view key);
  // An enum by its name: an unknown name is reported with the names allowed.
  template <typename E>
  std::optional<E> name(std::string_view key, std::string_view what, std::optional<E> (*parse)(std::string_view),
                        const std::string& allowed, bool required) {
    const auto text = string(key, required);
    if (!text) return std::nullopt;
    if (auto parsed = parse(*text)) return parsed;
    fail("/" + std::string(key), "unknown " + std::string(what) + " '" + *text + "' (allowed: " + allowed + ")");
    return std::nullopt;
  }

  // "op" and "value": the operator and its operand, checked against the rule's parameters.
  std::pair<Op, Operand> comparison();
  // Every name in the operand's literal is one `parse` knows (start types, service states).
  template <typename Parse>
  void check_names(const Operand& operand, Parse parse) {
    std::vector<std::string> names;
    if (const auto* s = std::get_if<std::string>(&operand.literal)) names.push_back(*s);
    if (const auto* l = std::get_if<StringList>(&operand.literal)) names = *l;
    for (const auto& n : names)
      if (!parse(n)) fail("/value", "'" + n + "' is not a known name here");
  }
  // A setting object: sources in precedence order, Windows' defaults, how to parse the data.
  Setting setting(std::string_view key);
  // A nested object (firewall_outbound_block's spec, say); nullopt, reported, if it is not one.
  std::optional<CheckReader> object(std::string_view key, std::string_view expected);
  // A data file of the pack by its path in it ("data/patch-level.json"), if the pack has it.
  [[nodiscard]] const RuleFile* data_file(std::string_view path) const;
  // Adds the problems found in a data file this check reads.
  void add(const std::vector<LoadError>& errors);
  // Parts: one check under `key`, or a non-empty array of them.
  Check check(std::string_view key);
  std::vector<Check> checks(std::string_view key);

 private:
  void source(const nlohmann::json& j, const std::string& pointer, Setting& s);

  FileReader& file_;
  const Rule& rule_;
  const nlohmann::json& object_;
  std::string pointer_;
  int depth_;
  bool is_check_ = true;  // a check's own object (allows "label"), not a nested spec
};

// Reads one check: exactly one kind's key (Kind::kKeys), parsed by that kind.
Check read_check(FileReader& file, const Rule& rule, const nlohmann::json& j, const std::string& pointer, int depth);

}  // namespace smbaudit
