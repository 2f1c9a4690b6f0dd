#include "text_template.h"

#include <gtest/gtest.h>

#include <map>

namespace smbaudit {
namespace {

struct Params {
  std::map<std::string, Value, std::less<>> values;
  ParameterLookup lookup() const {
    return [this](std::string_view name) -> const Value* {
      auto it = values.find(name);
      return it == values.end() ? nullptr : &it->second;
    };
  }
};

TEST(TextTemplate, APlaceholderShowsTheParameterInEffect) {
  Params p{{{"min_length", Value{std::int64_t{14}}}}};
  EXPECT_EQ(expand_template("Minimum password length is at least {{min_length}}", p.lookup()),
            "Minimum password length is at least 14");
  EXPECT_EQ(expand_template("no placeholder", p.lookup()), "no placeholder");
}

TEST(TextTemplate, IntegersCanBeShownInHexOrAsAnSmbDialect) {
  Params p{{{"d", Value{std::int64_t{785}}}, {"odd", Value{std::int64_t{0x299}}}}};
  EXPECT_EQ(expand_template("{{d:hex}} SMB{{d:x}} {{d:dialect}} {{d}}", p.lookup()), "0x311 SMB311 3.1.1 785");
  EXPECT_EQ(expand_template("{{odd:dialect}}", p.lookup()), "0x299") << "an unnamed dialect stays a number";
}

TEST(TextTemplate, ConditionalTextFollowsBooleansAndComparisons) {
  Params p{{{"privacy", Value{true}}, {"level", Value{std::int64_t{2}}}, {"paths", Value{StringList{}}}}};
  EXPECT_EQ(expand_template("A=1{{privacy?, B=1}}", p.lookup()), "A=1, B=1");
  EXPECT_EQ(expand_template("{{level=2?Deny all|Audit all}}", p.lookup()), "Deny all");
  EXPECT_EQ(expand_template("{{level=1?Audit all|Deny all}}", p.lookup()), "Deny all");
  EXPECT_EQ(expand_template("x{{paths?, and more}}", p.lookup()), "x") << "an empty list is false";
  p.values["privacy"] = Value{false};
  EXPECT_EQ(expand_template("A=1{{privacy?, B=1}}", p.lookup()), "A=1");
}

TEST(TextTemplate, ListsBecomePowerShellStringsWhenQuoted) {
  Params p{{{"paths", Value{StringList{"\\\\fs1\\it's", "\\\\*\\apps"}}}}};
  EXPECT_EQ(expand_template("@('a'{{paths?, }}{{paths:quoted}})", p.lookup()),
            "@('a', '\\\\fs1\\it''s', '\\\\*\\apps')");
  p.values["paths"] = Value{StringList{}};
  EXPECT_EQ(expand_template("@('a'{{paths?, }}{{paths:quoted}})", p.lookup()), "@('a')");
}

TEST(TextTemplate, PowerShellBracesAreLeftAlone) {
  Params p{{{"v", Value{std::string("x")}}}};
  const std::string ps = "foreach ($p in 'a', 'b') { New-ItemProperty -Name $p -Value '{{v}}' }";
  EXPECT_EQ(expand_template(ps, p.lookup()), "foreach ($p in 'a', 'b') { New-ItemProperty -Name $p -Value 'x' }");
  EXPECT_FALSE(template_problem(ps, p.lookup()));
}

TEST(TextTemplate, ProblemsNameThePlaceholder) {
  Params p{{{"min_length", Value{std::int64_t{15}}}}};
  auto unknown = template_problem("at least {{min_lenght}}", p.lookup());
  ASSERT_TRUE(unknown);
  EXPECT_EQ(*unknown, "{{min_lenght}} names no parameter of this rule");
  EXPECT_EQ(template_problem("{{min_length:octal}}", p.lookup()).value_or(""),
            "{{min_length:octal}}: unknown format 'octal' (hex, x, dialect, quoted)");
  EXPECT_EQ(template_problem("at least {{min_length", p.lookup()).value_or(""),
            "'{{' at character 10 is not closed by '}}'");
  EXPECT_TRUE(template_problem("{{}}", p.lookup()));
  EXPECT_TRUE(template_problem("{{min_length=3}}", p.lookup()));
  EXPECT_EQ(expand_template("at least {{min_length", p.lookup()), "at least {{min_length") << "kept as written";
}

}  // namespace
}  // namespace smbaudit
