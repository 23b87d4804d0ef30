// QueuedSink tests: a blocked sink never blocks the writer; order, bound, drops, acknowledgements.
#include "logger/queued_sink.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>

#include "fake_reader.hpp"
#include "logger/source.hpp"
#include "logger/tag.hpp"

using namespace std::chrono_literals;

namespace {

// A sink whose write() blocks until released (a hung disk), and that can hold rows back like a
// locked file (pending()).
class GateSink : public logger::Sink {
 public:
  std::vector<std::int64_t> seen;  // ts in ms of the rows written
  std::size_t held = 0;
  s7::Result<void> open(const std::vector<logger::TagInfo>&) override { return {}; }
  s7::Result<void> write(const logger::Sample& s) override {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return open_; });
    seen.push_back(
        std::chrono::duration_cast<std::chrono::milliseconds>(s.ts.time_since_epoch()).count());
    return {};
  }
  s7::Result<void> flush() override {
    std::lock_guard<std::mutex> lock(mu_);
    ++flushes;
    return {};
  }
  std::size_t pending() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return held;
  }
  void release() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void hold(std::size_t n) {
    std::lock_guard<std::mutex> lock(mu_);
    held = n;
  }
  int flushes = 0;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

logger::Sample at_ms(std::int64_t ms) {
  logger::Sample s;
  s.ts = logger::Clock::wall_time(std::chrono::milliseconds(ms));
  return s;
}

}  // namespace

TEST(QueuedSink, ABlockedSinkNeverDelaysSamplingAndGetsEveryRowInOrderLater) {
  // A source at 100 ms on the fake clock: 1,000 slots run through while the sink hangs.
  logger::FakeClock clock(logger::Clock::wall_time(std::chrono::seconds(1'800'000'000)));
  logger::testing::FakeReader reader(&clock);
  reader.course_db(1, false);
  GateSink gate;
  logger::Stats stats;
  logger::QueuedSink queued(gate, "gate", 10'000, &stats);
  logger::GroupOptions g;
  g.name = "fast";
  g.interval = 100ms;
  g.tags = logger::course_tags();
  g.sinks.rows.push_back(&queued);
  logger::SourceOptions so;
  so.max_slots = 1000;
  so.backoff_seed = 1;
  so.manage_sinks = false;
  ASSERT_TRUE(queued.open(g.tags).ok());
  std::vector<logger::GroupOptions> groups;
  groups.push_back(std::move(g));
  logger::Source src(reader, clock, so, std::move(groups), stats);
  auto done = std::async(std::launch::async, [&] {
    std::atomic<bool> stop{false};
    return src.run(stop).ok();
  });
  // Sampling finishes although the sink has not taken a single row.
  const bool finished = done.wait_for(20s) == std::future_status::ready;
  gate.release();
  ASSERT_TRUE(finished) << "sampling waited for a blocked sink";
  EXPECT_TRUE(done.get());
  EXPECT_EQ(stats.skipped_samples.load(), 0u);
  queued.close();  // waits until the sink took every row
  ASSERT_EQ(gate.seen.size(), 1000u);
  for (std::size_t i = 1; i < gate.seen.size(); ++i)
    EXPECT_EQ(gate.seen[i] - gate.seen[i - 1], 100);
  EXPECT_EQ(stats.dropped_rows.load(), 0u);
}

TEST(QueuedSink, AFullQueueDropsTheOldestRowsCountsThemAndSaysSoOnce) {
  GateSink gate;
  logger::Stats stats;
  std::vector<std::string> messages;
  logger::QueuedSink queued(gate, "plant.csv", 5, &stats,
                            [&](const std::string& m) { messages.push_back(m); });
  ASSERT_TRUE(queued.open({}).ok());
  // The thread may already hold the first row (blocked in write): it is not in the queue.
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(queued.write(at_ms(i)).ok());
  EXPECT_LE(queued.depth(), 5u);
  gate.release();
  queued.close();
  // The newest five always arrive; what was dropped is counted, nothing else is lost.
  ASSERT_GE(gate.seen.size(), 5u);
  EXPECT_EQ(gate.seen.back(), 19);
  EXPECT_EQ(gate.seen.size() + stats.dropped_rows.load(), 20u);
  EXPECT_EQ(queued.dropped(), stats.dropped_rows.load());
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("plant.csv: 5 rows are waiting"), std::string::npos) << messages[0];
}

TEST(QueuedSink, AcknowledgesARowOnlyOnceTheSinkHoldsNothingBack) {
  GateSink gate;
  gate.release();
  gate.hold(1);  // like a locked file: the row waits in the sink's buffer
  logger::QueuedSink queued(gate, "batch.csv", 100, nullptr, {}, 10ms);
  ASSERT_TRUE(queued.open({}).ok());
  std::promise<void> acked;
  ASSERT_TRUE(queued.write_then(at_ms(1), [&] { acked.set_value(); }).ok());
  auto f = acked.get_future();
  EXPECT_EQ(f.wait_for(200ms), std::future_status::timeout);  // held back: no acknowledgement
  gate.hold(0);                                               // the file is free again
  EXPECT_EQ(f.wait_for(20s), std::future_status::ready);
  EXPECT_GT(gate.flushes, 0);  // the thread retried by itself, with no new row coming
  queued.close();
}
