// Reads the CLI11 app into CommandInfo: what the help shows, without its layout.
#include "cli_model.hpp"

#include <CLI/CLI.hpp>

namespace app {

namespace {

OptionInfo describe_option(const CLI::Option& opt) {
  OptionInfo o;
  if (opt.nonpositional()) {
    for (const auto& s : opt.get_snames()) o.names.push_back("-" + s);
    for (const auto& l : opt.get_lnames()) o.names.push_back("--" + l);
  } else {
    o.names.push_back(opt.get_name(true, false));
  }
  if (!opt.get_option_text().empty()) {
    o.value = opt.get_option_text();
  } else if (opt.get_type_size() != 0) {
    o.value = opt.get_type_name();
    o.default_value = opt.get_default_str();
  }
  o.description = opt.get_description();
  o.value_optional = opt.get_type_size() != 0 && opt.get_expected_min() == 0;
  o.repeatable = opt.get_expected_max() >= CLI::detail::expected_max_vector_size;
  o.required = opt.get_required();
  return o;
}

}  // namespace

bool is_hidden_command(const CLI::App& cmd) {
  return cmd.get_group().empty();
}

CommandInfo describe_command_line(const CLI::App& cmd, const std::string& name) {
  CommandInfo c;
  c.name = name;
  c.description = cmd.get_description();
  c.footer = cmd.get_footer();
  for (const auto* opt : cmd.get_options()) {
    if (opt->get_group().empty()) continue;  // hidden, like in --help
    (opt->nonpositional() ? c.options : c.positionals).push_back(describe_option(*opt));
  }
  for (const auto* sub : cmd.get_subcommands([](const CLI::App* s) {
         return !s->get_name().empty() && !s->get_disabled() && !is_hidden_command(*s);
       })) {
    c.commands.push_back(describe_command_line(*sub, sub->get_name()));
  }
  return c;
}

}  // namespace app
