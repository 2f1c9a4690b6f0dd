// Runs the real smbaudit binary for end-to-end tests and captures what it printed.
#pragma once

#include <string>
#include <vector>

namespace smbaudit::test_support {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs SMBAUDIT_BINARY with `args` (each quoted); `env` entries are NAME=VALUE prefixes.
RunResult run_smbaudit(const std::vector<std::string>& args);

}  // namespace smbaudit::test_support
