// Console sink: prints `LOG: {...}` for each row, like the course's logger.
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "logger/csv.hpp"
#include "logger/sink.hpp"

namespace logger {

// Prints `LOG: {'ts': '2026-11-24T10:15:03', 'counter': 1, ..., 'alarm': True, ...}` (the course
// prints Python's dict). Missing values print as None. Each line (with its '\n') goes to `out`;
// `s7log run` hands it to a platform::LineWriter so a blocked terminal or pipe never stalls the
// sampling thread. Without `out` the line is written to stdout and flushed.
class ConsoleSink : public Sink {
 public:
  using LineOut = std::function<void(std::string)>;
  explicit ConsoleSink(CsvFormat format, LineOut out = {})
      : format_(format), out_(std::move(out)) {}
  s7::Result<void> open(const std::vector<TagInfo>& tags) override;
  s7::Result<void> write(const Sample& sample) override;
  // A config reload: the format (dialect, milliseconds) of the lines to come.
  void reconfigure(CsvFormat format) { format_ = format; }
  // The line without the trailing newline (for tests).
  std::string line(const Sample& sample) const;

 private:
  CsvFormat format_;
  LineOut out_;
  std::vector<std::string> names_;
};

}  // namespace logger
