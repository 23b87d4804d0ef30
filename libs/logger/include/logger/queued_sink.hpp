// A sink behind its own bounded queue and thread, so a sink that blocks (a slow disk, a server
// that is down) never delays sampling.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "logger/sink.hpp"
#include "logger/stats.hpp"

namespace logger {

// Contract:
// - write() copies the sample into the queue (write_shared() keeps the caller's pointer) and
//   returns at once; the sink's thread hands the
//   samples to `inner` in order. It never blocks on `inner`.
// - When `capacity` samples wait, the oldest waiting sample is dropped to make room (the newest
//   data is kept), counted in Stats::dropped_rows (of `stats`) and in dropped(), and said once
//   per episode through `notify`.
// - open() and close() are queued behind the rows written before them and wait until the thread
//   did them (so open()'s error reaches the caller, and after close() every row was handed to
//   `inner`, which is closed). A later open() starts again. The destructor closes.
// - write_then(): `done` runs on the sink's thread once `inner` holds no row back any more
//   (Sink::pending() is 0 after the row was written): the row is in its file. While `inner`
//   holds rows back (a locked file), the thread retries with flush() every `retry`.
// - The thread calls inner.idle() whenever it has emptied the queue after a write, and, when
//   inner.wants_ticks(), flush() every `retry` while open even when nothing is pending.
// - After a backlog of at least kTrimAfterRows rows has been worked off, the thread returns free
//   heap memory to the system (platform::release_free_memory).
// - Thread-safety: every member may be called from any thread.
class QueuedSink : public Sink {
 public:
  using Notify = std::function<void(const std::string&)>;
  QueuedSink(Sink& inner, std::string name, std::size_t capacity, Stats* stats = nullptr,
             Notify notify = {}, std::chrono::milliseconds retry = std::chrono::milliseconds(1000));
  ~QueuedSink() override;

  s7::Result<void> open(const std::vector<TagInfo>& tags) override;
  s7::Result<void> open_group(const std::string& plc, const std::string& group,
                              const std::vector<TagInfo>& tags) override;
  s7::Result<void> write(const Sample& sample) override;
  s7::Result<void> write_then(const Sample& sample, std::function<void()> done) override;
  s7::Result<void> write_shared(const std::shared_ptr<const Sample>& sample,
                                std::function<void()> done = {}) override;
  // Queued: the thread flushes `inner` when it gets there.
  s7::Result<void> flush() override;
  void close() override;
  // Samples waiting in the queue plus the rows `inner` held back when last asked.
  std::size_t pending() const override;

  std::size_t depth() const;
  std::uint64_t dropped() const;
  const std::string& name() const { return name_; }

 private:
  enum class Op { open, write, flush, close };
  struct Entry {
    Op op = Op::write;
    std::shared_ptr<const Sample> sample;
    std::vector<TagInfo> tags;
    std::optional<std::pair<std::string, std::string>> group;  // open_group(): plc, group
    std::function<void()> done;
    std::uint64_t ticket = 0;  // call(): handled_ reaches it once done
  };
  s7::Result<void> open_group(const std::string& plc, const std::string& group,
                              const std::vector<TagInfo>& tags, bool named);
  void push(Entry e);
  // Queues `e` and waits until the thread handled it; its error, if any.
  s7::Result<void> call(Entry e);
  void loop();
  void fire_done(std::unique_lock<std::mutex>& lock);

  Sink& inner_;
  std::string name_;
  std::size_t capacity_;
  Stats* stats_;
  Notify notify_;
  std::chrono::milliseconds retry_;
  bool ticks_;  // inner_.wants_ticks(): flush() every retry_ while open, also when idle
  mutable std::mutex mu_;
  std::condition_variable cv_;       // the thread waits for work
  std::condition_variable idle_cv_;  // close() waits for the thread
  std::deque<Entry> queue_;
  std::size_t writes_queued_ = 0;  // write entries in queue_
  std::size_t peak_ = 0;           // most write entries waiting since the queue was last empty
  // A queue that held this many rows returns free heap memory to the system once it is empty.
  static constexpr std::size_t kTrimAfterRows = 1000;
  std::vector<std::function<void()>> waiting_done_;  // rows written but held back by `inner`
  std::size_t inner_pending_ = 0;
  std::uint64_t dropped_ = 0;
  bool told_dropping_ = false;
  bool opened_ = false;
  bool quit_ = false;
  std::uint64_t next_ticket_ = 0;
  std::uint64_t handled_ = 0;
  std::optional<s7::Error> call_error_;
  std::thread thread_;
};

}  // namespace logger
