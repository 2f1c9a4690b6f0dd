#include "xml_reader.h"

#include <gtest/gtest.h>

#include "../../core/reg_data.h"
#include "../../core/utf.h"
#include "smbaudit/limits.h"

namespace smbaudit::gpo {
namespace {

std::string error_of(std::string_view text) {
  auto parsed = parse_xml(text);
  EXPECT_FALSE(parsed) << text;
  return parsed ? std::string() : parsed.error();
}

TEST(XmlReader, ReadsElementsAttributesTextAndLines) {
  const auto doc = parse_xml(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
      "<!-- a comment -->\n"
      "<RegistrySettings clsid=\"{A3CCFC41}\">\n"
      "  <Registry name='a &amp; b'><Properties action=\"U\" value=\"x&#x41;&#66;&lt;\"/></Registry>\n"
      "  <gpp:Collection><![CDATA[<raw & text>]]></gpp:Collection>\n"
      "</RegistrySettings>\n");
  ASSERT_TRUE(doc) << doc.error();
  EXPECT_EQ(doc->name, "RegistrySettings");
  EXPECT_EQ(doc->line, 3);
  ASSERT_EQ(doc->children.size(), 2u);
  const XmlElement& registry = doc->children[0];
  EXPECT_EQ(*registry.attribute("name"), "a & b");
  EXPECT_EQ(registry.line, 4);
  ASSERT_NE(registry.child("Properties"), nullptr);
  EXPECT_EQ(*registry.child("Properties")->attribute("value"), "xAB<");
  EXPECT_EQ(doc->children[1].local_name(), "Collection");
  EXPECT_EQ(doc->children[1].text, "<raw & text>");
  EXPECT_EQ(registry.attribute("missing"), nullptr);
}

TEST(XmlReader, NormalisesWhiteSpaceInAttributeValuesButKeepsCharacterReferences) {
  const auto doc = parse_xml("<a v=\"x\ty\nz&#10;\" w=\"&#xE9;&#x1F512;\"/>");
  ASSERT_TRUE(doc) << doc.error();
  EXPECT_EQ(*doc->attribute("v"), "x y z\n");
  EXPECT_EQ(*doc->attribute("w"), "\xC3\xA9\xF0\x9F\x94\x92");
}

TEST(XmlReader, ReadsUtf16WithItsByteOrderMarkAndSkipsAUtf8Bom) {
  const std::string utf16 = "\xFF\xFE" + utf::utf8_to_utf16le("<a b=\"\xC3\xA9\"/>");
  const auto doc = parse_xml(utf16);
  ASSERT_TRUE(doc) << doc.error();
  EXPECT_EQ(*doc->attribute("b"), "\xC3\xA9");
  EXPECT_TRUE(parse_xml("\xEF\xBB\xBF<a/>"));
}

TEST(XmlReader, RefusesDoctypesEntitiesAndProcessingInstructions) {
  EXPECT_EQ(error_of("<!DOCTYPE a [<!ENTITY x \"y\">]><a/>"),
            "line 1: a DOCTYPE or declaration (not accepted: no DTD, no entities)");
  EXPECT_EQ(error_of("<a>&x;</a>"), "line 1: the entity '&x;' (only the five predefined entities are accepted)");
  EXPECT_EQ(error_of("<a>\n<?php x?></a>"), "line 2: a processing instruction (not accepted)");
  EXPECT_EQ(error_of("<a>&#0;</a>"), "line 1: a character reference to U+0000 or a surrogate");
  EXPECT_EQ(error_of("<a>&#xD800;</a>"), "line 1: a character reference to U+0000 or a surrogate");
  EXPECT_EQ(error_of("<a>&#x110000;</a>"), "line 1: a character reference beyond U+10FFFF");
  EXPECT_EQ(error_of("<a>a & b</a>"), "line 1: '&' that does not start a reference");
}

TEST(XmlReader, RefusesMalformedDocumentsNamingTheLine) {
  EXPECT_EQ(error_of(""), "line 1: no root element");
  EXPECT_EQ(error_of("text"), "line 1: text outside the root element");
  EXPECT_EQ(error_of("<a>\n<b></a>"), "line 2: </a> closes <b>");
  EXPECT_EQ(error_of("<a>\n\n"), "line 3: <a> is not closed");
  EXPECT_EQ(error_of("<a b=\"1\" b=\"2\"/>"), "line 1: the attribute 'b' appears twice");
  EXPECT_EQ(error_of("<a b=\"<\"/>"), "line 1: '<' inside an attribute value");
  EXPECT_EQ(error_of("<a b=1/>"), "line 1: a quoted value expected for 'b'");
  EXPECT_EQ(error_of("<a b=\"1\"c=\"2\"/>"), "line 1: white space expected between the attributes of <a>");
  EXPECT_EQ(error_of("<a b=\"1"), "line 1: an attribute value without its closing quote");
  EXPECT_EQ(error_of("<a/><b/>"), "line 1: content after the root element");
  EXPECT_EQ(error_of("<a><!-- x </a>"), "line 1: a comment without its '-->'");
  EXPECT_EQ(error_of("<a><![CDATA[x</a>"), "line 1: a CDATA section without its ']]>'");
  EXPECT_EQ(error_of("<a"), "line 1: the start tag of <a> is not closed");
  EXPECT_EQ(error_of("<>"), "line 1: a name was expected");
  EXPECT_EQ(error_of(std::string("<a>\0</a>", 8)), "a NUL byte: not UTF-8 text (UTF-16 needs its byte order mark)");
  EXPECT_EQ(error_of("\xFE\xFF\0<"), "UTF-16 big-endian text (not accepted: UTF-8 or UTF-16LE)");
  EXPECT_EQ(error_of("\xFF\xFE<"), "UTF-16 text with an odd number of bytes");
}

TEST(XmlReader, CapsNestingAndAttributesSoHostileFilesStayCheap) {
  std::string deep;
  for (std::size_t i = 0; i <= limits::kMaxXmlDepth; ++i) deep += "<a>";
  EXPECT_EQ(error_of(deep), "line 1: elements nest deeper than 64 levels");
  std::string ok;
  for (std::size_t i = 0; i < limits::kMaxXmlDepth; ++i) ok += "<a>";
  for (std::size_t i = 0; i < limits::kMaxXmlDepth; ++i) ok += "</a>";
  EXPECT_TRUE(parse_xml(ok));

  std::string wide = "<a";
  for (std::size_t i = 0; i <= limits::kMaxXmlAttributes; ++i) wide += " a" + std::to_string(i) + "=\"\"";
  EXPECT_EQ(error_of(wide + "/>"), "line 1: <a> has more than 64 attributes");
}

}  // namespace
}  // namespace smbaudit::gpo
