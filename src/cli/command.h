// A subcommand of smbaudit: adds itself to the parser, then runs when it was chosen.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <vector>

namespace smbaudit {

class Command {
 public:
  virtual ~Command() = default;
  // Adds the subcommand and its options to `app`; returns it so main can tell which ran.
  virtual CLI::App* add_to(CLI::App& app) = 0;
  // Runs the parsed subcommand; returns a documented exit code (exit_codes.h).
  virtual int run() = 0;
};

// The one table of subcommands, in --help order (commands.cpp).
[[nodiscard]] std::vector<std::unique_ptr<Command>> make_commands();

}  // namespace smbaudit
