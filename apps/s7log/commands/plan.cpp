// `s7log plan`: shows how the logger reads its tags (items, bytes, requests per PDU); no PLC
// needed.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "../commands.hpp"
#include "connection_options.hpp"
#include "logger/config.hpp"
#include "logger/plan.hpp"
#include "logger/tag.hpp"

namespace app {

namespace {
struct PlanArgs {
  std::string config;
  std::vector<std::string> tags;
  bool no_course = false;
};

int run_plan(const PlanArgs& a) {
  std::vector<logger::TagInfo> tags;
  if (!a.config.empty()) {
    auto loaded = logger::load_config(a.config);
    if (!loaded) {
      print_error("s7log plan", loaded.error().what());
      return 2;
    }
    if (loaded->plant) {
      if (!a.tags.empty() || a.no_course) {
        print_error("s7log plan", "--tag and --only-tags apply to a config with one PLC; " +
                                      a.config + " is a plant config ([[group]] tables)");
        return 2;
      }
      std::fputs(logger::describe_plant_plan(*loaded->plant).c_str(), stdout);
      return 0;
    }
    tags = loaded->has_tags ? loaded->config.tags : logger::course_tags();
  } else if (!a.no_course) {
    tags = logger::course_tags();
  }
  for (const auto& spec : a.tags) {
    auto t = logger::parse_tag_spec(spec);
    if (!t) {
      print_error("s7log plan", "--tag: " + t.error().what());
      return 2;
    }
    tags.push_back(*t);
  }
  if (auto r = logger::validate_tags(tags); !r) {
    print_error("s7log plan", r.error().what());
    return 2;
  }
  auto plan = logger::build_plan(tags);
  std::fputs(logger::describe_plan(tags, plan).c_str(), stdout);
  return 0;
}
}  // namespace

void register_plan(CLI::App& app, Runner& selected) {
  auto* cmd = app.add_subcommand("plan", "Show how `run` reads its tags: items, bytes, requests");
  auto a = std::make_shared<PlanArgs>();
  cmd->add_option("--config", a->config,
                  "TOML config file (its tags; a plant config: the plan per PLC and group)");
  cmd->add_option("--tag", a->tags, "name=ADDRESS (repeatable), added after the course's tags");
  cmd->add_flag("--only-tags", a->no_course, "Without --config: only the --tag tags");
  cmd->callback([a, &selected] { selected = [a] { return run_plan(*a); }; });
}

}  // namespace app
