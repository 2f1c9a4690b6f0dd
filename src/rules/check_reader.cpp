// Reading one check's JSON (check_reader.h): the pieces every kind shares, and the dispatch
// that hands the object to the one kind whose key it has.
#include "check_reader.h"

#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>
#include <tuple>

#include "../core/json_value.h"
#include "json_reader.h"
#include "smbaudit/limits.h"

namespace smbaudit {
namespace {

void check_operand_type(FileReader& r, Op op, const Value& v, const std::string& pointer) {
  switch (op) {
    case Op::AtLeast:
    case Op::AtMost:
    case Op::BitsSet:
    case Op::BitsClear:
      if (!std::holds_alternative<std::int64_t>(v))
        r.fail(pointer, fmt::format("operator '{}' compares integers", to_string(op)));
      break;
    case Op::Contains:
    case Op::AnyItemContains:
      if (!std::holds_alternative<std::string>(v))
        r.fail(pointer, fmt::format("operator '{}' looks for a string", to_string(op)));
      break;
    case Op::SubsetOf:
      if (!std::holds_alternative<StringList>(v))
        r.fail(pointer, "operator 'subset_of' takes a list of the items allowed ([] for none)");
      break;
    case Op::OneOf: r.fail(pointer, "operator 'one_of' takes a literal array, not a parameter"); break;
    case Op::Equals:
    case Op::NotEquals:
      if (std::holds_alternative<std::monostate>(v)) r.fail(pointer, "compare with null using 'present' or 'absent'");
      break;
    default: break;
  }
}

}  // namespace

CheckReader::CheckReader(FileReader& file, const Rule& rule, const json& object, std::string pointer, int depth)
    : file_(file), rule_(rule), object_(object), pointer_(std::move(pointer)), depth_(depth) {}

void CheckReader::fail(std::string_view sub, std::string message) {
  file_.fail(pointer_ + std::string(sub), std::move(message));
}

void CheckReader::only_keys(std::initializer_list<std::string_view> allowed) {
  if (!is_check_) return file_.only_keys(object_, pointer_, allowed);
  std::vector<std::string_view> with_label(allowed);
  with_label.push_back("label");
  for (const auto& [key, _] : object_.items()) {
    if (std::find(with_label.begin(), with_label.end(), key) != with_label.end()) continue;
    std::vector<std::string> names(with_label.begin(), with_label.end());
    file_.fail(pointer_ + "/" + escape_pointer(key),
               fmt::format("unknown field '{}' (allowed: {})", key, join(names, ", ")));
  }
}

bool CheckReader::has(std::string_view key) const {
  return object_.contains(key);
}
bool CheckReader::is_object(std::string_view key) const {
  return object_.contains(key) && object_.at(key).is_object();
}
std::optional<std::string> CheckReader::string(std::string_view key, bool required) {
  return file_.string_field(object_, pointer_, key, required);
}
std::optional<int> CheckReader::integer(std::string_view key) {
  return file_.int_field(object_, pointer_, key);
}
std::optional<std::int64_t> CheckReader::literal_integer(std::string_view key) {
  if (!object_.contains(key) || !object_.at(key).is_number_integer()) return std::nullopt;
  return object_.at(key).get<std::int64_t>();
}
std::vector<std::string> CheckReader::strings(std::string_view key) {
  return file_.string_list(object_, pointer_, key);
}
std::optional<std::string> CheckReader::registry_path(std::string_view key) {
  return file_.registry_path(object_, pointer_, key);
}
std::optional<std::string> CheckReader::param_ref(std::string_view key, const Value& like) {
  return file_.param_ref(rule_, object_, pointer_, key, like);
}
std::optional<WhenUnavailable> CheckReader::when_unavailable(std::string_view key) {
  const json* when = file_.member(object_, pointer_, key, false);
  if (!when) return std::nullopt;
  if (*when == "skip") return WhenUnavailable::Skip;
  if (*when == "unknown") return WhenUnavailable::Unknown;
  fail("/" + std::string(key), "expected 'unknown' or 'skip'");
  return std::nullopt;
}

std::optional<CheckReader> CheckReader::object(std::string_view key, std::string_view expected) {
  const json& spec = object_.at(key);
  const std::string here = pointer_ + "/" + std::string(key);
  if (!spec.is_object()) {
    file_.fail(here, fmt::format("expected {}", expected));
    return std::nullopt;
  }
  CheckReader nested(file_, rule_, spec, here, depth_);
  nested.is_check_ = false;
  return nested;
}

const RuleFile* CheckReader::data_file(std::string_view path) const {
  return file_.data_file(path);
}
void CheckReader::add(const std::vector<LoadError>& errors) {
  file_.add(errors);
}

Check CheckReader::check(std::string_view key) {
  return read_check(file_, rule_, object_.at(key), pointer_ + "/" + std::string(key), depth_ + 1);
}

std::vector<Check> CheckReader::checks(std::string_view key) {
  std::vector<Check> out;
  const json& children = object_.at(key);
  const std::string here = pointer_ + "/" + std::string(key);
  if (!children.is_array() || children.empty()) {
    file_.fail(here, "expected a non-empty array of checks");
    return out;
  }
  for (std::size_t i = 0; i < children.size(); ++i)
    out.push_back(read_check(file_, rule_, children[i], fmt::format("{}/{}", here, i), depth_ + 1));
  return out;
}

std::pair<Op, Operand> CheckReader::comparison() {
  const json& j = object_;
  const std::string& pointer = pointer_;
  FileReader& r = file_;
  Op op = Op::Equals;
  Operand operand;
  const auto op_name = r.string_field(j, pointer, "op", true);
  if (!op_name) return {op, operand};
  if (auto parsed = op_from_string(*op_name)) {
    op = *parsed;
  } else {
    r.fail(pointer + "/op",
           fmt::format("unknown operator '{}' (allowed: equals, not_equals, one_of, at_least, at_most, bits_set, "
                       "bits_clear, present, absent, contains)",
                       *op_name));
    return {op, operand};
  }
  const json* value = j.contains("value") ? &j.at("value") : nullptr;
  const std::string here = pointer + "/value";
  if (!op_takes_operand(op)) {
    if (value) r.fail(here, fmt::format("operator '{}' takes no value", *op_name));
    return {op, operand};
  }
  if (!value) {
    r.fail(pointer, fmt::format("operator '{}' needs a 'value'", *op_name));
    return {op, operand};
  }
  if (value->is_object()) {
    r.only_keys(*value, here, {"param"});
    auto name = r.string_field(*value, here, "param", true);
    if (!name) return {op, operand};
    const Parameter* p = rule_.parameter(*name);
    if (!p) {
      r.fail(here + "/param", fmt::format("no parameter named '{}' is declared by this rule", *name));
      return {op, operand};
    }
    operand.parameter = *name;
    check_operand_type(r, op, p->default_value, here);
    return {op, operand};
  }
  if (op == Op::OneOf) {
    if (!value->is_array() || value->empty()) {
      r.fail(here, "operator 'one_of' needs a non-empty array");
      return {op, operand};
    }
    for (std::size_t i = 0; i < value->size(); ++i) {
      auto item = value_from_json((*value)[i]);
      if (!item || is_null(*item) || std::holds_alternative<StringList>(*item))
        r.fail(fmt::format("{}/{}", here, i), "expected a number, string or boolean");
      else
        operand.choices.push_back(*item);
    }
    return {op, operand};
  }
  auto literal = value_from_json(*value);
  if (!literal) {
    r.fail(here, fmt::format("expected a number, string, boolean or list of strings, got {}", json_type_name(*value)));
    return {op, operand};
  }
  operand.literal = *literal;
  check_operand_type(r, op, operand.literal, here);
  return {op, operand};
}

Setting CheckReader::setting(std::string_view key) {
  const json& j = object_.at(key);
  const std::string pointer = pointer_ + "/" + std::string(key);
  FileReader& r = file_;
  Setting s;
  if (!j.is_object()) {
    r.fail(pointer, fmt::format("expected a setting object, got {}", json_type_name(j)));
    return s;
  }
  r.only_keys(j, pointer, {"sources", "default", "parse"});
  const json* sources = r.member(j, pointer, "sources", true);
  if (sources && (!sources->is_array() || sources->empty())) {
    r.fail(pointer + "/sources", "expected a non-empty array of sources");
  } else if (sources) {
    for (std::size_t i = 0; i < sources->size(); ++i)
      source((*sources)[i], fmt::format("{}/sources/{}", pointer, i), s);
  }
  if (const json* defaults = r.member(j, pointer, "default", false)) {
    const std::string here = pointer + "/default";
    if (!defaults->is_array()) {
      r.fail(here, "expected an array of {when, value, note} or {when, unknown} cases");
    } else {
      for (std::size_t i = 0; i < defaults->size(); ++i) {
        const std::string at = fmt::format("{}/{}", here, i);
        const json& d = (*defaults)[i];
        if (!d.is_object()) {
          r.fail(at, "expected an object");
          continue;
        }
        r.only_keys(d, at, {"when", "value", "note", "unknown"});
        DefaultCase c;
        if (const json* when = r.member(d, at, "when", false)) c.when = r.condition(*when, at + "/when");
        c.unknown = r.string_field(d, at, "unknown", false).value_or("");
        if (d.contains("unknown") && c.unknown.empty())
          r.fail(at + "/unknown", "expected the reason Windows' default cannot be known here");
        if (!c.unknown.empty()) {
          if (d.contains("value") || d.contains("note"))
            r.fail(at, "a default is either a value (with its note) or unknown (with its reason), not both");
        } else if (const json* v = r.member(d, at, "value", true)) {
          if (auto parsed = value_from_json(*v))
            c.value = *parsed;
          else
            r.fail(at + "/value", fmt::format("unsupported default value of type {}", json_type_name(*v)));
        }
        c.note = r.string_field(d, at, "note", false).value_or("");
        s.defaults.push_back(std::move(c));
      }
    }
  }
  if (const json* parse = r.member(j, pointer, "parse", false)) {
    const std::string here = pointer + "/parse";
    if (!parse->is_object()) {
      r.fail(here, "expected {\"kv_list\": FIELD}");
    } else {
      r.only_keys(*parse, here, {"kv_list"});
      if (auto field = r.string_field(*parse, here, "kv_list", true)) s.parse = KvField{*field};
    }
  }
  return s;
}

void CheckReader::source(const json& j, const std::string& pointer, Setting& s) {
  FileReader& r = file_;
  if (!j.is_object()) {
    r.fail(pointer, fmt::format("expected a source object, got {}", json_type_name(j)));
    return;
  }
  Source src;
  if (const json* when = r.member(j, pointer, "when_unavailable", false)) {
    if (*when == "skip")
      src.when_unavailable = WhenUnavailable::Skip;
    else if (*when != "unknown")
      r.fail(pointer + "/when_unavailable", "expected 'unknown' or 'skip'");
  }
  if (const json* when = r.member(j, pointer, "read_when", false))
    src.read_when = r.condition(*when, pointer + "/read_when");
  if (j.contains("registry")) {
    r.only_keys(j, pointer, {"registry", "value", "when_unavailable", "read_when"});
    RegistrySource reg;
    if (auto key = r.registry_path(j, pointer, "registry")) reg.key = *key;
    if (auto value = r.string_field(j, pointer, "value", true)) reg.value = *value;
    src.where = std::move(reg);
  } else if (j.contains("wmi")) {
    r.only_keys(j, pointer, {"wmi", "class", "property", "when_unavailable", "read_when"});
    WmiSource wmi;
    if (auto ns = r.string_field(j, pointer, "wmi", true)) {
      if (!istarts_with(*ns, "root\\")) r.fail(pointer + "/wmi", "a WMI namespace starts with root\\");
      wmi.cls.name_space = *ns;
    }
    if (auto cls = r.string_field(j, pointer, "class", true)) wmi.cls.class_name = *cls;
    if (auto prop = r.string_field(j, pointer, "property", true)) wmi.property = *prop;
    src.where = std::move(wmi);
  } else {
    r.fail(pointer, "a source names either 'registry' (with 'value') or 'wmi' (with 'class' and 'property')");
    return;
  }
  s.sources.push_back(std::move(src));
}

namespace {

// Every kind's keys, in Check::Node order, and the parser for each: a kind without kKeys or
// parse does not compile.
struct KindEntry {
  std::string_view key;
  Check::Node (*parse)(CheckReader&, std::string_view);
};

template <std::size_t I>
Check::Node parse_as(CheckReader& in, std::string_view key) {
  return std::variant_alternative_t<I, Check::Node>::parse(in, key);
}

template <std::size_t... I>
constexpr auto kind_table(std::index_sequence<I...>) {
  constexpr std::size_t kCount = (std::size(std::variant_alternative_t<I, Check::Node>::kKeys) + ...);
  std::array<KindEntry, kCount> table{};
  std::size_t at = 0;
  (
      [&] {
        for (std::string_view key : std::variant_alternative_t<I, Check::Node>::kKeys)
          table[at++] = KindEntry{key, &parse_as<I>};
      }(),
      ...);
  return table;
}

constexpr auto kKinds = kind_table(std::make_index_sequence<std::variant_size_v<Check::Node>>{});

std::string kind_keys() {
  std::vector<std::string> keys;
  for (const auto& kind : kKinds) keys.emplace_back(kind.key);
  return join(keys, ", ");
}

}  // namespace

Check read_check(FileReader& file, const Rule& rule, const json& j, const std::string& pointer, int depth) {
  Check out;
  out.pointer = pointer;
  if (depth > limits::kMaxCheckDepth) {
    file.fail(pointer, fmt::format("checks nest deeper than {} levels", limits::kMaxCheckDepth));
    return out;
  }
  if (!j.is_object()) {
    file.fail(pointer, fmt::format("expected a check object, got {}", json_type_name(j)));
    return out;
  }
  std::vector<const KindEntry*> present;
  for (const auto& kind : kKinds)
    if (j.contains(kind.key)) present.push_back(&kind);
  if (present.size() != 1) {
    std::vector<std::string> names;
    for (const auto* kind : present) names.emplace_back(kind->key);
    file.fail(pointer, present.empty()
                           ? "a check needs exactly one of: " + kind_keys()
                           : fmt::format("a check has exactly one subject; this one has {}", join(names, " and ")));
    return out;
  }
  if (auto label = file.string_field(j, pointer, "label", false)) out.label = *label;
  CheckReader in(file, rule, j, pointer, depth);
  out.node = present.front()->parse(in, present.front()->key);
  return out;
}

}  // namespace smbaudit
