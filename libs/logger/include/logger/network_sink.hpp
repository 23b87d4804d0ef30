// A network output (PostgreSQL, MQTT): batches samples for its Delivery, spools them on disk while
// the server cannot take them, replays the spool in order when it is back.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "logger/backoff.hpp"
#include "logger/clock.hpp"
#include "logger/delivery.hpp"
#include "logger/sink.hpp"
#include "logger/spool.hpp"
#include "logger/stats.hpp"

namespace logger {

struct NetworkSinkOptions {
  std::string name;       // "postgres", "mqtt": messages and /metrics
  std::string spool_dir;  // the spool's folder (one per output and process)
  std::uint64_t spool_max = std::uint64_t{1} << 30;  // bytes
  bool spool_fsync = false;                          // fsync each spool append (power loss)
  std::size_t batch_rows = 1000;  // a batch is delivered once this many wait (or when idle)
  BackoffPolicy reconnect;        // between connection attempts
};

// Counters of one network output, readable from any thread (/metrics, the run's summary).
struct SinkStats {
  std::string name;
  std::atomic<std::uint64_t> delivered{0};      // samples the server acknowledged
  std::atomic<std::uint64_t> dropped{0};        // samples lost (spool full, spool unwritable)
  std::atomic<std::uint64_t> spooled{0};        // samples that went through the spool
  std::atomic<std::uint64_t> spool_records{0};  // waiting in the spool now
  std::atomic<std::uint64_t> spool_bytes{0};
  std::atomic<std::int64_t> oldest_spooled_ms{0};  // unix ms of the oldest spooled sample; 0: none
  std::atomic<std::uint64_t> failures{0};          // failed connects and deliveries
  std::atomic<bool> connected{false};
  std::atomic<std::size_t> queue_depth{0};  // set by the owner from its QueuedSink
};

// Contract:
// - Sits behind a QueuedSink (one thread calls every member but stats()).
// - open() opens the spool (once; what its recovery cut is told through `notify`). Samples
//   spooled by an earlier run are replayed first.
// - write()/write_shared() keep the sample in a batch; idle() (the queue emptied), flush() and a
//   full batch deliver: spool empty and server connected -> deliver(batch); otherwise the batch
//   is appended to the spool. A delivery that fails appends the batch to the spool. While the
//   spool holds records, new batches go behind them, so the server sees every sample in order.
// - Replay: oldest first, batch_rows at a time with historical = true; a record leaves the spool
//   only after the delivery acknowledged it (a crash in between replays it again: the delivery
//   takes duplicates, see Delivery).
// - Connection attempts follow `reconnect` backoff; the first failure of an episode and the
//   recovery are told through `notify` (one line each, naming the server).
// - A sample is lost only when the spool drops it (full: oldest first) or cannot write it: both
//   are counted in SinkStats::dropped and in `stats`->dropped_rows.
// - close() delivers or spools what it holds; the spool keeps the rest for the next run.
class NetworkSink : public Sink {
 public:
  using Notify = std::function<void(const std::string&)>;
  using LinkOf = std::function<LinkState(const std::string& plc)>;
  NetworkSink(Delivery& delivery, NetworkSinkOptions options, Stats* stats = nullptr,
              Notify notify = {}, Clock* clock = nullptr);
  ~NetworkSink() override;

  // Where the PLCs' link states come from (for Delivery::link); checked at every tick.
  void set_link_source(LinkOf link_of) { link_of_ = std::move(link_of); }

  s7::Result<void> open(const std::vector<TagInfo>& tags) override;
  s7::Result<void> open_group(const std::string& plc, const std::string& group,
                              const std::vector<TagInfo>& tags) override;
  s7::Result<void> write(const Sample& sample) override;
  s7::Result<void> write_shared(const std::shared_ptr<const Sample>& sample,
                                std::function<void()> done = {}) override;
  s7::Result<void> flush() override;
  void idle() override;
  bool wants_ticks() const override { return true; }
  void close() override;
  // Samples neither delivered nor spooled yet (a write_then() row is done once they are).
  std::size_t pending() const override;

  SinkStats& stats() { return stats_; }
  const SinkStats& stats() const { return stats_; }
  const std::string& describe() const { return server_; }

 private:
  s7::Result<void> ensure_spool();
  void pump(bool closing);
  bool ensure_connected();
  bool replay();
  void spool_batch();
  void lost(std::uint64_t n, const std::string& why);
  void publish_spool_stats();
  void check_links();

  Delivery& delivery_;
  NetworkSinkOptions options_;
  Stats* total_;
  Notify notify_;
  Clock* clock_;
  std::unique_ptr<Clock> own_clock_;
  std::string server_;
  SinkStats stats_;
  LinkOf link_of_;
  std::map<std::string, LinkState> links_;
  std::unique_ptr<Spool> spool_;
  std::vector<std::shared_ptr<const Sample>> batch_;
  std::vector<std::function<void()>> done_;  // write_then()s of the batch
  Backoff backoff_;
  Clock::steady_time next_attempt_{};
  bool down_told_ = false;
  bool spool_error_told_ = false;
  std::vector<std::uint8_t> scratch_;
};

}  // namespace logger
