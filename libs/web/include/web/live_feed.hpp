// LiveFeed: the sink behind the live page, a ring buffer of recent samples that HTTP threads read.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "logger/sample.hpp"
#include "logger/sink.hpp"

namespace web {

// One buffered sample with its sequence number (1, 2, 3, ... since construction; never reused,
// also across open() calls, so SSE event ids stay monotonic).
struct LiveEntry {
  std::uint64_t seq = 0;
  logger::Sample sample;
};

// A consistent copy of the feed: tags and the requested entries (oldest first).
struct LiveSnapshot {
  std::vector<logger::TagInfo> tags;
  std::uint64_t tags_version = 0;  // changes on every open()
  std::vector<LiveEntry> entries;
  std::uint64_t last_seq = 0;  // seq of the newest sample held (0: none yet)
};

// Thread-safety: write()/open()/close() from the sampling thread, everything else from any
// thread. write() copies the sample under a mutex and never blocks on readers for long.
class LiveFeed : public logger::Sink {
 public:
  // Keeps the newest `capacity` samples (at least 1).
  explicit LiveFeed(std::size_t capacity = 3600);

  s7::Result<void> open(const std::vector<logger::TagInfo>& tags) override;
  s7::Result<void> write(const logger::Sample& sample) override;

  std::size_t capacity() const { return capacity_; }
  std::size_t size() const;

  // The newest `n` samples (fewer when fewer are held).
  LiveSnapshot recent(std::size_t n) const;
  // The samples with seq > `after_seq` (those still held).
  LiveSnapshot since(std::uint64_t after_seq) const;

  // Blocks until a sample with seq > `after_seq` exists, `timeout` passes, `cancel` is set or
  // wake_all() is called. Returns the newest seq held.
  std::uint64_t wait_newer(std::uint64_t after_seq, std::chrono::milliseconds timeout,
                           const std::atomic<bool>& cancel) const;
  // Wakes every wait_newer() (used by the server on stop).
  void wake_all();

 private:
  LiveSnapshot snapshot_locked(std::size_t first) const;

  std::size_t capacity_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<logger::TagInfo> tags_;
  std::uint64_t tags_version_ = 0;
  std::deque<LiveEntry> ring_;
  std::uint64_t next_seq_ = 1;
};

}  // namespace web
