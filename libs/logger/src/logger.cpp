// The sampling loop: deadline grid, overrun skips, reconnect/backoff, per-tag error isolation.
#include "logger/logger.hpp"

#include <string_view>

#include "util/duration.hpp"

namespace logger {

Logger::Logger(Reader& reader, Clock& clock, std::vector<TagInfo> tags, RunOptions options,
               Sinks sinks, Stats& stats, Notify notify)
    : reader_(reader),
      clock_(clock),
      tags_(std::move(tags)),
      options_(std::move(options)),
      sinks_(std::move(sinks)),
      stats_(stats),
      notify_(std::move(notify)),
      backoff_(options_.backoff, options_.backoff_seed) {
  plan_ = build_plan(tags_, options_.plan);
}

s7::Result<void> Logger::run(const std::atomic<bool>& stop) {
  using namespace std::chrono;
  if (options_.interval <= nanoseconds::zero())
    return s7::Error(s7::Errc::invalid_argument, "the interval must be greater than zero");
  auto filter = ChangeFilter::create(tags_, options_.on_change, options_.deadband);
  if (!filter) return filter.error();
  filter_ = std::move(*filter);
  for (auto* group : {&sinks_.rows, &sinks_.samples})
    for (Sink* s : *group)
      if (auto r = s->open(tags_); !r) return r.error();

  const auto iv = options_.interval;
  auto now = clock_.now();
  auto wall = clock_.wall_now();
  nanoseconds wait{0};
  if (options_.align_to_wall) {
    auto phase = duration_cast<nanoseconds>(wall.time_since_epoch()) % iv;
    if (phase > nanoseconds::zero()) wait = iv - phase;
  }
  start_ = now + wait;
  wall_start_ = wall + duration_cast<system_clock::duration>(wait);
  stats_.link = LinkState::connecting;

  std::uint64_t k = 0;
  slots_ = 0;
  auto limit_reached = [&] { return options_.max_slots && slots_ >= *options_.max_slots; };
  while (!stop.load() && !limit_reached()) {
    auto deadline = start_ + k * iv;
    clock_.sleep_until(deadline, &stop);
    if (stop.load()) break;
    if (ensure_connected())
      take_sample(slot_stamp(clock_.wall_now()), deadline);
    else
      missed_slot(deadline);
    ++slots_;
    // Next slot: the first whose deadline has not passed yet. Passed ones are skipped and
    // counted (never a burst of catch-up reads).
    std::uint64_t next = k + 1;
    auto elapsed = clock_.now() - start_;
    if (elapsed > next * iv) {
      auto first_ok = static_cast<std::uint64_t>((elapsed + iv - nanoseconds(1)) / iv);
      for (std::uint64_t j = next; j < first_ok && !limit_reached(); ++j) {
        missed_slot(start_ + j * iv);
        ++slots_;
      }
      next = first_ok;
    }
    k = next;
  }
  for (auto* group : {&sinks_.rows, &sinks_.samples})
    for (Sink* s : *group) {
      (void)s->flush();
      s->close();
    }
  reader_.disconnect();
  stats_.link = LinkState::stopped;
  return {};
}

bool Logger::ensure_connected() {
  if (reader_.connected()) return true;
  auto now = clock_.now();
  if (next_attempt_ && now < *next_attempt_) return false;
  stats_.link = ever_connected_ ? LinkState::reconnecting : LinkState::connecting;
  auto r = reader_.connect();
  if (r) {
    if (ever_connected_) stats_.reconnects.fetch_add(1);
    if (notify_) {
      if (outage_reported_)
        notify_("connected again to " + reader_.describe() + "; logging resumes on schedule");
      else if (!ever_connected_)
        notify_("connected to " + reader_.describe());
    }
    ever_connected_ = true;
    outage_reported_ = false;
    backoff_.reset();
    next_attempt_.reset();
    stats_.link = LinkState::connected;
    return true;
  }
  auto delay = backoff_.next();
  if (!outage_reported_ && notify_) {
    // The reader's error names what to check (the port for a refused connection, rack and slot
    // for a refused ISO connect, PUT/GET for a refused request); say where only if it did not.
    const std::string& why = r.error().what();
    std::string msg = why.find(reader_.describe()) != std::string::npos
                          ? "cannot reach the PLC: " + why
                          : "cannot reach the PLC at " + reader_.describe() + ": " + why;
    if (!msg.empty() && std::string_view(".?!").find(msg.back()) == std::string_view::npos)
      msg += '.';
    notify_(msg + " Retrying every " + util::format_duration(options_.backoff.initial) + " up to " +
            util::format_duration(options_.backoff.cap) + " (said once per outage).");
  }
  outage_reported_ = true;
  next_attempt_ = clock_.now() + delay;
  return false;
}

Clock::wall_time Logger::slot_stamp(Clock::wall_time wall) const {
  // The wall clock read at the deadline can lag the grid by microseconds (the steady clock woke
  // us; NTP slews the wall clock; Windows timers wake early), and the ts column cut to the
  // second would then show the previous second twice. With aligned slots the stamp is the slot
  // on the wall clock's grid: what the clock says, moved up to the grid point when it is just
  // below one (up to a quarter interval, at most 100 ms), else cut down to the slot it is in.
  if (!options_.align_to_wall) return wall;
  const auto iv = options_.interval;
  using std::chrono::duration_cast;
  using std::chrono::nanoseconds;
  const auto early = std::min<nanoseconds>(iv / 4, std::chrono::milliseconds(100));
  const auto since = duration_cast<nanoseconds>(wall.time_since_epoch()) + early;
  return Clock::wall_time(duration_cast<Clock::wall_time::duration>(since - since % iv));
}

void Logger::missed_slot(Clock::steady_time deadline) {
  stats_.skipped_samples.fetch_add(1);
  if (!options_.quality_rows) return;
  Sample s;
  s.ts = wall_start_ + std::chrono::duration_cast<Clock::wall_time::duration>(deadline - start_);
  s.values.assign(tags_.size(), TagValue{std::nullopt, Quality::comm_error});
  s.quality = Quality::comm_error;
  s.missed = true;
  emit(s);
}

void Logger::note_item_state(std::size_t tag, const std::optional<s7::Error>& err) {
  const auto& t = tags_[tag];
  auto it = bad_tags_.find(tag);
  if (err) {
    stats_.read_errors.fetch_add(1);
    std::string reason = err->what();
    if (it != bad_tags_.end() && it->second == reason) return;
    bad_tags_[tag] = reason;
    if (notify_)
      notify_("tag '" + t.name + "' (" + s7::to_string(t.address) + "): " + reason +
              "; its cell stays empty until it can be read again (said once)");
  } else if (it != bad_tags_.end()) {
    bad_tags_.erase(it);
    if (notify_) notify_("tag '" + t.name + "' (" + s7::to_string(t.address) + ") reads again");
  }
}

void Logger::take_sample(Clock::wall_time ts, Clock::steady_time deadline) {
  auto specs = plan_.specs();
  auto t0 = clock_.now();
  stats_.observe_lateness(t0 - deadline);
  auto results = reader_.read(specs);
  stats_.observe_latency(std::chrono::duration_cast<std::chrono::nanoseconds>(clock_.now() - t0));

  bool comm_failure = !reader_.connected() || results.size() != specs.size();
  if (!comm_failure) {
    bool all_comm = !results.empty();
    for (const auto& r : results)
      if (r.ok() || is_item_error(r.error())) all_comm = false;
    comm_failure = all_comm;
  }
  if (comm_failure) {
    // A timeout or a dropped connection: no values this slot (never an old one), reconnect.
    stats_.read_errors.fetch_add(1);
    std::string why = "the connection failed";
    for (const auto& r : results)
      if (!r.ok()) {
        why = r.error().what();
        break;
      }
    if (!outage_reported_ && notify_)
      notify_("lost the connection to " + reader_.describe() + ": " + why + "; reconnecting");
    outage_reported_ = true;
    reader_.disconnect();
    stats_.link = LinkState::reconnecting;
    next_attempt_.reset();  // first retry at the next slot, then backoff
    stats_.skipped_samples.fetch_add(1);
    if (options_.quality_rows) {
      Sample s;
      s.ts = ts;
      s.values.assign(tags_.size(), TagValue{std::nullopt, Quality::comm_error});
      s.quality = Quality::comm_error;
      s.missed = true;
      emit(s);
    }
    return;
  }

  Sample s;
  s.ts = ts;
  s.values.assign(tags_.size(), TagValue{});
  std::vector<std::optional<s7::Error>> errors(tags_.size());
  bool replan = false;
  for (std::size_t i = 0; i < plan_.items.size(); ++i) {
    const auto& item = plan_.items[i];
    const auto& r = results[i];
    if (r.ok()) {
      for (std::size_t t : item.tags) {
        auto v = decode_tag(tags_[t], item, *r);
        if (v)
          s.values[t].value = std::move(*v);
        else
          errors[t] = v.error();
      }
      continue;
    }
    if (is_item_error(r.error()) && item.tags.size() > 1) {
      // A merged item failed: read its tags one by one to find the bad one(s).
      std::vector<s7::ItemSpec> single;
      for (std::size_t t : item.tags) single.push_back(spec_for_tag(tags_[t].address));
      auto again = reader_.read(single);
      for (std::size_t j = 0; j < item.tags.size(); ++j) {
        std::size_t t = item.tags[j];
        if (j < again.size() && again[j].ok()) {
          PlanItem alone_item;
          alone_item.area = tags_[t].address.area;
          alone_item.db = item.db;
          alone_item.offset = tags_[t].address.offset;
          auto v = decode_tag(tags_[t], alone_item, *again[j]);
          if (v)
            s.values[t].value = std::move(*v);
          else
            errors[t] = v.error();
        } else {
          errors[t] = j < again.size() ? again[j].error() : r.error();
          if (j < again.size() && is_item_error(again[j].error())) {
            alone_.insert(t);
            replan = true;
          }
        }
      }
      continue;
    }
    for (std::size_t t : item.tags) errors[t] = r.error();
  }
  if (replan) plan_ = build_plan(tags_, options_.plan, alone_);

  bool any_comm = false, any_item = false;
  for (std::size_t t = 0; t < tags_.size(); ++t) {
    note_item_state(t, errors[t]);
    if (errors[t]) {
      s.values[t].value.reset();
      bool item = is_item_error(*errors[t]);
      s.values[t].quality = item ? Quality::item_error : Quality::comm_error;
      (item ? any_item : any_comm) = true;
    }
  }
  s.quality = any_comm ? Quality::comm_error : any_item ? Quality::item_error : Quality::ok;
  emit(s);
}

void Logger::emit(const Sample& s) {
  stats_.last_sample_unix_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(s.ts.time_since_epoch()).count();
  for (Sink* sink : sinks_.samples)
    if (auto r = sink->write(s); !r && notify_) notify_("live sink: " + r.error().what());
  if (!filter_.pass(s)) return;
  for (Sink* sink : sinks_.rows)
    if (auto r = sink->write(s); !r && notify_) notify_(r.error().what());
  stats_.samples_written.fetch_add(1);
}

}  // namespace logger
