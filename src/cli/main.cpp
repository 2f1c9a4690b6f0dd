// smbaudit's command line: global flags and logging, then the chosen subcommand from
// the command table (commands.cpp); maps a bug to exit code 70 instead of a crash.
#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>

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

// Logs go to stderr and, with --log-file, are also appended to that file with the UTC time and
// the process id (a scheduled task's stderr goes nowhere). Returns false when the file cannot
// be opened.
bool setup_logging(int verbosity, bool quiet, const std::string& log_file) {
  auto logger = spdlog::stderr_color_mt("smbaudit");
  logger->set_pattern("smbaudit: %^%l%$: %v");
  if (!log_file.empty()) {
    try {
      auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(log_file, false);
      file->set_formatter(std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%SZ smbaudit[%P]: %l: %v",
                                                                      spdlog::pattern_time_type::utc));
      logger->sinks().push_back(std::move(file));
    } catch (const spdlog::spdlog_ex& e) {
      std::fprintf(stderr, "smbaudit: error: --log-file %s: cannot open it for appending: %s\n", log_file.c_str(),
                   e.what());
      return false;
    }
  }
  spdlog::set_default_logger(logger);
  if (quiet)
    spdlog::set_level(spdlog::level::err);
  else if (verbosity >= 2)
    spdlog::set_level(spdlog::level::debug);
  else if (verbosity == 1)
    spdlog::set_level(spdlog::level::info);
  else
    spdlog::set_level(spdlog::level::warn);
  return true;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The closest of `names` to `typed`, when close enough to be a typo.
std::optional<std::string> closest(std::string_view typed, const std::vector<std::string>& names) {
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(2, typed.size() / 3) + 1;
  for (const auto& name : names) {
    const std::size_t d = edit_distance(typed, name);
    if (d < best_distance) {
      best_distance = d;
      best = name;
    }
  }
  return best;
}

// The subcommand the command line reached ("audit", or "rules" for "rules lst").
CLI::App* deepest(CLI::App* app) {
  for (CLI::App* sub : app->get_subcommands())
    if (sub->parsed()) return deepest(sub);
  return app;
}

std::string command_path(const CLI::App* app) {
  std::string path;
  // The root's own name is argv[0], a path: the command is called smbaudit.
  for (; app && app->get_parent(); app = app->get_parent())
    path = path.empty() ? app->get_name() : app->get_name() + " " + path;
  return path.empty() ? "smbaudit" : "smbaudit " + path;
}

// What a mistyped word might have meant: the options of `where` and its parents, or its commands.
std::optional<std::string> suggestion(const CLI::App* where, const std::string& word) {
  std::vector<std::string> names;
  if (word.starts_with("-")) {
    for (const CLI::App* a = where; a; a = a->get_parent())
      for (const CLI::Option* o : a->get_options()) {
        for (const auto& n : o->get_lnames()) names.push_back("--" + n);
        for (const auto& n : o->get_snames()) names.push_back("-" + n);
      }
  } else {
    for (const CLI::App* sub : const_cast<CLI::App*>(where)->get_subcommands([](CLI::App*) { return true; }))
      names.push_back(sub->get_name());
  }
  return closest(word.substr(0, word.find('=')), names);
}

// What --help shows after each option: a word for what it takes ("FILE", "SECONDS"), without
// CLI11's type and validator text ("INT:INT in [1 - 3600]", "TEXT:{text,json,...}").
void tidy_help(CLI::App& app) {
  static const std::map<std::string, std::string> kLabels{{"--facts", "FILE"},
                                                          {"--system", "FILE"},
                                                          {"--software", "FILE"},
                                                          {"--image-root", "DIR"},
                                                          {"--computer", "NAME"},
                                                          {"--computer-list", "FILE"},
                                                          {"--timeout", "SECONDS"},
                                                          {"--rules", "DIR"},
                                                          {"--profile", "NAME|FILE"},
                                                          {"--rules-sha256", "HEX"},
                                                          {"--only", "ID,..."},
                                                          {"--skip", "ID,..."},
                                                          {"--format", "FORMAT"},
                                                          {"--output", "FILE"},
                                                          {"--fail-on", "SEVERITY"},
                                                          {"--fail-under", "SCORE"},
                                                          {"--min-coverage", "PCT"},
                                                          {"--unknown", "pass|warn|fail"},
                                                          {"--waivers", "FILE"},
                                                          {"--host-label", "TEXT"},
                                                          {"--sarif-category", "TEXT"},
                                                          {"--report", "FILE"},
                                                          {"--worst", "N"},
                                                          {"--threads", "N"},
                                                          {"--log-file", "FILE"},
                                                          {"--target", "BUILD:EDITION:ROLE"}};
  for (CLI::Option* o : app.get_options([](CLI::Option* opt) { return opt->get_type_size() != 0; })) {
    const auto& names = o->get_lnames();
    std::string label;
    if (!names.empty())
      if (auto it = kLabels.find("--" + names.front()); it != kLabels.end()) label = it->second;
    if (label.empty()) label = o->get_type_name().substr(0, o->get_type_name().find(':'));
    if (o->get_items_expected_max() > 1) label += " ...";
    if (o->get_required()) label += " (required)";
    o->option_text(label);
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) tidy_help(*sub);
}

