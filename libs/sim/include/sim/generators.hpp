// Signal generators of the fake PLC: pure functions of the tick number and the simulated time.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace sim {

using Nanos = std::chrono::nanoseconds;

// The field is left alone (clients own it, or it keeps its initial zero bytes).
struct NoGenerator {
  friend bool operator==(const NoGenerator&, const NoGenerator&) = default;
};
// A fixed value; `text` is parsed for the field's type with s7::parse_value ("25", "1.23", "true").
struct Constant {
  std::string text;
  friend bool operator==(const Constant&, const Constant&) = default;
};
// start + step * tick; with `wrap` the values stay in [start, wrap]: after wrap comes start.
struct Counter {
  double start = 0;
  double step = 1;
  std::optional<double> wrap;
  friend bool operator==(const Counter&, const Counter&) = default;
};
// Sawtooth: from -> to linearly over `period`, then again from `from`.
struct Ramp {
  double from = 0;
  double to = 100;
  Nanos period{std::chrono::seconds(10)};
  friend bool operator==(const Ramp&, const Ramp&) = default;
};
// offset + amplitude * sin(2 pi t / period).
struct Sine {
  double amplitude = 1;
  double offset = 0;
  Nanos period{std::chrono::seconds(10)};
  friend bool operator==(const Sine&, const Sine&) = default;
};
// `high` for the first duty * period of each period, `low` for the rest.
struct Square {
  double low = 0;
  double high = 1;
  Nanos period{std::chrono::seconds(2)};
  double duty = 0.5;
  friend bool operator==(const Square&, const Square&) = default;
};
// Seeded random walk: each tick adds a uniform step in [-step, +step], clamped to [min, max].
// The same seed always gives the same values (own PRNG, no std:: distributions).
struct RandomWalk {
  std::uint64_t seed = 1;
  double start = 0;
  double step = 1;
  double min = -100;
  double max = 100;
  friend bool operator==(const RandomWalk&, const RandomWalk&) = default;
};
// Boolean that flips every `period`; `initial` is the value in the first period.
struct Toggle {
  Nanos period{std::chrono::seconds(1)};
  bool initial = true;
  friend bool operator==(const Toggle&, const Toggle&) = default;
};
// The current value of another field (converted to this field's type).
struct Copy {
  std::string source;
  friend bool operator==(const Copy&, const Copy&) = default;
};

using Generator =
    std::variant<NoGenerator, Constant, Counter, Ramp, Sine, Square, RandomWalk, Toggle, Copy>;

// Config name of a generator ("counter", "random_walk", ...).
std::string_view generator_name(const Generator& g);

// Value at tick `tick` of a generator whose ticks are `interval` apart (simulated time
// t = tick * interval; time only runs while the PLC is in RUN).
double counter_value(const Counter& g, std::uint64_t tick);
double ramp_value(const Ramp& g, Nanos t);
double sine_value(const Sine& g, Nanos t);
double square_value(const Square& g, Nanos t);
bool toggle_value(const Toggle& g, Nanos t);
// Random walk value after `tick` steps (O(tick)); random_walk_next does one step.
double random_walk_value(const RandomWalk& g, std::uint64_t tick);
double random_walk_next(const RandomWalk& g, double previous, std::uint64_t tick);

}  // namespace sim
