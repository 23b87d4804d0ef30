// `s7log manpage` (hidden): roff man pages for the program and each command, written from the
// command line itself (descriptions, options, defaults, footers) so they cannot drift from
// --help. The build generates them from the built binary and installs them in man1.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "../commands.hpp"
#include "cli_model.hpp"
#include "connection_options.hpp"
#include "util/u8path.hpp"

namespace app {

namespace {

struct ManpageArgs {
  std::string command;  // empty: the program's page
  std::string out_dir;  // set: every page into this directory
};

// Text for roff: backslashes and dashes escaped (\- renders as the "-" a user types), and a
// control character (. or ') at the start of a line made literal.
std::string esc(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char ch : text) {
    if (line_start && (ch == '.' || ch == '\'')) out += "\\&";
    line_start = ch == '\n';
    if (ch == '\\') {
      out += "\\e";
    } else if (ch == '-') {
      out += "\\-";
    } else {
      out += ch;
    }
  }
  return out;
}

std::string bold(std::string_view s) {
  return "\\fB" + esc(s) + "\\fR";
}
std::string italic(std::string_view s) {
  return "\\fI" + esc(s) + "\\fR";
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) out.push_back(line);
  while (!out.empty() && out.back().find_first_not_of(" \t") == std::string::npos) out.pop_back();
  return out;
}

// The help's line breaks kept (roff would fill them into one paragraph).
std::string text_lines(std::string_view text) {
  std::string out;
  for (const auto& line : lines_of(text)) {
    if (!out.empty()) out += ".br\n";
    out += esc(line) + "\n";
  }
  return out;
}

// A footer: indented lines (examples) as verbatim blocks, the rest as text.
std::string footer_text(std::string_view footer) {
  std::string out;
  bool in_block = false;
  for (const auto& line : lines_of(footer)) {
    const bool indented = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    if (indented && !in_block) out += ".RS 4\n.nf\n";
    if (!indented && in_block) out += ".fi\n.RE\n.PP\n";
    in_block = indented;
    if (indented) {
      out += esc(line.substr(line.find_first_not_of(" \t"))) + "\n";
    } else if (!line.empty()) {
      out += esc(line) + "\n.br\n";
    }
  }
  if (in_block) out += ".fi\n.RE\n";
  return out;
}

std::string option_head(const OptionInfo& o, bool positional) {
  if (positional) return italic(o.names.front()) + (o.repeatable ? "..." : "");
  std::string out;
  for (const auto& n : o.names) out += (out.empty() ? "" : ", ") + bold(n);
  if (!o.value.empty()) {
    out += " " + (o.value_optional ? "[" + italic(o.value) + "]" : italic(o.value));
    if (o.repeatable) out += " ...";
  }
  return out;
}

std::string option_items(const std::vector<OptionInfo>& options, bool positional = false) {
  std::string out;
  for (const auto& o : options) {
    out += ".TP\n" + option_head(o, positional) + "\n" + text_lines(o.description);
    if (!o.default_value.empty()) out += ".br\nDefault: " + bold(o.default_value) + ".\n";
  }
  return out;
}

std::string synopsis_positionals(const std::vector<OptionInfo>& positionals) {
  std::string out;
  for (const auto& p : positionals) {
    std::string s = italic(p.names.front()) + (p.repeatable ? "..." : "");
    out += " " + (p.required ? s : "[" + s + "]");
  }
  return out;
}

std::string first_line(std::string_view text) {
  auto lines = lines_of(text);
  std::string s = lines.empty() ? "" : lines.front();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string upper(std::string s) {
  for (auto& ch : s)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  return s;
}

// SOURCE_DATE_EPOCH (reproducible builds) dates the pages; without it they carry no date.
std::string page_date() {
  const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
  if (!epoch || !*epoch) return "";
  const std::chrono::sys_seconds t{std::chrono::seconds(std::strtoll(epoch, nullptr, 10))};
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(t)};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(day.year()),
                     static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
}

std::string page_header(const std::string& page) {
  return ".TH " + esc(upper(page)) + " 1 \"" + page_date() +
         "\" \"s7log " S7LOG_VERSION
         "\" \"User Commands\"\n"
         ".nh\n.ad l\n";  // no hyphenation (option names), ragged right
}

