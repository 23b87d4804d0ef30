// The CSV file sink: whole rows by one append write each, header checks, rotation, and a bounded
// memory buffer while the file cannot be written.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "logger/csv.hpp"
#include "logger/sink.hpp"
#include "logger/stats.hpp"
#include "platform/file.hpp"

namespace logger {

struct CsvSinkOptions {
  std::string pattern = "log.csv";  // file name, may hold strftime fields (see rotation.hpp);
                                    // "-" is standard output (header once, no rotation)
  CsvFormat format;
  std::size_t buffer_rows = 100'000;  // rows kept in memory while the file cannot be written
  bool fsync = false;                 // fsync after each row (power-loss safety, slower)
};

// Contract:
// - Each row reaches the file whole: one append write (platform::AppendFile: O_APPEND, Windows
//   FILE_APPEND_DATA; the bytes as the CSV format made them, no line-end translation); a short
//   write is truncated back, so a crash never leaves a torn row. A file that does not end in a
//   newline (torn by an older crash) is repaired by cutting the partial tail, and the user is told.
// - The sample's own timestamp picks the file (pattern expanded in local time).
// - An existing file with the same header is appended to; with another header the sink writes
//   beside it (log.1.csv, log.2.csv, ...) and says so; nothing is ever overwritten.
// - When a file cannot be opened or written, rows wait in memory (up to buffer_rows) and every
//   later write() retries first, in order. (On Windows that includes a file another program
//   holds without write sharing: Excel; the message says so and names the file.) Past the bound the
//   OLDEST buffered rows are dropped (the newest data is kept) and counted in Stats::dropped_rows.
// - write() reports problems through `notify` (once per episode) and returns ok while the row
//   is buffered; it never blocks beyond the file system calls.
// - close() writes what it can and closes the file; rows that still cannot be written stay in
//   buffered() (the owner reports them as lost, or keeps the sink for a reload).
// - Folders that the expanded pattern names are created (as `mkdir -p`).
// - open() may be called again with other tags and reconfigure() with other options (a config
//   reload): buffered rows keep the header and file they were made for.
class CsvSink : public Sink {
 public:
  using Notify = std::function<void(const std::string&)>;
  CsvSink(CsvSinkOptions options, Stats* stats = nullptr, Notify notify = {});
  ~CsvSink() override;

  s7::Result<void> open(const std::vector<TagInfo>& tags) override;
  s7::Result<void> write(const Sample& sample) override;
  s7::Result<void> flush() override;
  void close() override;

  // New options for the rows written from now on (a config reload); closes the file, which the
  // next row reopens under the new pattern and header rules.
  void reconfigure(CsvSinkOptions options);

  std::size_t buffered() const { return pending_.size(); }
  std::size_t pending() const override { return pending_.size(); }
  // Ok when `path` does not exist, is a regular file, or is "-"; otherwise (a folder, a FIFO, a
  // device, a socket) an error naming what it is. open_file() refuses those too.
  static s7::Result<void> check_target(const std::string& path);
  // The file the oldest buffered row is waiting for, and why it could not be written (the last
  // error), for the message that reports them lost. Empty when nothing is buffered.
  std::string waiting_for() const { return pending_.empty() ? "" : pending_.front().path; }
  const std::string& last_error() const { return last_error_; }
  std::uint64_t dropped() const { return dropped_; }
  // Path of the file currently open (empty when none).
  const std::string& current_file() const { return open_actual_; }

 private:
  struct Pending {
    std::string path;  // expanded pattern (before log.1.csv renaming)
    std::string text;
    std::shared_ptr<const std::string> header;  // BOM + header line of the file it belongs in
  };
  s7::Result<void> drain();
  s7::Result<void> open_file(const std::string& path, const std::string& want);
  // Standard output: writes what the stream takes and erases it from `text`.
  s7::Result<void> write_stream(std::string& text);
  s7::Result<void> stream_failed(const s7::Error& e);
  void close_file();
  void update_stats();

  CsvSinkOptions options_;
  Stats* stats_;
  Notify notify_;
  std::shared_ptr<const std::string> header_;  // BOM + header of the rows written from now on
  std::string last_error_;
  std::deque<Pending> pending_;
  platform::AppendFile file_;
  std::string open_path_;                           // pattern expansion the open file belongs to
  std::string open_actual_;                         // the real file name (may be log.1.csv)
  std::shared_ptr<const std::string> open_header_;  // header of the open file's rows
  bool failing_ = false;
  std::string stdout_header_;    // pattern "-": the header last written (again only if it changes)
  std::string stream_header_;    // pattern "-": a header still to write (in part, maybe)
  bool stream_partial_ = false;  // the front row (or header) is partly written
  bool told_dropping_ = false;
  std::size_t reported_buffered_ = 0;  // pending_.size() as last added to Stats::buffered_rows
  std::uint64_t dropped_ = 0;
  std::uint64_t dropped_in_episode_ = 0;
};

}  // namespace logger
