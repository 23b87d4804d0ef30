// LineWriter on Windows: a thread that writes with WriteFile (WriteConsoleW on a console); a write
// that a reader keeps blocked is cancelled with CancelSynchronousIo when close() gives up on it.
#include "platform/line_writer.hpp"

#include <windows.h>

#include <io.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "wide.hpp"

namespace platform {

namespace {

HANDLE std_handle(int fd) {
  if (fd == 1) return ::GetStdHandle(STD_OUTPUT_HANDLE);
  if (fd == 2) return ::GetStdHandle(STD_ERROR_HANDLE);
  return reinterpret_cast<HANDLE>(::_get_osfhandle(fd));
}

}  // namespace

struct LineWriter::State {
  State(int fd, std::size_t max) : handle(std_handle(fd)), max_bytes(max) {
    DWORD mode = 0;
    valid = handle != nullptr && handle != INVALID_HANDLE_VALUE;
    console = valid && ::GetFileType(handle) == FILE_TYPE_CHAR && ::GetConsoleMode(handle, &mode);
  }
  const HANDLE handle;
  bool valid = false;
  bool console = false;  // written as UTF-16 (WriteConsoleW): right whatever the code page
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
  bool broken = false;               // the handle failed (pipe closed...): drop from now on
  HANDLE writer_thread = nullptr;    // for CancelSynchronousIo; guarded by mu
  std::atomic<bool> abandon{false};  // close() ran out of grace: stop writing
  std::atomic<std::uint64_t> dropped{0};
};

namespace {

// Writes all of `text`; a blocking WriteFile that close() cancels fails with
// ERROR_OPERATION_ABORTED.
bool write_all(LineWriter::State& s, const std::string& text) {
  if (!s.valid) return false;
  if (s.console) {
    const std::wstring wide = win32::widen(text);
    std::size_t off = 0;
    while (off < wide.size()) {
      if (s.abandon.load()) return false;
      DWORD n = 0;
      const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(wide.size() - off, 8192));
      if (!::WriteConsoleW(s.handle, wide.data() + off, chunk, &n, nullptr) || n == 0) return false;
      off += n;
    }
    return true;
  }
  std::size_t off = 0;
  while (off < text.size()) {
    if (s.abandon.load()) return false;
    DWORD n = 0;
    const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(text.size() - off, 1 << 16));
    if (!::WriteFile(s.handle, text.data() + off, chunk, &n, nullptr)) return false;
    off += n;
  }
  return true;
}

void writer_loop(const std::shared_ptr<LineWriter::State>& state) {
  LineWriter::State& s = *state;
  std::unique_lock lock(s.mu);
  HANDLE self = nullptr;
  if (::DuplicateHandle(::GetCurrentProcess(), ::GetCurrentThread(), ::GetCurrentProcess(), &self,
                        0, FALSE, DUPLICATE_SAME_ACCESS))
    s.writer_thread = self;
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
  if (s.writer_thread != nullptr) ::CloseHandle(s.writer_thread);
  s.writer_thread = nullptr;
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
      // The reader is still blocked: drop what is queued and the text being written, and cancel
      // the write the thread is blocked in.
      state_->dropped.fetch_add(state_->queued_total - state_->written_total);
      state_->queue.clear();
      state_->bytes = 0;
      state_->abandon.store(true);
      if (state_->writer_thread != nullptr) ::CancelSynchronousIo(state_->writer_thread);
    }
  }
  if (done) {
    thread_.join();
  } else {
    thread_.detach();  // it ends once its write is cancelled; the state lives on through its copy
  }
}

std::uint64_t LineWriter::dropped_lines() const {
  return state_->dropped.load();
}

}  // namespace platform
