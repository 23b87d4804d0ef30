// LineWriter's portable part: the bounded queue, the writer loop and close()'s grace period.
#include "platform/line_writer.hpp"

#include "line_writer_os.hpp"

namespace platform {

namespace {

void writer_loop(const std::shared_ptr<LineWriter::State>& state) {
  LineWriter::State& s = *state;
  std::unique_lock lock(s.mu);
  line_writer_os::thread_started(s);
  for (;;) {
    s.work.wait(lock, [&] { return !s.queue.empty() || s.closing; });
    if (s.queue.empty()) break;  // closing and nothing left
    std::string text = std::move(s.queue.front());
    s.queue.pop_front();
    s.bytes -= text.size();
    const bool broken = s.broken;
    lock.unlock();
    const bool ok = !broken && line_writer_os::write_all(s, text);
    lock.lock();
    if (!ok && !s.abandon.load()) {  // after abandon, close() has counted it
      s.dropped.fetch_add(1);
      s.broken = true;
    }
    ++s.written_total;
    s.written.notify_all();
  }
  line_writer_os::thread_ending(s);
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
      // The reader is still blocked: drop what is queued and the text being written, and get the
      // writer out of the write it is blocked in.
      state_->dropped.fetch_add(state_->queued_total - state_->written_total);
      state_->queue.clear();
      state_->bytes = 0;
      state_->abandon.store(true);
      line_writer_os::give_up_write(*state_);
    }
  }
  if (done) {
    thread_.join();
  } else {
    // It ends once its write gives up (within one poll slice on POSIX, once cancelled on
    // Windows); the state lives on through its copy.
    thread_.detach();
  }
}

std::uint64_t LineWriter::dropped_lines() const {
  return state_->dropped.load();
}

}  // namespace platform
