// LineWriter on POSIX: a thread that waits for the descriptor with poll(2), so it can give up on
// a reader that never reads again instead of sitting in write(2) for good.
#include "platform/line_writer.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <mutex>

namespace platform {

struct LineWriter::State {
  explicit State(int f, std::size_t max) : fd(f), max_bytes(max) {}
  const int fd;
  const std::size_t max_bytes;
  std::mutex mu;
  std::condition_variable work;     // the writer waits here for text or close
  std::condition_variable written;  // flush() and close() wait here
  std::deque<std::string> queue;
  std::size_t bytes = 0;            // queued, not yet taken by the writer
  std::uint64_t queued_total = 0;   // texts accepted so far
  std::uint64_t written_total = 0;  // texts finished (written or given up)
  bool closing = false;
  bool done = false;                 // the writer thread has ended
  bool broken = false;               // the descriptor failed (EPIPE, EIO...): drop from now on
  std::atomic<bool> abandon{false};  // close() ran out of grace: stop waiting for the fd
  std::atomic<std::uint64_t> dropped{0};
};

namespace {

// Writes all of `text`, waiting for the descriptor in slices so that `abandon` is seen. A pipe
// takes up to PIPE_BUF bytes at once without blocking once poll says it is writable.
bool write_all(LineWriter::State& s, const std::string& text) {
  std::size_t off = 0;
  while (off < text.size()) {
    if (s.abandon.load()) return false;
    pollfd p{s.fd, POLLOUT, 0};
    const int ready = ::poll(&p, 1, 100);
    if (ready < 0 && errno != EINTR) return false;
    if (ready <= 0) continue;
    if ((p.revents & (POLLERR | POLLNVAL)) != 0) return false;
    const std::size_t chunk = std::min<std::size_t>(text.size() - off, PIPE_BUF);
    const ssize_t n = ::write(s.fd, text.data() + off, chunk);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return false;
    }
    off += static_cast<std::size_t>(n);
  }
  return true;
}

void writer_loop(const std::shared_ptr<LineWriter::State>& state) {
  LineWriter::State& s = *state;
  std::unique_lock lock(s.mu);
  for (;;) {
    s.work.wait(lock, [&] { return !s.queue.empty() || s.closing; });
    if (s.queue.empty()) break;  // closing and nothing left
    std::string text = std::move(s.queue.front());
    s.queue.pop_front();
    s.bytes -= text.size();
    const bool broken = s.broken;
    lock.unlock();
    const bool ok = !broken && write_all(s, text);
    lock.lock();
    if (!ok && !s.abandon.load()) {  // after abandon, close() has counted it
      s.dropped.fetch_add(1);
      s.broken = true;
    }
    ++s.written_total;
    s.written.notify_all();
  }
  s.done = true;
  s.written.notify_all();
}

}  // namespace

LineWriter::LineWriter(int fd, std::size_t max_bytes)
    : state_(std::make_shared<State>(fd, max_bytes)) {
  thread_ = std::thread(writer_loop, state_);
}

LineWriter::~LineWriter() {
  close();
}

bool LineWriter::write(std::string text) {
  {
    std::lock_guard lock(state_->mu);
    if (state_->closing || state_->broken || state_->bytes + text.size() > state_->max_bytes) {
      state_->dropped.fetch_add(1);
      return false;
    }
    state_->bytes += text.size();
    state_->queue.push_back(std::move(text));
    ++state_->queued_total;
  }
  state_->work.notify_one();
  return true;
}

bool LineWriter::flush(std::chrono::milliseconds grace) {
  std::unique_lock lock(state_->mu);
  const std::uint64_t target = state_->queued_total;
  return state_->written.wait_for(lock, grace, [&] {
    return state_->written_total >= target || state_->done;
  }) && state_->written_total >= target;
}

void LineWriter::close(std::chrono::milliseconds grace) {
  if (!thread_.joinable()) return;
  bool done = false;
  {
    std::unique_lock lock(state_->mu);
    state_->closing = true;
    state_->work.notify_all();
    done = state_->written.wait_for(lock, grace, [&] { return state_->done; });
    if (!done) {
      // The reader is still blocked: drop what is queued and the text being written, stop
      // waiting for the descriptor.
      state_->dropped.fetch_add(state_->queued_total - state_->written_total);
      state_->queue.clear();
      state_->bytes = 0;
      state_->abandon.store(true);
    }
  }
  if (done) {
    thread_.join();
  } else {
    thread_.detach();  // it ends within one poll slice; the state stays alive through its copy
  }
}

std::uint64_t LineWriter::dropped_lines() const {
  return state_->dropped.load();
}

}  // namespace platform
