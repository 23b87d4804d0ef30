// CSV file sink: one append write per row, header check, rotation, bounded buffer with retries.
#include "logger/csv_sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "logger/rotation.hpp"

namespace logger {

namespace {

s7::Error sys_error(const std::string& what, const std::string& path, int err) {
  return s7::Error(std::error_code(err, std::generic_category()),
                   what + " " + path + ": " + std::strerror(err));
}

// "log.csv" -> "log.1.csv"; "data" -> "data.1".
std::string numbered(const std::string& path, int n) {
  auto slash = path.find_last_of('/');
  auto dot = path.rfind('.');
  std::string suffix = "." + std::to_string(n);
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path + suffix;
  return path.substr(0, dot) + suffix + path.substr(dot);
}

// Reads up to `n` bytes from the start of an existing file.
s7::Result<std::string> read_head(const std::string& path, std::size_t n) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);  // a FIFO: no wait
  if (fd < 0) return sys_error("cannot read", path, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return CsvSink::check_target(path).error();
  }
  std::string buf(n, '\0');
  ssize_t got = ::read(fd, buf.data(), n);
  int err = errno;
  ::close(fd);
  if (got < 0) return sys_error("cannot read", path, err);
  buf.resize(static_cast<std::size_t>(got));
  return buf;
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// Writes all of `text` at the end of `fd` or nothing: a short write is cut back so no torn row
// stays in the file. The file is opened with O_APPEND, so after a short write of n bytes the
// row started at size - n: one write(2) per row, fstat only on that rare path.
s7::Result<void> write_whole(int fd, const std::string& path, std::string_view text) {
  ssize_t n = ::write(fd, text.data(), text.size());
  if (n == static_cast<ssize_t>(text.size())) return {};
  int err = n < 0 ? errno : ENOSPC;
  struct stat st {};
  if (n > 0 && (::fstat(fd, &st) != 0 || ::ftruncate(fd, st.st_size - n) != 0)) {
    // Could not cut the partial row back; the next open repairs the file.
  }
  return sys_error("cannot write", path, err);
}

}  // namespace

s7::Result<void> CsvSink::check_target(const std::string& path) {
  struct stat st {};
  if (path == "-" || ::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode)) return {};
  const char* what = S_ISDIR(st.st_mode)                          ? "a folder"
                     : S_ISFIFO(st.st_mode)                       ? "a FIFO (named pipe)"
                     : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                     : S_ISSOCK(st.st_mode)                       ? "a socket"
                                                                  : "not a regular file";
  return s7::Error(std::make_error_code(std::errc::invalid_argument),
                   "cannot write CSV rows to " + path + ": it is " + what +
                       "; s7log writes regular files (or standard output with --out -)");
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
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
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
    // stdout is (a pipe, a terminal, a file the shell opened). A pipe is opened anew through
    // /proc with O_NONBLOCK (its own open file description: the shared fd 1 stays blocking for
    // everyone else), so a reader that stops reading makes rows wait in memory instead of
    // stalling sampling. Otherwise a copy of fd 1, so closing it leaves stdout open.
    struct stat st {};
    int fd = -1;
    if (::fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode))
      fd = ::open("/proc/self/fd/1", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) fd = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) return sys_error("cannot use", "standard output", errno);
    fd_ = fd;
    open_path_ = path;
    open_actual_ = "standard output";
    // The header is written by drain, before the rows (unless one is still half out).
    if (stdout_header_ != want && stream_header_.empty()) stream_header_ = want;
    return {};
  }
  if (auto r = check_target(path); !r) return r.error();
  // The pattern may name folders that do not exist yet (data/%Y/...; rotation moves into new
  // ones): create them, as `mkdir -p` would.
  if (auto parent = std::filesystem::path(path).parent_path(); !parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec)
      return sys_error("cannot create the folder", parent.string() + " (for " + path + ")",
                       ec.value());
  }
  for (int n = 0; n < 10000; ++n) {
    std::string candidate = n == 0 ? path : numbered(path, n);
    if (!file_exists(candidate)) {
      int fd = ::open(candidate.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd < 0) {
        if (errno == EEXIST) continue;  // someone created it meanwhile: look again
        return sys_error("cannot create", candidate, errno);
      }
      if (auto r = write_whole(fd, candidate, want); !r) {
        ::close(fd);
        ::unlink(candidate.c_str());
        return r.error();
      }
      fd_ = fd;
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
    // O_NONBLOCK: should a FIFO have taken the file's place since the check, open() fails
    // at once instead of waiting for a reader (no effect on regular files).
    int fd = ::open(candidate.c_str(), O_RDWR | O_APPEND | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return sys_error("cannot open", candidate, errno);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      int err = errno;
      ::close(fd);
      return sys_error("cannot open", candidate, err);
    }
    if (!S_ISREG(st.st_mode)) {
      ::close(fd);
      return check_target(candidate).error();
    }
    if (empty) {
      if (auto r = write_whole(fd, candidate, want); !r) {
        ::close(fd);
        return r.error();
      }
    } else {
      // Repair a torn last row (only an older crash or another writer can leave one).
      char last = '\n';
      if (::pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n') {
        off_t keep = static_cast<off_t>(want.size());
        off_t pos = st.st_size;
        std::string chunk(4096, '\0');
        bool found = false;
        while (pos > keep && !found) {
          off_t from = std::max<off_t>(keep, pos - static_cast<off_t>(chunk.size()));
          ssize_t got = ::pread(fd, chunk.data(), static_cast<std::size_t>(pos - from), from);
          if (got <= 0) break;
          for (ssize_t i = got - 1; i >= 0; --i)
            if (chunk[static_cast<std::size_t>(i)] == '\n') {
              keep = from + i + 1;
              found = true;
              break;
            }
          pos = from;
        }
        if (::ftruncate(fd, keep) != 0) {
          int err = errno;
          ::close(fd);
          return sys_error("cannot repair", candidate, err);
        }
        if (notify_)
          notify_("repaired " + candidate + ": removed a partial last row (" +
                  std::to_string(st.st_size - keep) + " bytes)");
      }
    }
    fd_ = fd;
    open_path_ = path;
    open_actual_ = candidate;
    if (n > 0 && notify_)
      notify_(path + " has a different header; appending to " + candidate + " instead");
    return {};
  }
  return s7::Error(s7::Errc::invalid_argument, "no free file name beside " + path);
}

void CsvSink::update_stats() {
  if (stats_ == nullptr) return;
  stats_->buffered_rows = pending_.size();
}

s7::Result<void> CsvSink::drain() {
  std::size_t written = 0;
  while (!pending_.empty()) {
    const Pending& p = pending_.front();
    if (fd_ < 0 || p.path != open_path_ || p.header != open_header_) {
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
    if (auto r = write_whole(fd_, open_actual_, p.text); !r) {
      last_error_ = r.error().what();
      if (!failing_ && notify_)
        notify_(r.error().what() + "; keeping rows in memory (up to " +
                std::to_string(options_.buffer_rows) + ") and retrying");
      failing_ = true;
      close_file();  // reopen on retry: the file may have been replaced or fixed
      update_stats();
      return r;
    }
    if (options_.fsync) ::fsync(fd_);
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
    const ssize_t n = ::write(fd_, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        return s7::Error(std::make_error_code(std::errc::resource_unavailable_try_again),
                         "standard output is not being read (the pipe is full)");
      return sys_error("cannot write", "standard output", errno);
    }
    text.erase(0, static_cast<std::size_t>(n));  // the rest goes out next time
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
