// LiveFeed: the sink behind the live page, a ring buffer of recent samples per (PLC, group) that
// HTTP threads read.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "logger/sample.hpp"
#include "logger/sink.hpp"

namespace web {

// Names a group of the feed: the PLC's and the group's names as the logger's samples carry them
// (Sample::plc, Sample::group; both empty for a plain one-PLC config).
struct LiveGroupKey {
  std::string plc;
  std::string group;
  friend bool operator==(const LiveGroupKey&, const LiveGroupKey&) = default;
};

// One buffered sample with its sequence number (1, 2, 3, ... since construction, over every
// group; never reused, also across open() calls, so SSE event ids stay monotonic).
struct LiveEntry {
  std::uint64_t seq = 0;
  logger::Sample sample;
};

// A consistent copy of one group: its names, tags and the requested entries (oldest first).
struct LiveSnapshot {
  LiveGroupKey key;
  std::vector<logger::TagInfo> tags;
  std::uint64_t tags_version = 0;  // changes on every open of the group
  std::vector<LiveEntry> entries;
  std::uint64_t last_seq = 0;  // seq of the group's newest sample held (0: none yet)
};

// What the feed holds of a group (for /api/groups).
struct LiveGroupInfo {
  LiveGroupKey key;
  std::vector<logger::TagInfo> tags;
  std::optional<std::chrono::nanoseconds> interval;  // when the interval lookup knew it
  std::size_t held = 0;                              // samples held
};

// Thread-safety: open()/open_group()/write()/close() from one thread at a time (the agent's
// queue thread), everything else from any thread. write() copies the sample under a mutex and
// never blocks on readers for long.
//
// Groups: open_group(plc, group, tags) makes (or reopens: new tags, empty ring) the group's ring;
// write() puts a sample into the ring its plc/group name. open(tags) is the one-group case, the
// group ("", ""). A sample naming no known group goes to the only group when there is one (a sink
// opened with open() gets every sample), and is dropped otherwise. After close(), the next opens
// start a new set: groups not opened again are dropped at the first write after them (a reload
// that removed a group).
class LiveFeed : public logger::Sink {
 public:
  // Answers a group's interval when the feed opens it (called inside open_group(), on the
  // thread that opens; see set_interval_lookup()).
  using IntervalLookup = std::function<std::optional<std::chrono::nanoseconds>(
      const std::string& plc, const std::string& group)>;

  // Keeps the newest `capacity` samples (at least 1) of each group.
  explicit LiveFeed(std::size_t capacity = 3600);

  s7::Result<void> open(const std::vector<logger::TagInfo>& tags) override;
  s7::Result<void> open_group(const std::string& plc, const std::string& group,
                              const std::vector<logger::TagInfo>& tags) override;
  s7::Result<void> write(const logger::Sample& sample) override;
  void close() override;

  // Set before the first open (not thread-safe against open_group()).
  void set_interval_lookup(IntervalLookup lookup) { interval_lookup_ = std::move(lookup); }

  std::size_t capacity() const { return capacity_; }
  // Samples held over every group.
  std::size_t size() const;

  // The groups in the order they were first opened.
  std::vector<LiveGroupInfo> groups() const;
  // The first group's key (the default of the page and the API); nullopt before any open.
  std::optional<LiveGroupKey> first_group() const;
  bool has_group(const LiveGroupKey& key) const;

  // The newest `n` samples of a group (fewer when fewer are held); nullopt for an unknown group.
  std::optional<LiveSnapshot> recent(const LiveGroupKey& key, std::size_t n) const;
  // The samples of a group with seq > `after_seq` (those still held).
  std::optional<LiveSnapshot> since(const LiveGroupKey& key, std::uint64_t after_seq) const;
  // The one-group forms: the first group (an empty snapshot before any open).
  LiveSnapshot recent(std::size_t n) const;
  LiveSnapshot since(std::uint64_t after_seq) const;

  // Blocks until the group holds a sample with seq > `after_seq`, `timeout` passes, `cancel` is
  // set, the group is dropped or wake_all() is called. Returns the group's newest seq held (0
  // for an unknown group).
  std::uint64_t wait_newer(const LiveGroupKey& key, std::uint64_t after_seq,
                           std::chrono::milliseconds timeout,
                           const std::atomic<bool>& cancel) const;
  // The one-group form: the first group.
  std::uint64_t wait_newer(std::uint64_t after_seq, std::chrono::milliseconds timeout,
                           const std::atomic<bool>& cancel) const;
  // Wakes every wait_newer() (used by the server on stop).
  void wake_all();

 private:
  struct Group {
    LiveGroupKey key;
    std::vector<logger::TagInfo> tags;
    std::optional<std::chrono::nanoseconds> interval;
    std::uint64_t tags_version = 0;
    std::deque<LiveEntry> ring;
    bool opened_this_run = false;
  };
  const Group* find_locked(const LiveGroupKey& key) const;
  Group* find_locked(const LiveGroupKey& key);
  LiveSnapshot snapshot_locked(const Group& g, std::size_t first) const;
  void prune_locked();

  std::size_t capacity_;
  IntervalLookup interval_lookup_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<std::unique_ptr<Group>> groups_;  // in first-open order
  std::uint64_t next_seq_ = 1;
  std::uint64_t next_version_ = 1;
  bool closed_ = false;  // close() was called: the next opens start a new set of groups
  bool prune_ = false;   // drop the groups not opened again at the next write
};

}  // namespace web
