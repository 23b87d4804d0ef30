// Fault timeline arithmetic and the command-line fault flags.
#include "sim/faults.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "util/duration.hpp"

namespace sim {

namespace {

s7::Error bad(std::string msg) {
  return s7::Error(s7::Errc::invalid_argument, std::move(msg));
}

// Occurrence k of fault f: [begin, end). Without duration end is "never".
struct Occurrence {
  Nanos begin;
  std::optional<Nanos> end;
};

Occurrence occurrence(const Fault& f, std::int64_t k) {
  Nanos begin = f.start + (f.every ? *f.every * k : Nanos(0));
  std::optional<Nanos> end;
  if (f.duration) end = begin + *f.duration;
  return {begin, end};
}

// "5s..15s" -> (5s, 10s duration).
s7::Result<std::pair<Nanos, Nanos>> parse_window(std::string_view flag, std::string_view text) {
  auto dots = text.find("..");
  if (dots == std::string_view::npos)
    return bad(fmt::format("{}: expected a window FROM..TO like 5s..15s, got \"{}\"", flag, text));
  auto from = util::parse_duration(text.substr(0, dots));
  auto to = util::parse_duration(text.substr(dots + 2));
  if (!from || !to)
    return bad(fmt::format("{}: \"{}\" is not a window of durations like 5s..15s", flag, text));
  if (*to <= *from) return bad(fmt::format("{}: the window {} ends before it starts", flag, text));
  return std::pair<Nanos, Nanos>{*from, *to - *from};
}

// Splits "VALUE@WINDOW"; applies the window (if any) to f.
s7::Result<std::string_view> split_window(std::string_view flag, std::string_view text, Fault& f) {
  auto at = text.find('@');
  if (at == std::string_view::npos) return text.substr(0);
  auto w = parse_window(flag, text.substr(at + 1));
  if (!w) return w.error();
  f.start = w->first;
  f.duration = w->second;
  return text.substr(0, at);
}

}  // namespace

std::string_view to_string(FaultKind k) {
  switch (k) {
    case FaultKind::drop:
      return "drop";
    case FaultKind::refuse:
      return "refuse";
    case FaultKind::delay:
      return "delay";
    case FaultKind::item_error:
      return "item_error";
    case FaultKind::stop:
      return "stop";
  }
  return "?";
}

std::optional<FaultKind> fault_kind_from(std::string_view text) {
  for (auto k : {FaultKind::drop, FaultKind::refuse, FaultKind::delay, FaultKind::item_error,
                 FaultKind::stop})
    if (to_string(k) == text) return k;
  return std::nullopt;
}

std::string describe(const Fault& f) {
  std::string what;
  switch (f.kind) {
    case FaultKind::drop:
      what = "drop all connections";
      break;
    case FaultKind::refuse:
      what = "refuse new connections";
      break;
    case FaultKind::delay:
      what = fmt::format("delay answers by {}", util::format_duration(f.delay));
      break;
    case FaultKind::item_error:
      what = fmt::format("item error 0x{:02X} on {}", f.code, f.field);
      break;
    case FaultKind::stop:
      what = "CPU in STOP";
      break;
  }
  if (f.duration) what += fmt::format(" for {}", util::format_duration(*f.duration));
  if (f.every) what += fmt::format(" every {}", util::format_duration(*f.every));
  return what;
}

s7::Result<void> validate(const Fault& f) {
  if (f.kind == FaultKind::drop) {
    if (f.duration) return bad("a drop is an instant: it takes no duration");
    return {};
  }
  if (f.every) {
    if (!f.duration) return bad("every needs a duration");
    if (*f.duration >= *f.every) return bad("duration must be shorter than every");
  }
  if (f.every && f.every->count() <= 0) return bad("every must be more than 0");
  if (f.duration && f.duration->count() <= 0) return bad("duration must be more than 0");
  if (f.kind == FaultKind::delay && f.delay.count() <= 0) return bad("delay needs a delay > 0");
  if (f.kind == FaultKind::item_error && f.field.empty()) return bad("item_error needs a field");
  return {};
}

std::vector<std::size_t> FaultTimeline::active_at(Nanos t) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < faults_.size(); ++i) {
    const Fault& f = faults_[i];
    if (f.kind == FaultKind::drop || t < f.start) continue;
    std::int64_t k = f.every ? (t - f.start) / *f.every : 0;
    Occurrence o = occurrence(f, k);
    if (t >= o.begin && (!o.end || t < *o.end)) out.push_back(i);
  }
  return out;
}

