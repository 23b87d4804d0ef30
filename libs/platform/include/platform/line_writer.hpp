// LineWriter: console output (stdout/stderr) written by its own thread from a bounded queue, so
// a blocked reader (a full pipe, a stopped terminal) never stalls sampling or serving.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

namespace platform {

// Contract:
// - write() queues the text and returns at once; it never waits for the file descriptor. Text
//   that would take the queue past `max_bytes` is dropped whole and counted (dropped_lines()).
// - One thread writes the queue to `fd` in order. Texts are written whole (a short write goes on
//   where it stopped), so lines from several threads never interleave mid-line.
// - close() (and the destructor) gives the queue `grace` to drain, then stops: if the reader is
//   still blocked, what is left is dropped and counted, and the writer thread is left to end
//   with the process (it holds no lock anyone needs). close() never blocks longer than `grace`.
// - Thread-safe. The fd is not closed.
class LineWriter {
 public:
  explicit LineWriter(int fd, std::size_t max_bytes = 1 << 20);
  ~LineWriter();
  LineWriter(const LineWriter&) = delete;
  LineWriter& operator=(const LineWriter&) = delete;

  // Queues `text` (normally one line ending in '\n'). False when it was dropped (queue full or
  // writer closed).
  bool write(std::string text);
  // Waits up to `grace` until everything queued so far was written. True when it was.
  bool flush(std::chrono::milliseconds grace);
  void close(std::chrono::milliseconds grace = std::chrono::milliseconds(500));

  std::uint64_t dropped_lines() const;

  struct State;  // shared with the writer thread, which may outlive the LineWriter (see close)

 private:
  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace platform
