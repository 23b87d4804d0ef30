// The single-group Logger: RunOptions turned into a Source with one unnamed group.
#include "logger/logger.hpp"

namespace logger {

namespace {

SourceOptions source_options(const RunOptions& o) {
  SourceOptions s;
  s.align_to_wall = o.align_to_wall;
  s.backoff = o.backoff;
  s.backoff_seed = o.backoff_seed;
  s.plan = o.plan;
  s.max_slots = o.max_slots;
  return s;
}

std::vector<GroupOptions> one_group(std::vector<TagInfo> tags, const RunOptions& o, Sinks sinks) {
  GroupOptions g;
  g.tags = std::move(tags);
  g.interval = o.interval;
  g.quality_rows = o.quality_rows;
  g.on_change = o.on_change;
  g.deadband = o.deadband;
  g.sinks = std::move(sinks);
  std::vector<GroupOptions> v;
  v.push_back(std::move(g));
  return v;
}

}  // namespace

Logger::Logger(Reader& reader, Clock& clock, std::vector<TagInfo> tags, RunOptions options,
               Sinks sinks, Stats& stats, Notify notify)
    : source_(reader, clock, source_options(options), one_group(std::move(tags), options, sinks),
              stats, std::move(notify)) {}

}  // namespace logger
