#include "run.h"

#include <cstdlib>
#include <filesystem>

#include "../support/temp_dir.h"

#ifndef _WIN32
#include <sys/wait.h>
#endif

namespace smbaudit::test_support {

RunResult run_smbaudit(const std::vector<std::string>& args) {
  TempDir dir;
  const auto out = dir.path() / "stdout.txt";
  const auto err = dir.path() / "stderr.txt";
  std::string command = "\"" + std::string(SMBAUDIT_BINARY) + "\"";
  for (const auto& a : args) command += " \"" + a + "\"";
  command += " > \"" + out.string() + "\" 2> \"" + err.string() + "\"";
#ifdef _WIN32
  // cmd.exe strips one pair of outer quotes from the whole line.
  command = "\"" + command + "\"";
#endif
  const int status = std::system(command.c_str());
  RunResult r;
#ifdef _WIN32
  r.exit_code = status;
#else
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
#endif
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

}  // namespace smbaudit::test_support
