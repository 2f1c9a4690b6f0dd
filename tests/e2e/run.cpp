#include "run.h"

#include <cstdlib>
#include <filesystem>
#include <utility>

#include "../support/temp_dir.h"

#ifndef _WIN32
#include <sys/wait.h>
#endif

namespace smbaudit::test_support {

#ifdef _WIN32
namespace {
// smbaudit.exe writes standard output and error in text mode (CRLF); compare like POSIX.
std::string without_cr(std::string s) {
  std::string::size_type w = 0;
  for (std::string::size_type i = 0; i < s.size(); ++i)
    if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) s[w++] = s[i];
  s.resize(w);
  return s;
}
}  // namespace
#endif

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
#ifdef _WIN32
  r.out = without_cr(std::move(r.out));
  r.err = without_cr(std::move(r.err));
#endif
  return r;
}

}  // namespace smbaudit::test_support
