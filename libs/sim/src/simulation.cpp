// Simulation: lays out the config's areas and drives each field's generator once per tick.
#include "sim/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include <fmt/format.h>

namespace sim {

namespace {

int type_bits(s7::DataType t) {
  using D = s7::DataType;
  switch (t) {
    case D::Byte:
    case D::SInt:
    case D::USInt:
      return 8;
    case D::Word:
    case D::Int:
    case D::UInt:
      return 16;
    case D::DWord:
    case D::DInt:
    case D::UDInt:
      return 32;
    default:
      return 64;
  }
}

bool is_signed(s7::DataType t) {
  using D = s7::DataType;
  return t == D::SInt || t == D::Int || t == D::DInt || t == D::LInt;
}

// A generator's number as one element of type t. Integers round to nearest and wrap around
// their width like the PLC's own arithmetic (a DINT counter goes from 2^31-1 to -2^31).
s7::Scalar to_scalar(s7::DataType t, double v) {
  using D = s7::DataType;
  if (t == D::Bool) return v != 0;
  if (t == D::Real) return static_cast<float>(v);
  if (t == D::LReal) return v;
  if (std::isnan(v)) v = 0;
  v = std::round(v);
  constexpr double lim = 9.2e18;
  std::int64_t i = static_cast<std::int64_t>(std::fmax(-lim, std::fmin(lim, v)));
  int bits = type_bits(t);
  std::uint64_t u = static_cast<std::uint64_t>(i);
  if (bits < 64) u &= (std::uint64_t{1} << bits) - 1;
  if (!is_signed(t)) return u;
  if (bits < 64 && (u >> (bits - 1)) & 1) u |= ~((std::uint64_t{1} << bits) - 1);
  return static_cast<std::int64_t>(u);
}

std::string area_prefix(const s7::AreaKey& k, bool bit) {
  using A = s7::Area;
  switch (k.area) {
    case A::db:
      return fmt::format("DB{}.DB{}", k.db, bit ? "X" : "B");
    case A::merkers:
      return bit ? "M" : "MB";
    case A::inputs:
      return bit ? "I" : "IB";
    case A::outputs:
      return bit ? "Q" : "QB";
    case A::timers:
      return "T";
    case A::counters:
      return "C";
    case A::periphery:  // never a store key: the periphery is kept in the I and Q bytes
      break;
  }
  return "?";
}

}  // namespace

Simulation::Simulation(PlcConfig config) : config_(std::move(config)), running_(config_.run) {
  for (const auto& a : config_.areas) {
    s7::AreaKey key{a.area, a.area == s7::Area::db ? a.db : std::uint16_t{0}};
    memory_.add_area(key, area_bytes(a));
    if (a.init == AreaInit::pattern) {  // byte i = i mod 256
      std::vector<std::uint8_t> bytes(area_bytes(a));
      for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i);
      memory_.poke(key, 0, bytes);
    }
  }
  // The sources' values, once: clients may change them afterwards. A BOOL sets only its bits.
  for (const auto& v : config_.initial_values) {
    auto a = s7::parse_address(v.address);
    if (!a) continue;  // made by s7::to_string: always parses
    const s7::AreaKey key = area_key(*a);
    if (a->type != s7::DataType::Bool) {
      memory_.poke(key, store_offset(*a), v.bytes);
      continue;
    }
    std::vector<std::uint8_t> bytes(v.bytes.size());
    if (!memory_.peek(key, store_offset(*a), bytes)) continue;
    for (std::uint32_t i = 0; i < a->count; ++i) {
      const std::size_t bit = std::size_t{a->bit} + i;
      const auto mask = static_cast<std::uint8_t>(1u << (bit % 8));
      bytes[bit / 8] =
          static_cast<std::uint8_t>((bytes[bit / 8] & ~mask) | (v.bytes[bit / 8] & mask));
    }
    memory_.poke(key, store_offset(*a), bytes);
  }
  for (const auto& text : config_.read_only) {
    auto a = config_address(config_, text);
    if (!a) continue;  // validate_config rejects these
    memory_.add_read_only(area_key(*a), store_offset(*a),
                          static_cast<std::uint32_t>(s7::byte_size(*a)));
  }
  fields_.reserve(config_.fields.size());
  for (const auto& spec : config_.fields) {
    Field f;
    f.spec = &spec;
    auto a = config_address(config_, spec.address);
    if (a) f.address = *a;
    f.key = area_key(f.address);
    f.offset = store_offset(f.address);
    f.bytes = s7::byte_size(f.address);
    if (auto* c = std::get_if<Constant>(&spec.generator)) {
      auto v = s7::parse_value(f.address, c->text);
      if (v) {
        auto enc = s7::encode_value(f.address, *v);
        if (enc) f.constant = *enc;
      }
    }
    if (auto* w = std::get_if<RandomWalk>(&spec.generator))
      f.walk = std::clamp(w->start, w->min, w->max);
    fields_.push_back(std::move(f));
  }
  // Update order: plain generators in file order, then each copy after its source chain.
  std::vector<int> state(fields_.size(), 0);
  std::function<void(std::size_t)> visit = [&](std::size_t i) {
    if (state[i]) return;
    state[i] = 1;
    if (auto* c = std::get_if<Copy>(&fields_[i].spec->generator)) {
      for (std::size_t j = 0; j < fields_.size(); ++j)
        if (fields_[j].spec->name == c->source) visit(j);
    }
    order_.push_back(i);
  };
  for (std::size_t i = 0; i < fields_.size(); ++i)
    if (!std::holds_alternative<Copy>(fields_[i].spec->generator)) visit(i);
  for (std::size_t i = 0; i < fields_.size(); ++i) visit(i);

