// CSV file sink: one append write per row, header check, rotation, bounded buffer with retries.
#include "logger/csv_sink.hpp"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "logger/rotation.hpp"

namespace logger {

namespace {

s7::Error sys_error(const std::string& what, const std::string& path, const std::error_code& ec) {
  return s7::Error(ec, what + " " + path + ": " + platform::file_error_text(ec));
}

// "log.csv" -> "log.1.csv"; "data" -> "data.1".
std::string numbered(const std::string& path, int n) {
  auto slash = path.find_last_of(platform::kPathSeparators);
  auto dot = path.rfind('.');
  std::string suffix = "." + std::to_string(n);
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path + suffix;
  return path.substr(0, dot) + suffix + path.substr(dot);
}

// Reads up to `n` bytes from the start of an existing file.
s7::Result<std::string> read_head(const std::string& path, std::size_t n) {
  std::string head;
  platform::FileKind kind = platform::FileKind::missing;
  if (auto ec = platform::read_file_head(path, n, head, kind))
    return sys_error("cannot read", path, ec);
  if (kind != platform::FileKind::regular) return CsvSink::check_target(path).error();
  return head;
}

bool file_exists(const std::string& path) {
  return platform::file_kind(path) != platform::FileKind::missing;
}

// Writes all of `text` at the end of `file` or nothing: a short write is cut back so no torn row
// stays in the file. The file is opened for appending, so after a short write of n bytes the
// row started at size - n: one write per row, the size asked only on that rare path.
s7::Result<void> write_whole(platform::AppendFile& file, const std::string& path,
                             std::string_view text) {
  const platform::WriteResult w = file.append(text);
  if (w.bytes == text.size() && !w.error) return {};
  const std::error_code ec =
      w.error ? w.error : std::make_error_code(std::errc::no_space_on_device);
  std::uint64_t size = 0;
  if (w.bytes > 0 && (file.size(size) || file.truncate(size - w.bytes))) {
    // Could not cut the partial row back; the next open repairs the file.
  }
  return sys_error("cannot write", path, ec);
}

}  // namespace

namespace {

// Ok for a regular file; otherwise the error check_target() gives.
s7::Result<void> refuse_kind(const std::string& path, platform::FileKind kind) {
  using platform::FileKind;
  if (kind == FileKind::missing || kind == FileKind::regular) return {};
  const char* what = kind == FileKind::directory ? "a folder"
                     : kind == FileKind::fifo    ? "a FIFO (named pipe)"
                     : kind == FileKind::device  ? "a device"
                     : kind == FileKind::socket  ? "a socket"
                                                 : "not a regular file";
  return s7::Error(std::make_error_code(std::errc::invalid_argument),
                   "cannot write CSV rows to " + path + ": it is " + what +
                       "; s7log writes regular files (or standard output with --out -)");
}

}  // namespace

s7::Result<void> CsvSink::check_target(const std::string& path) {
  if (path == "-") return {};
  return refuse_kind(path, platform::file_kind(path));
}

CsvSink::CsvSink(CsvSinkOptions options, Stats* stats, Notify notify)
    : options_(std::move(options)),
      stats_(stats),
      notify_(std::move(notify)),
      header_(std::make_shared<const std::string>()) {
  reconfigure(std::move(options_));
}

CsvSink::~CsvSink() {
  close_file();
}

s7::Result<void> CsvSink::open(const std::vector<TagInfo>& tags) {
  header_ = std::make_shared<const std::string>(std::string(options_.format.bom()) +
                                                options_.format.header(tags));
  return {};
}

void CsvSink::reconfigure(CsvSinkOptions options) {
  options_ = std::move(options);
  if (options_.buffer_rows == 0) options_.buffer_rows = 1;
  if (stats_ != nullptr) stats_->buffer_capacity = options_.buffer_rows;
  close_file();
}

void CsvSink::close_file() {
  file_.close();
  open_path_.clear();
  open_actual_.clear();
  open_header_.reset();
}

// Opens the file for the expanded pattern `path`: appends to a file with the same header,
// repairs a torn tail, or starts log.N.csv beside a file with another header.
s7::Result<void> CsvSink::open_file(const std::string& path, const std::string& want) {
  close_file();
  if (path == "-") {
    // Standard output: the header once per process (again only when it changes), whatever
    // stdout is (a pipe, a terminal, a file the shell opened). A pipe never blocks (see
    // AppendFile::open_stdout), so a reader that stops reading makes rows wait in memory
    // instead of stalling sampling. Closing it leaves stdout open.
    if (auto ec = file_.open_stdout()) return sys_error("cannot use", "standard output", ec);
    open_path_ = path;
    open_actual_ = "standard output";
    // The header is written by drain, before the rows (unless one is still half out).
    if (stdout_header_ != want && stream_header_.empty()) stream_header_ = want;
    return {};
  }
  if (auto r = check_target(path); !r) return r.error();
  // The pattern may name folders that do not exist yet (data/%Y/...; rotation moves into new
  // ones): create them, as `mkdir -p` would.
  // The path is UTF-8 on every platform (std::filesystem would read a plain string in the
  // Windows ANSI code page).
  const std::u8string path8(path.begin(), path.end());
  if (auto parent = std::filesystem::path(path8).parent_path(); !parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      const std::u8string parent8 = parent.u8string();
      return sys_error("cannot create the folder",
                       std::string(parent8.begin(), parent8.end()) + " (for " + path + ")", ec);
    }
  }
  for (int n = 0; n < 10000; ++n) {
    std::string candidate = n == 0 ? path : numbered(path, n);
    if (!file_exists(candidate)) {
      platform::AppendFile file;
      if (auto ec = file.create_new(candidate)) {
        if (ec == std::errc::file_exists) continue;  // someone created it meanwhile: look again
        return sys_error("cannot create", candidate, ec);
      }
      if (auto r = write_whole(file, candidate, want); !r) {
        file.close();
        (void)platform::remove_file(candidate);
        return r.error();
      }
      file_ = std::move(file);
      open_path_ = path;
      open_actual_ = candidate;
      if (n > 0 && notify_)
        notify_(path + " has a different header; writing to " + candidate + " instead");
      return {};
    }
    auto head = read_head(candidate, want.size() + 1);
    if (!head) return head.error();
    bool empty = head->empty();
    bool same = head->size() >= want.size() && head->compare(0, want.size(), want) == 0;
    if (!empty && !same) continue;
    // Never waits: should a FIFO have taken the file's place since the check, the open fails at
    // once or the kind check below refuses it.
    platform::AppendFile file;
    if (auto ec = file.open_existing(candidate)) return sys_error("cannot open", candidate, ec);
    std::uint64_t size = 0;
    if (auto ec = file.size(size)) return sys_error("cannot open", candidate, ec);
    if (const auto kind = file.kind(); kind != platform::FileKind::regular)
      return refuse_kind(candidate, kind).error();
    if (empty) {
      if (auto r = write_whole(file, candidate, want); !r) return r.error();
    } else {
      // Repair a torn last row (only an older crash or another writer can leave one).
      char last = '\n';
      std::size_t got = 0;
      if (!file.read_at(size - 1, &last, 1, got) && got == 1 && last != '\n') {
        std::uint64_t keep = want.size();
        std::uint64_t pos = size;
        std::string chunk(4096, '\0');
        bool found = false;
        while (pos > keep && !found) {
          const std::uint64_t from =
              std::max<std::uint64_t>(keep, pos - std::min<std::uint64_t>(pos, chunk.size()));
          if (file.read_at(from, chunk.data(), static_cast<std::size_t>(pos - from), got) ||
              got == 0)
            break;
          for (std::size_t i = got; i-- > 0;)
            if (chunk[i] == '\n') {
              keep = from + i + 1;
              found = true;
              break;
            }
          pos = from;
        }
        if (auto ec = file.truncate(keep)) return sys_error("cannot repair", candidate, ec);
        if (notify_)
          notify_("repaired " + candidate + ": removed a partial last row (" +
                  std::to_string(size - keep) + " bytes)");
      }
    }
    file_ = std::move(file);
    open_path_ = path;
    open_actual_ = candidate;
    if (n > 0 && notify_)
      notify_(path + " has a different header; appending to " + candidate + " instead");
    return {};
  }
  return s7::Error(s7::Errc::invalid_argument, "no free file name beside " + path);
}

