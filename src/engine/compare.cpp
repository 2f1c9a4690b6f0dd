#include "compare.h"

#include <fmt/format.h>

#include <algorithm>

#include "../core/parse.h"
#include "smbaudit/text.h"

namespace smbaudit {
namespace {

std::optional<std::int64_t> as_int(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* b = std::get_if<bool>(&v)) return *b ? 1 : 0;
  if (const auto* s = std::get_if<std::string>(&v)) return parse_int_or_hex(trim(*s));
  return std::nullopt;
}

bool equal(const Value& a, const Value& b) {
  if (const auto* sa = std::get_if<std::string>(&a)) {
    if (const auto* sb = std::get_if<std::string>(&b)) return iequals(*sa, *sb);
  }
  if (const auto* la = std::get_if<StringList>(&a)) {
    const auto* lb = std::get_if<StringList>(&b);
    if (!lb || la->size() != lb->size()) return false;
    for (std::size_t i = 0; i < la->size(); ++i)
      if (!iequals((*la)[i], (*lb)[i])) return false;
    return true;
  }
  if (std::holds_alternative<Bytes>(a) || std::holds_alternative<Bytes>(b)) return a == b;
  const auto ia = as_int(a), ib = as_int(b);
  return ia && ib && *ia == *ib;
}

}  // namespace

Comparison compare(Op op, const std::optional<Value>& actual, const Value& operand, const std::vector<Value>& choices) {
  const auto holds = [](bool b) { return Comparison{b ? Verdict::Holds : Verdict::DoesNotHold, ""}; };
  if (op == Op::Present) return holds(actual.has_value());
  if (op == Op::Absent) return holds(!actual.has_value());
  if (!actual) return Comparison{Verdict::DoesNotHold, "not set"};
  switch (op) {
    case Op::Equals: return holds(equal(*actual, operand));
    case Op::NotEquals: return holds(!equal(*actual, operand));
    case Op::OneOf:
      for (const auto& c : choices)
        if (equal(*actual, c)) return holds(true);
      return holds(false);
    case Op::AtLeast:
    case Op::AtMost:
    case Op::BitsSet:
    case Op::BitsClear: {
      const auto a = as_int(*actual), b = as_int(operand);
      if (!a || !b) return Comparison{Verdict::DoesNotHold, "not a number"};
      if (op == Op::AtLeast) return holds(*a >= *b);
      if (op == Op::AtMost) return holds(*a <= *b);
      if (op == Op::BitsSet) return holds((*a & *b) == *b);
      return holds((*a & *b) == 0);
    }
    case Op::Contains: {
      const auto* needle = std::get_if<std::string>(&operand);
      if (!needle) return holds(false);
      if (const auto* list = std::get_if<StringList>(&*actual)) {
        for (const auto& item : *list)
          if (iequals(item, *needle)) return holds(true);
        return holds(false);
      }
      if (const auto* s = std::get_if<std::string>(&*actual))
        return holds(to_lower(*s).find(to_lower(*needle)) != std::string::npos);
      return Comparison{Verdict::DoesNotHold, "not text"};
    }
    case Op::AnyItemContains: {
      // An exception list entry with a wildcard in it ("*", "*.corp.example"): any item that
      // holds the text anywhere, not only an item equal to it.
      const auto* needle = std::get_if<std::string>(&operand);
      if (!needle) return holds(false);
      const std::string lower = to_lower(*needle);
      if (const auto* list = std::get_if<StringList>(&*actual)) {
        for (const auto& item : *list)
          if (to_lower(item).find(lower) != std::string::npos) return holds(true);
        return holds(false);
      }
      if (const auto* s = std::get_if<std::string>(&*actual))
        return holds(to_lower(*s).find(lower) != std::string::npos);
      return Comparison{Verdict::DoesNotHold, "not text"};
    }
    case Op::SubsetOf: {
      // A list that may name only what is allowed (pipes a null session may open): every
      // non-empty item is one of the operand's, case-insensitive; an empty list holds.
      const auto* allowed = std::get_if<StringList>(&operand);
      if (!allowed) return holds(false);
      StringList items;
      if (const auto* list = std::get_if<StringList>(&*actual))
        items = *list;
      else if (const auto* s = std::get_if<std::string>(&*actual))
        items = {*s};
      else
        return Comparison{Verdict::DoesNotHold, "not a list"};
      for (const auto& item : items) {
        if (trim(item).empty()) continue;
        if (std::none_of(allowed->begin(), allowed->end(),
                         [&](const std::string& a) { return iequals(a, trim(item)); }))
          return holds(false);
      }
      return holds(true);
    }
    default: return holds(false);
  }
}

std::string describe_expectation(Op op, const Value& operand, const std::vector<Value>& choices,
                                 std::string (*show)(const Value&)) {
  switch (op) {
    case Op::Present: return "present";
    case Op::Absent: return "absent";
    case Op::OneOf: {
      std::vector<std::string> parts;
      for (const auto& c : choices) parts.push_back(show(c));
      return "one of " + join(parts, ", ");
    }
    case Op::Equals: return "= " + show(operand);
    case Op::NotEquals: return "!= " + show(operand);
    case Op::AtLeast: return ">= " + show(operand);
    case Op::AtMost: return "<= " + show(operand);
    case Op::BitsSet: return "bits " + describe(operand) + " set";
    case Op::BitsClear: return "bits " + describe(operand) + " clear";
    case Op::Contains: return "contains " + show(operand);
    case Op::AnyItemContains: return "an item containing " + show(operand);
    case Op::SubsetOf: {
      const auto* allowed = std::get_if<StringList>(&operand);
      return allowed && !allowed->empty() ? "no item but " + join(*allowed, ", ") : std::string("no item");
    }
  }
  return "?";
}

std::optional<Value> kv_field(std::string_view data, std::string_view field) {
  std::size_t start = 0;
  while (start <= data.size()) {
    std::size_t end = data.find_first_of(",;", start);
    if (end == std::string_view::npos) end = data.size();
    const std::string_view item = data.substr(start, end - start);
    if (auto eq = item.find('='); eq != std::string_view::npos && iequals(trim(item.substr(0, eq)), field)) {
      const std::string_view raw = trim(item.substr(eq + 1));
      if (auto number = parse_int_or_hex(raw)) return Value{*number};
      return Value{std::string(raw)};
    }
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace smbaudit
