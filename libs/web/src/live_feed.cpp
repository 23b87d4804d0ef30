// LiveFeed: bounded ring of recent samples with a condition variable for SSE streams.
#include "web/live_feed.hpp"

#include <algorithm>

namespace web {

LiveFeed::LiveFeed(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

s7::Result<void> LiveFeed::open(const std::vector<logger::TagInfo>& tags) {
  {
    std::lock_guard lock(mu_);
    tags_ = tags;
    ++tags_version_;
    ring_.clear();  // old samples have other columns
  }
  cv_.notify_all();
  return {};
}

s7::Result<void> LiveFeed::write(const logger::Sample& sample) {
  {
    std::lock_guard lock(mu_);
    if (ring_.size() >= capacity_) ring_.pop_front();
    ring_.push_back(LiveEntry{next_seq_++, sample});
  }
  cv_.notify_all();
  return {};
}

std::size_t LiveFeed::size() const {
  std::lock_guard lock(mu_);
  return ring_.size();
}

LiveSnapshot LiveFeed::snapshot_locked(std::size_t first) const {
  LiveSnapshot s;
  s.tags = tags_;
  s.tags_version = tags_version_;
  s.last_seq = ring_.empty() ? 0 : ring_.back().seq;
  if (first < ring_.size()) {
    s.entries.assign(ring_.begin() + static_cast<std::ptrdiff_t>(first), ring_.end());
  }
  return s;
}

LiveSnapshot LiveFeed::recent(std::size_t n) const {
  std::lock_guard lock(mu_);
  return snapshot_locked(ring_.size() > n ? ring_.size() - n : 0);
}

LiveSnapshot LiveFeed::since(std::uint64_t after_seq) const {
  std::lock_guard lock(mu_);
  // Sequence numbers in the ring are consecutive, so the first wanted index is computed.
  std::size_t first = ring_.size();
  if (!ring_.empty()) {
    std::uint64_t front = ring_.front().seq;
    first = after_seq < front ? 0 : static_cast<std::size_t>(after_seq - front + 1);
  }
  return snapshot_locked(first);
}

std::uint64_t LiveFeed::wait_newer(std::uint64_t after_seq, std::chrono::milliseconds timeout,
                                   const std::atomic<bool>& cancel) const {
  std::unique_lock lock(mu_);
  auto newest = [&] { return ring_.empty() ? std::uint64_t{0} : ring_.back().seq; };
  cv_.wait_for(lock, timeout, [&] { return newest() > after_seq || cancel.load(); });
  return newest();
}

void LiveFeed::wake_all() {
  { std::lock_guard lock(mu_); }
  cv_.notify_all();
}

}  // namespace web
