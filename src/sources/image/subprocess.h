// Runs a helper program (wimlib's wiminfo and wimextract, GPL: a separate process, never
// linked) with its argument vector passed as is, no shell, standard input from /dev/null (or a
// file), its output captured up to a cap, and a deadline after which it is killed.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "smbaudit/expected.h"

namespace smbaudit::image {

struct ProcessResult {
  int exit_code = -1;           // the exit status, or -1 when killed by a signal
  bool timed_out = false;       // killed at the deadline
  bool file_too_large = false;  // killed for writing past ProcessOptions::max_file_bytes
  std::string out;              // standard output, at most the cap
  std::string err;              // standard error, at most the cap
};

struct ProcessOptions {
  std::chrono::milliseconds timeout{std::chrono::seconds(300)};
  std::vector<std::string> environment;  // NAME=VALUE added to (or replacing in) this process's
  std::filesystem::path stdin_file;      // standard input; empty: /dev/null
  std::size_t max_output = 1 << 20;      // bytes kept of each stream; the rest is read and dropped
  // RLIMIT_FSIZE for the child: a file it writes cannot grow past this (it gets SIGXFSZ, and
  // `file_too_large` is set), so a hostile archive cannot fill the disk. 0: no limit.
  std::uint64_t max_file_bytes = 0;
};

// The error is for what prevented running it at all: "not installed" when argv[0] is not on PATH.
[[nodiscard]] Expected<ProcessResult, std::string> run_process(const std::vector<std::string>& argv,
                                                               const ProcessOptions& options = {});

// A tool's standard error as one line for a message: its "ERROR:" lines if it wrote any, else its
// last non-empty line; progress lines (carriage returns) dropped, control characters escaped.
[[nodiscard]] std::string stderr_line(std::string_view err);

}  // namespace smbaudit::image