void CsvSink::update_stats() {
  // By difference: the CSV outputs of several groups may share one Stats.
  if (stats_ == nullptr) return;
  const std::size_t now = pending_.size();
  if (now >= reported_buffered_)
    stats_->buffered_rows.fetch_add(now - reported_buffered_);
  else
    stats_->buffered_rows.fetch_sub(reported_buffered_ - now);
  reported_buffered_ = now;
}

s7::Result<void> CsvSink::drain() {
  std::size_t written = 0;
  while (!pending_.empty()) {
    const Pending& p = pending_.front();
    if (!file_.is_open() || p.path != open_path_ || p.header != open_header_) {
      if (auto r = open_file(p.path, *p.header); !r) {
        last_error_ = r.error().what();
        if (!failing_ && notify_)
          notify_(r.error().what() + "; keeping rows in memory (up to " +
                  std::to_string(options_.buffer_rows) + ") and retrying");
        failing_ = true;
        update_stats();
        return r;
      }
      open_header_ = p.header;
    }
    if (open_path_ == "-") {
      // A stream: a row that went out in part goes on where it stopped (never cut back, never
      // sent twice); the header first when it is due.
      if (!stream_header_.empty()) {
        if (auto r = write_stream(stream_header_); !r) return stream_failed(r.error());
        stdout_header_ = std::exchange(stream_header_, {});
      }
      if (auto r = write_stream(pending_.front().text); !r) return stream_failed(r.error());
      pending_.pop_front();
      ++written;
      continue;
    }
    if (auto r = write_whole(file_, open_actual_, p.text); !r) {
      last_error_ = r.error().what();
      if (!failing_ && notify_)
        notify_(r.error().what() + "; keeping rows in memory (up to " +
                std::to_string(options_.buffer_rows) + ") and retrying");
      failing_ = true;
      close_file();  // reopen on retry: the file may have been replaced or fixed
      update_stats();
      return r;
    }
    if (options_.fsync) (void)file_.sync();
    pending_.pop_front();
    ++written;
  }
  if (failing_) {
    failing_ = false;
    told_dropping_ = false;
    if (notify_) {
      std::string msg =
          open_actual_ + " is writable again: wrote " + std::to_string(written) + " buffered rows";
      if (dropped_in_episode_ > 0)
        msg +=
            "; " + std::to_string(dropped_in_episode_) + " older rows were dropped (buffer full)";
      notify_(msg);
    }
    dropped_in_episode_ = 0;
  }
  update_stats();
  return {};
}