std::vector<FaultEvent> FaultTimeline::events(Nanos from, Nanos to) const {
  std::vector<FaultEvent> out;
  if (to <= from) return out;
  for (std::size_t i = 0; i < faults_.size(); ++i) {
    const Fault& f = faults_[i];
    // Occurrences that can have an event in [from, to).
    std::int64_t first = 0, last = 0;
    if (f.every) {
      Nanos span = f.duration ? *f.duration : Nanos(0);
      first = std::max<std::int64_t>(0, (from - f.start - span) / *f.every);
      if (to <= f.start) continue;
      last = (to - f.start) / *f.every;
    }
    for (std::int64_t k = first; k <= last; ++k) {
      Occurrence o = occurrence(f, k);
      if (o.begin >= from && o.begin < to) out.push_back({o.begin, i, true});
      if (o.end && *o.end >= from && *o.end < to) out.push_back({*o.end, i, false});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const FaultEvent& a, const FaultEvent& b) {
    if (a.at != b.at) return a.at < b.at;
    return !a.begin && b.begin;
  });
  return out;
}

s7::Result<Fault> parse_drop_every(std::string_view text) {
  auto d = util::parse_duration(text);
  if (!d || d->count() <= 0)
    return bad(fmt::format("--drop-every: \"{}\" is not a duration like 10s", text));
  Fault f;
  f.kind = FaultKind::drop;
  f.start = *d;
  f.every = *d;
  return f;
}

s7::Result<Fault> parse_refuse(std::string_view text) {
  auto w = parse_window("--refuse", text);
  if (!w) return w.error();
  Fault f;
  f.kind = FaultKind::refuse;
  f.start = w->first;
  f.duration = w->second;
  return f;
}

s7::Result<Fault> parse_delay(std::string_view text) {
  Fault f;
  f.kind = FaultKind::delay;
  auto value = split_window("--delay", text, f);
  if (!value) return value.error();
  auto d = util::parse_duration(*value);
  if (!d || d->count() <= 0)
    return bad(fmt::format("--delay: \"{}\" is not a duration like 200ms", *value));
  f.delay = *d;
  return f;
}

s7::Result<Fault> parse_item_error(std::string_view text) {
  Fault f;
  f.kind = FaultKind::item_error;
  auto value = split_window("--item-error", text, f);
  if (!value) return value.error();
  auto eq = value->find('=');
  if (eq == std::string_view::npos || eq == 0)
    return bad(
        fmt::format("--item-error: expected FIELD=CODE like pressure=0x0A, got \"{}\"", text));
  f.field = std::string(value->substr(0, eq));
  std::string_view code = value->substr(eq + 1);
  int base = 10;
  if (code.size() > 2 && code[0] == '0' && (code[1] == 'x' || code[1] == 'X')) {
    code.remove_prefix(2);
    base = 16;
  }
  unsigned v = 0;
  auto [end, ec] = std::from_chars(code.data(), code.data() + code.size(), v, base);
  if (ec != std::errc() || end != code.data() + code.size() || v > 0xFF || code.empty())
    return bad(fmt::format("--item-error: \"{}\" is not an item return code like 0x0A", code));
  f.code = static_cast<std::uint8_t>(v);
  return f;
}

s7::Result<Fault> parse_stop(std::string_view at, std::string_view for_text) {
  Fault f;
  f.kind = FaultKind::stop;
  auto start = util::parse_duration(at);
  if (!start) return bad(fmt::format("--stop-at: \"{}\" is not a duration like 10s", at));
  f.start = *start;
  if (!for_text.empty()) {
    auto d = util::parse_duration(for_text);
    if (!d || d->count() <= 0)
      return bad(fmt::format("--stop-for: \"{}\" is not a duration like 5s", for_text));
    f.duration = *d;
  }
  return f;
}

}  // namespace sim
