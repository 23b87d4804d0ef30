// The fake PLC's memory model: builds the areas of a PlcConfig and steps its generators tick by
// tick.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "s7/memory.hpp"
#include "s7/server.hpp"
#include "s7/value.hpp"
#include "sim/config.hpp"

namespace sim {

// Owns the MemoryStore a Server serves. Not thread-safe itself: one thread calls tick() and
// poll_writes(); the store may be used by server threads at the same time (it has its own lock,
// and a tick updates all fields under one lock so clients never see half a tick).
class Simulation {
 public:
  // `config` must have passed validate_config. Creates the areas and read-only ranges and writes
  // the generators' values for tick 0.
  explicit Simulation(PlcConfig config);

  s7::MemoryStore& memory() { return memory_; }
  const s7::MemoryStore& memory() const { return memory_; }
  const PlcConfig& config() const { return config_; }

  // Advances n ticks. In RUN each tick moves the generators one step (time += config.tick);
  // in STOP nothing changes (generators freeze, ticks() stays).
  void tick(std::uint64_t n = 1);
  // Generator ticks taken so far (RUN ticks only).
  std::uint64_t ticks() const { return tick_; }
  void set_running(bool run) { running_ = run; }
  bool running() const { return running_; }

  // When any watched field's value differs from the last call (or from tick 0), returns the line
  //   WRITE: {'setpoint_int': 123, 'setpoint_real': 0.0, 'cmd_start': False, ...}
  // naming every watched field; otherwise nullopt. Call once per tick: several client writes
  // between two calls give one line.
  std::optional<std::string> poll_writes();

  // Current value of a field (nullopt for an unknown name).
  std::optional<s7::Value> field_value(std::string_view name) const;
  // The ServerControl item fault that makes `field` answer `code` (nullopt for an unknown name).
  std::optional<s7::ServerControl::ItemFault> item_fault(std::string_view field,
                                                         std::uint8_t code) const;

 private:
  struct Field {
    const FieldSpec* spec = nullptr;
    s7::Address address;
    s7::AreaKey key;
    std::uint32_t offset = 0;  // in the store
    std::size_t bytes = 0;
    std::vector<std::uint8_t> constant;  // encoded constant
    double walk = 0;                     // random walk state
  };
  void update(std::uint64_t tick);  // writes every generated field for `tick` (lock held)
  void write_number(Field& f, double v);
  void copy_field(Field& target, const Field& source);
  const Field* find(std::string_view name) const;
  std::optional<s7::Value> read_value(const Field& f) const;
  std::vector<s7::Value> watched_values() const;

  PlcConfig config_;
  s7::MemoryStore memory_;
  std::vector<Field> fields_;
  std::vector<std::size_t> order_;  // update order: copies after their sources
  std::vector<std::size_t> watched_;
  std::vector<s7::Value> last_watched_;
  std::uint64_t tick_ = 0;
  bool running_ = true;
};

// Python-dict style text of a value, as the course printed it: True/False, 0.0, 'text'.
std::string python_repr(const s7::Value& v);

// One line for a refused client write, e.g.
//   READ-ONLY: 127.0.0.1:40312 tried to write DB1.DBB11 (1 byte: 05), refused with item error 0x03
std::string describe_refused_write(const s7::WriteEvent& e);

}  // namespace sim
