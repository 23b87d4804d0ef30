// platform/file.hpp: the file calls of the CSV sink (append-only files, their tail, standard output
// as a stream), the same on POSIX and Windows. Paths are UTF-8 on every platform.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

namespace platform {

// The characters that separate folders in a path.
#ifdef _WIN32
inline constexpr std::string_view kPathSeparators = "/\\";
#else
inline constexpr std::string_view kPathSeparators = "/";
#endif

enum class FileKind { missing, regular, directory, fifo, device, socket, other };

// What `path` names (symbolic links followed). `missing` also when it cannot be looked at.
FileKind file_kind(const std::string& path);

// A text for an error from the functions below, for "cannot open PATH: <text>". POSIX: strerror.
// Windows: the system's message in UTF-8; a sharing or lock violation (error 32/33) says "the
// file is open in another program (probably Excel)...".
std::string file_error_text(const std::error_code& ec);
// Whether `ec` says another program holds the file (Windows sharing/lock violation; never on
// POSIX, which has no mandatory locks).
bool is_locked_error(const std::error_code& ec);

// Reads up to `n` bytes from the start of an existing file into `out`, without waiting (a FIFO
// is not waited for). `kind` says what the path is; only a regular file is read (otherwise `out`
// stays empty and no error is returned: the caller decides what to say).
std::error_code read_file_head(const std::string& path, std::size_t n, std::string& out,
                               FileKind& kind);
std::error_code remove_file(const std::string& path);

// Result of one append: how many bytes went out, and the error when the write failed.
struct WriteResult {
  std::size_t bytes = 0;
  std::error_code error;  // std::errc::resource_unavailable_try_again: a full stream
  bool would_block() const { return error == std::errc::resource_unavailable_try_again; }
};

// Contract:
// - A file opened for appending only: every append() goes to the current end of the file, also
//   when another program appends to it too (POSIX O_APPEND, Windows FILE_APPEND_DATA). Bytes go
//   out unchanged (no line-end translation). Sizes and offsets are 64-bit.
// - Others may read, write, rename and delete the file while it is open (Windows share mode
//   read|write|delete), and the handle is not inherited by child processes.
// - Not thread-safe; move-only; the destructor closes.
class AppendFile {
 public:
  AppendFile() = default;
  ~AppendFile();
  AppendFile(AppendFile&& other) noexcept;
  AppendFile& operator=(AppendFile&& other) noexcept;
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;

  // Creates `path`; fails with std::errc::file_exists when it exists already.
  std::error_code create_new(const std::string& path);
  // Opens an existing file for appending and reading its tail. Never waits (a FIFO put in the
  // file's place fails at once or opens without a reader); check kind() afterwards.
  std::error_code open_existing(const std::string& path);
  // Standard output as a stream that never blocks the caller when it is a pipe nobody reads:
  // append() reports would_block.
  // - POSIX: fd 1 opened anew through /proc with O_NONBLOCK (its own open file description: fd 1
  //   stays blocking for everyone else); otherwise a copy of fd 1.
  // - Windows (no non-blocking anonymous pipes; PIPE_NOWAIT is legacy and Wine ignores it): a
  //   pipe is written by a helper thread, one append at a time; append() takes the data whole
  //   while the thread is idle and reports would_block while it is still writing. close() gives
  //   a write still blocked 1 s, then cancels it. A console is written as UTF-16
  //   (WriteConsoleW), right whatever its code page.
  // Closing leaves stdout open.
  std::error_code open_stdout();

  bool is_open() const { return native_ != -1; }
  void close();
  // What the open handle is (regular for a disk file).
  FileKind kind() const;
  std::error_code size(std::uint64_t& out) const;

  // Appends `data` with one system write. A short write (a full disk, a stream that took part)
  // reports the bytes that went out and no error: the caller decides. A stream that takes
  // nothing now reports would_block.
  WriteResult append(std::string_view data);
  // Reads up to `n` bytes at `offset` (fewer at the end of the file).
  std::error_code read_at(std::uint64_t offset, char* buf, std::size_t n, std::size_t& got);
  // Cuts the file to `size` bytes (a torn last row, a short write).
  std::error_code truncate(std::uint64_t size);
  // Flushes the file's data to the disk (fsync, FlushFileBuffers).
  std::error_code sync();

 private:
  struct StreamWriter;         // Windows: the helper thread of a stdout pipe
  std::intptr_t native_ = -1;  // POSIX fd, Windows HANDLE (INVALID_HANDLE_VALUE is -1 too)
  std::string path_;           // what it was opened as (Windows reopens it to truncate)
  bool console_ = false;       // Windows: stdout is a console (written as UTF-16)
  std::shared_ptr<StreamWriter> stream_;  // Windows: set for a stdout pipe
};

}  // namespace platform
