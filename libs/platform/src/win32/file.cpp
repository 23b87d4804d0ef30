// platform/file.hpp on Windows: CreateFileW with UTF-16 paths, FILE_APPEND_DATA handles that
// share read/write/delete, binary writes, and a clear message when Excel holds the file.
#include "platform/file.hpp"

#include <windows.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <thread>
#include <utility>

#include "wide.hpp"

namespace platform {

namespace {

using win32::widen;

constexpr DWORD kShareAll = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

HANDLE handle_of(std::intptr_t native) {
  return reinterpret_cast<HANDLE>(native);
}

std::error_code win_error(DWORD code) {
  switch (code) {
    case ERROR_FILE_EXISTS:
    case ERROR_ALREADY_EXISTS:
      return std::make_error_code(std::errc::file_exists);
    case ERROR_NO_DATA:  // the reader closed the pipe
    case ERROR_BROKEN_PIPE:
      return std::make_error_code(std::errc::broken_pipe);
    default:
      return {static_cast<int>(code), std::system_category()};
  }
}

std::error_code last_error() {
  return win_error(::GetLastError());
}

FileKind kind_of_handle(HANDLE h) {
  switch (::GetFileType(h)) {
    case FILE_TYPE_DISK:
      return FileKind::regular;
    case FILE_TYPE_CHAR:
      return FileKind::device;
    case FILE_TYPE_PIPE:
      return FileKind::fifo;
    default:
      return FileKind::other;
  }
}

HANDLE open_path(const std::string& path, DWORD access, DWORD disposition) {
  // No SECURITY_ATTRIBUTES: the handle is not inherited by child processes (as O_CLOEXEC).
  return ::CreateFileW(widen(path).c_str(), access, kShareAll, nullptr, disposition,
                       FILE_ATTRIBUTE_NORMAL, nullptr);
}

// Appending only (no FILE_WRITE_DATA): every write goes to the end of the file, as O_APPEND.
constexpr DWORD kAppendAccess =
    FILE_APPEND_DATA | FILE_READ_DATA | FILE_READ_ATTRIBUTES | SYNCHRONIZE;

}  // namespace

FileKind file_kind(const std::string& path) {
  const DWORD attrs = ::GetFileAttributesW(widen(path).c_str());
  if (attrs == INVALID_FILE_ATTRIBUTES) return FileKind::missing;
  if ((attrs & FILE_ATTRIBUTE_DIRECTORY) != 0) return FileKind::directory;
  if ((attrs & FILE_ATTRIBUTE_DEVICE) != 0) return FileKind::device;
  return FileKind::regular;
}

bool is_locked_error(const std::error_code& ec) {
  return ec.category() == std::system_category() &&
         (ec.value() == ERROR_SHARING_VIOLATION || ec.value() == ERROR_LOCK_VIOLATION);
}

std::string file_error_text(const std::error_code& ec) {
  if (is_locked_error(ec))
    return "the file is open in another program (probably Excel), which lets no one else write "
           "to it until it is closed there";
  if (ec.category() == std::system_category())
    return win32::system_message(static_cast<DWORD>(ec.value())) + " (Windows error " +
           std::to_string(ec.value()) + ")";
  return ec.message();
}

std::error_code read_file_head(const std::string& path, std::size_t n, std::string& out,
                               FileKind& kind) {
  out.clear();
  kind = file_kind(path);
  if (kind == FileKind::directory) return {};
  HANDLE h = open_path(path, GENERIC_READ, OPEN_EXISTING);
  if (h == INVALID_HANDLE_VALUE) {
    kind = FileKind::missing;
    return last_error();
  }
  kind = kind_of_handle(h);
  if (kind != FileKind::regular) {
    ::CloseHandle(h);
    return {};
  }
  std::string buf(n, '\0');
  std::size_t have = 0;
  std::error_code ec;
  while (have < n) {
    DWORD got = 0;
    const DWORD want =
        static_cast<DWORD>(std::min<std::size_t>(n - have, std::numeric_limits<DWORD>::max()));
    if (!::ReadFile(h, buf.data() + have, want, &got, nullptr)) {
      if (::GetLastError() != ERROR_HANDLE_EOF) ec = last_error();
      break;
    }
    if (got == 0) break;
    have += got;
  }
  ::CloseHandle(h);
  if (ec) return ec;
  buf.resize(have);
  out = std::move(buf);
  return {};
}

std::error_code remove_file(const std::string& path) {
  return ::DeleteFileW(widen(path).c_str()) ? std::error_code() : last_error();
}

// Writes a stdout pipe from its own thread, one append at a time, so a reader that stops reading
// blocks this thread, never the caller (Windows has no non-blocking anonymous pipes).
struct AppendFile::StreamWriter {
  explicit StreamWriter(HANDLE h) : handle(h) {}
  const HANDLE handle;  // owned: closed when the thread ends
  std::mutex mu;
  std::condition_variable work, idle;
  std::string data;  // being written
  bool busy = false;
  bool closing = false;
  DWORD error = 0;          // the last write failed: reported by the next append
  HANDLE thread = nullptr;  // for CancelSynchronousIo; guarded by mu
  std::thread runner;

