#include "input.h"

#include <gtest/gtest.h>

#include "smbaudit/limits.h"
#include "support/temp_dir.h"

namespace smbaudit {
namespace {

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

std::string error_of(std::string_view text) {
  auto parsed = parse_json_input(text);
  return parsed ? "" : parsed.error();
}

TEST(ParseJsonInput, AcceptsNestingUpToTheCapAndRejectsDeeper) {
  EXPECT_EQ(error_of(nested(limits::kMaxJsonDepth)), "");
  EXPECT_EQ(error_of(nested(limits::kMaxJsonDepth + 1)), "JSON nests deeper than 64 levels");
}

TEST(ParseJsonInput, RejectsAMillionLevelsWithoutRecursing) {
  // Copying or comparing such a value recurses once per level: it must never be built.
  EXPECT_NE(error_of(nested(1'000'000)).find("nests deeper"), std::string::npos);
  std::string objects;
  for (int i = 0; i < 1'000'000; ++i) objects += "{\"a\":";
  EXPECT_NE(error_of(objects).find("nests deeper"), std::string::npos);
}

TEST(ParseJsonInput, BracketsInsideStringsDoNotCount) {
  const std::string text = "{\"a\": \"" + std::string(1000, '[') + "\\\"" + std::string(1000, '{') + "\"}";
  EXPECT_EQ(error_of(text), "");
}

TEST(ParseJsonInput, CapsStringLength) {
  const std::string at_cap = "[\"" + std::string(limits::kMaxStringBytes, 'x') + "\"]";
  EXPECT_EQ(error_of(at_cap), "");
  const std::string over = "[\"" + std::string(limits::kMaxStringBytes + 1, 'x') + "\"]";
  EXPECT_EQ(error_of(over), "at /0: a string is longer than the 1 MiB limit");
  const std::string key = "{\"a\": {\"" + std::string(limits::kMaxStringBytes + 1, 'k') + "\": 1}}";
  EXPECT_EQ(error_of(key), "at /a: a string is longer than the 1 MiB limit");
}

TEST(ParseJsonInput, RefusesAKeyGivenTwiceInOneObject) {
  EXPECT_EQ(error_of(R"({"rules": [{"op": "equals", "value": 1, "op": "absent"}]})"),
            "at /rules/0: the key 'op' appears twice in one object");
  EXPECT_EQ(error_of(R"({"a/b": {"x": 1, "x": 2}})"), "at /a~1b: the key 'x' appears twice in one object");
  EXPECT_EQ(error_of(R"([{"x": 1}, {"x": 2}])"), "") << "the same key in two objects is fine";
}

TEST(ParseJsonInput, CapsTheSize) {
  const std::string big(limits::kMaxInputFileBytes + 1, ' ');
  EXPECT_EQ(error_of(big), "file is larger than the 16 MiB limit");
}

// Found by fuzz/profile (fuzz/regressions/profile): a number too large for a double threw
// json::out_of_range, which only parse_error was caught for, so the CLI exited 70.
TEST(ParseJsonInput, ANumberTooLargeIsInvalidJsonNotAnException) {
  EXPECT_EQ(error_of("[1e99999]").rfind("not valid JSON: number overflow", 0), 0u) << error_of("[1e99999]");
}

TEST(ParseJsonInput, RejectsInvalidUtf8AndKeepsTheErrorOnOneLine) {
  const std::string error = error_of("{\"a\": \"\xff\xfe\n\"}");
  EXPECT_EQ(error.rfind("not valid JSON: ", 0), 0u) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  EXPECT_NE(error_of("").find("not valid JSON"), std::string::npos);
}

// The trusted parser builds what nlohmann's builds: the same values and number types.
void expect_same_document(std::string_view text) {
  const auto mine = parse_trusted_json(text);
  ASSERT_TRUE(mine) << text << ": " << mine.error();
  const auto reference = nlohmann::json::parse(text);
  EXPECT_EQ(*mine, reference) << text;
  EXPECT_EQ(mine->dump(), reference.dump()) << text;
  EXPECT_EQ(mine->type(), reference.type()) << text;
}

TEST(ParseTrustedJson, BuildsWhatNlohmannBuilds) {
  for (std::string_view text :
       {R"({})",
        R"([])",
        R"("")",
        "  true ",
        "false",
        "null",
        "0",
        "-0",
        "-12",
        "18446744073709551615",
        "18446744073709551616",
        "9223372036854775807",
        "-9223372036854775808",
        "-9223372036854775809",
        "1.5",
        "-2.5e3",
        "2E-2",
        "1e-400",
        "0.1e+2",
        R"({"s": "a\"b\\c\/d\b\f\n\r\t", "u": "\u00e9\u20ac\ud83d\udd12\u0000", "raw": "café €"})",
        R"({"b": 1, "a": [1, [2, [3, {"c": {"d": []}}]]], "e": {}})",
        " \t\r\n{ \"k\" : [ 1 , 2 ] } \n",
        R"({"a": 1, "a": 2})",
        "\xEF\xBB\xBF{\"bom\": true}"})
    expect_same_document(text);
  // A NUL byte ends the input for nlohmann (fuzz/regressions/json_trusted/nul-after-the-document).
  constexpr char kNulAfter[] =
      "\"a\"\n\0"
      "1}  ";
  expect_same_document(std::string_view(kNulAfter, sizeof kNulAfter - 1));
  std::string deep;
  for (std::size_t i = 0; i < limits::kMaxJsonDepth; ++i) deep += "[";
  deep += "1";
  for (std::size_t i = 0; i < limits::kMaxJsonDepth; ++i) deep += "]";
  expect_same_document(deep);
}