s7::Result<void> CsvSink::write_stream(std::string& text) {
  while (!text.empty()) {
    const platform::WriteResult w = file_.append(text);
    if (w.would_block())
      return s7::Error(std::make_error_code(std::errc::resource_unavailable_try_again),
                       "standard output is not being read (the pipe is full)");
    if (w.error) return sys_error("cannot write", "standard output", w.error);
    text.erase(0, w.bytes);  // the rest goes out next time
    stream_partial_ = !text.empty();
  }
  stream_partial_ = false;
  return {};
}

s7::Result<void> CsvSink::stream_failed(const s7::Error& e) {
  last_error_ = e.what();
  if (!failing_ && notify_)
    notify_(e.what() + "; keeping rows in memory (up to " + std::to_string(options_.buffer_rows) +
            ") and retrying");
  failing_ = true;
  // A full pipe: keep the descriptor (a row may be half out). A broken one: reopen next time.
  if (e.code != std::make_error_code(std::errc::resource_unavailable_try_again) && !stream_partial_)
    close_file();
  update_stats();
  return e;
}

s7::Result<void> CsvSink::write(const Sample& sample) {
  pending_.push_back(
      Pending{expand_pattern(options_.pattern, sample.ts), options_.format.row(sample), header_});
  if (pending_.size() > options_.buffer_rows) {
    // Bound reached: drop the oldest row (the newest data is worth more to an operator), but
    // never one that is half out on a stream.
    pending_.erase(pending_.begin() + (stream_partial_ ? 1 : 0));
    ++dropped_;
    ++dropped_in_episode_;
    if (stats_ != nullptr) stats_->dropped_rows.fetch_add(1);
    if (!told_dropping_ && notify_)
      notify_("row buffer full (" + std::to_string(options_.buffer_rows) +
              " rows): dropping the oldest rows until the file can be written");
    told_dropping_ = true;
  }
  (void)drain();  // on failure the row stays buffered; the problem went to notify
  return {};
}

s7::Result<void> CsvSink::flush() {
  return drain();
}

void CsvSink::close() {
  (void)drain();
  close_file();
}

}  // namespace logger
