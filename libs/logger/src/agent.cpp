// The agent: PLC sources on their threads, group outputs behind queues, stats per PLC and group.
#include "logger/agent.hpp"

#include <algorithm>
#include <set>
#include <thread>

#include "logger/rotation.hpp"

namespace logger {

namespace {

s7::Error bad(const std::string& msg) {
  return s7::Error(s7::Errc::invalid_argument, msg);
}

// Worst first: the state the whole run shows when PLCs differ.
int link_rank(LinkState s) {
  switch (s) {
    case LinkState::connecting:
      return 0;
    case LinkState::reconnecting:
      return 1;
    case LinkState::connected:
      return 2;
    case LinkState::stopped:
      return 3;
  }
  return 3;
}

bool writes_csv(const GroupSpec& g) {
  return std::find(g.outputs.begin(), g.outputs.end(), "csv") != g.outputs.end();
}

}  // namespace

Agent::Agent(Notify notify, ReaderFactory readers, ClockFactory clocks)
    : notify_(std::move(notify)), readers_(std::move(readers)), clocks_(std::move(clocks)) {
  if (!readers_)
    readers_ = [](const PlcSpec& p) { return std::make_unique<ClientReader>(p.client); };
  if (!clocks_) clocks_ = [](const PlcSpec&) { return std::make_unique<SystemClock>(); };
}

Agent::~Agent() {
  // The queues' threads hand their last rows to the files before the files go.
  for (auto& n : named_) n.queue.reset();
  for (auto& e : extras_) e.queue.reset();
  for (auto& o : outputs_) o->queue.reset();
}

NamedStats& Agent::stats_for(std::vector<std::unique_ptr<NamedStats>>& list, const std::string& plc,
                             const std::string& group) {
  for (auto& s : list)
    if (s->plc == plc && s->group == group) return *s;
  list.push_back(std::make_unique<NamedStats>());
  list.back()->plc = plc;
  list.back()->group = group;
  return *list.back();
}

s7::Result<void> Agent::configure(AgentConfig config) {
  std::set<std::string> plcs;
  for (const auto& p : config.plcs)
    if (!plcs.insert(p.name).second) return bad("PLC '" + p.name + "' is defined twice");
  if (config.groups.empty()) return bad("no group to log");
  std::set<std::pair<std::string, std::string>> groups;
  std::map<std::string, std::pair<std::string, std::string>> files;  // pattern -> header, group
  for (const auto& g : config.groups) {
    if (!plcs.count(g.plc)) return bad("group '" + g.name + "': no PLC named '" + g.plc + "'");
    if (!groups.insert({g.plc, g.name}).second)
      return bad("group '" + g.name + "' of PLC '" + g.plc + "' is defined twice");
    for (const auto& o : g.outputs)
      if (o != "csv" &&
          std::none_of(named_.begin(), named_.end(), [&](const Named& n) { return n.name == o; }))
        return bad("group '" + g.name + "': no output named '" + o + "'");
    if (!writes_csv(g)) continue;
    const auto pattern = expand_names(g.csv.pattern, g.plc, g.name);
    const auto header = g.csv.format.header(g.tags);
    auto [it, fresh] = files.emplace(pattern, std::pair{header, g.name});
    if (!fresh && it->second.first != header)
      return bad("groups '" + it->second.second + "' and '" + g.name + "' both write " + pattern +
                 " but with other columns; give one of them another out");
  }

  // Outputs: keep those whose file stays (and the rows they hold), add the new ones.
  group_output_.clear();
  for (const auto& g : config.groups) {
    if (!writes_csv(g)) {
      group_output_.push_back(nullptr);
      continue;
    }
    auto options = g.csv;
    options.pattern = expand_names(g.csv.pattern, g.plc, g.name);
    Output* out = nullptr;
    for (auto& o : outputs_)
      if (o->pattern == options.pattern) out = o.get();
    if (out == nullptr) {
      outputs_.push_back(std::make_unique<Output>());
      out = outputs_.back().get();
      out->pattern = options.pattern;
      out->csv = std::make_unique<CsvSink>(options, &total_, notify_);
      out->queue = std::make_unique<QueuedSink>(*out->csv, options.pattern, config.queue_rows,
                                                &total_, notify_);
    } else if (std::find(group_output_.begin(), group_output_.end(), out) == group_output_.end()) {
      out->queue->close();  // idle between runs; the reload's options from the next row on
      out->csv->reconfigure(options);
    }
    out->header = g.csv.format.header(g.tags);
    group_output_.push_back(out);
  }
  for (const auto& p : config.plcs) stats_for(plc_stats_, p.name, "");
  for (const auto& g : config.groups) stats_for(group_stats_, g.plc, g.name);
  config_ = std::move(config);
  return {};
}

void Agent::add_row_sink(Sink& sink, std::string name) {
  extras_.push_back(
      {&sink, name, false,
       std::make_unique<QueuedSink>(sink, name, config_.queue_rows, &total_, notify_)});
}

void Agent::add_output(Sink& sink, std::string name, SinkStats* stats,
                       std::chrono::milliseconds tick) {
  named_.push_back(
      {name, stats,
       std::make_unique<QueuedSink>(sink, name, config_.queue_rows, &total_, notify_, tick)});
}

LinkState Agent::link_of(const std::string& plc) const {
  std::lock_guard<std::mutex> lock(stats_mu_);
  for (const auto& s : plc_stats_)
    if (s->plc == plc) return s->stats.link.load();
  return LinkState::stopped;
}

void Agent::add_sample_sink(Sink& sink, std::string name) {
  extras_.push_back(
      {&sink, name, true,
       std::make_unique<QueuedSink>(sink, name, config_.queue_rows, &total_, notify_)});
}

s7::Result<void> Agent::run(const std::atomic<bool>& stop) {
  if (config_.groups.empty()) return bad("no group to log (configure() first)");
  // Open every output once (a file shared by groups has one header), then the extra sinks once
  // per group (the live page keeps the groups apart; the console serves a plain config's one).
  std::vector<Output*> opened;
  auto close_all = [&] {
    for (Output* o : opened) o->queue->close();
    for (auto& e : extras_) e.queue->close();
    for (auto& n : named_) n.queue->close();
  };
  for (std::size_t g = 0; g < config_.groups.size(); ++g) {
    Output* o = group_output_[g];
    if (o == nullptr) continue;
    if (std::find(opened.begin(), opened.end(), o) != opened.end()) continue;
    if (auto r = o->queue->open(config_.groups[g].tags); !r) {
      close_all();
      return r.error();
    }
    opened.push_back(o);
  }
  for (auto& e : extras_)
    for (const auto& g : config_.groups)
      if (auto r = e.queue->open_group(g.plc, g.name, g.tags); !r) {
        close_all();
        return r.error();
      }
  for (auto& n : named_)
    for (const auto& g : config_.groups)
      if (std::find(g.outputs.begin(), g.outputs.end(), n.name) != g.outputs.end())
        if (auto r = n.queue->open_group(g.plc, g.name, g.tags); !r) {
          close_all();
          return r.error();
        }

  // One source per PLC that has groups.
  struct Run {
    const PlcSpec* plc;
    std::vector<std::size_t> groups;
    std::unique_ptr<Reader> reader;
    std::unique_ptr<Clock> clock;
    std::unique_ptr<Source> source;
    s7::Result<void> result;
  };
  std::vector<Run> runs;
  for (const auto& p : config_.plcs) {
    Run r{&p, {}, nullptr, nullptr, nullptr, {}};
    for (std::size_t g = 0; g < config_.groups.size(); ++g)
      if (config_.groups[g].plc == p.name) r.groups.push_back(g);
    if (!r.groups.empty()) runs.push_back(std::move(r));
  }
  const bool single = runs.size() == 1;
  for (auto& r : runs) {
    SourceOptions so;
    so.plc = r.plc->name;
    so.align_to_wall = config_.align_to_wall;
    so.backoff = r.plc->backoff;
    so.plan = config_.plan;
    so.max_slots = config_.max_slots;
    so.total = &total_;
    so.owns_total_link = single;
    so.manage_sinks = false;
    std::vector<GroupOptions> groups;
    for (std::size_t g : r.groups) {
      const auto& spec = config_.groups[g];
      GroupOptions go;
      go.name = spec.name;
      go.tag_list = &spec.tags;
      go.interval = spec.interval;
      go.quality_rows = spec.quality;
      go.on_change = spec.on_change;
      go.deadband = spec.deadband;
      go.trigger = spec.trigger;
      go.trigger_ack = spec.trigger_ack;
      if (group_output_[g] != nullptr) go.sinks.rows.push_back(group_output_[g]->queue.get());
      for (auto& n : named_)
        if (std::find(spec.outputs.begin(), spec.outputs.end(), n.name) != spec.outputs.end())
          go.sinks.rows.push_back(n.queue.get());
      for (auto& e : extras_)
        (e.every_sample ? go.sinks.samples : go.sinks.rows).push_back(e.queue.get());
      go.stats = &stats_for(group_stats_, spec.plc, spec.name).stats;
      groups.push_back(std::move(go));
    }
    r.reader = readers_(*r.plc);
    r.clock = clocks_(*r.plc);
    r.source = std::make_unique<Source>(*r.reader, *r.clock, so, std::move(groups),
                                        stats_for(plc_stats_, r.plc->name, "").stats, notify_);
  }

  if (single) {
    runs.front().result = runs.front().source->run(stop);
  } else {
    std::vector<std::thread> threads;
    std::atomic<std::size_t> running{runs.size()};
    for (auto& r : runs)
      threads.emplace_back([&r, &stop, &running] {
        r.result = r.source->run(stop);
        running.fetch_sub(1);
      });
    // The run's link state: the worst of the PLCs' (connecting < reconnecting < connected).
    std::vector<const Stats*> links;
    for (const auto& r : runs) links.push_back(&stats_for(plc_stats_, r.plc->name, "").stats);
    while (running.load() > 0) {
      LinkState worst = LinkState::stopped;
      for (const Stats* st : links) {
        const auto s = st->link.load();
        if (link_rank(s) < link_rank(worst)) worst = s;
      }
      total_.link = worst;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    for (auto& t : threads) t.join();
    total_.link = LinkState::stopped;
  }
  close_all();

  slots_.assign(config_.groups.size(), 0);
  reads_.clear();
  for (auto& r : runs) {
    for (std::size_t i = 0; i < r.groups.size(); ++i) slots_[r.groups[i]] = r.source->slots(i);
    reads_.push_back(r.source->reads());
  }
  for (auto& r : runs)
    if (!r.result) return r.result.error();
  return {};
}

std::vector<const NamedStats*> Agent::plc_stats() const {
  std::lock_guard<std::mutex> lock(stats_mu_);
  std::vector<const NamedStats*> out;
  for (const auto& s : plc_stats_) out.push_back(s.get());
  return out;
}

std::vector<const NamedStats*> Agent::group_stats() const {
  std::lock_guard<std::mutex> lock(stats_mu_);
  std::vector<const NamedStats*> out;
  for (const auto& s : group_stats_) out.push_back(s.get());
  return out;
}

std::vector<const SinkStats*> Agent::sink_stats() const {
  std::vector<const SinkStats*> out;
  for (const auto& n : named_)
    if (n.stats != nullptr) {
      n.stats->queue_depth = n.queue->depth();
      out.push_back(n.stats);
    }
  return out;
}

std::uint64_t Agent::slots(std::size_t g) const {
  return g < slots_.size() ? slots_[g] : 0;
}

std::vector<std::uint64_t> Agent::reads() const {
  return reads_;
}

std::vector<OutputReport> Agent::outputs() const {
  std::vector<OutputReport> out;
  for (const auto& o : outputs_)
    out.push_back({o->pattern, o->csv->buffered(), o->csv->dropped() + o->queue->dropped(),
                   o->csv->waiting_for(), o->csv->last_error()});
  return out;
}

}  // namespace logger