TEST(ParseTrustedJson, MalformedTextIsAnErrorNamingWhere) {
  for (std::string_view text : {"",           "   ",          "{",           R"({"a": )",
                                R"({"a" 1})", R"({"a": 1,})", "[1 2]",       "tru",
                                "nul",        "01",           "1.",          "1e",
                                "-",          "+1",           R"("abc)",     R"("\x")",
                                R"("\u12")",  R"("\ud800")",  R"("\udc00")", R"("\ud800\u0041")",
                                "\"a\x01b\"", "1e999",        "{} {}",       "[1]]",
                                "{1: 2}",     "\"\\"}) {
    const auto parsed = parse_trusted_json(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().rfind("not valid JSON: ", 0), 0u) << parsed.error();
    EXPECT_NE(parsed.error().find(" at byte "), std::string::npos) << parsed.error();
  }
  EXPECT_EQ(parse_trusted_json(nested(limits::kMaxJsonDepth + 1)).error(),
            "not valid JSON: nested too deeply at byte 64");
}

TEST(OneLine, EscapesControlCharacters) {
  EXPECT_EQ(one_line("a\nb\x1b[31mc\t"), "a\\x0ab\\x1b[31mc\\x09");
  EXPECT_EQ(one_line("HKLM\\SYSTEM caf\xc3\xa9 \xe2\x82\xac"), "HKLM\\SYSTEM caf\xc3\xa9 \xe2\x82\xac");
  // C1 controls (CSI is U+009B) and bytes that are not UTF-8 are escaped too.
  EXPECT_EQ(one_line("a\xc2\x9b"
                     "31mb\xff\xc3"),
            "a\\xc2\\x9b"
            "31mb\\xff\\xc3");
}

TEST(OneLine, KeepsTheHeadAndTailOfAHugeLine) {
  const std::string line = "p.json at /include: '" + std::string(1'000'000, '*') + "' matches no rule in the pack";
  const std::string shown = one_line(line);
  EXPECT_LE(shown.size(), limits::kMaxErrorLineBytes + 40);
  EXPECT_EQ(shown.rfind("p.json at /include: '***", 0), 0u);
  EXPECT_NE(shown.find("*** [... 999282 bytes ...] ***"), std::string::npos) << shown.substr(0, 100);
  EXPECT_EQ(shown.substr(shown.size() - 29), "' matches no rule in the pack");
}

TEST(ReadInputFile, ReadsAFileAndRefusesFoldersMissingAndOversizedFiles) {
  test_support::TempDir dir;
  EXPECT_EQ(*read_input_file(dir.write("a.json", "{}")), "{}");
  EXPECT_EQ(read_input_file(dir.path()).error(), "is a directory, expected a file");
  EXPECT_EQ(read_input_file(dir.path() / "nope.json").error().rfind("cannot read: ", 0), 0u);
  // A sparse file: checked by size before a byte is read.
  const auto big = dir.write("big.json", "");
  std::filesystem::resize_file(big, limits::kMaxInputFileBytes + 1);
  EXPECT_EQ(read_input_file(big).error(), "file is larger than the 16 MiB limit");
}

}  // namespace
}  // namespace smbaudit
