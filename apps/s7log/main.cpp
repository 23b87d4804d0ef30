// s7log entry point: builds the command line, runs the chosen command, maps errors to exit codes.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "commands/connection_options.hpp"
#include "platform/args.hpp"
#include "platform/console.hpp"

namespace {

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Edit distance with transpositions (optimal string alignment): how many single-letter edits or
// swaps of neighbours turn `a` into `b` ("rnu" -> "run" is one).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

// " (did you mean --interval?)" when one candidate is close to `typed`: at most two edits away
// (one for short words), or the only one that `typed` is the start of. Otherwise "".
std::string did_you_mean(std::string_view typed, const std::vector<std::string>& candidates) {
  const std::size_t limit = typed.size() <= 4 ? 1 : 2;
  std::string best;
  std::size_t best_distance = limit + 1;
  int at_best = 0;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(typed, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
      at_best = 1;
    } else if (d == best_distance) {
      ++at_best;
    }
  }
  if (best_distance > limit || at_best != 1) {
    std::vector<std::string> prefixed;
    for (const auto& c : candidates)
      if (typed.size() >= 3 && c.rfind(typed, 0) == 0) prefixed.push_back(c);
    if (prefixed.size() != 1) return {};
    best = prefixed.front();
  }
  return " (did you mean " + best + "?)";
}

// "unknown option --intervall (did you mean --interval?)" or "unexpected argument 'x'".
std::string unexpected(const CLI::App& cmd, const std::string& arg) {
  if (arg.size() < 2 || arg[0] != '-') return "unexpected argument '" + arg + "'";
  const std::string name = arg.substr(0, arg.find('='));
  std::vector<std::string> options;
  for (const auto* opt : cmd.get_options()) {
    for (const auto& l : opt->get_lnames()) options.push_back("--" + l);
    for (const auto& s : opt->get_snames()) options.push_back("-" + s);
  }
  return "unknown option " + name + did_you_mean(name, options);
}

// CLI11's own wording for the errors our validators do not catch first.
std::string in_our_words(const CLI::ParseError& e) {
  std::string msg = e.what();
  static constexpr std::string_view kConvert = "Could not convert: ";
  if (msg.rfind(kConvert, 0) == 0) {
    // "Could not convert: --port = abc" -> "--port abc: not a valid value"
    auto rest = msg.substr(kConvert.size());
    auto eq = rest.find(" = ");
    if (eq != std::string::npos)
      return rest.substr(0, eq) + " " + rest.substr(eq + 3) + ": not a valid value";
  }
  if (msg == "A subcommand is required") return "a command is required (s7log --help)";
  return msg;
}

int usage_error(const std::string& who, const std::string& message) {
  app::print_error(who, message);
  return app::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  // Arguments as UTF-8 on every platform (file and tag names with any letters), and a console
  // that shows UTF-8 (Windows: the console's output code page).
  platform::prepare_console();
  std::vector<std::string> utf8_args = platform::utf8_arguments(argc, argv);
  std::vector<char*> arg_ptrs;
  for (auto& a : utf8_args) arg_ptrs.push_back(a.data());
  arg_ptrs.push_back(nullptr);
  argv = arg_ptrs.data();
  CLI::App app{"s7log: S7 PLC data logger, fake PLC and tools (S7comm over ISO-on-TCP)"};
  app.set_version_flag("--version", std::string("s7log ") + S7LOG_VERSION);
  app.require_subcommand(1);
  app::Runner selected;
  for (const auto register_command : app::kCommands) register_command(app, selected);
  // Unknown arguments are collected (not thrown) so that they can be named in our own words.
  for (auto* sub : app.get_subcommands({})) sub->allow_extras();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end here too (exit 0); every real parse error is a usage error (2).
    if (e.get_exit_code() == 0) return app.exit(e);
    if (argc > 1 && argv[1][0] != '-' && app.get_subcommands().empty()) {
      std::vector<std::string> names;  // the visible ones (hidden commands have no group)
      for (const auto* sub : app.get_subcommands({}))
        if (!sub->get_group().empty()) names.push_back(sub->get_name());
      const std::string hint = did_you_mean(argv[1], names);
      return usage_error("s7log", "unknown command '" + std::string(argv[1]) + "'" +
                                      (hint.empty() ? "; commands: " + join(names) : hint) +
                                      " (s7log --help)");
    }
    const auto parsed = app.get_subcommands();
    if (parsed.empty()) {
      // `s7log --verison`: CLI11 complains of the missing command first; the typo is the news.
      for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.size() > 1 && arg[0] == '-' &&
            app.get_option_no_throw(arg.substr(0, arg.find('='))) == nullptr)
          return usage_error("s7log", unexpected(app, arg));
      }
    }
    return usage_error(parsed.empty() ? "s7log" : "s7log " + parsed.front()->get_name(),
                       in_our_words(e));
  }
  if (auto parsed = app.get_subcommands(); !parsed.empty()) {
    CLI::App* sub = parsed.front();
    if (auto extra = sub->remaining(); !extra.empty())
      return usage_error("s7log " + sub->get_name(), unexpected(*sub, extra.front()));
  }
  try {
    return selected ? selected() : 0;
  } catch (const std::exception& e) {
    app::print_error(e.what());
    return 1;
  }
}