// One line for a parse error, with a suggestion for a mistyped command or option.
std::string usage_error(CLI::App& app, const CLI::ParseError& e) {
  CLI::App* where = deepest(&app);
  const std::string command = command_path(where);
  const std::string help = "see " + command + " --help";
  // The words the parser could not place: an unknown option, or a command where one was expected.
  // (A word the subcommand could not place may have fallen through to a parent.)
  std::vector<std::string> extras = app.remaining(true);
  if (const auto* extra = dynamic_cast<const CLI::ExtrasError*>(&e); extra && extras.empty()) {
    const std::string message = e.what();
    std::string list = message.substr(message.find(": ") + 2);
    for (std::size_t at = 0; at <= list.size();) {
      const auto end = std::min(list.find(' ', at), list.size());
      if (end > at) extras.push_back(list.substr(at, end - at));
      at = end + 1;
    }
  }
  const bool wants_command = where->get_require_subcommand_min() > 0;
  if (wants_command && !extras.empty() && !extras.front().starts_with("-")) {
    const auto guess = suggestion(where, extras.front());
    return fmt::format("unknown command '{}' for {}{} ({})", extras.front(), command,
                       guess ? fmt::format(": did you mean '{}'?", *guess) : "", help);
  }
  const auto option = std::find_if(extras.begin(), extras.end(), [](const auto& w) { return w.starts_with("-"); });
  if (option != extras.end()) {
    const std::string word = option->substr(0, option->find('='));
    const auto guess = suggestion(where, word);
    return fmt::format("unknown option '{}' for {}{} ({})", word, command,
                       guess ? fmt::format(": did you mean '{}'?", *guess) : "", help);
  }
  return std::string(e.what()) + " (" + help + ")";
}

int run(int argc, char** argv) {
  CLI::App app{"smbaudit: audits a Windows host's defences against SMB interception (adversary-in-the-middle)"};
  app.set_version_flag("--version", std::string("smbaudit ") + std::string(kVersion));
  app.require_subcommand(1);
  int verbosity = 0;
  int quiet = 0;
  std::string log_file;
  // -v, -q and --log-file work before and after the subcommand, and each command's --help lists them.
  const auto add_logging_flags = [&](CLI::App& a) {
    a.add_flag_function(
        "-v,--verbose", [&](std::int64_t n) { verbosity += static_cast<int>(n); },
        "more log output on stderr (-vv for debug)");
    a.add_flag_function(
        "-q,--quiet", [&](std::int64_t n) { quiet += static_cast<int>(n); }, "log errors only");
    a.add_option("--log-file", log_file, "also append the log to FILE, with UTC times (for scheduled tasks)")
        ->type_name("FILE");
  };
  add_logging_flags(app);
  app.footer(
      "Exit codes: 0 ok, 1 a gate tripped (diff: a rule regressed), 2 bad usage or input, 3 collection failed, 70 "
      "internal error; each command's --help lists its own.");
  app.fallthrough();
  // CLI11 takes "/x" as an option on Windows by default; our flags are all "--x", and a
  // positional path such as "/mnt/reports/old.json" (Wine, MSYS) must stay a path.
  app.allow_windows_style_options(false);

  auto commands = make_commands();
  std::vector<CLI::App*> subcommands;
  for (auto& c : commands) subcommands.push_back(c->add_to(app));
  const std::function<void(CLI::App&)> add_everywhere = [&](CLI::App& a) {
    for (CLI::App* sub : a.get_subcommands([](CLI::App*) { return true; })) {
      add_logging_flags(*sub);
      add_everywhere(*sub);
    }
  };
  add_everywhere(app);
  tidy_help(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version print and succeed; every other problem is one error line like any other.
    if (e.get_exit_code() == 0) return app.exit(e);
    std::fprintf(stderr, "smbaudit: error: %s\n", usage_error(app, e).c_str());
    return static_cast<int>(ExitCode::BadInput);
  }
  if (!setup_logging(verbosity, quiet > 0, log_file)) return static_cast<int>(ExitCode::BadInput);
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
    return static_cast<int>(smbaudit::ExitCode::InternalError);
  } catch (...) {
    std::fprintf(stderr, "smbaudit: internal error: an exception that is not a std::exception\n");
    return static_cast<int>(smbaudit::ExitCode::InternalError);
  }
}
