// `s7log plot`: one self-contained HTML chart (uPlot + data inlined) of s7log CSV files.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "../commands.hpp"
#include "connection_options.hpp"
#include "util/u8path.hpp"
#include "web/report.hpp"

namespace app {
namespace {

struct PlotArgs {
  std::vector<std::string> inputs;
  std::string out;
  std::string title;
};

int run_plot(const PlotArgs& a) {
  auto fail = [](const std::string& msg) {
    print_error("s7log plot", msg);
    return 1;
  };
  auto files = web::expand_inputs(a.inputs);
  if (!files) return fail(files.error().what());
  auto table = web::read_s7log_csv(*files);
  if (!table) return fail(table.error().what());

  std::filesystem::path out = util::u8path(a.out);
  if (out.empty()) {  // log.csv -> log.html beside it
    out = (*files)[0];
    out.replace_extension(".html");
  }
  std::string title = a.title;
  if (title.empty()) {
    title = "s7log: " + (files->size() == 1 ? util::path_text((*files)[0].filename())
                                            : std::to_string(files->size()) + " files");
  }
  std::string html = web::render_report(*table, title);
  std::ofstream f(out, std::ios::binary | std::ios::trunc);
  if (!f || !f.write(html.data(), static_cast<std::streamsize>(html.size())) || !f.flush()) {
    return fail(util::path_text(out) + ": cannot write the report");
  }
  std::printf("wrote %s: %zu rows, %zu columns from %zu file%s\n", util::path_text(out).c_str(),
              table->t.size(), table->columns.size(), files->size(), files->size() == 1 ? "" : "s");
  return 0;
}

}  // namespace

void register_plot(CLI::App& app, Runner& selected) {
  auto* cmd =
      app.add_subcommand("plot",
                         "Chart s7log CSV files as one self-contained HTML page (works offline).\n"
                         "Example: s7log plot 'log_*.csv' -o all.html");
  auto a = std::make_shared<PlotArgs>();
  cmd->add_option("files", a->inputs,
                  "CSV files written by s7log run (either dialect); quote globs like 'log_*.csv' "
                  "to merge rotated files in time order")
      ->required();
  cmd->add_option("-o,--out", a->out, "Output HTML file (default: first input with .html)");
  cmd->add_option("--title", a->title, "Page title (default: the file name)");
  cmd->callback([a, &selected] { selected = [a] { return run_plot(*a); }; });
}

}  // namespace app
