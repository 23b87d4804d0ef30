// Fuzz target: the fake PLC's TOML config loader; a config it accepts must print and parse back
// to the same setup, and a Simulation built from it must tick.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sim/config.hpp"
#include "sim/simulation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = sim::parse_config(text, "fuzz.toml");
  if (!config) {
    // Every error names the file.
    if (config.error().what().rfind("fuzz.toml", 0) != 0) std::abort();
    return 0;
  }
  auto again = sim::parse_config(sim::format_config(*config), "printed.toml");
  if (!again || !(*again == *config)) std::abort();
  sim::Simulation simulation(*config);
  simulation.tick(3);
  (void)simulation.poll_writes();
  return 0;
}
