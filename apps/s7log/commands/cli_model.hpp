// A plain description of s7log's command line (commands, options, help texts, defaults) read
// from the CLI11 app, for the generated man pages and the shell completion.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace app {

struct OptionInfo {
  std::vector<std::string> names;  // "-v", "--verbose" (short ones first); a positional: its name
  std::string value;               // what the help shows after the names ("TEXT", "INT"); empty:
                                   // a flag
  std::string description;
  std::string default_value;    // empty when the help shows none
  bool value_optional = false;  // the value may be left out (--live)
  bool repeatable = false;      // takes any number of values
  bool required = false;
};

struct CommandInfo {
  std::string name;  // "s7log" for the program, else the command's name ("run")
  std::string description;
  std::string footer;                   // text the help prints after the options
  std::vector<OptionInfo> options;      // in help order, -h/--help included
  std::vector<OptionInfo> positionals;  // in order
  std::vector<CommandInfo> commands;    // visible subcommands, in help order
};

// True when `--help` does not list the command (CLI11 group "").
bool is_hidden_command(const CLI::App& cmd);

// The command with its visible options and subcommands; hidden options and commands are left
// out. (The man pages and the completion cover the program and its commands: s7log's commands
// have no subcommands of their own.)
CommandInfo describe_command_line(const CLI::App& cmd, const std::string& name);

}  // namespace app
