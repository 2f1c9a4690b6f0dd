// An empty registry hive written from the format's description: the base every fixture hive
// is built from. Needs no library, so the header checks are tested on every platform.
#pragma once

#include <string>
#include <string_view>

namespace smbaudit::test_support {

// The bytes of an empty hive: a base block and one hive bin holding the root key (named
// `root_name`) and the security cell every key shares.
[[nodiscard]] std::string empty_hive_bytes(std::string_view root_name = "ROOT");

}  // namespace smbaudit::test_support