  static void run(const std::shared_ptr<StreamWriter>& self) {
    StreamWriter& s = *self;
    std::unique_lock lock(s.mu);
    HANDLE me = nullptr;
    if (::DuplicateHandle(::GetCurrentProcess(), ::GetCurrentThread(), ::GetCurrentProcess(), &me,
                          0, FALSE, DUPLICATE_SAME_ACCESS))
      s.thread = me;
    for (;;) {
      s.work.wait(lock, [&] { return s.busy || s.closing; });
      if (!s.busy) break;
      lock.unlock();
      DWORD failed = 0;
      for (std::size_t off = 0; off < s.data.size();) {
        DWORD n = 0;
        const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(s.data.size() - off, 1 << 20));
        if (!::WriteFile(s.handle, s.data.data() + off, chunk, &n, nullptr)) {
          failed = ::GetLastError();
          break;
        }
        off += n;
      }
      lock.lock();
      s.error = failed;
      s.busy = false;
      s.idle.notify_all();
    }
    if (s.thread != nullptr) ::CloseHandle(s.thread);
    s.thread = nullptr;
    ::CloseHandle(s.handle);
  }
};

std::error_code AppendFile::create_new(const std::string& path) {
  close();
  HANDLE h = open_path(path, kAppendAccess, CREATE_NEW);
  if (h == INVALID_HANDLE_VALUE) return last_error();
  native_ = reinterpret_cast<std::intptr_t>(h);
  path_ = path;
  return {};
}

std::error_code AppendFile::open_existing(const std::string& path) {
  close();
  HANDLE h = open_path(path, kAppendAccess, OPEN_EXISTING);
  if (h == INVALID_HANDLE_VALUE) return last_error();
  native_ = reinterpret_cast<std::intptr_t>(h);
  path_ = path;
  return {};
}

std::error_code AppendFile::open_stdout() {
  close();
  HANDLE out = ::GetStdHandle(STD_OUTPUT_HANDLE);
  if (out == nullptr || out == INVALID_HANDLE_VALUE) return win_error(ERROR_INVALID_HANDLE);
  HANDLE h = nullptr;
  if (!::DuplicateHandle(::GetCurrentProcess(), out, ::GetCurrentProcess(), &h, 0, FALSE,
                         DUPLICATE_SAME_ACCESS))
    return last_error();
  native_ = reinterpret_cast<std::intptr_t>(h);
  path_ = "standard output";
  const DWORD type = ::GetFileType(h);
  DWORD mode = 0;
  if (type == FILE_TYPE_CHAR && ::GetConsoleMode(h, &mode)) {
    console_ = true;  // written as UTF-16 with WriteConsoleW: right whatever the code page
  } else if (type == FILE_TYPE_PIPE) {
    // A pipe nobody reads must not block the caller: a helper thread writes it (and owns the
    // handle from now on).
    stream_ = std::make_shared<StreamWriter>(h);
    stream_->runner = std::thread(StreamWriter::run, stream_);
  }
  return {};
}

