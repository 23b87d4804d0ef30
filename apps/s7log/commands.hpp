// The subcommands of s7log: each registers itself on the CLI11 app and sets the runner.
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace app {

// When the user picks a subcommand, its callback stores in `selected` the function main() runs
// after parsing; its return value is the process exit code.
using Runner = std::function<int()>;

void register_read(CLI::App& app, Runner& selected);     // commands/read.cpp
void register_write(CLI::App& app, Runner& selected);    // commands/write.cpp
void register_info(CLI::App& app, Runner& selected);     // commands/info.cpp
void register_symbols(CLI::App& app, Runner& selected);  // commands/symbols.cpp
void register_fakeplc(CLI::App& app, Runner& selected);  // commands/fakeplc.cpp
void register_run(CLI::App& app, Runner& selected);      // commands/run.cpp
void register_plan(CLI::App& app, Runner& selected);     // commands/plan.cpp
void register_plot(CLI::App& app, Runner& selected);     // commands/plot.cpp
void register_demo(CLI::App& app, Runner& selected);     // commands/demo.cpp
void register_bench(CLI::App& app, Runner& selected);    // commands/bench.cpp
// Hidden (group ""): used by the build to generate the man pages and the bash completion.
void register_manpage(CLI::App& app, Runner& selected);     // commands/manpage.cpp
void register_completion(CLI::App& app, Runner& selected);  // commands/completion.cpp

// Every command, in the order `s7log --help` lists them: main() registers exactly these.
using Register = void (*)(CLI::App& app, Runner& selected);
inline constexpr Register kCommands[] = {register_read,    register_write,   register_info,
                                         register_symbols, register_fakeplc, register_run,
                                         register_plan,    register_plot,    register_demo,
                                         register_bench,   register_manpage, register_completion};

}  // namespace app
