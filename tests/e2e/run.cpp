#include "run.h"

#include <filesystem>
#include <thread>
#include <utility>

#include "../support/temp_dir.h"

#ifdef _WIN32
#include <windows.h>

#include "../../src/sources/win/handles.h"
#include "../../src/sources/win/wide.h"
#else
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;
#endif

namespace smbaudit::test_support {
namespace {

using Clock = std::chrono::steady_clock;

#ifdef _WIN32
// smbaudit.exe writes standard output and error in text mode (CRLF); compare like POSIX.
std::string without_cr(std::string s) {
  std::string::size_type w = 0;
  for (std::string::size_type i = 0; i < s.size(); ++i)
    if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) s[w++] = s[i];
  s.resize(w);
  return s;
}

// One argument as the C runtime's command-line parser will split it back out.
std::wstring quoted(const std::wstring& arg) {
  if (!arg.empty() && arg.find_first_of(L" \t\n\v\"") == std::wstring::npos) return arg;
  std::wstring q = L"\"";
  for (auto it = arg.begin();; ++it) {
    std::size_t backslashes = 0;
    for (; it != arg.end() && *it == L'\\'; ++it) ++backslashes;
    if (it == arg.end()) {
      q.append(backslashes * 2, L'\\');  // before the closing quote
      break;
    }
    q.append(*it == L'"' ? backslashes * 2 + 1 : backslashes, L'\\');
    q.push_back(*it);
  }
  q.push_back(L'"');
  return q;
}

win::UniqueKernelHandle inheritable(const std::filesystem::path& path, DWORD access, DWORD disposition) {
  SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  HANDLE h = CreateFileW(path.c_str(), access, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit, disposition,
                         FILE_ATTRIBUTE_NORMAL, nullptr);
  return win::UniqueKernelHandle(h == INVALID_HANDLE_VALUE ? nullptr : h);
}

void run_process(const std::string& program, const std::vector<std::string>& args, const std::filesystem::path& out,
                 const std::filesystem::path& err, std::chrono::milliseconds timeout, RunResult& r) {
  const std::wstring exe = win::to_wide(program);
  std::wstring command = quoted(exe);
  for (const auto& a : args) command += L" " + quoted(win::to_wide(a));
  auto in_handle = inheritable(L"NUL", GENERIC_READ, OPEN_EXISTING);
  auto out_handle = inheritable(out, GENERIC_WRITE, CREATE_ALWAYS);
  auto err_handle = inheritable(err, GENERIC_WRITE, CREATE_ALWAYS);
  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  startup.dwFlags = STARTF_USESTDHANDLES;
  startup.hStdInput = in_handle.get();
  startup.hStdOutput = out_handle.get();
  startup.hStdError = err_handle.get();
  PROCESS_INFORMATION process{};
  if (!CreateProcessW(exe.c_str(), command.data(), nullptr, nullptr, TRUE, 0, nullptr, nullptr, &startup, &process)) {
    r.ending = Ending::Crashed;
    r.err = "CreateProcessW failed: " + std::to_string(GetLastError());
    return;
  }
  const win::UniqueKernelHandle process_handle(process.hProcess), thread_handle(process.hThread);
  if (WaitForSingleObject(process.hProcess, static_cast<DWORD>(timeout.count())) == WAIT_TIMEOUT) {
    TerminateProcess(process.hProcess, 124);
    WaitForSingleObject(process.hProcess, INFINITE);
    r.ending = Ending::TimedOut;
    return;
  }
  DWORD code = 0;
  GetExitCodeProcess(process.hProcess, &code);
  // NTSTATUS failures (0xC0000005 access violation...) are crashes, not exit codes.
  if (code >= 0xC0000000u) {
    r.ending = Ending::Crashed;
    return;
  }
  r.exit_code = static_cast<int>(code);
}
#else
void run_process(const std::string& program, const std::vector<std::string>& args, const std::filesystem::path& out,
                 const std::filesystem::path& err, std::chrono::milliseconds timeout, RunResult& r) {
  std::vector<std::string> storage{program};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    r.ending = Ending::Crashed;
    r.err = std::string("posix_spawn failed: ") + std::strerror(spawned);
    return;
  }
  const auto deadline = Clock::now() + timeout;
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      r.ending = Ending::Crashed;
      return;
    }
    if (Clock::now() >= deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      r.ending = Ending::TimedOut;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (WIFEXITED(status)) {
    r.exit_code = WEXITSTATUS(status);
  } else {
    r.ending = Ending::Crashed;
  }
}
#endif

void set_columns(const char* value) {
#ifdef _WIN32
  _putenv_s("COLUMNS", value ? value : "");
#else
  if (value)
    setenv("COLUMNS", value, 1);
  else
    unsetenv("COLUMNS");
#endif
}

}  // namespace

RunResult run_smbaudit_with_columns(const std::vector<std::string>& args, int columns) {
  set_columns(std::to_string(columns).c_str());
  RunResult r = run_smbaudit(args);
  set_columns(nullptr);
  return r;
}

namespace {
// The children inherit the environment: a COLUMNS exported by the shell running the tests
// must not wrap the text reports they check.
[[maybe_unused]] const bool kNoColumns = [] {
  set_columns(nullptr);
  return true;
}();
}  // namespace

RunResult run_smbaudit(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  return run_program(SMBAUDIT_BINARY, args, timeout);
}

RunResult run_program(const std::string& program, const std::vector<std::string>& args,
                      std::chrono::milliseconds timeout) {
  TempDir dir;
  const auto out = dir.path() / "stdout.txt";
  const auto err = dir.path() / "stderr.txt";
  RunResult r;
  run_process(program, args, out, err, timeout, r);
  r.out = read_file(out);
  r.err += read_file(err);
#ifdef _WIN32
  r.out = without_cr(std::move(r.out));
  r.err = without_cr(std::move(r.err));
#endif
  return r;
}

}  // namespace smbaudit::test_support
