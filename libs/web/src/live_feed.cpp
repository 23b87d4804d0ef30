// LiveFeed: a bounded ring of recent samples per (PLC, group) with a condition variable for SSE
// streams.
#include "web/live_feed.hpp"

#include <algorithm>

namespace web {

LiveFeed::LiveFeed(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

s7::Result<void> LiveFeed::open(const std::vector<logger::TagInfo>& tags) {
  return open_group({}, {}, tags);
}

s7::Result<void> LiveFeed::open_group(const std::string& plc, const std::string& group,
                                      const std::vector<logger::TagInfo>& tags) {
  // Asked outside the lock: the lookup reads the logger's configuration, not the feed.
  std::optional<std::chrono::nanoseconds> interval;
  if (interval_lookup_) interval = interval_lookup_(plc, group);
  {
    std::lock_guard lock(mu_);
    if (closed_) {  // the first open of a new run: the groups it does not open go
      closed_ = false;
      prune_ = true;
      for (auto& g : groups_) g->opened_this_run = false;
    }
    LiveGroupKey key{plc, group};
    Group* g = find_locked(key);
    if (g == nullptr) {
      groups_.push_back(std::make_unique<Group>());
      g = groups_.back().get();
      g->key = std::move(key);
    }
    g->tags = tags;
    g->interval = interval;
    g->tags_version = next_version_++;
    g->ring.clear();  // old samples have other columns
    g->opened_this_run = true;
  }
  cv_.notify_all();
  return {};
}

void LiveFeed::close() {
  std::lock_guard lock(mu_);
  closed_ = true;
}

void LiveFeed::prune_locked() {
  prune_ = false;
  std::erase_if(groups_, [](const std::unique_ptr<Group>& g) { return !g->opened_this_run; });
}

s7::Result<void> LiveFeed::write(const logger::Sample& sample) {
  {
    std::lock_guard lock(mu_);
    if (prune_) prune_locked();
    Group* g = find_locked(LiveGroupKey{sample.plc, sample.group});
    if (g == nullptr && groups_.size() == 1) g = groups_.front().get();
    if (g == nullptr) return {};  // a group the feed was not opened for
    if (g->ring.size() >= capacity_) g->ring.pop_front();
    g->ring.push_back(LiveEntry{next_seq_++, sample});
  }
  cv_.notify_all();
  return {};
}

const LiveFeed::Group* LiveFeed::find_locked(const LiveGroupKey& key) const {
  for (const auto& g : groups_)
    if (g->key == key) return g.get();
  return nullptr;
}

LiveFeed::Group* LiveFeed::find_locked(const LiveGroupKey& key) {
  for (auto& g : groups_)
    if (g->key == key) return g.get();
  return nullptr;
}

std::size_t LiveFeed::size() const {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& g : groups_) n += g->ring.size();
  return n;
}

std::vector<LiveGroupInfo> LiveFeed::groups() const {
  std::lock_guard lock(mu_);
  std::vector<LiveGroupInfo> out;
  out.reserve(groups_.size());
  for (const auto& g : groups_) out.push_back({g->key, g->tags, g->interval, g->ring.size()});
  return out;
}

std::optional<LiveGroupKey> LiveFeed::first_group() const {
  std::lock_guard lock(mu_);
  if (groups_.empty()) return std::nullopt;
  return groups_.front()->key;
}

bool LiveFeed::has_group(const LiveGroupKey& key) const {
  std::lock_guard lock(mu_);
  return find_locked(key) != nullptr;
}

LiveSnapshot LiveFeed::snapshot_locked(const Group& g, std::size_t first) const {
  LiveSnapshot s;
  s.key = g.key;
  s.tags = g.tags;
  s.tags_version = g.tags_version;
  s.last_seq = g.ring.empty() ? 0 : g.ring.back().seq;
  if (first < g.ring.size()) {
    s.entries.assign(g.ring.begin() + static_cast<std::ptrdiff_t>(first), g.ring.end());
  }
  return s;
}

std::optional<LiveSnapshot> LiveFeed::recent(const LiveGroupKey& key, std::size_t n) const {
  std::lock_guard lock(mu_);
  const Group* g = find_locked(key);
  if (g == nullptr) return std::nullopt;
  return snapshot_locked(*g, g->ring.size() > n ? g->ring.size() - n : 0);
}

std::optional<LiveSnapshot> LiveFeed::since(const LiveGroupKey& key,
                                            std::uint64_t after_seq) const {
  std::lock_guard lock(mu_);
  const Group* g = find_locked(key);
  if (g == nullptr) return std::nullopt;
  // Sequence numbers rise along a ring (they are shared by the groups, so not consecutive).
  auto it = std::upper_bound(g->ring.begin(), g->ring.end(), after_seq,
                             [](std::uint64_t seq, const LiveEntry& e) { return seq < e.seq; });
  return snapshot_locked(*g, static_cast<std::size_t>(it - g->ring.begin()));
}

LiveSnapshot LiveFeed::recent(std::size_t n) const {
  auto key = first_group();
  if (!key) return {};
  return recent(*key, n).value_or(LiveSnapshot{});
}

LiveSnapshot LiveFeed::since(std::uint64_t after_seq) const {
  auto key = first_group();
  if (!key) return {};
  return since(*key, after_seq).value_or(LiveSnapshot{});
}

std::uint64_t LiveFeed::wait_newer(const LiveGroupKey& key, std::uint64_t after_seq,
                                   std::chrono::milliseconds timeout,
                                   const std::atomic<bool>& cancel) const {
  std::unique_lock lock(mu_);
  auto newest = [&]() -> std::optional<std::uint64_t> {
    const Group* g = find_locked(key);
    if (g == nullptr) return std::nullopt;
    return g->ring.empty() ? std::uint64_t{0} : g->ring.back().seq;
  };
  cv_.wait_for(lock, timeout, [&] {
    auto n = newest();
    return !n || *n > after_seq || cancel.load();
  });
  return newest().value_or(0);
}

std::uint64_t LiveFeed::wait_newer(std::uint64_t after_seq, std::chrono::milliseconds timeout,
                                   const std::atomic<bool>& cancel) const {
  std::unique_lock lock(mu_);
  auto newest = [&]() -> std::uint64_t {
    if (groups_.empty()) return 0;
    const auto& ring = groups_.front()->ring;
    return ring.empty() ? 0 : ring.back().seq;
  };
  cv_.wait_for(lock, timeout, [&] { return newest() > after_seq || cancel.load(); });
  return newest();
}

void LiveFeed::wake_all() {
  { std::lock_guard lock(mu_); }
  cv_.notify_all();
}

}  // namespace web
