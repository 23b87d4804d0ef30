// Fault injection timeline of the fake PLC: which faults are active at time t, and their start/end
// events.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "s7/error.hpp"
#include "sim/generators.hpp"

namespace sim {

enum class FaultKind : std::uint8_t {
  drop,        // close every client connection (an instant; repeats with `every`)
  refuse,      // close new TCP connections at once while active
  delay,       // answer each request `delay` later while active
  item_error,  // reads/writes touching `field` get item error `code` while active
  stop,        // CPU goes to STOP (generators freeze, SZL 0x0424 says STOP) while active
};

// One entry of the timeline. Times count from the start of the fake PLC. An occurrence k (k >= 0)
// starts at start + k*every (only k = 0 without `every`) and lasts `duration`; no duration means
// "until the end" (not allowed together with `every`). A drop has no duration.
struct Fault {
  FaultKind kind = FaultKind::drop;
  Nanos start{0};
  std::optional<Nanos> duration;
  std::optional<Nanos> every;
  Nanos delay{0};                         // delay
  std::string field;                      // item_error
  std::uint8_t code = s7::kItemNotFound;  // item_error: S7 item return code
  friend bool operator==(const Fault&, const Fault&) = default;
};

std::string_view to_string(FaultKind k);
std::optional<FaultKind> fault_kind_from(std::string_view text);
// Human summary for the lines the fake PLC prints, e.g. "delay 200ms" or "item error 0x0A on
// pressure".
std::string describe(const Fault& f);
// Checks the combination of keys ("every needs a duration shorter than every", ...).
s7::Result<void> validate(const Fault& f);

struct FaultEvent {
  Nanos at{0};
  std::size_t index = 0;  // into the timeline's faults
  bool begin = true;      // false: the fault ends (a drop only has begins)
  friend bool operator==(const FaultEvent&, const FaultEvent&) = default;
};

class FaultTimeline {
 public:
  FaultTimeline() = default;
  explicit FaultTimeline(std::vector<Fault> faults) : faults_(std::move(faults)) {}
  const std::vector<Fault>& faults() const { return faults_; }
  // Indices of the faults active at t (drops are instants and never "active").
  std::vector<std::size_t> active_at(Nanos t) const;
  // Begin/end events with from <= at < to, in time order (ends before begins at the same time).
  std::vector<FaultEvent> events(Nanos from, Nanos to) const;

 private:
  std::vector<Fault> faults_;
};

// Command-line fault flags. Each returns Errc::invalid_argument with a message naming the flag.
//   --drop-every 10s            drop all connections at 10s, 20s, ...
//   --refuse 5s..15s            refuse connections from 5 s to 15 s
//   --delay 200ms[@5s..15s]     delay answers (always, or in the window)
//   --item-error pressure=0x0A[@5s..15s]
//   --stop-at 10s [--stop-for 5s]
s7::Result<Fault> parse_drop_every(std::string_view text);
s7::Result<Fault> parse_refuse(std::string_view text);
s7::Result<Fault> parse_delay(std::string_view text);
s7::Result<Fault> parse_item_error(std::string_view text);
s7::Result<Fault> parse_stop(std::string_view at, std::string_view for_text);

}  // namespace sim
