// Agent tests: PLCs on their own threads and clocks, outputs per group, config errors, stats.
#include "logger/agent.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "fake_reader.hpp"
#include "logger/tag.hpp"
#include "test_dir.hpp"

using namespace std::chrono_literals;
using logger::testing::FakeReader;
using logger::testing::TempDir;

namespace {

const logger::Clock::wall_time kWallStart{std::chrono::seconds(1795511703)};

logger::TagInfo tag(const std::string& name, const std::string& address) {
  return *logger::parse_tag_spec(name + "=" + address);
}

logger::PlcSpec plc(const std::string& name) {
  logger::PlcSpec p;
  p.name = name;
  p.backoff.jitter = 0;
  return p;
}

logger::GroupSpec group(const std::string& name, const std::string& plc_name,
                        std::chrono::nanoseconds interval, const std::string& out) {
  logger::GroupSpec g;
  g.name = name;
  g.plc = plc_name;
  g.interval = interval;
  g.tags = {tag("counter", "DB1.DBD0:DINT"), tag("alarm", "DB1.DBX10.0:BOOL")};
  g.csv.pattern = out;
  g.csv.format.millis = interval < 1s;
  return g;
}

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Fake clocks per PLC (the agent owns them; readers advance them through `raw`).
struct Clocks {
  std::map<std::string, std::unique_ptr<logger::FakeClock>> owned;
  std::map<std::string, logger::FakeClock*> raw;
  explicit Clocks(std::initializer_list<const char*> names) {
    for (const char* n : names) {
      owned[n] = std::make_unique<logger::FakeClock>(kWallStart);
      raw[n] = owned[n].get();
    }
  }
  logger::Agent::ClockFactory factory() {
    return [this](const logger::PlcSpec& p) -> std::unique_ptr<logger::Clock> {
      return std::move(owned.at(p.name));
    };
  }
};

}  // namespace

TEST(Agent, EachGroupWritesItsOwnFileNamedByPlcAndGroup) {
  TempDir dir;
  Clocks clocks{"press1", "press2"};
  logger::Agent agent(
      {},
      [&](const logger::PlcSpec& p) -> std::unique_ptr<logger::Reader> {
        auto r = std::make_unique<FakeReader>(clocks.raw.at(p.name));
        r->course_db(42, true);
        return r;
      },
      clocks.factory());
  logger::AgentConfig cfg;
  cfg.plcs = {plc("press1"), plc("press2")};
  const auto out = dir / "{plc}_{group}.csv";
  cfg.groups = {group("fast", "press1", 100ms, out), group("slow", "press1", 1s, out),
                group("fast", "press2", 100ms, out)};
  cfg.max_slots = 20;
  ASSERT_TRUE(agent.configure(cfg).ok());
  std::atomic<bool> stop{false};
  ASSERT_TRUE(agent.run(stop).ok());
  // Header + 20 rows each.
  EXPECT_EQ(lines(logger::testing::slurp(dir / "press1_fast.csv")), 21u);
  EXPECT_EQ(lines(logger::testing::slurp(dir / "press1_slow.csv")), 21u);
  EXPECT_EQ(lines(logger::testing::slurp(dir / "press2_fast.csv")), 21u);
  EXPECT_EQ(logger::testing::slurp(dir / "press1_slow.csv").substr(0, 18), "ts,counter,alarm\r\n");
  EXPECT_EQ(agent.stats().samples_written.load(), 60u);
  ASSERT_EQ(agent.group_stats().size(), 3u);
  EXPECT_EQ(agent.group_stats()[1]->group, "slow");
  EXPECT_EQ(agent.group_stats()[1]->stats.samples_written.load(), 20u);
  EXPECT_EQ(agent.plc_stats()[0]->stats.samples_written.load(), 40u);
  // press1's 100 ms and 1 s deadlines met 2 times in its fast group's 2 s: merged reads.
  ASSERT_EQ(agent.reads().size(), 2u);
  EXPECT_LT(agent.reads()[0], 40u);
  for (const auto& o : agent.outputs()) EXPECT_EQ(o.unwritten + o.dropped, 0u);
}

