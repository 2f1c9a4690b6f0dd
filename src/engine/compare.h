// Operators over values: the comparison semantics every check shares.
#pragma once

#include <string>

#include "smbaudit/rule.h"
#include "smbaudit/value.h"

namespace smbaudit {

enum class Verdict { Holds, DoesNotHold };

struct Comparison {
  Verdict verdict = Verdict::DoesNotHold;
  std::string detail;  // why it does not hold, when the reason is not the plain mismatch
};

// Applies `op` to an actual value (nullopt: absent) and the resolved operand.
// Strings compare case-insensitively; booleans compare equal to 0 and 1; numeric
// strings compare as numbers.
[[nodiscard]] Comparison compare(Op op, const std::optional<Value>& actual, const Value& operand,
                                 const std::vector<Value>& choices);

// Renders "equals 1", "one of [2, 3]", "present"; `show` renders each value (describe, or
// describe_decimal for build numbers).
[[nodiscard]] std::string describe_expectation(Op op, const Value& operand, const std::vector<Value>& choices,
                                               std::string (*show)(const Value&) = &describe);

// Parses "Key=Value, Key=Value" data (UNC hardened path flags): tolerant of spacing,
// case and order; returns the field's value (integer when numeric) or nullopt.
[[nodiscard]] std::optional<Value> kv_field(std::string_view data, std::string_view field);

}  // namespace smbaudit
