// The CSV file sink: whole rows by one append write each, header checks, rotation, and a bounded
// memory buffer while the file cannot be written.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "logger/csv.hpp"
#include "logger/sink.hpp"
#include "logger/stats.hpp"

namespace logger {

struct CsvSinkOptions {
  std::string pattern = "log.csv";  // file name, may hold strftime fields (see rotation.hpp);
                                    // "-" is standard output (header once, no rotation)
  CsvFormat format;
  std::size_t buffer_rows = 100'000;  // rows kept in memory while the file cannot be written
  bool fsync = false;                 // fsync after each row (power-loss safety, slower)
};

// Contract:
// - Each row reaches the file whole: one write(2) on an O_APPEND descriptor; a short write is
//   truncated back, so a crash never leaves a torn row. A file that does not end in a newline
//   (torn by an older crash) is repaired by cutting the partial tail, and the user is told.
// - The sample's own timestamp picks the file (pattern expanded in local time).
// - An existing file with the same header is appended to; with another header the sink writes
//   beside it (log.1.csv, log.2.csv, ...) and says so; nothing is ever overwritten.
// - When a file cannot be opened or written, rows wait in memory (up to buffer_rows) and every
//   later write() retries first, in order. Past the bound the OLDEST buffered rows are dropped
//   (the newest data is kept) and counted in Stats::dropped_rows.
// - write() reports problems through `notify` (once per episode) and returns ok while the row
//   is buffered; it never blocks beyond the file system calls.
class CsvSink : public Sink {
 public:
  using Notify = std::function<void(const std::string&)>;
  CsvSink(CsvSinkOptions options, Stats* stats = nullptr, Notify notify = {});
  ~CsvSink() override;

  s7::Result<void> open(const std::vector<TagInfo>& tags) override;
  s7::Result<void> write(const Sample& sample) override;
  s7::Result<void> flush() override;
  void close() override;

  std::size_t buffered() const { return pending_.size(); }
  std::uint64_t dropped() const { return dropped_; }
  // Path of the file currently open (empty when none).
  const std::string& current_file() const { return open_actual_; }

 private:
  struct Pending {
    std::string path;  // expanded pattern (before log.1.csv renaming)
    std::string text;
  };
  s7::Result<void> drain();
  s7::Result<void> open_file(const std::string& path);
  void close_file();
  void update_stats();

  CsvSinkOptions options_;
  Stats* stats_;
  Notify notify_;
  std::string header_;
  std::deque<Pending> pending_;
  int fd_ = -1;
  std::string open_path_;    // pattern expansion the open fd belongs to
  std::string open_actual_;  // the real file name (may be log.1.csv)
  bool failing_ = false;
  bool stdout_header_written_ = false;  // pattern "-": the header goes out once
  bool told_dropping_ = false;
  std::uint64_t dropped_ = 0;
  std::uint64_t dropped_in_episode_ = 0;
};

}  // namespace logger