std::string root_page(const CommandInfo& root) {
  std::string summary = first_line(root.description);
  if (summary.rfind("s7log: ", 0) == 0) summary.erase(0, 7);
  std::string out = page_header("s7log");
  out += ".SH NAME\ns7log \\- " + esc(summary) + "\n";
  out += ".SH SYNOPSIS\n.B s7log\n" + italic("COMMAND") + " [" + italic("OPTIONS") + "]\n.br\n" +
         ".B s7log\n" + bold("--version") + "\n";
  out += ".SH DESCRIPTION\n" + text_lines(root.description);
  out += ".PP\nEvery command has " + bold("--help") + " and its own page, " + bold("s7log-") +
         italic("command") + "(1).\n";
  out += ".SH COMMANDS\n";
  for (const auto& c : root.commands) {
    out += ".TP\n" + bold(c.name) + "\n" + text_lines(c.description) + ".br\nSee " +
           bold("s7log-" + c.name) + "(1).\n";
  }
  out += ".SH OPTIONS\n" + option_items(root.options);
  if (!root.footer.empty()) out += ".SH NOTES\n" + footer_text(root.footer);
  out += ".SH EXIT STATUS\n.TP\n" + std::to_string(kExitOk) + "\nSuccess.\n.TP\n" +
         std::to_string(kExitPlc) +
         "\nThe PLC could not be reached or answered with an error, or another error at run "
         "time.\n.TP\n" +
         std::to_string(kExitUsage) +
         "\nA usage error found before connecting: an unknown command or option, a bad address, "
         "value or configuration file.\n";
  out += ".SH ENVIRONMENT\n.TP\n" + bold("S7LOG_LIVE_MODULE") + "\nPath of " +
         bold("s7log-live.so") + ", the live page's server that " + bold("s7log run --live") +
         " and " + bold("s7log demo") +
         " load. Without it the module is looked for beside the program, then in " +
         italic("../lib/s7log/") + " relative to the program's directory.\n";
  out += ".SH FILES\n.TP\n" + italic("<prefix>/lib/s7log/s7log-live.so") +
         "\nThe live page's server (" + italic("/usr/lib/s7log/s7log-live.so") + " for " +
         italic("/usr/bin/s7log") + ").\n";
  out += ".SH SEE ALSO\n";
  std::string see;
  for (const auto& c : root.commands)
    see += (see.empty() ? "" : ",\n") + bold("s7log-" + c.name) + "(1)";
  out += see + "\n";
  return out;
}

std::string command_page(const CommandInfo& c) {
  const std::string page = "s7log-" + c.name;
  std::string out = page_header(page);
  out += ".SH NAME\n" + esc(page) + " \\- " + esc(first_line(c.description)) + "\n";
  out += ".SH SYNOPSIS\n.B s7log " + esc(c.name) + "\n[" + italic("OPTIONS") + "]" +
         synopsis_positionals(c.positionals) + "\n";
  out += ".SH DESCRIPTION\n" + text_lines(c.description);
  if (!c.positionals.empty()) out += ".SH ARGUMENTS\n" + option_items(c.positionals, true);
  out += ".SH OPTIONS\n" + option_items(c.options);
  if (!c.footer.empty()) out += ".SH NOTES\n" + footer_text(c.footer);
  out += ".SH SEE ALSO\n" + bold("s7log") + "(1)\n";
  return out;
}

bool write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  return f.write(text.data(), static_cast<std::streamsize>(text.size())) && f.flush();
}

int run_manpage(const CLI::App& app, const ManpageArgs& a) {
  const CommandInfo root = describe_command_line(app, "s7log");
  if (!a.out_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(util::u8path(a.out_dir), ec);
    std::vector<std::pair<std::string, std::string>> pages{{"s7log.1", root_page(root)}};
    for (const auto& c : root.commands)
      pages.emplace_back("s7log-" + c.name + ".1", command_page(c));
    for (const auto& [file, text] : pages) {
      const auto path = util::u8path(a.out_dir) / file;
      if (!write_file(path, text)) {
        print_error("manpage: cannot write " + util::path_text(path));
        return kExitPlc;
      }
    }
    return kExitOk;
  }
  std::string name = a.command;
  if (name.rfind("s7log-", 0) == 0) name.erase(0, 6);
  if (name.empty() || name == "s7log") {
    std::fputs(root_page(root).c_str(), stdout);
    return kExitOk;
  }
  for (const auto& c : root.commands) {
    if (c.name == name) {
      std::fputs(command_page(c).c_str(), stdout);
      return kExitOk;
    }
  }
  print_error("manpage: no command '" + a.command + "'");
  return kExitUsage;
}

}  // namespace

void register_manpage(CLI::App& app, Runner& selected) {
  auto* cmd = app.add_subcommand("manpage", "Write the man pages (roff), generated from --help");
  cmd->group("");  // hidden: for the build, not for users
  auto a = std::make_shared<ManpageArgs>();
  cmd->add_option("COMMAND", a->command, "The command's page (default: the program's page)");
  cmd->add_option("--out-dir", a->out_dir, "Write s7log.1 and s7log-<command>.1 into this folder");
  cmd->callback([&app, a, &selected] { selected = [&app, a] { return run_manpage(app, *a); }; });
}

}  // namespace app
