// Fuzz target: the fake PLC's TOML config loader (one PLC or a [[plc]] plant); a config it accepts
// must print and parse back to the same setup, and a Simulation built from each PLC must tick.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sim/config.hpp"
#include "sim/simulation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto plant = sim::parse_plant_config(text, "fuzz.toml");
  // The one-PLC loader accepts exactly the single-PLC form, and reads the same PLC.
  auto single = sim::parse_config(text, "fuzz.toml");
  if (!plant) {
    // Every error names the file.
    if (plant.error().what().rfind("fuzz.toml", 0) != 0) std::abort();
    if (single) std::abort();
    return 0;
  }
  if (plant->single() != single.ok()) std::abort();
  if (single && !(*single == plant->plcs[0])) std::abort();
  if (single) {
    auto again = sim::parse_config(sim::format_config(*single), "printed.toml");
    if (!again || !(*again == *single)) std::abort();
  }
  auto again = sim::parse_plant_config(sim::format_plant_config(*plant), "printed.toml");
  if (!again || !(*again == *plant)) std::abort();
  // A few PLCs are enough: the others were read by the same code.
  for (std::size_t i = 0; i < plant->plcs.size() && i < 4; ++i) {
    sim::Simulation simulation(plant->plcs[i]);
    simulation.tick(3);
    (void)simulation.poll_writes();
  }
  return 0;
}
