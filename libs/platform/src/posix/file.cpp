// platform/file.hpp on POSIX: O_APPEND descriptors, pread for the tail, /proc for stdout.
#include "platform/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace platform {

namespace {

std::error_code last_error() {
  return {errno, std::generic_category()};
}

FileKind kind_of(const struct stat& st) {
  if (S_ISREG(st.st_mode)) return FileKind::regular;
  if (S_ISDIR(st.st_mode)) return FileKind::directory;
  if (S_ISFIFO(st.st_mode)) return FileKind::fifo;
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return FileKind::device;
  if (S_ISSOCK(st.st_mode)) return FileKind::socket;
  return FileKind::other;
}

int fd_of(std::intptr_t native) {
  return static_cast<int>(native);
}

}  // namespace

FileKind file_kind(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return FileKind::missing;
  return kind_of(st);
}

std::string file_error_text(const std::error_code& ec) {
  return ec.message();  // strerror for the generic category
}

bool is_locked_error(const std::error_code&) {
  return false;
}

std::error_code read_file_head(const std::string& path, std::size_t n, std::string& out,
                               FileKind& kind) {
  out.clear();
  kind = FileKind::missing;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);  // a FIFO: no wait
  if (fd < 0) return last_error();
  struct stat st {};
  if (::fstat(fd, &st) != 0 || (kind = kind_of(st)) != FileKind::regular) {
    ::close(fd);
    return {};
  }
  std::string buf(n, '\0');
  const ssize_t got = ::read(fd, buf.data(), n);
  const std::error_code ec = got < 0 ? last_error() : std::error_code();
  ::close(fd);
  if (ec) return ec;
  buf.resize(static_cast<std::size_t>(got));
  out = std::move(buf);
  return {};
}

std::error_code remove_file(const std::string& path) {
  return ::unlink(path.c_str()) == 0 ? std::error_code() : last_error();
}

std::error_code AppendFile::create_new(const std::string& path) {
  close();
  const int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return last_error();
  native_ = fd;
  path_ = path;
  return {};
}

std::error_code AppendFile::open_existing(const std::string& path) {
  close();
  // O_NONBLOCK: should a FIFO have taken the file's place since the caller looked, open() fails
  // at once instead of waiting for a reader (no effect on regular files).
  const int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return last_error();
  native_ = fd;
  path_ = path;
  return {};
}

std::error_code AppendFile::open_stdout() {
  close();
  // A pipe is opened anew through /proc with O_NONBLOCK (its own open file description: the
  // shared fd 1 stays blocking for everyone else). Otherwise a copy of fd 1.
  struct stat st {};
  int fd = -1;
  if (::fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode))
    fd = ::open("/proc/self/fd/1", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) fd = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0);
  if (fd < 0) return last_error();
  native_ = fd;
  path_ = "standard output";
  return {};
}

void AppendFile::close() {
  if (native_ != -1) ::close(fd_of(native_));
  native_ = -1;
  path_.clear();
}

FileKind AppendFile::kind() const {
  struct stat st {};
  if (native_ == -1 || ::fstat(fd_of(native_), &st) != 0) return FileKind::missing;
  return kind_of(st);
}

std::error_code AppendFile::size(std::uint64_t& out) const {
  struct stat st {};
  if (::fstat(fd_of(native_), &st) != 0) return last_error();
  out = static_cast<std::uint64_t>(st.st_size);
  return {};
}

WriteResult AppendFile::append(std::string_view data) {
  WriteResult r;
  for (;;) {
    const ssize_t n = ::write(fd_of(native_), data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      r.error = errno == EWOULDBLOCK
                    ? std::make_error_code(std::errc::resource_unavailable_try_again)
                    : last_error();
      return r;
    }
    r.bytes = static_cast<std::size_t>(n);
    return r;
  }
}

std::error_code AppendFile::read_at(std::uint64_t offset, char* buf, std::size_t n,
                                    std::size_t& got) {
  got = 0;
  const ssize_t r = ::pread(fd_of(native_), buf, n, static_cast<off_t>(offset));
  if (r < 0) return last_error();
  got = static_cast<std::size_t>(r);
  return {};
}

std::error_code AppendFile::truncate(std::uint64_t size) {
  return ::ftruncate(fd_of(native_), static_cast<off_t>(size)) == 0 ? std::error_code()
                                                                    : last_error();
}

std::error_code AppendFile::sync() {
  return ::fsync(fd_of(native_)) == 0 ? std::error_code() : last_error();
}

}  // namespace platform
