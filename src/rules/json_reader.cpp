// The JSON reader every rules file goes through (json_reader.h).
#include "json_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "../core/input.h"
#include "../core/json_value.h"

namespace smbaudit {

std::string escape_pointer(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

const json& empty_json_object() {
  static const json kEmpty = json::object();
  return kEmpty;
}

const RuleFile* FileReader::data_file(std::string_view path) const {
  if (!data_ || path.empty()) return nullptr;
  for (const auto& f : *data_) {
    std::string name = f.name;
    std::replace(name.begin(), name.end(), '\\', '/');
    if (name == path || name == "built-in:" + std::string(path) ||
        (name.size() > path.size() && name.compare(name.size() - path.size(), path.size(), path) == 0 &&
         name[name.size() - path.size() - 1] == '/'))
      return &f;
  }
  return nullptr;
}

void FileReader::add(const std::vector<LoadError>& errors) {
  errors_.insert(errors_.end(), errors.begin(), errors.end());
}

void FileReader::fail(const std::string& pointer, std::string message) {
  errors_.push_back(LoadError{file_, rule_, pointer.empty() ? "/" : pointer, std::move(message)});
}

void FileReader::only_keys(const json& object, const std::string& pointer,
                           std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, _] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::vector<std::string> names(allowed.begin(), allowed.end());
      fail(pointer + "/" + escape_pointer(key),
           fmt::format("unknown field '{}' (allowed: {})", key, join(names, ", ")));
    }
  }
}

const json* FileReader::member(const json& object, const std::string& pointer, std::string_view key, bool required) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (required) fail(pointer, fmt::format("missing required field '{}'", key));
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> FileReader::string_field(const json& object, const std::string& pointer,
                                                    std::string_view key, bool required) {
  const json* j = member(object, pointer, key, required);
  if (!j) return std::nullopt;
  if (!j->is_string()) {
    fail(pointer + "/" + std::string(key), fmt::format("expected a string, got {}", json_type_name(*j)));
    return std::nullopt;
  }
  auto s = j->get<std::string>();
  if (required && trim(s).empty()) {
    fail(pointer + "/" + std::string(key), "must not be empty");
    return std::nullopt;
  }
  return s;
}

std::optional<int> FileReader::int_field(const json& object, const std::string& pointer, std::string_view key) {
  const json* j = member(object, pointer, key, false);
  if (!j) return std::nullopt;
  if (!j->is_number_integer() || j->get<std::int64_t>() < 0 || j->get<std::int64_t>() > 1'000'000) {
    fail(pointer + "/" + std::string(key), fmt::format("expected a non-negative integer, got {}", json_type_name(*j)));
    return std::nullopt;
  }
  return j->get<int>();
}

std::vector<std::string> FileReader::string_list(const json& object, const std::string& pointer, std::string_view key) {
  std::vector<std::string> out;
  const json* j = member(object, pointer, key, false);
  if (!j) return out;
  const std::string here = pointer + "/" + std::string(key);
  if (!j->is_array()) {
    fail(here, fmt::format("expected an array of strings, got {}", json_type_name(*j)));
    return out;
  }
  for (std::size_t i = 0; i < j->size(); ++i) {
    if (!(*j)[i].is_string())
      fail(fmt::format("{}/{}", here, i), fmt::format("expected a string, got {}", json_type_name((*j)[i])));
    else
      out.push_back((*j)[i].get<std::string>());
  }
  return out;
}

std::optional<std::string> FileReader::registry_path(const json& object, const std::string& pointer,
                                                     std::string_view key) {
  auto raw = string_field(object, pointer, key, true);
  if (!raw) return std::nullopt;
  auto normalized = normalize_registry_path(*raw);
  if (!normalized) {
    fail(pointer + "/" + std::string(key), normalized.error());
    return std::nullopt;
  }
  return *normalized;
}

