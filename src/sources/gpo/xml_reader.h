// A reader for the small XML files a GPO holds (Registry.xml, bkupInfo.xml, Backup.xml,
// manifest.xml): a safe subset of XML 1.0 read into a tree, with no DTD, no entity but the
// five predefined ones and character references, and nesting capped by
// limits::kMaxXmlDepth, so a hostile file costs time and memory linear in its size.
// The report stage writes XML (src/report/xml.h); reading lives here, beside its only users.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "smbaudit/expected.h"

namespace smbaudit::gpo {

struct XmlElement {
  std::string name;                                             // as written, with its namespace prefix if any
  std::vector<std::pair<std::string, std::string>> attributes;  // in document order, entities decoded
  std::vector<XmlElement> children;
  std::string text;  // the character data directly inside, CDATA included, pieces joined
  int line = 0;      // where the start tag begins, from 1

  // The name without its namespace prefix ("Properties" for "gpp:Properties").
  [[nodiscard]] std::string_view local_name() const;
  // The attribute of that exact name, or nullptr.
  [[nodiscard]] const std::string* attribute(std::string_view attribute_name) const;
  // The first child whose local name is `local`, or nullptr.
  [[nodiscard]] const XmlElement* child(std::string_view local) const;
};

// Parses a whole document: UTF-8 (a BOM is skipped) or UTF-16LE with its BOM. The error
// names the line and what is wrong ("line 3: '<' inside an attribute value"), not the file.
[[nodiscard]] Expected<XmlElement, std::string> parse_xml(std::string_view bytes);

}  // namespace smbaudit::gpo
