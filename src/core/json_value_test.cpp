#include "json_value.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace smbaudit {
namespace {

using ordered_json = nlohmann::ordered_json;

std::string reference(const ordered_json& j, int indent) {
  return j.dump(indent, ' ', false, ordered_json::error_handler_t::replace);
}

// Every string a report can hold: each ASCII byte alone and in text, non-ASCII text, invalid
// UTF-8 (replaced), a sequence cut short at the end.
std::vector<std::string> strings() {
  std::vector<std::string> out{"",
                               "plain",
                               "HKLM\\SYSTEM\\CurrentControlSet",
                               "say \"no\"",
                               "tab\there",
                               "line\nbreak\r\n",
                               "bell\x07 and del\x7f",
                               "caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x94\x92",
                               "bad \xff byte",
                               "cut \xe2\x80",
                               "\xc3",
                               "lone \x80 continuation",
                               "\xed\xa0\x80"};
  for (int c = 0; c < 128; ++c) out.push_back(std::string("a") + static_cast<char>(c) + "b");
  return out;
}

TEST(DumpJson, WritesWhatNlohmannWritesForEveryStringAndIndent) {
  for (const auto& s : strings()) {
    const ordered_json doc = {{"key " + s, s}, {"list", {s, 1, -2, 3.25, true, nullptr}}};
    for (int indent : {-1, 0, 2, 4}) {
      EXPECT_EQ(dump_json(doc, indent), reference(doc, indent))
          << "indent " << indent << ", string " << ordered_json(s);
      EXPECT_EQ(dump_json(ordered_json(s), indent), reference(ordered_json(s), indent));
    }
  }
}

TEST(DumpJson, WritesEmptyAndNestedContainersAndNumbersLikeNlohmann) {
  const ordered_json doc = ordered_json::parse(R"({"a": {}, "b": [], "c": [[], {}, [1, [2, {"d": null}]]],
      "e": {"f": {"g": []}}, "min": -9223372036854775808, "max": 18446744073709551615, "float": 0.1,
      "big": 1e300, "neg": -0.0, "score": 87.5})");
  for (int indent : {-1, 0, 1, 2, 3}) EXPECT_EQ(dump_json(doc, indent), reference(doc, indent)) << "indent " << indent;
  EXPECT_EQ(dump_json(ordered_json::array()), "[]");
  EXPECT_EQ(dump_json(ordered_json::object(), 2), "{}");
}

}  // namespace
}  // namespace smbaudit
