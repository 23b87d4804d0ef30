// Console sink: prints `LOG: {...}` for each row, like the course's logger.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "logger/csv.hpp"
#include "logger/sink.hpp"

namespace logger {

// Prints `LOG: {'ts': '2026-11-24T10:15:03', 'counter': 1, ..., 'alarm': True, ...}` and flushes
// (the course prints Python's dict). Missing values print as None.
class ConsoleSink : public Sink {
 public:
  ConsoleSink(CsvFormat format, std::FILE* out = stdout) : format_(format), out_(out) {}
  s7::Result<void> open(const std::vector<TagInfo>& tags) override;
  s7::Result<void> write(const Sample& sample) override;
  // A config reload: the format (dialect, milliseconds) and the stream of the lines to come.
  void reconfigure(CsvFormat format) { format_ = format; }
  void set_output(std::FILE* out) { out_ = out; }
  // The line without the trailing newline (for tests).
  std::string line(const Sample& sample) const;

 private:
  CsvFormat format_;
  std::FILE* out_;
  std::vector<std::string> names_;
};

}  // namespace logger
