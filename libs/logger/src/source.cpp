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
  // Trigger groups: the bits each poll reads (trigger, then the acknowledgement if any).
  std::vector<TagInfo> poll_tags;
  std::set<std::size_t> poll_alone;
  std::optional<bool> trigger_state;  // as last seen (and acted on); empty until the first poll
  std::string trigger_error;          // reported once
  bool acked = false;                 // the acknowledgement bit is true (written by us)
  // Rows that reached every row sink and wait for their acknowledgement (sink threads add).
  std::shared_ptr<std::atomic<std::uint64_t>> acks_due =
      std::make_shared<std::atomic<std::uint64_t>>(0);

  bool triggered() const { return opt.trigger.has_value(); }
  const std::vector<TagInfo>& tags() const { return opt.tag_list ? *opt.tag_list : opt.tags; }
  Clock::steady_time deadline() const { return start + k * opt.interval; }
};

namespace {
constexpr std::size_t kDataOf = static_cast<std::size_t>(-1);  // plan key {kDataOf, g}
}  // namespace

// The read plan of one combination of due groups: their tags in one list (group by group), and
// where each tag of that list comes from. The list points into the groups' own tag lists (a
// plant of 100,000 tags must not hold them twice).
struct Source::Merged {
  std::vector<const TagInfo*> tags;
  std::vector<std::size_t> first;  // where each group of the key starts in `tags`
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
    auto& grp = *groups_.back();
    grp.opt = std::move(g);
    if (grp.opt.trigger) grp.poll_tags.push_back({"trigger", *grp.opt.trigger});
    if (grp.opt.trigger && grp.opt.trigger_ack)
      grp.poll_tags.push_back({"trigger_ack", *grp.opt.trigger_ack});
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
  return build_plan(groups_.at(g)->tags(), options_.plan, groups_.at(g)->alone);
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
    auto filter = ChangeFilter::create(g->tags(), g->opt.on_change, g->opt.deadband);
    if (!filter) return filter.error();
    g->filter = std::move(*filter);
  }
  if (options_.manage_sinks)
    for (auto& g : groups_)
      for (auto* list : {&g->opt.sinks.rows, &g->opt.sinks.samples})
        for (Sink* s : *list)
          if (auto r = s->open(g->tags()); !r) return r.error();

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

Clock::wall_time Source::slot_stamp(const Group& g, Clock::wall_time wall, nanoseconds late) const {
  // The wall clock read at the deadline can lag the grid by microseconds (the steady clock woke
  // us; NTP slews the wall clock; Windows timers wake early), and the ts column cut to the
  // second would then show the previous second twice. With aligned slots the stamp is the slot
  // on the wall clock's grid: what the clock said at the deadline (the wall clock now, less how
  // late the read starts: another group's read may have held it up by most of an interval),
  // moved up to the grid point when it is just below one (up to a quarter interval, at most
  // 100 ms), else cut down to the slot it is in.
  if (!options_.align_to_wall) return wall;
  const auto iv = g.opt.interval;
  const auto early = std::min<nanoseconds>(iv / 4, std::chrono::milliseconds(100));
  const auto since = duration_cast<nanoseconds>(wall.time_since_epoch()) - late + early;
  return Clock::wall_time(duration_cast<Clock::wall_time::duration>(since - since % iv));
}

void Source::missed_slot(Group& g, Clock::steady_time deadline) {
  each_stats(&g, [](Stats& s) { s.skipped_samples.fetch_add(1); });
  if (!g.opt.quality_rows || g.triggered()) return;  // a missed poll is no row
  Sample s;
  s.ts = g.wall_start + duration_cast<Clock::wall_time::duration>(deadline - g.start);
  s.values.assign(g.tags().size(), TagValue{std::nullopt, Quality::comm_error});
  s.quality = Quality::comm_error;
  s.missed = true;
  emit(g, s);
}

