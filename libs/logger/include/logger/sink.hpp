// Where samples go: the CSV file, the live page's ring buffer, ... (small interface).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "logger/sample.hpp"
#include "s7/error.hpp"

namespace logger {

// Called from one thread at a time (a sampling thread, or the sink's own thread behind a
// QueuedSink). write() must not block for long (a sink that can stall, like a file on a full
// disk, buffers and retries on its own and reports through its result).
class Sink {
 public:
  virtual ~Sink() = default;
  virtual s7::Result<void> open(const std::vector<TagInfo>& tags) = 0;
  // The agent opens a sink that gets the samples of several groups (the live page) once per
  // group, with the names its samples will carry (Sample::plc, Sample::group). The default is
  // open(tags): a sink that serves one group needs nothing more.
  virtual s7::Result<void> open_group(const std::string& plc, const std::string& group,
                                      const std::vector<TagInfo>& tags) {
    (void)plc;
    (void)group;
    return open(tags);
  }
  virtual s7::Result<void> write(const Sample& sample) = 0;
  // Like write(), and calls `done` once the row is in its destination for good (the trigger
  // handshake acknowledges a batch record only then). Here: done() at once unless the sink
  // holds rows back; a sink that holds rows back is wrapped in a QueuedSink, which waits.
  virtual s7::Result<void> write_then(const Sample& sample, std::function<void()> done) {
    auto r = write(sample);
    if (r && pending() == 0 && done) done();
    return r;
  }
  // write() (with `done`: write_then()) of a sample the caller shares: a QueuedSink keeps the
  // pointer instead of a copy. The sample must not change afterwards.
  virtual s7::Result<void> write_shared(const std::shared_ptr<const Sample>& sample,
                                        std::function<void()> done = {}) {
    return done ? write_then(*sample, std::move(done)) : write(*sample);
  }
  virtual s7::Result<void> flush() { return {}; }
  // A QueuedSink calls idle() each time its queue has become empty (a batching sink delivers
  // what it holds), and, when wants_ticks(), flush() every retry period also while no row comes
  // (a network sink reconnects, replays its spool and reads what its server sent).
  virtual void idle() {}
  virtual bool wants_ticks() const { return false; }
  virtual void close() {}
  // Rows accepted by write() that are not in their destination yet (waiting for a locked file).
  virtual std::size_t pending() const { return 0; }
};

}  // namespace logger
