// Where samples go: the CSV file, the live page's ring buffer, ... (small interface).
#pragma once

#include <vector>

#include "logger/sample.hpp"
#include "s7/error.hpp"

namespace logger {

// Called from the sampling thread only. write() must not block for long (a sink that can stall,
// like a file on a full disk, buffers and retries on its own and reports through its result).
class Sink {
 public:
  virtual ~Sink() = default;
  virtual s7::Result<void> open(const std::vector<TagInfo>& tags) = 0;
  virtual s7::Result<void> write(const Sample& sample) = 0;
  virtual s7::Result<void> flush() { return {}; }
  virtual void close() {}
};

}  // namespace logger