void Source::note_item_state(Group& g, std::size_t tag, const std::optional<s7::Error>& err) {
  auto it = g.bad_tags.find(tag);
  if (!err && it == g.bad_tags.end()) return;  // the usual case: fine before, fine now
  const auto& t = g.tags()[tag];
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

const Source::Merged& Source::merged(const Due& key) {
  auto& slot = plans_[key];
  if (slot) return *slot;
  slot = std::make_unique<Merged>();
  std::set<std::size_t> alone;
  auto add = [&](std::size_t gi, const std::vector<TagInfo>& tags,
                 const std::set<std::size_t>& group_alone) {
    slot->first.push_back(slot->tags.size());
    for (std::size_t t = 0; t < tags.size(); ++t) {
      if (group_alone.count(t)) alone.insert(slot->tags.size());
      slot->tags.push_back(&tags[t]);
      slot->origin.emplace_back(gi, t);
    }
  };
  if (key.size() == 2 && key[0] == kDataOf) {
    add(key[1], groups_[key[1]]->tags(), groups_[key[1]]->alone);
  } else {
    for (std::size_t gi : key) {
      const auto& g = *groups_[gi];
      if (g.triggered())
        add(gi, g.poll_tags, g.poll_alone);
      else
        add(gi, g.tags(), g.alone);
    }
  }
  std::vector<TagInfo> copy;  // build_plan's input, for a moment
  copy.reserve(slot->tags.size());
  for (const TagInfo* t : slot->tags) copy.push_back(*t);
  slot->plan = build_plan(copy, options_.plan, alone);
  slot->specs = slot->plan.specs();
  return *slot;
}

void Source::comm_failure(const std::vector<s7::ItemResult>& results) {
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
}

bool Source::read_merged(const Due& key, Values& values, Errors& errors) {
  const Merged& m = merged(key);
  const auto t0 = clock_.now();
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
  if (failed) {
    comm_failure(results);
    return false;
  }
  const bool data_of = key.size() == 2 && key[0] == kDataOf;
  auto alone_of = [&](std::size_t gi) -> std::set<std::size_t>& {
    auto& g = *groups_[gi];
    return g.triggered() && !data_of ? g.poll_alone : g.alone;
  };
  values.assign(m.tags.size(), std::nullopt);
  errors.assign(m.tags.size(), std::nullopt);
  bool replan = false;
  for (std::size_t i = 0; i < m.plan.items.size(); ++i) {
    const auto& item = m.plan.items[i];
    const auto& r = results[i];
    if (r.ok()) {
      for (std::size_t t : item.tags) {
        auto v = decode_tag(*m.tags[t], item, *r);
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
      for (std::size_t t : item.tags) single.push_back(spec_for_tag(m.tags[t]->address));
      auto again = reader_.read(single);
      ++reads_;
      for (std::size_t j = 0; j < item.tags.size(); ++j) {
        std::size_t t = item.tags[j];
        if (j < again.size() && again[j].ok()) {
          PlanItem alone_item;
          alone_item.area = m.tags[t]->address.area;
          alone_item.db = item.db;
          alone_item.offset = m.tags[t]->address.offset;
          auto v = decode_tag(*m.tags[t], alone_item, *again[j]);
          if (v)
            values[t] = std::move(*v);
          else
            errors[t] = v.error();
        } else {
          errors[t] = j < again.size() ? again[j].error() : r.error();
          if (j < again.size() && is_item_error(again[j].error())) {
            alone_of(m.origin[t].first).insert(m.origin[t].second);
            replan = true;
          }
        }
      }
      continue;
    }
    for (std::size_t t : item.tags) errors[t] = r.error();
  }
  if (replan) replan_ = true;
  return true;
}

void Source::fill(Group& g, Sample& s, const Merged& m, std::size_t first, Values& values,
                  const Errors& errors) {
  s.values.assign(g.tags().size(), {});
  bool any_comm = false, any_item = false;
  for (std::size_t t = first; t < m.tags.size() && groups_[m.origin[t].first].get() == &g; ++t) {
    const std::size_t gt = m.origin[t].second;
    note_item_state(g, gt, errors[t]);
    auto& tv = s.values[gt];
    if (errors[t]) {
      const bool item = is_item_error(*errors[t]);
      tv.quality = item ? Quality::item_error : Quality::comm_error;
      (item ? any_item : any_comm) = true;
    } else {
      tv.value = std::move(values[t]);
    }
  }
  s.quality = any_comm ? Quality::comm_error : any_item ? Quality::item_error : Quality::ok;
}

void Source::sample(const Due& due) {
  const auto t0 = clock_.now();
  for (std::size_t gi : due) {
    const auto late = t0 - groups_[gi]->deadline();
    each_stats(groups_[gi].get(), [&](Stats& s) { s.observe_lateness(late); });
  }
  send_acks();
  if (!reader_.connected()) {
    for (std::size_t gi : due) missed_slot(*groups_[gi], groups_[gi]->deadline());
    return;
  }
  std::vector<Clock::wall_time> stamps;
  const auto wall = clock_.wall_now();
  const auto now = clock_.now();
  for (std::size_t gi : due)
    stamps.push_back(slot_stamp(*groups_[gi], wall, now - groups_[gi]->deadline()));
  Values values;
  Errors errors;
  if (!read_merged(due, values, errors)) {
    for (std::size_t gi : due) missed_slot(*groups_[gi], groups_[gi]->deadline());
    return;
  }
  // Hand the values out group by group (the merged list holds them in `due` order).
  const Merged& m = merged(due);
  std::vector<std::pair<std::size_t, std::size_t>> polls;  // (group, first merged tag)
  for (std::size_t d = 0; d < due.size(); ++d) {
    Group& g = *groups_[due[d]];
    if (g.triggered()) {
      polls.emplace_back(due[d], m.first[d]);
      continue;
    }
    Sample s;
    s.ts = stamps[d];
    fill(g, s, m, m.first[d], values, errors);
    emit(g, s);
  }
  for (const auto& [gi, at] : polls) {
    const auto trig = at < values.size() ? values[at] : std::nullopt;
    const auto trig_err = at < errors.size() ? errors[at] : std::nullopt;
    std::optional<s7::Value> ack;
    if (groups_[gi]->opt.trigger_ack && at + 1 < values.size()) ack = values[at + 1];
    poll_trigger(gi, trig, trig_err, ack);
    if (!reader_.connected()) break;
  }
  if (replan_) {
    plans_.clear();
    replan_ = false;
  }
}

namespace {
std::optional<bool> as_bool(const std::optional<s7::Value>& v) {
  if (!v || v->elems.empty()) return std::nullopt;
  if (const auto* b = std::get_if<bool>(&v->elems[0])) return *b;
  return std::nullopt;
}
}  // namespace

void Source::poll_trigger(std::size_t gi, const std::optional<s7::Value>& trig,
                          const std::optional<s7::Error>& err,
                          const std::optional<s7::Value>& ack_value) {
  Group& g = *groups_[gi];
  const auto v = as_bool(trig);
  if (!v) {
    const std::string why = err ? err->what() : "not a BOOL";
    if (why != g.trigger_error && notify_)
      notify_("trigger of group '" + g.opt.name + "' (" + s7::to_string(*g.opt.trigger) +
              "): " + why + "; no rows until it can be read again (said once)");
    g.trigger_error = why;
    return;
  }
  if (!g.trigger_error.empty() && notify_)
    notify_("trigger of group '" + g.opt.name + "' (" + s7::to_string(*g.opt.trigger) +
            ") reads again");
  g.trigger_error.clear();
  bool rising;
  if (!g.trigger_state) {
    // First look (a start, not a reconnect): a raised trigger that is not acknowledged yet is
    // a record the PLC is waiting for; without an acknowledgement bit it is not an edge.
    rising = *v && g.opt.trigger_ack && as_bool(ack_value) == false;
    if (*v && as_bool(ack_value) == true) g.acked = true;
  } else {
    rising = *v && !*g.trigger_state;
  }
  if (!*v && g.acked) {
    // The PLC took the acknowledgement and lowered its trigger: lower ours for the next record.
    const std::vector<s7::Address> a{*g.opt.trigger_ack};
    const std::vector<s7::Value> val{s7::Value(s7::Scalar(false))};
    auto r = reader_.write(a, val);
    if (!r.empty() && r[0].ok()) g.acked = false;
  }
  if (!rising) {
    g.trigger_state = *v;
    return;
  }
  // The edge: read the group now. Only a row taken makes the edge seen; a read lost to the
  // connection leaves it to the first poll after the reconnect.
  const Due key{kDataOf, gi};
  Values values;
  Errors errors;
  const auto stamp = clock_.wall_now();
  if (!read_merged(key, values, errors)) return;
  g.trigger_state = true;
  Sample s;
  s.ts = stamp;
  fill(g, s, merged(key), 0, values, errors);
  emit(g, s);
}

void Source::send_acks() {
  for (auto& gp : groups_) {
    Group& g = *gp;
    if (!g.opt.trigger_ack || g.acks_due->load() == 0 || !reader_.connected()) continue;
    const auto due = g.acks_due->load();
    const std::vector<s7::Address> a{*g.opt.trigger_ack};
    const std::vector<s7::Value> val{s7::Value(s7::Scalar(true))};
    auto r = reader_.write(a, val);
    if (!r.empty() && r[0].ok()) {
      g.acks_due->fetch_sub(due);
      g.acked = true;
    } else if (notify_ && reader_.connected() && !r.empty()) {
      notify_("trigger_ack of group '" + g.opt.name + "' (" + s7::to_string(*g.opt.trigger_ack) +
              "): " + r[0].error().what());
    }
  }
}

void Source::emit(Group& g, Sample& s) {
  s.plc = options_.plc;
  s.group = g.opt.name;
  const auto ms = duration_cast<std::chrono::milliseconds>(s.ts.time_since_epoch()).count();
  each_stats(&g, [&](Stats& st) { st.last_sample_unix_ms = ms; });
  const bool row = g.triggered() || g.filter.pass(s);
  if (!row && g.opt.sinks.samples.empty()) return;
  // One copy for every sink: queued sinks keep the pointer (a row of 1,000 tags is ~100 KB).
  const auto shared = std::make_shared<const Sample>(std::move(s));
  for (Sink* sink : g.opt.sinks.samples)
    if (auto r = sink->write_shared(shared); !r && notify_)
      notify_("live sink: " + r.error().what());
  if (!row) return;
  if (g.triggered() && g.opt.trigger_ack && !shared->missed) {
    // The acknowledgement waits until every row sink has the row for good.
    auto remaining = std::make_shared<std::atomic<std::size_t>>(g.opt.sinks.rows.size());
    if (g.opt.sinks.rows.empty()) g.acks_due->fetch_add(1);
    for (Sink* sink : g.opt.sinks.rows) {
      auto done = [remaining, due = g.acks_due] {
        if (remaining->fetch_sub(1) == 1) due->fetch_add(1);
      };
      if (auto r = sink->write_shared(shared, done); !r && notify_) notify_(r.error().what());
    }
  } else {
    for (Sink* sink : g.opt.sinks.rows)
      if (auto r = sink->write_shared(shared); !r && notify_) notify_(r.error().what());
  }
  each_stats(&g, [](Stats& st) { st.samples_written.fetch_add(1); });
}

}  // namespace logger