TEST(Agent, ADeadPlcNeverCostsTheOthersARow) {
  TempDir dir;
  Clocks clocks{"a", "b", "c"};
  std::vector<std::string> messages;
  std::mutex mu;
  logger::Agent agent(
      [&](const std::string& m) {
        std::lock_guard<std::mutex> lock(mu);
        messages.push_back(m);
      },
      [&](const logger::PlcSpec& p) -> std::unique_ptr<logger::Reader> {
        auto r = std::make_unique<FakeReader>(clocks.raw.at(p.name));
        r->course_db(1, false);
        r->down = p.name == "b";             // dead
        if (p.name == "c") r->latency = 2s;  // answers every read 2 s late
        return r;
      },
      clocks.factory());
  logger::AgentConfig cfg;
  cfg.plcs = {plc("a"), plc("b"), plc("c")};
  cfg.groups = {group("g", "a", 100ms, dir / "{plc}.csv"),
                group("g", "b", 100ms, dir / "{plc}.csv"),
                group("g", "c", 100ms, dir / "{plc}.csv")};
  cfg.max_slots = 50;
  ASSERT_TRUE(agent.configure(cfg).ok());
  std::atomic<bool> stop{false};
  ASSERT_TRUE(agent.run(stop).ok());
  const auto& g = agent.group_stats();
  EXPECT_EQ(g[0]->stats.samples_written.load(), 50u);
  EXPECT_EQ(g[0]->stats.skipped_samples.load(), 0u);
  EXPECT_EQ(g[0]->stats.lateness_max_ns.load(), 0u);
  EXPECT_EQ(g[1]->stats.samples_written.load(), 0u);
  EXPECT_EQ(g[1]->stats.skipped_samples.load(), 50u);
  EXPECT_GT(g[2]->stats.skipped_samples.load(), 0u);  // c's own slots overrun, only c's
  EXPECT_EQ(lines(logger::testing::slurp(dir / "a.csv")), 51u);
  bool named = false;
  for (const auto& m : messages) named = named || m.find("PLC 'b'") != std::string::npos;
  EXPECT_TRUE(named);
}

TEST(Agent, BadPlantConfigsAreRefusedBeforeAnythingStarts) {
  logger::Agent agent;
  logger::AgentConfig cfg;
  cfg.plcs = {plc("press1")};
  cfg.groups = {group("fast", "press9", 1s, "x.csv")};
  auto r = agent.configure(cfg);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what(), "group 'fast': no PLC named 'press9'");
  cfg.groups = {group("fast", "press1", 1s, "a.csv"), group("fast", "press1", 1s, "b.csv")};
  EXPECT_EQ(agent.configure(cfg).error().what(), "group 'fast' of PLC 'press1' is defined twice");
  auto other = group("slow", "press1", 1s, "a.csv");
  other.tags.pop_back();
  cfg.groups = {group("fast", "press1", 1s, "a.csv"), other};
  EXPECT_EQ(agent.configure(cfg).error().what(),
            "groups 'fast' and 'slow' both write a.csv but with other columns; give one of them "
            "another out");
  cfg.plcs.push_back(plc("press1"));
  EXPECT_EQ(agent.configure(cfg).error().what(), "PLC 'press1' is defined twice");
}

namespace {
// Records open_group() calls and the (plc, group) of each sample (sink threads: one at a time).
class GroupRecorder : public logger::Sink {
 public:
  std::vector<std::string> opened;
  std::map<std::string, int> samples;
  s7::Result<void> open(const std::vector<logger::TagInfo>&) override {
    opened.push_back("(unnamed)");
    return {};
  }
  s7::Result<void> open_group(const std::string& plc, const std::string& group,
                              const std::vector<logger::TagInfo>& tags) override {
    opened.push_back(plc + "/" + group + ":" + std::to_string(tags.size()));
    return {};
  }
  s7::Result<void> write(const logger::Sample& s) override {
    ++samples[s.plc + "/" + s.group];
    return {};
  }
};
}  // namespace

