// NetworkSink tests: a server that goes away gets every sample later, in order, from the spool;
// the spool survives a restart; a full spool drops the oldest and says so. The Delivery here is
// a scripted stand-in for the server's client (the sinks' own tests use real servers).
#include "logger/network_sink.hpp"

#include <gtest/gtest.h>

#include <optional>

#ifndef _WIN32
#include <signal.h>
#include <sys/resource.h>
#endif

#include "logger/sample_codec.hpp"
#include "test_dir.hpp"

using namespace std::chrono_literals;

namespace {

// Records what it got; `up` says whether connect() and deliver() succeed.
class ScriptedDelivery : public logger::Delivery {
 public:
  bool up = true;
  bool is_connected = false;
  std::vector<std::int64_t> got;  // ts ms of every delivered sample, in order
  std::vector<bool> historical;   // per delivered sample
  std::vector<std::pair<std::string, logger::LinkState>> links;
  int connects = 0;
  int opened = 0;

  std::string describe() const override { return "test server 127.0.0.1:1"; }
  s7::Result<void> open_group(const std::string&, const std::string&,
                              const std::vector<logger::TagInfo>&) override {
    ++opened;
    return {};
  }
  bool connected() const override { return is_connected; }
  s7::Result<void> connect() override {
    ++connects;
    if (!up) return s7::Error(s7::Errc::connection_refused, "test server 127.0.0.1:1 is down");
    is_connected = true;
    return {};
  }
  void disconnect() override { is_connected = false; }
  // Breaks after taking this many samples of the next batch (they count as acknowledged).
  std::optional<std::size_t> break_after;
  std::size_t acked = 0;
  std::size_t acknowledged() const override { return acked; }
  s7::Result<void> deliver(std::span<const logger::Sample* const> batch, bool hist) override {
    acked = 0;
    if (break_after) {
      for (std::size_t i = 0; i < *break_after && i < batch.size(); ++i) {
        got.push_back(
            std::chrono::duration_cast<std::chrono::milliseconds>(batch[i]->ts.time_since_epoch())
                .count());
        historical.push_back(hist);
      }
      acked = std::min(*break_after, batch.size());
      break_after.reset();
      up = false;
    }
    if (!up) {
      is_connected = false;
      return s7::Error(s7::Errc::connection_refused, "test server 127.0.0.1:1 went away");
    }
    for (const auto* s : batch) {
      got.push_back(
          std::chrono::duration_cast<std::chrono::milliseconds>(s->ts.time_since_epoch()).count());
      historical.push_back(hist);
    }
    return {};
  }
  void link(const std::string& plc, logger::LinkState s) override { links.emplace_back(plc, s); }
};

logger::Sample at_ms(std::int64_t ms) {
  logger::Sample s;
  s.ts = logger::Clock::wall_time(std::chrono::milliseconds(ms));
  s.plc = "line1";
  s.group = "fast";
  s.values.push_back({s7::Value(static_cast<std::int64_t>(ms)), logger::Quality::ok});
  return s;
}

logger::NetworkSinkOptions options(const logger::testing::TempDir& dir, std::size_t batch = 10) {
  logger::NetworkSinkOptions o;
  o.name = "test";
  o.spool_dir = dir / "spool";
  o.batch_rows = batch;
  o.reconnect.initial = 1s;
  o.reconnect.jitter = 0;
  return o;
}

std::vector<std::int64_t> range(std::int64_t from, std::int64_t to) {
  std::vector<std::int64_t> v;
  for (auto i = from; i < to; ++i) v.push_back(i);
  return v;
}

TEST(NetworkSink, DeliversBatchesWhenIdleOrFull) {
  logger::testing::TempDir dir;
  ScriptedDelivery d;
  logger::FakeClock clock;
  logger::NetworkSink sink(d, options(dir, 3), nullptr, {}, &clock);
  ASSERT_TRUE(sink.open_group("line1", "fast", {}));
  EXPECT_EQ(d.opened, 1);
  ASSERT_TRUE(sink.write(at_ms(1)));
  ASSERT_TRUE(sink.write(at_ms(2)));
  EXPECT_TRUE(d.got.empty());  // not full, not idle yet
  EXPECT_EQ(sink.pending(), 2u);
  ASSERT_TRUE(sink.write(at_ms(3)));  // full
  EXPECT_EQ(d.got, range(1, 4));
  ASSERT_TRUE(sink.write(at_ms(4)));
  sink.idle();
  EXPECT_EQ(d.got, range(1, 5));
  EXPECT_EQ(sink.stats().delivered.load(), 4u);
  EXPECT_EQ(sink.pending(), 0u);
  for (bool h : d.historical) EXPECT_FALSE(h);
}

TEST(NetworkSink, ServerDownSpoolsThenReplaysInOrderAheadOfNewSamples) {
  logger::testing::TempDir dir;
  ScriptedDelivery d;
  logger::FakeClock clock;
  std::vector<std::string> told;
  logger::Stats total;
  logger::NetworkSink sink(
      d, options(dir, 5), &total, [&](const std::string& m) { told.push_back(m); }, &clock);
  ASSERT_TRUE(sink.open_group("line1", "fast", {}));
  ASSERT_TRUE(sink.write(at_ms(0)));
  sink.idle();
  d.up = false;
  for (int i = 1; i < 23; ++i) {
    ASSERT_TRUE(sink.write(at_ms(i)));
    sink.idle();
    clock.advance(100ms);
  }
  EXPECT_EQ(d.got, range(0, 1));
  EXPECT_EQ(sink.stats().spool_records.load(), 22u);
  EXPECT_EQ(sink.stats().oldest_spooled_ms.load(), 1);
  EXPECT_EQ(sink.pending(), 0u);  // every sample is in the spool: nothing only in memory
  ASSERT_FALSE(told.empty());
  EXPECT_NE(told.front().find("test server 127.0.0.1:1"), std::string::npos) << told.front();
  EXPECT_EQ(told.size(), 1u) << "one message per outage, not one per try";

  d.up = true;
  clock.advance(60s);  // past any backoff
  ASSERT_TRUE(sink.write(at_ms(23)));
  sink.idle();
  (void)sink.flush();
  (void)sink.flush();
  (void)sink.flush();
  EXPECT_EQ(d.got, range(0, 24)) << "each sample once, in order";
  EXPECT_EQ(sink.stats().spool_records.load(), 0u);
  EXPECT_EQ(sink.stats().oldest_spooled_ms.load(), 0);
  EXPECT_EQ(total.dropped_rows.load(), 0u);
  // The spooled ones went as historical; 0 and 23 live.
  EXPECT_FALSE(d.historical.front());
  EXPECT_TRUE(d.historical[1]);
  EXPECT_TRUE(d.historical[22]);
  EXPECT_NE(told.back().find("again"), std::string::npos) << told.back();
}

TEST(NetworkSink, WhatTheServerAcknowledgedBeforeItBrokeIsNotSentAgain) {
  logger::testing::TempDir dir;
  ScriptedDelivery d;
  logger::FakeClock clock;
  logger::NetworkSink sink(d, options(dir, 10), nullptr, {}, &clock);
  ASSERT_TRUE(sink.open_group("line1", "fast", {}));
  d.break_after = 4;  // the live batch 0..9 breaks after 4 acknowledgements
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(sink.write(at_ms(i)));
  EXPECT_EQ(sink.stats().spool_records.load(), 6u);
  // Replay breaks after 2 more.
  d.up = true;
  d.break_after = 2;
  clock.advance(60s);
  (void)sink.flush();
  EXPECT_EQ(sink.stats().spool_records.load(), 4u);
  d.up = true;
  clock.advance(60s);
  (void)sink.flush();
  EXPECT_EQ(d.got, range(0, 10)) << "each sample once";
  EXPECT_EQ(sink.stats().delivered.load(), 10u);
}

TEST(NetworkSink, SpoolOutlivesTheProcess) {
  logger::testing::TempDir dir;
  {
    ScriptedDelivery down;
    down.up = false;
    logger::FakeClock clock;
    logger::NetworkSink sink(down, options(dir), nullptr, {}, &clock);
    ASSERT_TRUE(sink.open_group("line1", "fast", {}));
    for (int i = 0; i < 7; ++i) ASSERT_TRUE(sink.write(at_ms(i)));
    sink.close();
  }
  ScriptedDelivery d;
  logger::FakeClock clock;
  std::vector<std::string> told;
  logger::NetworkSink sink(
      d, options(dir), nullptr, [&](const std::string& m) { told.push_back(m); }, &clock);
  ASSERT_TRUE(sink.open_group("line1", "fast", {}));
  ASSERT_FALSE(told.empty());
  EXPECT_NE(told.front().find("7 samples from an earlier run"), std::string::npos) << told.front();
  ASSERT_TRUE(sink.write(at_ms(7)));
  sink.idle();
  EXPECT_EQ(d.got, range(0, 8));
  sink.close();
  // Nothing is delivered twice by a third start.
  ScriptedDelivery again;
  logger::NetworkSink third(again, options(dir), nullptr, {}, &clock);
  ASSERT_TRUE(third.open_group("line1", "fast", {}));
  (void)third.flush();
  EXPECT_TRUE(again.got.empty());
}

TEST(NetworkSink, FullSpoolDropsTheOldestAndCountsThem) {
  logger::testing::TempDir dir;
  ScriptedDelivery d;
  d.up = false;
  logger::FakeClock clock;
  logger::Stats total;
  std::vector<std::string> told;
  auto o = options(dir, 1);
  o.spool_max = 64 * 1024;
  logger::NetworkSink sink(
      d, o, &total, [&](const std::string& m) { told.push_back(m); }, &clock);
  ASSERT_TRUE(sink.open_group("line1", "fast", {}));
  const int n = 5000;  // far more than 64 KiB of records
  for (int i = 0; i < n; ++i) ASSERT_TRUE(sink.write(at_ms(i)));
  const auto dropped = sink.stats().dropped.load();
  EXPECT_GT(dropped, 0u);
  EXPECT_EQ(total.dropped_rows.load(), dropped);
  EXPECT_LE(sink.stats().spool_bytes.load(), 64u * 1024u);
  bool said = false;
  for (const auto& m : told) said = said || m.find("full") != std::string::npos;
  EXPECT_TRUE(said);
  d.up = true;
  clock.advance(60s);
  for (int i = 0; i < 10000 && sink.stats().spool_records.load() > 0; ++i) (void)sink.flush();
  // What is left is the newest, in order, and with what was dropped makes up every sample.
  ASSERT_FALSE(d.got.empty());
  EXPECT_EQ(d.got.back(), n - 1);
  EXPECT_EQ(d.got, range(n - static_cast<std::int64_t>(d.got.size()), n));
  EXPECT_EQ(d.got.size() + dropped, static_cast<std::size_t>(n));
}

TEST(NetworkSink, ReconnectsWithBackoff) {
  logger::testing::TempDir dir;
  ScriptedDelivery d;
  d.up = false;
  logger::FakeClock clock;
  logger::NetworkSink sink(d, options(dir), nullptr, {}, &clock);
  ASSERT_TRUE(sink.open_group("line1", "fast", {}));
  (void)sink.flush();
  EXPECT_EQ(d.connects, 1);
  (void)sink.flush();
  (void)sink.flush();
  EXPECT_EQ(d.connects, 1) << "no new try before the backoff delay";
  clock.advance(1100ms);
  (void)sink.flush();
  EXPECT_EQ(d.connects, 2);
}

TEST(NetworkSink, WriteThenIsDoneOnceSpooledOrDelivered) {
  logger::testing::TempDir dir;
  ScriptedDelivery d;
  d.up = false;
  logger::FakeClock clock;
  logger::NetworkSink sink(d, options(dir), nullptr, {}, &clock);
  ASSERT_TRUE(sink.open_group("line1", "fast", {}));
  int done = 0;
  ASSERT_TRUE(sink.write_shared(std::make_shared<const logger::Sample>(at_ms(1)), [&] { ++done; }));
  EXPECT_EQ(done, 0);
  sink.idle();  // the server is down: the spool has it now
  EXPECT_EQ(done, 1);
}

TEST(NetworkSink, TellsTheDeliveryWhenAPlcLinkChanges) {
  logger::testing::TempDir dir;
  ScriptedDelivery d;
  logger::FakeClock clock;
  logger::NetworkSink sink(d, options(dir), nullptr, {}, &clock);
  logger::LinkState state = logger::LinkState::connected;
  sink.set_link_source([&](const std::string&) { return state; });
  ASSERT_TRUE(sink.open_group("line1", "fast", {}));
  (void)sink.flush();
  state = logger::LinkState::reconnecting;
  (void)sink.flush();
  (void)sink.flush();
  state = logger::LinkState::connected;
  (void)sink.flush();
  ASSERT_EQ(d.links.size(), 3u);
  EXPECT_EQ(d.links[0].second, logger::LinkState::connected);
  EXPECT_EQ(d.links[1].second, logger::LinkState::reconnecting);
  EXPECT_EQ(d.links[2].second, logger::LinkState::connected);
  EXPECT_EQ(d.links[0].first, "line1");
}

#ifndef _WIN32
// A spool that cannot be written (a full disk: here a file size limit) keeps the samples in
// memory, says which file and why once, and spools them when it can again.
TEST(NetworkSink, ASpoolThatCannotBeWrittenKeepsTheSamplesInMemory) {
  logger::testing::TempDir dir;
  ScriptedDelivery d;
  d.up = false;
  logger::FakeClock clock;
  std::vector<std::string> told;
  logger::Stats total;
  logger::NetworkSink sink(
      d, options(dir, 1), &total, [&](const std::string& m) { told.push_back(m); }, &clock);
  ASSERT_TRUE(sink.open_group("line1", "fast", {}));
  ASSERT_TRUE(sink.write(at_ms(0)));  // the first segment exists now
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  auto* previous = ::signal(SIGXFSZ, SIG_IGN);
  rlimit tight = old;
  tight.rlim_cur = 16;  // below the segment's size: every append fails
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &tight), 0);
  for (int i = 1; i < 6; ++i) ASSERT_TRUE(sink.write(at_ms(i)));
  ::setrlimit(RLIMIT_FSIZE, &old);
  ::signal(SIGXFSZ, previous);
  EXPECT_EQ(sink.pending(), 5u) << "waiting in memory, not lost";
  EXPECT_EQ(total.dropped_rows.load(), 0u);
  std::size_t said = 0;
  for (const auto& m : told)
    if (m.find("cannot write to the spool") != std::string::npos) {
      ++said;
      EXPECT_NE(m.find(".seg"), std::string::npos) << m;  // names the file
    }
  EXPECT_EQ(said, 1u);
  (void)sink.flush();  // the disk has room again
  EXPECT_EQ(sink.pending(), 0u);
  EXPECT_EQ(sink.stats().spool_records.load(), 6u);
  d.up = true;
  clock.advance(60s);
  (void)sink.flush();
  EXPECT_EQ(d.got, range(0, 6));
}
#endif

}  // namespace
