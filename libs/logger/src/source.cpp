// One PLC's sampling loop: group deadline grids, merged reads, skips, reconnect, tag errors.
#include "logger/source.hpp"

#include <algorithm>
#include <string_view>

#include "util/duration.hpp"

namespace logger {

using std::chrono::duration_cast;
using std::chrono::nanoseconds;

struct Source::Group {
  GroupOptions opt;
  ChangeFilter filter;
  Clock::steady_time start{};
  Clock::wall_time wall_start{};
  std::uint64_t k = 0;      // index of the next slot
  std::uint64_t slots = 0;  // slots taken or missed
  std::set<std::size_t> alone;
  std::map<std::size_t, std::string> bad_tags;  // tag -> reason already reported

  Clock::steady_time deadline() const { return start + k * opt.interval; }
};

// The read plan of one combination of due groups: their tags in one list (group by group), and
// where each tag of that list comes from.
struct Source::Merged {
  std::vector<TagInfo> tags;
  std::vector<std::pair<std::size_t, std::size_t>> origin;  // merged tag -> (group, tag)
  ReadPlan plan;
  std::vector<s7::ItemSpec> specs;
};

Source::Source(Reader& reader, Clock& clock, SourceOptions options,
               std::vector<GroupOptions> groups, Stats& stats, Notify notify)
    : reader_(reader),
      clock_(clock),
      options_(std::move(options)),
      stats_(stats),
      notify_(std::move(notify)),
      backoff_(options_.backoff, options_.backoff_seed) {
  for (auto& g : groups) {
    groups_.push_back(std::make_unique<Group>());
    groups_.back()->opt = std::move(g);
  }
}

Source::~Source() = default;

template <typename F>
void Source::each_stats(Group* g, F&& f) {
  Stats* targets[] = {g != nullptr ? g->opt.stats : nullptr, &stats_, options_.total};
  for (std::size_t i = 0; i < 3; ++i) {
    bool seen = targets[i] == nullptr;
    for (std::size_t j = 0; j < i && !seen; ++j) seen = targets[j] == targets[i];
    if (!seen) f(*targets[i]);
  }
}

void Source::set_link(LinkState s) {
  stats_.link = s;
  if (options_.total != nullptr && options_.owns_total_link) options_.total->link = s;
}

std::string Source::where() const {
  if (options_.plc.empty()) return reader_.describe();
  return "PLC '" + options_.plc + "' at " + reader_.describe();
}

ReadPlan Source::plan(std::size_t g) const {
  return build_plan(groups_.at(g)->opt.tags, options_.plan, groups_.at(g)->alone);
}

std::uint64_t Source::slots(std::size_t g) const {
  return groups_.at(g)->slots;
}

bool Source::limit_reached(const Group& g) const {
  return options_.max_slots && g.slots >= *options_.max_slots;
}

s7::Result<void> Source::run(const std::atomic<bool>& stop) {
  for (auto& g : groups_) {
    if (g->opt.interval <= nanoseconds::zero())
      return s7::Error(s7::Errc::invalid_argument, "the interval must be greater than zero");
    auto filter = ChangeFilter::create(g->opt.tags, g->opt.on_change, g->opt.deadband);
    if (!filter) return filter.error();
    g->filter = std::move(*filter);
  }
  if (options_.manage_sinks)
    for (auto& g : groups_)
      for (auto* list : {&g->opt.sinks.rows, &g->opt.sinks.samples})
        for (Sink* s : *list)
          if (auto r = s->open(g->opt.tags); !r) return r.error();

  // One reading of both clocks for every group, so grids whose intervals divide each other
  // share their deadlines exactly.
  const auto now = clock_.now();
  const auto wall = clock_.wall_now();
  for (auto& g : groups_) {
    const auto iv = g->opt.interval;
    nanoseconds wait{0};
    if (options_.align_to_wall) {
      auto phase = duration_cast<nanoseconds>(wall.time_since_epoch()) % iv;
      if (phase > nanoseconds::zero()) wait = iv - phase;
    }
    g->start = now + wait;
    g->wall_start = wall + duration_cast<Clock::wall_time::duration>(wait);
    g->k = 0;
    g->slots = 0;
  }
  set_link(LinkState::connecting);
  reads_ = 0;

  while (!stop.load()) {
    std::optional<Clock::steady_time> next;
    for (auto& g : groups_)
      if (!limit_reached(*g) && (!next || g->deadline() < *next)) next = g->deadline();
    if (!next) break;  // every group reached max_slots
    clock_.sleep_until(*next, &stop);
    if (stop.load()) break;
    const auto woke = clock_.now();
    Due due;
    for (std::size_t i = 0; i < groups_.size(); ++i)
      if (!limit_reached(*groups_[i]) && groups_[i]->deadline() <= woke) due.push_back(i);
    if (due.empty()) continue;  // woke early
    const bool up = ensure_connected();
    if (up)
      sample(due);
    else
      for (std::size_t i : due) missed_slot(*groups_[i], groups_[i]->deadline());
    const auto after = clock_.now();
    std::size_t d = 0;
    for (std::size_t i = 0; i < groups_.size(); ++i) {
      const bool was_due = d < due.size() && due[d] == i;
      if (was_due) ++d;
      if (!limit_reached(*groups_[i]) || was_due) advance(*groups_[i], was_due, after);
    }
  }
  if (options_.manage_sinks)
    for (auto& g : groups_)
      for (auto* list : {&g->opt.sinks.rows, &g->opt.sinks.samples})
        for (Sink* s : *list) {
          (void)s->flush();
          s->close();
        }
  reader_.disconnect();
  set_link(LinkState::stopped);
  return {};
}

void Source::advance(Group& g, bool sampled, Clock::steady_time now) {
  const auto iv = g.opt.interval;
  const auto elapsed = now - g.start;
  if (sampled) {
    ++g.slots;
    // Next slot: the first whose deadline has not passed yet. Passed ones are skipped and
    // counted (never a burst of catch-up reads).
    std::uint64_t next = g.k + 1;
    if (elapsed > next * iv) {
      auto first_ok = static_cast<std::uint64_t>((elapsed + iv - nanoseconds(1)) / iv);
      for (std::uint64_t j = next; j < first_ok && !limit_reached(g); ++j) {
        missed_slot(g, g.start + j * iv);
        ++g.slots;
      }
      next = first_ok;
    }
    g.k = next;
    return;
  }
  // Another group's read held this one up: its slot is read late, unless a whole interval
  // passed since, then the slots behind the newest passed one are skipped.
  while (g.deadline() + iv <= now && !limit_reached(g)) {
    missed_slot(g, g.deadline());
    ++g.slots;
    ++g.k;
  }
}

bool Source::ensure_connected() {
  if (reader_.connected()) return true;
  auto now = clock_.now();
  if (next_attempt_ && now < *next_attempt_) return false;
  set_link(ever_connected_ ? LinkState::reconnecting : LinkState::connecting);
  auto r = reader_.connect();
  if (r) {
    if (ever_connected_) each_stats(nullptr, [](Stats& s) { s.reconnects.fetch_add(1); });
    if (notify_) {
      if (outage_reported_)
        notify_("connected again to " + where() + "; logging resumes on schedule");
      else if (!ever_connected_)
        notify_("connected to " + where());
    }
    ever_connected_ = true;
    outage_reported_ = false;
    backoff_.reset();
    next_attempt_.reset();
    set_link(LinkState::connected);
    return true;
  }
  auto delay = backoff_.next();
  if (!outage_reported_ && notify_) {
    // The reader's error names what to check (the port for a refused connection, rack and slot
    // for a refused ISO connect, PUT/GET for a refused request); say where only if it did not.
    const std::string& why = r.error().what();
    std::string msg;
    if (why.find(reader_.describe()) == std::string::npos)
      msg =
          "cannot reach the " + (options_.plc.empty() ? "PLC at " + where() : where()) + ": " + why;
    else
      msg = "cannot reach the PLC" + (options_.plc.empty() ? "" : " '" + options_.plc + "'") +
            ": " + why;
    if (!msg.empty() && std::string_view(".?!").find(msg.back()) == std::string_view::npos)
      msg += '.';
    notify_(msg + " Retrying every " + util::format_duration(options_.backoff.initial) + " up to " +
            util::format_duration(options_.backoff.cap) + " (said once per outage).");
  }
  outage_reported_ = true;
  next_attempt_ = clock_.now() + delay;
  return false;
}

Clock::wall_time Source::slot_stamp(const Group& g, Clock::wall_time wall) const {
  // The wall clock read at the deadline can lag the grid by microseconds (the steady clock woke
  // us; NTP slews the wall clock; Windows timers wake early), and the ts column cut to the
  // second would then show the previous second twice. With aligned slots the stamp is the slot
  // on the wall clock's grid: what the clock says, moved up to the grid point when it is just
  // below one (up to a quarter interval, at most 100 ms), else cut down to the slot it is in.
  if (!options_.align_to_wall) return wall;
  const auto iv = g.opt.interval;
  const auto early = std::min<nanoseconds>(iv / 4, std::chrono::milliseconds(100));
  const auto since = duration_cast<nanoseconds>(wall.time_since_epoch()) + early;
  return Clock::wall_time(duration_cast<Clock::wall_time::duration>(since - since % iv));
}

void Source::missed_slot(Group& g, Clock::steady_time deadline) {
  each_stats(&g, [](Stats& s) { s.skipped_samples.fetch_add(1); });
  if (!g.opt.quality_rows) return;
  Sample s;
  s.ts = g.wall_start + duration_cast<Clock::wall_time::duration>(deadline - g.start);
  s.values.assign(g.opt.tags.size(), TagValue{std::nullopt, Quality::comm_error});
  s.quality = Quality::comm_error;
  s.missed = true;
  emit(g, s);
}

void Source::note_item_state(Group& g, std::size_t tag, const std::optional<s7::Error>& err) {
  auto it = g.bad_tags.find(tag);
  if (!err && it == g.bad_tags.end()) return;  // the usual case: fine before, fine now
  const auto& t = g.opt.tags[tag];
  const auto label = [&] {
    return "tag '" + (groups_.size() > 1 ? g.opt.name + "." : std::string()) + t.name + "' (" +
           (options_.plc.empty() ? "" : options_.plc + " ") + s7::to_string(t.address) + ")";
  };
  if (err) {
    each_stats(&g, [](Stats& s) { s.read_errors.fetch_add(1); });
    std::string reason = err->what();
    if (it != g.bad_tags.end() && it->second == reason) return;
    g.bad_tags[tag] = reason;
    if (notify_)
      notify_(label() + ": " + reason +
              "; its cell stays empty until it can be read again (said once)");
  } else {
    g.bad_tags.erase(it);
    if (notify_) notify_(label() + " reads again");
  }
}

const Source::Merged& Source::merged(const Due& due) {
  auto& slot = plans_[due];
  if (slot) return *slot;
  slot = std::make_unique<Merged>();
  std::set<std::size_t> alone;
  for (std::size_t gi : due) {
    const auto& g = *groups_[gi];
    for (std::size_t t = 0; t < g.opt.tags.size(); ++t) {
      if (g.alone.count(t)) alone.insert(slot->tags.size());
      slot->tags.push_back(g.opt.tags[t]);
      slot->origin.emplace_back(gi, t);
    }
  }
  slot->plan = build_plan(slot->tags, options_.plan, alone);
  slot->specs = slot->plan.specs();
  return *slot;
}

void Source::comm_failure(const Due& due, const std::vector<s7::ItemResult>& results) {
  // A timeout or a dropped connection: no values this slot (never an old one), reconnect.
  each_stats(nullptr, [](Stats& s) { s.read_errors.fetch_add(1); });
  std::string why = "the connection failed";
  for (const auto& r : results)
    if (!r.ok()) {
      why = r.error().what();
      break;
    }
  if (!outage_reported_ && notify_)
    notify_("lost the connection to " + where() + ": " + why + "; reconnecting");
  outage_reported_ = true;
  reader_.disconnect();
  set_link(LinkState::reconnecting);
  next_attempt_.reset();  // first retry at the next slot, then backoff
  for (std::size_t gi : due) missed_slot(*groups_[gi], groups_[gi]->deadline());
}

void Source::sample(const Due& due) {
  const Merged& m = merged(due);
  const auto t0 = clock_.now();
  for (std::size_t gi : due) {
    const auto late = t0 - groups_[gi]->deadline();
    each_stats(groups_[gi].get(), [&](Stats& s) { s.observe_lateness(late); });
  }
  std::vector<Sample> out(due.size());
  for (std::size_t d = 0; d < due.size(); ++d)
    out[d].ts = slot_stamp(*groups_[due[d]], clock_.wall_now());
  auto results = reader_.read(m.specs);
  ++reads_;
  const auto took = duration_cast<nanoseconds>(clock_.now() - t0);
  each_stats(nullptr, [&](Stats& s) { s.observe_latency(took); });

  bool failed = !reader_.connected() || results.size() != m.specs.size();
  if (!failed) {
    bool all_comm = !results.empty();
    for (const auto& r : results)
      if (r.ok() || is_item_error(r.error())) all_comm = false;
    failed = all_comm;
  }
  if (failed) return comm_failure(due, results);

  // Values and errors by merged tag, then handed out to the groups.
  std::vector<std::optional<s7::Value>> values(m.tags.size());
  std::vector<std::optional<s7::Error>> errors(m.tags.size());
  bool replan = false;
  for (std::size_t i = 0; i < m.plan.items.size(); ++i) {
    const auto& item = m.plan.items[i];
    const auto& r = results[i];
    if (r.ok()) {
      for (std::size_t t : item.tags) {
        auto v = decode_tag(m.tags[t], item, *r);
        if (v)
          values[t] = std::move(*v);
        else
          errors[t] = v.error();
      }
      continue;
    }
    if (is_item_error(r.error()) && item.tags.size() > 1) {
      // A merged item failed: read its tags one by one to find the bad one(s).
      std::vector<s7::ItemSpec> single;
      for (std::size_t t : item.tags) single.push_back(spec_for_tag(m.tags[t].address));
      auto again = reader_.read(single);
      ++reads_;
      for (std::size_t j = 0; j < item.tags.size(); ++j) {
        std::size_t t = item.tags[j];
        if (j < again.size() && again[j].ok()) {
          PlanItem alone_item;
          alone_item.area = m.tags[t].address.area;
          alone_item.db = item.db;
          alone_item.offset = m.tags[t].address.offset;
          auto v = decode_tag(m.tags[t], alone_item, *again[j]);
          if (v)
            values[t] = std::move(*v);
          else
            errors[t] = v.error();
        } else {
          errors[t] = j < again.size() ? again[j].error() : r.error();
          if (j < again.size() && is_item_error(again[j].error())) {
            groups_[m.origin[t].first]->alone.insert(m.origin[t].second);
            replan = true;
          }
        }
      }
      continue;
    }
    for (std::size_t t : item.tags) errors[t] = r.error();
  }

  for (std::size_t d = 0; d < due.size(); ++d)
    out[d].values.assign(groups_[due[d]]->opt.tags.size(), {});
  std::vector<std::pair<bool, bool>> worst(due.size());  // (any comm, any item) per group
  std::size_t d = 0;
  for (std::size_t t = 0; t < m.tags.size(); ++t) {
    const auto [gi, gt] = m.origin[t];
    while (due[d] != gi) ++d;
    Group& g = *groups_[gi];
    note_item_state(g, gt, errors[t]);
    auto& tv = out[d].values[gt];
    if (errors[t]) {
      const bool item = is_item_error(*errors[t]);
      tv.quality = item ? Quality::item_error : Quality::comm_error;
      (item ? worst[d].second : worst[d].first) = true;
    } else {
      tv.value = std::move(values[t]);
    }
  }
  for (std::size_t i = 0; i < due.size(); ++i) {
    out[i].quality = worst[i].first    ? Quality::comm_error
                     : worst[i].second ? Quality::item_error
                                       : Quality::ok;
    emit(*groups_[due[i]], out[i]);
  }
  if (replan) plans_.clear();  // `m` is gone from here on
}

void Source::emit(Group& g, Sample& s) {
  s.plc = options_.plc;
  s.group = g.opt.name;
  const auto ms = duration_cast<std::chrono::milliseconds>(s.ts.time_since_epoch()).count();
  each_stats(&g, [&](Stats& st) { st.last_sample_unix_ms = ms; });
  for (Sink* sink : g.opt.sinks.samples)
    if (auto r = sink->write(s); !r && notify_) notify_("live sink: " + r.error().what());
  if (!g.filter.pass(s)) return;
  for (Sink* sink : g.opt.sinks.rows)
    if (auto r = sink->write(s); !r && notify_) notify_(r.error().what());
  each_stats(&g, [](Stats& st) { st.samples_written.fetch_add(1); });
}

}  // namespace logger