TEST(Agent, ASinkForEverySampleIsOpenedPerGroupAndGetsEachGroupsSamples) {
  TempDir dir;
  Clocks clocks{"p1", "p2"};
  logger::Agent agent(
      {},
      [&](const logger::PlcSpec& p) -> std::unique_ptr<logger::Reader> {
        auto r = std::make_unique<FakeReader>(clocks.raw.at(p.name));
        r->course_db(1, false);
        return r;
      },
      clocks.factory());
  logger::AgentConfig cfg;
  cfg.plcs = {plc("p1"), plc("p2")};
  cfg.groups = {group("a", "p1", 1s, dir / "{plc}_{group}.csv"),
                group("b", "p2", 500ms, dir / "{plc}_{group}.csv")};
  cfg.groups[1].tags.pop_back();
  cfg.max_slots = 5;
  ASSERT_TRUE(agent.configure(cfg).ok());
  GroupRecorder live;
  agent.add_sample_sink(live, "the live page");
  std::atomic<bool> stop{false};
  ASSERT_TRUE(agent.run(stop).ok());
  EXPECT_EQ(live.opened, (std::vector<std::string>{"p1/a:2", "p2/b:1"}));
  EXPECT_EQ(live.samples["p1/a"], 5);
  EXPECT_EQ(live.samples["p2/b"], 5);
}

// ---------------------------------------------------------------------------------------------
// Named outputs (network sinks) per group.

TEST(Agent, AGroupNamingAnOutputTheAgentDoesNotHaveIsRefused) {
  logger::Agent agent;
  logger::AgentConfig cfg;
  cfg.plcs = {plc("press1")};
  cfg.groups = {group("fast", "press1", 1s, "x.csv")};
  cfg.groups[0].outputs = {"csv", "mqtt"};
  auto r = agent.configure(cfg);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what(), "group 'fast': no output named 'mqtt'");
  // Once the output is registered the same config is taken.
  GroupRecorder mqtt;
  agent.add_output(mqtt, "mqtt");
  EXPECT_TRUE(agent.configure(cfg).ok());
}

TEST(Agent, AGroupWithoutCsvWritesNoFileAndItsOutputGetsItsSamples) {
  TempDir dir;
  Clocks clocks{"p1"};
  logger::Agent agent(
      {},
      [&](const logger::PlcSpec& p) -> std::unique_ptr<logger::Reader> {
        auto r = std::make_unique<FakeReader>(clocks.raw.at(p.name));
        r->course_db(1, false);
        return r;
      },
      clocks.factory());
  GroupRecorder postgres;
  logger::SinkStats stats;
  stats.name = "postgres";
  agent.add_output(postgres, "postgres", &stats);
  logger::AgentConfig cfg;
  cfg.plcs = {plc("p1")};
  cfg.groups = {group("db_only", "p1", 1s, dir / "{plc}_{group}.csv"),
                group("file_only", "p1", 1s, dir / "{plc}_{group}.csv")};
  cfg.groups[0].outputs = {"postgres"};
  cfg.max_slots = 5;
  ASSERT_TRUE(agent.configure(cfg).ok());
  std::atomic<bool> stop{false};
  ASSERT_TRUE(agent.run(stop).ok());
  // db_only: no file, every sample at the output; file_only: its file, nothing at the output.
  EXPECT_FALSE(std::filesystem::exists(dir / "p1_db_only.csv"));
  EXPECT_EQ(lines(logger::testing::slurp(dir / "p1_file_only.csv")), 6u);
  EXPECT_EQ(postgres.opened, (std::vector<std::string>{"p1/db_only:2"}));
  EXPECT_EQ(postgres.samples, (std::map<std::string, int>{{"p1/db_only", 5}}));
  ASSERT_EQ(agent.outputs().size(), 1u);  // one CSV output only
  EXPECT_EQ(agent.outputs()[0].pattern, dir / "p1_file_only.csv");
  // The output's counters are listed (for /metrics), its queue empty after the run.
  auto listed = agent.sink_stats();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0], &stats);
  EXPECT_EQ(listed[0]->queue_depth.load(), 0u);
  EXPECT_EQ(agent.group_stats()[0]->stats.samples_written.load(), 5u);
}
