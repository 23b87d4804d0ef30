// Signal generators: closed-form values of tick/time, and a deterministic random walk.
#include "sim/generators.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace sim {

namespace {

// splitmix64: a fixed, portable mixer so a seed gives the same walk on every platform.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Position of t inside its period, in [0, 1).
double phase(Nanos t, Nanos period) {
  if (period.count() <= 0) return 0;
  auto within = t.count() % period.count();
  return static_cast<double>(within) / static_cast<double>(period.count());
}

}  // namespace

std::string_view generator_name(const Generator& g) {
  struct Names {
    std::string_view operator()(const NoGenerator&) const { return "none"; }
    std::string_view operator()(const Constant&) const { return "constant"; }
    std::string_view operator()(const Counter&) const { return "counter"; }
    std::string_view operator()(const Ramp&) const { return "ramp"; }
    std::string_view operator()(const Sine&) const { return "sine"; }
    std::string_view operator()(const Square&) const { return "square"; }
    std::string_view operator()(const RandomWalk&) const { return "random_walk"; }
    std::string_view operator()(const Toggle&) const { return "toggle"; }
    std::string_view operator()(const Copy&) const { return "copy"; }
  };
  return std::visit(Names{}, g);
}

double counter_value(const Counter& g, std::uint64_t tick) {
  double travelled = g.step * static_cast<double>(tick);
  if (g.wrap && g.step > 0 && *g.wrap >= g.start) {
    // Values start, start+step, ... up to wrap, then start again: the cycle is wrap-start+step
    // long.
    double cycle = *g.wrap - g.start + g.step;
    travelled = std::fmod(travelled, cycle);
  }
  return g.start + travelled;
}

double ramp_value(const Ramp& g, Nanos t) {
  return g.from + (g.to - g.from) * phase(t, g.period);
}

double sine_value(const Sine& g, Nanos t) {
  return g.offset + g.amplitude * std::sin(2 * std::numbers::pi * phase(t, g.period));
}

double square_value(const Square& g, Nanos t) {
  return phase(t, g.period) < g.duty ? g.high : g.low;
}

bool toggle_value(const Toggle& g, Nanos t) {
  if (g.period.count() <= 0) return g.initial;
  bool flipped = (t.count() / g.period.count()) % 2 == 1;
  return flipped ? !g.initial : g.initial;
}

double random_walk_next(const RandomWalk& g, double previous, std::uint64_t tick) {
  // 53 random bits -> [0, 1) -> [-1, 1).
  std::uint64_t r = mix(g.seed ^ mix(tick));
  double unit = static_cast<double>(r >> 11) * 0x1.0p-53 * 2.0 - 1.0;
  return std::clamp(previous + unit * g.step, g.min, g.max);
}

double random_walk_value(const RandomWalk& g, std::uint64_t tick) {
  double v = std::clamp(g.start, g.min, g.max);
  for (std::uint64_t k = 1; k <= tick; ++k) v = random_walk_next(g, v, k);
  return v;
}

}  // namespace sim
