#include "subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "../../core/input.h"
#include "smbaudit/text.h"

extern char** environ;

namespace smbaudit::image {
namespace {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// The program's path: argv[0] itself when it names a path, else the first executable of that
// name on PATH. Found before fork, so the child only calls async-signal-safe functions.
std::optional<std::string> find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  std::string_view rest = path && *path ? path : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    const auto colon = rest.find(':');
    const std::string dir(rest.substr(0, colon));
    const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) return std::nullopt;
    rest = rest.substr(colon + 1);
  }
}

std::vector<std::string> merged_environment(const std::vector<std::string>& extra) {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    env[std::string(entry.substr(0, entry.find('=')))] = std::string(entry);
  }
  for (const auto& entry : extra) env[entry.substr(0, entry.find('='))] = entry;
  std::vector<std::string> out;
  for (auto& [name, entry] : env) out.push_back(std::move(entry));
  return out;
}

}  // namespace

Expected<ProcessResult, std::string> run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  if (argv.empty()) return Unexpected(std::string("no program given"));
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return Unexpected(fmt::format("pipe: {}", std::strerror(errno)));
  Fd out_read(out_pipe[0]), out_write(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) return Unexpected(fmt::format("pipe: {}", std::strerror(errno)));
  Fd err_read(err_pipe[0]), err_write(err_pipe[1]);

  const auto program = find_program(argv[0]);
  if (!program) return Unexpected(fmt::format("{} is not installed (not found on PATH)", argv[0]));
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const auto env_strings = merged_environment(options.environment);
  std::vector<char*> env;
  for (const auto& e : env_strings) env.push_back(const_cast<char*>(e.c_str()));
  env.push_back(nullptr);
  // The child reports a failed exec through this pipe (closed on a successful exec).
  int status_pipe[2];
  if (::pipe2(status_pipe, O_CLOEXEC) != 0) return Unexpected(fmt::format("pipe: {}", std::strerror(errno)));
  Fd status_read(status_pipe[0]), status_write(status_pipe[1]);
  const std::string input = options.stdin_file.empty() ? "/dev/null" : options.stdin_file.string();
  const int null_fd = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) return Unexpected(fmt::format("{}: {}", input, std::strerror(errno)));
  Fd dev_null(null_fd);
  // fork and exec rather than posix_spawn, to set the child's file-size limit. Between the two
  // only async-signal-safe calls, as the parent may have other threads.
  const pid_t pid = ::fork();
  if (pid < 0) return Unexpected(fmt::format("cannot run {}: fork: {}", argv[0], std::strerror(errno)));
  if (pid == 0) {
    if (options.max_file_bytes > 0) {
      rlimit limit{options.max_file_bytes, options.max_file_bytes};
      ::setrlimit(RLIMIT_FSIZE, &limit);
    }
    ::dup2(dev_null.get(), 0);
    ::dup2(out_write.get(), 1);
    ::dup2(err_write.get(), 2);
    ::execve(program->c_str(), args.data(), env.data());
    const int err = errno;
    ssize_t ignored = ::write(status_write.get(), &err, sizeof err);
    (void)ignored;
    ::_exit(127);
  }
  status_write.reset();
  int exec_errno = 0;
  ssize_t got = 0;
  while ((got = ::read(status_read.get(), &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
  }
  if (got == sizeof exec_errno) {
    int ignored = 0;
    while (::waitpid(pid, &ignored, 0) < 0 && errno == EINTR) {
    }
    if (exec_errno == ENOENT) return Unexpected(fmt::format("{} is not installed (not found on PATH)", argv[0]));
    return Unexpected(fmt::format("cannot run {}: {}", argv[0], std::strerror(exec_errno)));
  }
  out_write.reset();
  err_write.reset();

  ProcessResult result;
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  std::array<pollfd, 2> fds{{{out_read.get(), POLLIN, 0}, {err_read.get(), POLLIN, 0}}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  std::array<char, 65536> buffer{};
  int open_streams = 2;
  while (open_streams > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno != EINTR) {
      ::kill(pid, SIGKILL);
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const auto n = ::read(fds[i].fd, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fds[i].fd = -1;
        --open_streams;
        continue;
      }
      auto& sink = *sinks[i];
      const auto keep =
          std::min(static_cast<std::size_t>(n), options.max_output - std::min(options.max_output, sink.size()));
      sink.append(buffer.data(), keep);
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.file_too_large = WIFSIGNALED(status) && WTERMSIG(status) == SIGXFSZ;
  return result;
}

std::string stderr_line(std::string_view err) {
  std::vector<std::string_view> lines, errors;
  while (!err.empty()) {
    auto end = err.find('\n');
    std::string_view line = err.substr(0, end);
    err = end == std::string_view::npos ? std::string_view{} : err.substr(end + 1);
    if (const auto cr = line.rfind('\r'); cr != std::string_view::npos) line = line.substr(cr + 1);  // progress
    line = trim(line);
    if (line.empty()) continue;
    lines.push_back(line);
    if (line.starts_with("ERROR:") || line.starts_with("ERROR ")) errors.push_back(trim(line.substr(6)));
  }
  std::string text;
  if (!errors.empty()) {
    for (auto e : errors) text += (text.empty() ? "" : "; ") + std::string(e);
  } else if (!lines.empty()) {
    text = lines.back();
  }
  return one_line(text);
}

}  // namespace smbaudit::image
