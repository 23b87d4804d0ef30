// Internal to LineWriter: the State shared with the writer thread, and the hooks each OS provides.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "platform/line_writer.hpp"

namespace platform {

// Implemented once per OS (src/posix/line_writer.cpp, src/win32/line_writer.cpp).
namespace line_writer_os {

struct Output;  // the OS's view of the output: the descriptor, or the HANDLE and writer thread
struct OutputDelete {
  void operator()(Output* out) const;
};
using OutputPtr = std::unique_ptr<Output, OutputDelete>;

// Opens (classifies) `fd` for writing; called once, by the State's constructor.
OutputPtr open_output(int fd);
// The writer thread has started / is about to end; called on that thread, with `mu` held.
void thread_started(LineWriter::State& s);
void thread_ending(LineWriter::State& s);
// Writes all of `text`, giving up (false) once `abandon` is set; called without `mu`.
bool write_all(LineWriter::State& s, const std::string& text);
// close() ran out of grace and has set `abandon`: get the writer out of a blocked write. `mu` held.
void give_up_write(LineWriter::State& s);

}  // namespace line_writer_os

struct LineWriter::State {
  State(int fd, std::size_t max) : out(line_writer_os::open_output(fd)), max_bytes(max) {}
  const line_writer_os::OutputPtr out;
  const std::size_t max_bytes;
  std::mutex mu;
  std::condition_variable work;     // the writer waits here for text or close
  std::condition_variable written;  // flush() and close() wait here
  std::deque<std::string> queue;
  std::size_t bytes = 0;            // queued, not yet taken by the writer
  std::uint64_t queued_total = 0;   // texts accepted so far
  std::uint64_t written_total = 0;  // texts finished (written or given up)
  bool closing = false;
  bool done = false;    // the writer thread has ended
  bool broken = false;  // the output failed (EPIPE, a closed pipe...): drop from now on
  std::atomic<bool> abandon{false};  // close() ran out of grace: stop waiting for the output
  std::atomic<std::uint64_t> dropped{0};
};

}  // namespace platform