  for (const auto& name : config_.watch)
    for (std::size_t i = 0; i < fields_.size(); ++i)
      if (fields_[i].spec->name == name) watched_.push_back(i);

  memory_.with_lock([&] { update(0); });
  last_watched_ = watched_values();
}

void Simulation::tick(std::uint64_t n) {
  if (!running_) return;
  for (std::uint64_t k = 0; k < n; ++k) {
    ++tick_;
    // Random walks step every tick, so intermediate ticks are computed even when n > 1.
    if (k + 1 < n) {
      for (auto& f : fields_)
        if (auto* w = std::get_if<RandomWalk>(&f.spec->generator))
          f.walk = random_walk_next(*w, f.walk, tick_);
    }
  }
  memory_.with_lock([&] { update(tick_); });
}

void Simulation::update(std::uint64_t tick) {
  const Nanos t = config_.tick * static_cast<std::int64_t>(tick);
  for (std::size_t i : order_) {
    Field& f = fields_[i];
    struct Visitor {
      Simulation& sim;
      Field& f;
      std::uint64_t tick;
      Nanos t;
      void operator()(const NoGenerator&) {}
      void operator()(const Constant&) {
        if (!f.constant.empty()) sim.memory_.poke(f.key, f.offset, f.constant);
      }
      void operator()(const Counter& g) { sim.write_number(f, counter_value(g, tick)); }
      void operator()(const Ramp& g) { sim.write_number(f, ramp_value(g, t)); }
      void operator()(const Sine& g) { sim.write_number(f, sine_value(g, t)); }
      void operator()(const Square& g) { sim.write_number(f, square_value(g, t)); }
      void operator()(const RandomWalk& g) {
        if (tick > 0) f.walk = random_walk_next(g, f.walk, tick);
        sim.write_number(f, f.walk);
      }
      void operator()(const Toggle& g) { sim.write_number(f, toggle_value(g, t) ? 1 : 0); }
      void operator()(const Copy& g) {
        if (const Field* src = sim.find(g.source)) sim.copy_field(f, *src);
      }
    };
    std::visit(Visitor{*this, f, tick, t}, f.spec->generator);
  }
}

void Simulation::write_number(Field& f, double v) {
  const s7::Address& a = f.address;
  if (a.type == s7::DataType::Bool) {
    // BOOL: read-modify-write of the bytes so neighbouring bits survive.
    std::vector<std::uint8_t> bytes(f.bytes);
    if (!memory_.peek(f.key, f.offset, bytes)) return;
    for (std::uint32_t k = 0; k < a.count; ++k) {
      std::uint32_t bit = a.bit + k;
      auto mask = static_cast<std::uint8_t>(1u << (bit % 8));
      if (v != 0)
        bytes[bit / 8] |= mask;
      else
        bytes[bit / 8] = static_cast<std::uint8_t>(bytes[bit / 8] & ~mask);
    }
    memory_.poke(f.key, f.offset, bytes);
    return;
  }
  s7::Value value;
  value.array = a.is_array;
  value.elems.assign(a.count, to_scalar(a.type, v));
  auto enc = s7::encode_value(a, value);
  if (enc) memory_.poke(f.key, f.offset, *enc);
}

