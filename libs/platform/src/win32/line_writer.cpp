// LineWriter's Windows hooks: WriteFile/WriteConsoleW, unblocked with CancelSynchronousIo.
#include <windows.h>

#include <io.h>

#include <algorithm>

#include "../line_writer_os.hpp"
#include "wide.hpp"

namespace platform::line_writer_os {

namespace {

HANDLE std_handle(int fd) {
  if (fd == 1) return ::GetStdHandle(STD_OUTPUT_HANDLE);
  if (fd == 2) return ::GetStdHandle(STD_ERROR_HANDLE);
  return reinterpret_cast<HANDLE>(::_get_osfhandle(fd));
}

}  // namespace

struct Output {
  explicit Output(int fd) : handle(std_handle(fd)) {
    DWORD mode = 0;
    valid = handle != nullptr && handle != INVALID_HANDLE_VALUE;
    console = valid && ::GetFileType(handle) == FILE_TYPE_CHAR && ::GetConsoleMode(handle, &mode);
  }
  const HANDLE handle;
  bool valid = false;
  bool console = false;  // written as UTF-16 (WriteConsoleW): right whatever the code page
  HANDLE writer_thread = nullptr;  // for CancelSynchronousIo; guarded by the State's mu
};

void OutputDelete::operator()(Output* out) const {
  delete out;
}

OutputPtr open_output(int fd) {
  return OutputPtr(new Output(fd));
}

void thread_started(LineWriter::State& s) {
  HANDLE self = nullptr;
  if (::DuplicateHandle(::GetCurrentProcess(), ::GetCurrentThread(), ::GetCurrentProcess(), &self,
                        0, FALSE, DUPLICATE_SAME_ACCESS))
    s.out->writer_thread = self;
}

void thread_ending(LineWriter::State& s) {
  if (s.out->writer_thread != nullptr) ::CloseHandle(s.out->writer_thread);
  s.out->writer_thread = nullptr;
}

// Writes all of `text`; a blocking WriteFile that close() cancels fails with
// ERROR_OPERATION_ABORTED.
bool write_all(LineWriter::State& s, const std::string& text) {
  const Output& out = *s.out;
  if (!out.valid) return false;
  if (out.console) {
    const std::wstring wide = win32::widen(text);
    std::size_t off = 0;
    while (off < wide.size()) {
      if (s.abandon.load()) return false;
      DWORD n = 0;
      const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(wide.size() - off, 8192));
      if (!::WriteConsoleW(out.handle, wide.data() + off, chunk, &n, nullptr) || n == 0)
        return false;
      off += n;
    }
    return true;
  }
  std::size_t off = 0;
  while (off < text.size()) {
    if (s.abandon.load()) return false;
    DWORD n = 0;
    const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(text.size() - off, 1 << 16));
    if (!::WriteFile(out.handle, text.data() + off, chunk, &n, nullptr)) return false;
    off += n;
  }
  return true;
}

// Cancels the write the writer thread is blocked in.
void give_up_write(LineWriter::State& s) {
  if (s.out->writer_thread != nullptr) ::CancelSynchronousIo(s.out->writer_thread);
}

}  // namespace platform::line_writer_os
