// Runs the real smbaudit binary for end-to-end tests and captures what it printed.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace smbaudit::test_support {

// How the run ended: on its own (exit_code is its code), or killed at the deadline.
enum class Ending { Exited, Crashed, TimedOut };

struct RunResult {
  Ending ending = Ending::Exited;
  int exit_code = -1;  // -1 unless it Exited
  std::string out;
  std::string err;
};

// Runs SMBAUDIT_BINARY with `args` (no shell: each is one argument), killing it after `timeout`.
// The run never sees the tests' own COLUMNS (a text report would wrap to it).
RunResult run_smbaudit(const std::vector<std::string>& args,
                       std::chrono::milliseconds timeout = std::chrono::seconds(60));

// A file of the repository, by its path from the root ("examples/ws01-facts.json").
inline std::string source_path(const std::string& relative) {
  return std::string(SMBAUDIT_SOURCE_DIR) + "/" + relative;
}

// run_smbaudit with COLUMNS set to `columns` for this run only, as a terminal's shell sets it.
RunResult run_smbaudit_with_columns(const std::vector<std::string>& args, int columns);

// The same for another program of the build (the fleet benchmark).
RunResult run_program(const std::string& program, const std::vector<std::string>& args,
                      std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace smbaudit::test_support