HostCondition FileReader::condition(const json& j, const std::string& pointer) {
  HostCondition c;
  if (!j.is_object()) {
    fail(pointer, fmt::format("expected an object, got {}", json_type_name(j)));
    return c;
  }
  only_keys(j, pointer,
            {"roles", "min_build", "max_build", "editions", "not_editions", "domain_joined", "min_version"});
  if (auto version = string_field(j, pointer, "min_version", false)) {
    const auto dot = version->find('.');
    int build = 0, ubr = 0;
    if (dot == std::string::npos || std::sscanf(version->c_str(), "%d.%d", &build, &ubr) != 2 || build < 0 || ubr < 0)
      fail(pointer + "/min_version", fmt::format("expected BUILD.UBR such as \"26100.3613\", got \"{}\"", *version));
    else
      c.min_version = std::make_pair(build, ubr);
  }
  for (const auto& name : string_list(j, pointer, "roles")) {
    if (auto role = role_from_string(name))
      c.roles.push_back(*role);
    else
      fail(pointer + "/roles", fmt::format("unknown role '{}' (allowed: {})", name, role_names()));
  }
  c.min_build = int_field(j, pointer, "min_build");
  c.max_build = int_field(j, pointer, "max_build");
  if (c.min_build && c.max_build && *c.min_build > *c.max_build)
    fail(pointer, fmt::format("min_build {} is above max_build {}", *c.min_build, *c.max_build));
  c.editions = string_list(j, pointer, "editions");
  c.not_editions = string_list(j, pointer, "not_editions");
  if (const json* joined = member(j, pointer, "domain_joined", false)) {
    if (!joined->is_boolean())
      fail(pointer + "/domain_joined", fmt::format("expected true or false, got {}", json_type_name(*joined)));
    else
      c.membership = joined->get<bool>() ? Membership::Domain : Membership::Workgroup;
  }
  return c;
}

std::optional<std::string> FileReader::param_ref(const Rule& rule, const json& object, const std::string& pointer,
                                                 std::string_view key, const Value& like) {
  const json* j = member(object, pointer, key, false);
  if (!j) return std::nullopt;
  const std::string here = pointer + "/" + std::string(key);
  if (!j->is_object() || !j->contains("param") || !(*j)["param"].is_string()) {
    fail(here, "expected {\"param\": NAME}");
    return std::nullopt;
  }
  only_keys(*j, here, {"param"});
  const auto name = (*j)["param"].get<std::string>();
  const Parameter* p = rule.parameter(name);
  if (!p) {
    fail(here + "/param", fmt::format("no parameter named '{}' is declared by this rule", name));
    return std::nullopt;
  }
  if (p->default_value.index() != like.index()) {
    fail(here + "/param", fmt::format("parameter '{}' has the wrong type here", name));
    return std::nullopt;
  }
  return name;
}

std::optional<json> parse_json(const RuleFile& file, std::vector<LoadError>& errors) {
  auto doc = file.provenance == Provenance::BuiltIn ? parse_trusted_json(file.text) : parse_json_input(file.text);
  if (!doc) {
    errors.push_back(LoadError{file.name, "", "", std::move(doc.error())});
    return std::nullopt;
  }
  return std::move(*doc);
}

bool is_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (s[i] < '0' || s[i] > '9') return false;
  const auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  const int year = num(0, 4), month = num(5, 2), day = num(8, 2);
  if (month < 1 || month > 12 || day < 1) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

bool check_schema(const json& doc, std::string_view expected, FileReader& r) {
  if (!doc.is_object()) {
    r.fail("/", fmt::format("expected a JSON object with \"schema\": \"{}\"", expected));
    return false;
  }
  const auto schema = r.string_field(doc, "", "schema", true);
  if (schema && *schema != expected) {
    r.fail("/schema", fmt::format("unsupported schema '{}' (this version reads '{}')", *schema, expected));
    return false;
  }
  return schema.has_value();
}

}  // namespace smbaudit
