// platform/console.hpp on Windows: SetConsoleCtrlHandler (Ctrl+C, Ctrl+Break, close, log-off,
// shut-down), console detection, _putenv_s, and a UTF-8 console.
#include "platform/console.hpp"

#include <windows.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "platform/sleep.hpp"

namespace platform {

namespace {

std::atomic<StopHandler> g_handler{nullptr};
std::mutex g_mu;
// Set when the outermost StopHandling ends: a close/log-off/shut-down handler may return then.
HANDLE g_finished = nullptr;

// Windows ends the process about 5 s after CTRL_CLOSE_EVENT (and after the log-off/shut-down
// timeouts): leave some of that for the process to exit by itself.
constexpr DWORD kFinishWaitMs = 4000;

BOOL WINAPI on_console_event(DWORD type) {
  ConsoleEvent e = ConsoleEvent::interrupt;
  bool ending = false;  // Windows ends the process when this handler returns
  switch (type) {
    case CTRL_C_EVENT:
      e = ConsoleEvent::interrupt;
      break;
    case CTRL_BREAK_EVENT:
      e = ConsoleEvent::break_key;
      break;
    case CTRL_CLOSE_EVENT:
      e = ConsoleEvent::hangup;
      ending = true;
      break;
    case CTRL_LOGOFF_EVENT:
    case CTRL_SHUTDOWN_EVENT:
      e = ConsoleEvent::terminate;
      ending = true;
      break;
    default:
      return FALSE;
  }
  const StopHandler h = g_handler.load();
  if (h == nullptr) return FALSE;  // the next handler (the default one ends the process)
  h(e);
  interrupt_sleeps();  // as a signal ends a sleep on POSIX
  if (ending && g_finished != nullptr) ::WaitForSingleObject(g_finished, kFinishWaitMs);
  return TRUE;
}

UINT g_old_output_cp = 0;

void restore_output_cp() {
  std::fflush(nullptr);  // UTF-8 text still buffered goes out under the UTF-8 code page
  if (g_old_output_cp != 0) ::SetConsoleOutputCP(g_old_output_cp);
}

bool console_handle(DWORD which, HANDLE& h, DWORD& mode) {
  h = ::GetStdHandle(which);
  return h != nullptr && h != INVALID_HANDLE_VALUE && ::GetConsoleMode(h, &mode) != 0;
}

}  // namespace

const char* event_name(ConsoleEvent e) {
  switch (e) {
    case ConsoleEvent::interrupt:
      return "Ctrl+C";
    case ConsoleEvent::break_key:
      return "Ctrl+Break";
    case ConsoleEvent::terminate:
      return "log-off or shut-down";
    case ConsoleEvent::hangup:
      return "console window closed";
    case ConsoleEvent::reload:
      return "reload";
  }
  return "console event";
}

StopHandling::StopHandling(StopHandler handler, bool reload)
    : previous_(nullptr), reload_(reload), outermost_(false) {
  std::lock_guard lock(g_mu);
  previous_ = g_handler.exchange(handler);
  outermost_ = previous_ == nullptr;
  if (outermost_) {
    if (g_finished == nullptr) g_finished = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
    if (g_finished != nullptr) ::ResetEvent(g_finished);
    ::SetConsoleCtrlHandler(on_console_event, TRUE);
  }
}

StopHandling::~StopHandling() {
  std::lock_guard lock(g_mu);
  g_handler.store(previous_);
  if (outermost_) {
    // A close/log-off/shut-down handler waiting for us may return now (and the process end).
    if (g_finished != nullptr) ::SetEvent(g_finished);
    ::SetConsoleCtrlHandler(on_console_event, FALSE);
  }
  (void)reload_;
}

void raise_stop_event(ConsoleEvent e) {
  const StopHandler h = g_handler.load();
  if (h == nullptr) return;
  h(e);
  interrupt_sleeps();
}

bool is_terminal(int fd) {
  const DWORD which = fd == 0 ? STD_INPUT_HANDLE : fd == 2 ? STD_ERROR_HANDLE : STD_OUTPUT_HANDLE;
  HANDLE h = nullptr;
  DWORD mode = 0;
  return (fd == 0 || fd == 1 || fd == 2) && console_handle(which, h, mode);
}

bool has_terminal() {
  HANDLE h = ::CreateFileW(L"CONOUT$", GENERIC_READ | GENERIC_WRITE,
                           FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING, 0, nullptr);
  if (h == INVALID_HANDLE_VALUE) return false;
  ::CloseHandle(h);
  return true;
}

bool set_env(const char* name, const char* value) {
  // The CRT's copy, which std::getenv reads (SetEnvironmentVariable alone would not change it).
  return ::_putenv_s(name, value) == 0;
}

void prepare_console() {
  static std::once_flag once;
  std::call_once(once, [] {
    HANDLE h = nullptr;
    DWORD mode = 0;
    const bool out_console = console_handle(STD_OUTPUT_HANDLE, h, mode);
    if (out_console)
      ::SetConsoleMode(h, mode | ENABLE_PROCESSED_OUTPUT | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
    const bool err_console = console_handle(STD_ERROR_HANDLE, h, mode);
    if (err_console)
      ::SetConsoleMode(h, mode | ENABLE_PROCESSED_OUTPUT | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
    if (!out_console && !err_console) return;
    const UINT old = ::GetConsoleOutputCP();
    if (old != CP_UTF8 && ::SetConsoleOutputCP(CP_UTF8)) {
      // The code page belongs to the console window, which outlives us (cmd.exe): put it back.
      g_old_output_cp = old;
      std::atexit(restore_output_cp);
    }
  });
}

}  // namespace platform