void Simulation::copy_field(Field& target, const Field& source) {
  const s7::Address& ta = target.address;
  const s7::Address& sa = source.address;
  if (ta.type == sa.type && ta.type != s7::DataType::Bool && target.bytes == source.bytes) {
    std::vector<std::uint8_t> bytes(source.bytes);
    if (memory_.peek(source.key, source.offset, bytes))
      memory_.poke(target.key, target.offset, bytes);
    return;
  }
  auto v = read_value(source);
  if (!v || v->elems.empty()) return;
  double d = s7::to_double(v->elems.front());
  if (std::isnan(d) || !numeric_type(ta.type)) return;
  write_number(target, d);
}

const Simulation::Field* Simulation::find(std::string_view name) const {
  for (const auto& f : fields_)
    if (f.spec->name == name) return &f;
  return nullptr;
}

std::optional<s7::Value> Simulation::read_value(const Field& f) const {
  std::vector<std::uint8_t> bytes(f.bytes);
  if (!memory_.peek(f.key, f.offset, bytes)) return std::nullopt;
  auto v = s7::decode_value(f.address, bytes);
  if (!v) return std::nullopt;
  return *v;
}

std::vector<s7::Value> Simulation::watched_values() const {
  std::vector<s7::Value> out;
  memory_.with_lock([&] {
    for (std::size_t i : watched_) out.push_back(read_value(fields_[i]).value_or(s7::Value{}));
  });
  return out;
}

std::optional<std::string> Simulation::poll_writes() {
  auto now = watched_values();
  if (now == last_watched_) return std::nullopt;
  last_watched_ = now;
  std::string line = "WRITE: {";
  for (std::size_t k = 0; k < watched_.size(); ++k) {
    if (k) line += ", ";
    line += fmt::format("'{}': {}", fields_[watched_[k]].spec->name, python_repr(now[k]));
  }
  return line + "}";
}

std::optional<s7::Value> Simulation::field_value(std::string_view name) const {
  const Field* f = find(name);
  if (!f) return std::nullopt;
  return read_value(*f);
}

std::optional<s7::ServerControl::ItemFault> Simulation::item_fault(std::string_view field,
                                                                   std::uint8_t code) const {
  const Field* f = find(field);
  if (!f) return std::nullopt;
  s7::ServerControl::ItemFault fault;
  fault.area = f->key;
  fault.offset = f->offset;
  fault.length = static_cast<std::uint32_t>(f->bytes);
  fault.code = code;
  return fault;
}

std::string python_repr(const s7::Value& v) {
  auto one = [](const s7::Scalar& s) -> std::string {
    if (auto* b = std::get_if<bool>(&s)) return *b ? "True" : "False";
    if (auto* str = std::get_if<std::string>(&s)) {
      std::string out = "'";
      for (char ch : *str) {
        if (ch == '\'' || ch == '\\') out += '\\';
        out += ch;
      }
      return out + "'";
    }
    std::string text = s7::format_scalar(s);
    if (std::holds_alternative<float>(s) || std::holds_alternative<double>(s)) {
      if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
    }
    return text;
  };
  if (!v.array && v.elems.size() == 1) return one(v.elems.front());
  std::string out = "[";
  for (std::size_t i = 0; i < v.elems.size(); ++i) out += (i ? ", " : "") + one(v.elems[i]);
  return out + "]";
}

std::string describe_refused_write(const s7::WriteEvent& e) {
  std::string where;
  bool tc = e.area.area == s7::Area::timers || e.area.area == s7::Area::counters;
  if (tc) {
    where = fmt::format("{}{}", area_prefix(e.area, false), e.offset / 2);
  } else if (e.bit) {
    where = fmt::format("{}{}.{}", area_prefix(e.area, true), e.offset, *e.bit);
  } else {
    where = fmt::format("{}{}", area_prefix(e.area, false), e.offset);
  }
  std::string hex;
  for (std::size_t i = 0; i < e.data.size() && i < 32; ++i)
    hex += fmt::format("{}{:02X}", i ? " " : "", e.data[i]);
  if (e.data.size() > 32) hex += " ...";
  return fmt::format(
      "READ-ONLY: {} tried to write {} ({} byte{}: {}), refused with item error 0x{:02X}", e.peer,
      where, e.data.size(), e.data.size() == 1 ? "" : "s", hex, e.result);
}

}  // namespace sim
