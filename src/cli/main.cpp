// smbaudit's command line: global flags and logging, then the chosen subcommand from
// the command table (commands.cpp); maps a bug to exit code 70 instead of a crash.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cstdio>

#include "command.h"
#include "exit_codes.h"
#include "smbaudit/version.h"

#ifdef _WIN32
#include <windows.h>
#endif

namespace smbaudit {
namespace {

#ifdef _WIN32
// Reports and logs are UTF-8 (host names, registry strings, the text report's symbols):
// have the console show them as such, and give it its code page back on exit.
class Utf8Console {
 public:
  Utf8Console() : previous_(GetConsoleOutputCP()) {
    if (previous_ != 0) SetConsoleOutputCP(CP_UTF8);
  }
  ~Utf8Console() {
    if (previous_ != 0) SetConsoleOutputCP(previous_);
  }
  Utf8Console(const Utf8Console&) = delete;
  Utf8Console& operator=(const Utf8Console&) = delete;

 private:
  UINT previous_;
};
#endif

void setup_logging(int verbosity, bool quiet) {
  auto logger = spdlog::stderr_color_mt("smbaudit");
  logger->set_pattern("smbaudit: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  if (quiet)
    spdlog::set_level(spdlog::level::err);
  else if (verbosity >= 2)
    spdlog::set_level(spdlog::level::debug);
  else if (verbosity == 1)
    spdlog::set_level(spdlog::level::info);
  else
    spdlog::set_level(spdlog::level::warn);
}

int run(int argc, char** argv) {
  CLI::App app{"smbaudit: audits a Windows host's defences against SMB interception (adversary-in-the-middle)"};
  app.set_version_flag("--version", std::string("smbaudit ") + std::string(kVersion));
  app.require_subcommand(1);
  int verbosity = 0;
  bool quiet = false;
  app.add_flag("-v,--verbose", verbosity, "more log output on stderr (-vv for debug)");
  app.add_flag("-q,--quiet", quiet, "log errors only");
  app.footer("Exit codes: 0 ok, 1 a gate tripped, 2 bad usage or input, 3 collection failed.");
  // -v and -q work after the subcommand too (smbaudit audit ... -v).
  app.fallthrough();
  // CLI11 takes "/x" as an option on Windows by default; our flags are all "--x", and a
  // positional path such as "/mnt/reports/old.json" (Wine, MSYS) must stay a path.
  app.allow_windows_style_options(false);

  auto commands = make_commands();
  std::vector<CLI::App*> subcommands;
  for (auto& c : commands) subcommands.push_back(c->add_to(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : static_cast<int>(ExitCode::BadInput);
  }
  setup_logging(verbosity, quiet);
  for (std::size_t i = 0; i < commands.size(); ++i)
    if (subcommands[i]->parsed()) return commands[i]->run();
  return static_cast<int>(ExitCode::BadInput);
}

}  // namespace
}  // namespace smbaudit

int main(int argc, char** argv) {
#ifdef _WIN32
  const smbaudit::Utf8Console console;
#endif
  try {
    return smbaudit::run(argc, argv);
  } catch (const std::exception& e) {
    // A bug, not an expected failure: say so plainly rather than crash.
    std::fprintf(stderr, "smbaudit: internal error: %s\n", e.what());
    return 70;
  }
}
