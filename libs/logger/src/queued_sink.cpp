// QueuedSink: a bounded queue and one thread in front of a sink.
#include "logger/queued_sink.hpp"

#include <algorithm>
#include <optional>

#include "platform/memory.hpp"

namespace logger {

QueuedSink::QueuedSink(Sink& inner, std::string name, std::size_t capacity, Stats* stats,
                       Notify notify, std::chrono::milliseconds retry)
    : inner_(inner),
      name_(std::move(name)),
      capacity_(capacity == 0 ? 1 : capacity),
      stats_(stats),
      notify_(std::move(notify)),
      retry_(retry),
      ticks_(inner.wants_ticks()) {}

QueuedSink::~QueuedSink() {
  close();
  {
    std::lock_guard<std::mutex> lock(mu_);
    quit_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

s7::Result<void> QueuedSink::open(const std::vector<TagInfo>& tags) {
  return open_group({}, {}, tags, false);
}

s7::Result<void> QueuedSink::open_group(const std::string& plc, const std::string& group,
                                        const std::vector<TagInfo>& tags) {
  return open_group(plc, group, tags, true);
}

s7::Result<void> QueuedSink::open_group(const std::string& plc, const std::string& group,
                                        const std::vector<TagInfo>& tags, bool named) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
  }
  Entry e;
  e.op = Op::open;
  e.tags = tags;
  if (named) e.group = std::pair{plc, group};
  return call(std::move(e));
}

s7::Result<void> QueuedSink::call(Entry e) {
  std::unique_lock<std::mutex> lock(mu_);
  e.ticket = ++next_ticket_;
  const auto ticket = e.ticket;
  queue_.push_back(std::move(e));
  cv_.notify_all();
  idle_cv_.wait(lock, [&] { return handled_ >= ticket; });
  if (!call_error_) return {};
  auto err = std::move(*call_error_);
  call_error_.reset();
  return err;
}

s7::Result<void> QueuedSink::write(const Sample& sample) {
  return write_then(sample, {});
}

s7::Result<void> QueuedSink::write_then(const Sample& sample, std::function<void()> done) {
  return write_shared(std::make_shared<const Sample>(sample), std::move(done));
}

s7::Result<void> QueuedSink::write_shared(const std::shared_ptr<const Sample>& sample,
                                          std::function<void()> done) {
  Entry e;
  e.sample = sample;
  e.done = std::move(done);
  push(std::move(e));
  return {};
}

s7::Result<void> QueuedSink::flush() {
  Entry e;
  e.op = Op::flush;
  push(std::move(e));
  return {};
}

void QueuedSink::close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!opened_ || !thread_.joinable()) return;
  }
  Entry e;
  e.op = Op::close;
  (void)call(std::move(e));
}

void QueuedSink::push(Entry e) {
  std::string told;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (e.op == Op::write) {
      if (writes_queued_ >= capacity_) {
        // Full: drop the oldest waiting row (keep the newest data).
        for (auto it = queue_.begin(); it != queue_.end(); ++it)
          if (it->op == Op::write) {
            queue_.erase(it);
            --writes_queued_;
            break;
          }
        ++dropped_;
        if (stats_ != nullptr) stats_->dropped_rows.fetch_add(1);
        if (!told_dropping_) {
          told_dropping_ = true;
          told = name_ + ": " + std::to_string(capacity_) +
                 " rows are waiting for this output; dropping the oldest to keep sampling";
        }
      }
      ++writes_queued_;
    }
    queue_.push_back(std::move(e));
    peak_ = std::max(peak_, writes_queued_);
  }
  cv_.notify_one();
  if (!told.empty() && notify_) notify_(told);
}

void QueuedSink::fire_done(std::unique_lock<std::mutex>& lock) {
  if (inner_pending_ != 0 || waiting_done_.empty()) return;
  auto done = std::move(waiting_done_);
  waiting_done_.clear();
  lock.unlock();
  for (auto& d : done) d();
  lock.lock();
}

void QueuedSink::loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (queue_.empty()) {
      if (quit_) return;
      if (inner_pending_ > 0 || (ticks_ && opened_)) {
        // Rows held back (a locked file): retry now and then, also when no new row comes.
        if (!cv_.wait_for(lock, retry_, [&] { return !queue_.empty() || quit_; })) {
          lock.unlock();
          (void)inner_.flush();
          const auto p = inner_.pending();
          lock.lock();
          inner_pending_ = p;
          fire_done(lock);
        }
      } else {
        cv_.wait(lock, [&] { return !queue_.empty() || quit_; });
      }
      continue;
    }
    Entry e = std::move(queue_.front());
    queue_.pop_front();
    if (e.op == Op::write) {
      --writes_queued_;
      if (writes_queued_ == 0) told_dropping_ = false;
    }
    lock.unlock();
    std::optional<s7::Error> failed;
    switch (e.op) {
      case Op::write:
        if (auto r = inner_.write_shared(e.sample); !r) failed = r.error();
        break;
      case Op::open:
        if (auto r = e.group ? inner_.open_group(e.group->first, e.group->second, e.tags)
                             : inner_.open(e.tags);
            !r)
          failed = r.error();
        break;
      case Op::flush:
        (void)inner_.flush();
        break;
      case Op::close:
        inner_.close();
        break;
    }
    if (e.op == Op::write) {
      lock.lock();
      const bool drained = queue_.empty();
      // A backlog (a server that was slow to connect, a disk that was full) left the heap
      // large: once it is worked off, give the memory back rather than keep it for the run.
      const bool trim = drained && peak_ >= kTrimAfterRows;
      if (drained) peak_ = 0;
      lock.unlock();
      if (drained) inner_.idle();
      if (trim) platform::release_free_memory();
    }
    const auto p = inner_.pending();
    if (failed && e.ticket == 0 && notify_) notify_(failed->what());
    lock.lock();
    inner_pending_ = p;
    if (e.done) waiting_done_.push_back(std::move(e.done));
    fire_done(lock);
    if (e.op == Op::open && !failed) opened_ = true;
    if (e.op == Op::close) opened_ = false;
    if (e.ticket != 0) {
      call_error_ = std::move(failed);
      handled_ = e.ticket;
      idle_cv_.notify_all();
    }
  }
}

std::size_t QueuedSink::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return writes_queued_ + inner_pending_;
}

std::size_t QueuedSink::depth() const {
  std::lock_guard<std::mutex> lock(mu_);
  return writes_queued_;
}

std::uint64_t QueuedSink::dropped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dropped_;
}

}  // namespace logger
