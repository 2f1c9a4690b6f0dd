// Group Policy Preferences registry items: Machine\Preferences\Registry\Registry.xml
// ([MS-GPPREF] 2.2.1.17). A <RegistrySettings> root holding <Registry> items and
// <Collection>s of them; each item's <Properties> says what to do with one value or key.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "smbaudit/expected.h"
#include "smbaudit/value.h"

namespace smbaudit::gpo {

// [MS-GPPREF] 2.2.1.17.1: C, R, U, D; U when the attribute is absent.
enum class GppAction { Create, Replace, Update, Delete };
[[nodiscard]] std::string_view to_string(GppAction action);

struct GppRegistryItem {
  int line = 0;           // of its <Properties> element
  std::string item_name;  // the <Registry> element's name, as the editor shows it
  std::string uid;
  GppAction action = GppAction::Update;
  std::string hive;       // as written ("HKEY_LOCAL_MACHINE")
  bool machine = false;   // the item acts on HKLM (HKEY_CLASSES_ROOT and HKEY_CURRENT_CONFIG are HKLM aliases)
  std::string key;        // below HKLM, aliases resolved: "Software\Classes\..." for HKEY_CLASSES_ROOT
  bool key_item = false;  // no value name and not the default value: the action is on the key itself
  RegValue value;         // name ("" for the default value) and, unless deleting, the data
  bool disabled = false;  // disabled="1" on the item or an enclosing collection: Windows skips it
  bool filtered = false;  // item-level targeting on the item or an enclosing collection
  std::string filters;    // the filter elements' names ("FilterOs, FilterGroup"), for explanations
};

struct GppRegistryFile {
  std::vector<GppRegistryItem> items;  // in document order, disabled ones included
};

// Parses a whole Registry.xml; the error is one line without the file's name.
[[nodiscard]] Expected<GppRegistryFile, std::string> parse_gpp_registry(std::string_view bytes);

}  // namespace smbaudit::gpo