void AppendFile::close() {
  if (stream_) {
    // The thread owns the handle. Give a write in progress 1 s, then cancel it; a write that
    // even so does not end leaves the thread to end with the process.
    bool idle = false;
    {
      std::unique_lock lock(stream_->mu);
      stream_->closing = true;
      stream_->work.notify_all();
      idle = stream_->idle.wait_for(lock, std::chrono::seconds(1), [&] { return !stream_->busy; });
      if (!idle) {
        if (stream_->thread != nullptr) ::CancelSynchronousIo(stream_->thread);
        idle = stream_->idle.wait_for(lock, std::chrono::milliseconds(200),
                                      [&] { return !stream_->busy; });
      }
    }
    if (idle)
      stream_->runner.join();
    else
      stream_->runner.detach();
    stream_.reset();
  } else if (native_ != -1) {
    ::CloseHandle(handle_of(native_));
  }
  native_ = -1;
  path_.clear();
  console_ = false;
}

FileKind AppendFile::kind() const {
  if (native_ == -1) return FileKind::missing;
  return kind_of_handle(handle_of(native_));
}

std::error_code AppendFile::size(std::uint64_t& out) const {
  LARGE_INTEGER li{};
  if (!::GetFileSizeEx(handle_of(native_), &li)) return last_error();
  out = static_cast<std::uint64_t>(li.QuadPart);
  return {};
}

WriteResult AppendFile::append(std::string_view data) {
  WriteResult r;
  if (data.empty()) return r;
  if (console_) {
    // One line is whole UTF-8, so it converts whole; the count is in UTF-16 units.
    const std::wstring text = widen(data);
    std::size_t off = 0;
    while (off < text.size()) {
      DWORD done = 0;
      const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(text.size() - off, 8192));
      if (!::WriteConsoleW(handle_of(native_), text.data() + off, chunk, &done, nullptr)) {
        r.error = last_error();
        return r;
      }
      if (done == 0) {
        r.error = win_error(ERROR_WRITE_FAULT);
        return r;
      }
      off += done;
    }
    r.bytes = data.size();
    return r;
  }
  if (stream_) {
    std::lock_guard lock(stream_->mu);
    if (stream_->busy) {
      r.error = std::make_error_code(std::errc::resource_unavailable_try_again);
    } else if (stream_->error != 0) {
      r.error = win_error(std::exchange(stream_->error, 0));  // the previous write failed
    } else {
      stream_->data.assign(data);
      stream_->busy = true;
      stream_->work.notify_all();
      r.bytes = data.size();
    }
    return r;
  }
  const DWORD want =
      static_cast<DWORD>(std::min<std::size_t>(data.size(), std::numeric_limits<DWORD>::max() / 2));
  DWORD done = 0;
  if (!::WriteFile(handle_of(native_), data.data(), want, &done, nullptr)) {
    r.error = last_error();
    return r;
  }
  r.bytes = done;
  return r;
}

std::error_code AppendFile::read_at(std::uint64_t offset, char* buf, std::size_t n,
                                    std::size_t& got) {
  got = 0;
  OVERLAPPED ov{};
  ov.Offset = static_cast<DWORD>(offset & 0xFFFFFFFFu);
  ov.OffsetHigh = static_cast<DWORD>(offset >> 32);
  DWORD done = 0;
  const DWORD want =
      static_cast<DWORD>(std::min<std::size_t>(n, std::numeric_limits<DWORD>::max()));
  if (!::ReadFile(handle_of(native_), buf, want, &done, &ov)) {
    if (::GetLastError() == ERROR_HANDLE_EOF) return {};
    return last_error();
  }
  got = done;
  return {};
}

std::error_code AppendFile::truncate(std::uint64_t size) {
  // The append handle has no FILE_WRITE_DATA (that keeps its writes at the end): cut the file
  // through a second handle, which the share mode of the first allows.
  HANDLE h = open_path(path_, GENERIC_WRITE, OPEN_EXISTING);
  if (h == INVALID_HANDLE_VALUE) return last_error();
  FILE_END_OF_FILE_INFO info{};
  info.EndOfFile.QuadPart = static_cast<LONGLONG>(size);
  const bool ok = ::SetFileInformationByHandle(h, FileEndOfFileInfo, &info, sizeof info) != 0;
  const std::error_code ec = ok ? std::error_code() : last_error();
  ::CloseHandle(h);
  return ec;
}

std::error_code AppendFile::sync() {
  return ::FlushFileBuffers(handle_of(native_)) ? std::error_code() : last_error();
}

}  // namespace platform
